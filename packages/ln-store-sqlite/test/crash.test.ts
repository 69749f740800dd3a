import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCrashScenario } from 'ln-kv-store-conformance/node';
import { SqliteStore } from '../src/index.js';

// Every directory this file makes lives under one temporary directory, removed at the end.
const base = mkdtempSync(join(tmpdir(), 'ln-store-sqlite-test-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('SqliteStore crash safety', () => {
  it('a writer killed with SIGKILL mid-transaction leaves every acknowledged operation and no torn value, three times over', async () => {
    const rounds = await runCrashScenario({
      storeModule: fileURLToPath(new URL('./open-store.ts', import.meta.url)),
      location: mkdtempSync(join(base, 'ln-store-sqlite-crash-')),
      open: async (location) => new SqliteStore(join(location, 'kv.sqlite')),
      close: (store) => (store as SqliteStore).close(),
      rounds: 3,
      acksBeforeKill: 60,
    });
    for (const round of rounds) {
      expect(round.acked).toBeGreaterThanOrEqual(60);
      expect(round.inFlight).toBeGreaterThan(0);
    }
  }, 90_000);
});
