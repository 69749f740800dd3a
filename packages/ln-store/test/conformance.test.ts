import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TypesError, type KVStore } from 'ln-types';
import { FilesystemStore, MemoryKVStore } from '../src/index.js';

// The KVStore contract, run against every implementation.
const stores: [string, () => KVStore][] = [
  ['MemoryKVStore', () => new MemoryKVStore()],
  ['FilesystemStore', () => new FilesystemStore(mkdtempSync(join(tmpdir(), 'ln-store-')))],
  ['FilesystemStore (not durable)', () => new FilesystemStore(mkdtempSync(join(tmpdir(), 'ln-store-')), { durable: false })],
];

describe.each(stores)('%s', (_name, make) => {
  it('reads what was written, per namespace pair', async () => {
    const s = make();
    await s.write('', '', 'top', Uint8Array.of(1));
    await s.write('monitors', '', 'a', Uint8Array.of(2));
    await s.write('monitors', 'archive', 'a', Uint8Array.of(3));
    expect(await s.read('', '', 'top')).toEqual(Uint8Array.of(1));
    expect(await s.read('monitors', '', 'a')).toEqual(Uint8Array.of(2));
    expect(await s.read('monitors', 'archive', 'a')).toEqual(Uint8Array.of(3));
    expect(await s.read('monitors', '', 'missing')).toBeUndefined();
    expect(await s.list('', '')).toEqual(['top']);
    expect((await s.list('monitors', '')).sort()).toEqual(['a']);
    expect(await s.list('nothing', 'here')).toEqual([]);
  });

  it('overwrites, removes (lazily too) and tolerates removing a missing key', async () => {
    const s = make();
    await s.write('ns', '', 'k', Uint8Array.of(1));
    await s.write('ns', '', 'k', Uint8Array.of(2, 3));
    expect(await s.read('ns', '', 'k')).toEqual(Uint8Array.of(2, 3));
    await s.remove('ns', '', 'k');
    await s.remove('ns', '', 'k', true);
    expect(await s.read('ns', '', 'k')).toBeUndefined();
    expect(await s.list('ns', '')).toEqual([]);
  });

  it('keeps per-key order for writes issued without waiting', async () => {
    const s = make();
    const writes = Array.from({ length: 20 }, (_, i) => s.write('ns', '', 'k', Uint8Array.of(i)));
    await Promise.all(writes);
    expect(await s.read('ns', '', 'k')).toEqual(Uint8Array.of(19));
    await Promise.all([s.write('ns', '', 'k', Uint8Array.of(1)), s.remove('ns', '', 'k')]);
    expect(await s.read('ns', '', 'k')).toBeUndefined();
  });

  it('copies values: later mutation of the caller array changes nothing', async () => {
    const s = make();
    const v = Uint8Array.of(1, 2);
    const done = s.write('ns', '', 'k', v);
    v[0] = 9;
    await done;
    expect(await s.read('ns', '', 'k')).toEqual(Uint8Array.of(1, 2));
  });

  it('refuses invalid names with a typed error', async () => {
    const s = make();
    for (const [p, sec, k] of [
      ['../etc', '', 'k'],
      ['ns', '', 'a/b'],
      ['ns', '', '.hidden'],
      ['', 'x', 'k'],
      ['ns', '', ''],
    ] as const) {
      await expect(Promise.resolve().then(() => s.write(p, sec, k, new Uint8Array(0)))).rejects.toThrow(TypesError);
    }
  });

  it('behaves like a map under random operations', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom('w', 'r', 'd', 'l'), fc.constantFrom('a', 'b'), fc.constantFrom('', 'x'), fc.uint8Array({ maxLength: 8 })), { maxLength: 25 }),
        async (ops) => {
          const s = make();
          const model = new Map<string, Uint8Array>();
          for (const [op, key, sec, value] of ops) {
            const id = `${sec}/${key}`;
            if (op === 'w') {
              await s.write('ns', sec, key, value);
              model.set(id, value);
            } else if (op === 'd') {
              await s.remove('ns', sec, key);
              model.delete(id);
            } else if (op === 'r') {
              expect(await s.read('ns', sec, key)).toEqual(model.get(id));
            } else {
              const expected = [...model.keys()].filter((k) => k.startsWith(`${sec}/`)).map((k) => k.slice(sec.length + 1));
              expect((await s.list('ns', sec)).sort()).toEqual(expected.sort());
            }
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
