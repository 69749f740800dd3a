import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { createJsonLogger, isLogEnabled, silentLogger, MemoryKVStore, validateKvKey, TypesError, type LogLevel } from '../src/index.js';

describe('Logger', () => {
  it('writes structured JSON lines at or above its level', () => {
    const lines: string[] = [];
    const logger = createJsonLogger({ level: 'info', write: (l) => lines.push(l), now: () => 0 });
    logger.log({ level: 'debug', module: 'm', message: 'hidden' });
    logger.log({ level: 'warn', module: 'm', message: 'shown', peer: '02ab', fields: { amount: 5n, raw: Uint8Array.of(1, 2) } });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toEqual({
      time: '1970-01-01T00:00:00.000Z',
      level: 'warn',
      module: 'm',
      message: 'shown',
      peer: '02ab',
      amount: '5',
      raw: '0102',
    });
  });

  it('orders levels', () => {
    const levels: LogLevel[] = ['gossip', 'trace', 'debug', 'info', 'warn', 'error'];
    const logger = createJsonLogger({ level: 'debug', write: () => {} });
    expect(levels.map((l) => isLogEnabled(logger, l))).toEqual([false, false, true, true, true, true]);
    expect(isLogEnabled(silentLogger, 'warn')).toBe(false);
  });
});

describe('KVStore', () => {
  it('reads, writes, lists and removes', async () => {
    const store = new MemoryKVStore();
    expect(await store.read('monitors', '', 'a')).toBeUndefined();
    const value = Uint8Array.of(1, 2, 3);
    await store.write('monitors', '', 'a', value);
    value[0] = 9; // the store keeps its own copy
    expect(await store.read('monitors', '', 'a')).toEqual(Uint8Array.of(1, 2, 3));
    await store.write('monitors', 'sub', 'b', Uint8Array.of(4));
    expect(await store.list('monitors', '')).toEqual(['a']);
    expect(await store.list('monitors', 'sub')).toEqual(['b']);
    await store.remove('monitors', '', 'a');
    await store.remove('monitors', '', 'missing');
    expect(await store.list('monitors', '')).toEqual([]);
  });

  it('validates names', async () => {
    expect(() => validateKvKey('ok_-1', 'X', 'k')).not.toThrow();
    for (const [p, s, k] of [
      ['', 'x', 'k'],
      ['a/b', '', 'k'],
      ['a', '', ''],
      ['a', '', 'x'.repeat(121)],
      ['a', 'é', 'k'],
    ] as const) {
      expect(() => validateKvKey(p, s, k)).toThrow(TypesError);
    }
    await expect(new MemoryKVStore().write('a', '', '../x', new Uint8Array())).rejects.toThrow(TypesError);
  });

  it('behaves like a map under random operations', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom('w', 'r', 'd'), fc.constantFrom('a', 'b', 'c'), fc.uint8Array({ maxLength: 4 }))),
        async (ops) => {
          const store = new MemoryKVStore();
          const model = new Map<string, Uint8Array>();
          for (const [op, key, value] of ops) {
            if (op === 'w') {
              await store.write('ns', '', key, value);
              model.set(key, value);
            } else if (op === 'd') {
              await store.remove('ns', '', key);
              model.delete(key);
            } else {
              expect(await store.read('ns', '', key)).toEqual(model.get(key));
            }
          }
          expect((await store.list('ns', '')).sort()).toEqual([...model.keys()].sort());
        },
      ),
    );
  });
});
