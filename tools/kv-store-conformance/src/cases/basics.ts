import { checkBytes, checkKeys } from '../assert.js';
import type { ConformanceCase } from '../case.js';
import { patternBytes } from '../values.js';

const ALL_BYTES = Uint8Array.from({ length: 256 }, (_, i) => i);

export const basicCases: ConformanceCase[] = [
  {
    name: 'reads back what was written under every namespace pair, the empty primary namespace included',
    async run(scope) {
      const store = await scope.create();
      // The pairs the node uses (MONEY.md's storage names), plus every byte value.
      const entries: [string, string, string, Uint8Array][] = [
        ['', '', 'manager', ALL_BYTES],
        ['', '', 'network_graph', patternBytes(3000, 1)],
        ['monitors', '', '0123abcd_1', patternBytes(777, 2)],
        ['monitor_updates', '0123abcd_1', '42', patternBytes(5, 3)],
        ['payments', '', 'ff'.repeat(32), Uint8Array.of(0)],
      ];
      for (const [p, s, k, v] of entries) await store.write(p, s, k, v);
      for (const [p, s, k, v] of entries) checkBytes(await store.read(p, s, k), v, `read(${JSON.stringify(p)}, ${JSON.stringify(s)}, ${k})`);
      checkKeys(await store.list('', ''), ['manager', 'network_graph'], 'list("", "")');
      checkKeys(await store.list('monitors', ''), ['0123abcd_1'], 'list("monitors", "")');
      checkKeys(await store.list('monitor_updates', '0123abcd_1'), ['42'], 'list("monitor_updates", "0123abcd_1")');
    },
  },
  {
    name: 'a missing key reads as undefined; an empty value is stored and is not a missing key',
    async run(scope) {
      const store = await scope.create();
      checkBytes(await store.read('', '', 'nothing'), undefined, 'read of a key never written');
      checkBytes(await store.read('no_such', 'namespace', 'k'), undefined, 'read in a namespace never written');
      checkKeys(await store.list('no_such', 'namespace'), [], 'list of a namespace never written');
      checkKeys(await store.list('', ''), [], 'list of an empty store');
      await store.write('ns', '', 'empty', new Uint8Array(0));
      checkBytes(await store.read('ns', '', 'empty'), new Uint8Array(0), 'read of an empty value');
      checkKeys(await store.list('ns', ''), ['empty'], 'list with an empty value');
      await store.write('', '', 'empty', new Uint8Array(0));
      checkBytes(await store.read('', '', 'empty'), new Uint8Array(0), 'read of an empty value in the primary namespace');
    },
  },
  {
    name: 'keeps namespace pairs apart: the same key in other pairs is another entry, list gives only the pair’s own keys',
    async run(scope) {
      const store = await scope.create();
      // Pairs that a careless encoding (joining with "_" or "/", ignoring case,
      // treating "" as absent, prefix matching) would confuse.
      const pairs: [string, string][] = [
        ['', ''],
        ['a', ''],
        ['a', 'b'],
        ['ab', ''],
        ['a', 'b_c'],
        ['a_b', 'c'],
        ['a_b_c', ''],
        ['A', ''],
        ['a', 'B'],
        ['a', 'bc'],
      ];
      for (const [i, [p, s]] of pairs.entries()) await store.write(p, s, 'k', patternBytes(10 + i, i));
      await store.write('a', 'b', 'k2', Uint8Array.of(7));
      await store.write('a', '', 'K', Uint8Array.of(8));
      for (const [i, [p, s]] of pairs.entries()) {
        checkBytes(await store.read(p, s, 'k'), patternBytes(10 + i, i), `read(${JSON.stringify(p)}, ${JSON.stringify(s)}, "k")`);
        const expected = p === 'a' && s === 'b' ? ['k', 'k2'] : p === 'a' && s === '' ? ['k', 'K'] : ['k'];
        checkKeys(await store.list(p, s), expected, `list(${JSON.stringify(p)}, ${JSON.stringify(s)})`);
      }
      checkBytes(await store.read('a', '', 'K'), Uint8Array.of(8), 'keys differing only in case are different keys');
      checkBytes(await store.read('a', 'b', 'K'), undefined, 'a key of one pair is not in another');
    },
  },
];
