import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCrashScenario } from 'ln-kv-store-conformance/node';
import { FilesystemStore } from '../src/index.js';

// Every directory this file makes lives under one temporary directory, removed at the end.
const base = mkdtempSync(join(tmpdir(), 'ln-store-test-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('FilesystemStore crash safety', () => {
  it('a writer killed with SIGKILL mid-write leaves every acknowledged operation and no torn value, twice over', async () => {
    const root = mkdtempSync(join(base, 'ln-store-crash-'));
    const rounds = await runCrashScenario({
      storeModule: fileURLToPath(new URL('./open-store.ts', import.meta.url)),
      location: root,
      open: async (location) => new FilesystemStore(location),
    });
    for (const round of rounds) {
      expect(round.acked).toBeGreaterThanOrEqual(30);
      // The kill came while operations were in flight, so the check means something.
      expect(round.inFlight).toBeGreaterThan(0);
    }
    // Temporary files a kill may leave are never listed as keys (checked above) and do exist on disk at times.
    expect(readdirSync(join(root, 'p.monitors', 's.')).every((name) => name.startsWith('.tmp-') || name.startsWith('chan_'))).toBe(true);
  }, 90_000);

  it('a temporary file left by a crash between write and rename is ignored: the old value stays', async () => {
    const root = mkdtempSync(join(base, 'ln-store-crash-'));
    const store = new FilesystemStore(root);
    await store.write('monitors', '', 'chan', Uint8Array.of(1, 2, 3));
    // What a crash after the temporary file was written, before the rename, leaves.
    writeFileSync(join(root, 'p.monitors', 's.', '.tmp-chan-0123456789ab'), Uint8Array.of(9, 9));
    const after = new FilesystemStore(root);
    expect(await after.read('monitors', '', 'chan')).toEqual(Uint8Array.of(1, 2, 3));
    expect(await after.list('monitors', '')).toEqual(['chan']);
    await after.write('monitors', '', 'chan', Uint8Array.of(4));
    expect(await after.read('monitors', '', 'chan')).toEqual(Uint8Array.of(4));
  });
});
