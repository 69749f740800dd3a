import { checkBytes, checkKeys } from '../assert.js';
import type { ConformanceCase } from '../case.js';
import { patternBytes } from '../values.js';

export const persistenceCases: ConformanceCase[] = [
  {
    name: 'an instance opened after another was closed reads everything it wrote',
    needsReopen: true,
    async run(scope) {
      const store = await scope.create();
      const entries: [string, string, string, Uint8Array][] = [
        ['', '', 'manager', patternBytes(2000, 1)],
        ['monitors', '', 'aa_0', patternBytes(3000, 2)],
        ['monitors', '', 'bb_1', patternBytes(10, 3)],
        ['monitor_updates', 'aa_0', '1', patternBytes(100, 4)],
        ['monitor_updates', 'aa_0', '2', new Uint8Array(0)],
      ];
      for (const [p, s, k, v] of entries) await store.write(p, s, k, v);
      await store.write('', '', 'manager', patternBytes(2100, 5));
      await scope.close(store);
      const again = await scope.reopen(store);
      checkBytes(await again.read('', '', 'manager'), patternBytes(2100, 5), 'the replaced manager');
      for (const [p, s, k, v] of entries.slice(1)) checkBytes(await again.read(p, s, k), v, `read(${JSON.stringify(p)}, ${JSON.stringify(s)}, ${k})`);
      checkKeys(await again.list('', ''), ['manager'], 'list("", "")');
      checkKeys(await again.list('monitors', ''), ['aa_0', 'bb_1'], 'list("monitors", "")');
      checkKeys(await again.list('monitor_updates', 'aa_0'), ['1', '2'], 'list("monitor_updates", "aa_0")');
    },
  },
  {
    name: 'two open instances over the same storage each see what the other wrote once its write resolved',
    needsReopen: true,
    async run(scope) {
      const a = await scope.create();
      const b = await scope.reopen(a);
      await a.write('ns', '', 'from_a', Uint8Array.of(1));
      checkBytes(await b.read('ns', '', 'from_a'), Uint8Array.of(1), 'b reads what a wrote');
      await b.write('ns', '', 'from_a', Uint8Array.of(2));
      await b.write('ns', '', 'from_b', Uint8Array.of(3));
      checkBytes(await a.read('ns', '', 'from_a'), Uint8Array.of(2), 'a reads what b replaced');
      checkKeys(await a.list('ns', ''), ['from_a', 'from_b'], 'a lists what b wrote');
      await a.remove('ns', '', 'from_b');
      checkKeys(await b.list('ns', ''), ['from_a'], 'b lists after a removed');
    },
  },
];
