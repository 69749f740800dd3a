import { describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FilesystemStore } from '../src/index.js';

// A writer process is killed with SIGKILL in the middle of a stream of writes:
// every key must then hold one complete value (old or new), never a torn one.
describe('FilesystemStore crash safety', () => {
  it('leaves whole values after SIGKILL during writes', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ln-store-crash-'));
    const storeModule = fileURLToPath(new URL('../src/filesystem-store.ts', import.meta.url));
    // .mts: the temporary directory has no package.json saying "type": "module".
    const script = join(root, 'writer.mts');
    writeFileSync(
      script,
      `import { FilesystemStore } from ${JSON.stringify(storeModule)};
const store = new FilesystemStore(${JSON.stringify(join(root, 'db'))});
// Each value is 64 KiB of one repeated byte, so a torn write is visible.
for (let i = 0; ; i++) {
  await store.write('ns', '', 'k' + (i % 4), new Uint8Array(65536).fill(i % 251));
  if (i === 8) process.stdout.write('ready\\n');
}
`,
    );
    const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      child.stdout.once('data', () => resolve());
      child.once('exit', (code) => reject(new Error(`writer exited early with ${code}`)));
    });
    await new Promise((r) => setTimeout(r, 150));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));

    const store = new FilesystemStore(join(root, 'db'));
    const keys = await store.list('ns', '');
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      const value = (await store.read('ns', '', key))!;
      expect(value.length).toBe(65536);
      expect(value.every((b) => b === value[0])).toBe(true);
    }
    // Temporary files a crash may leave behind are never listed as keys.
    const raw = readdirSync(join(root, 'db', 'p.ns', 's.'));
    expect(keys.every((k) => !k.startsWith('.'))).toBe(true);
    expect(raw.length).toBeGreaterThanOrEqual(keys.length);
  }, 30_000);
});
