// Durable writes bound how fast monitor updates can be persisted.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measureAsync, reportMeasurement } from 'ln-bench';
import { FilesystemStore } from '../src/index.js';

const value = new Uint8Array(1024).fill(7);
for (const durable of [true, false]) {
  const store = new FilesystemStore(mkdtempSync(join(tmpdir(), 'ln-store-bench-')), { durable });
  let i = 0;
  const m = await measureAsync(() => store.write('monitors', '', `k${i++ % 64}`, value), { runs: 3, minRunMs: 300 });
  reportMeasurement('ln-store', `filesystem write 1 KiB (${durable ? 'fsync' : 'no fsync'})`, m, 'writes/s');
}
