import { checkBytes, checkKeys } from '../assert.js';
import type { ConformanceCase } from '../case.js';
import { patternBytes } from '../values.js';

export const removalCases: ConformanceCase[] = [
  {
    name: 'remove: the key reads as missing and leaves list, its neighbours stay; removing a missing key is not an error',
    async run(scope) {
      const store = await scope.create();
      await store.write('monitors', '', 'a', patternBytes(10, 1));
      await store.write('monitors', '', 'b', patternBytes(10, 2));
      await store.write('', '', 'a', patternBytes(10, 3));
      await store.remove('monitors', '', 'a');
      checkBytes(await store.read('monitors', '', 'a'), undefined, 'a removed key');
      checkKeys(await store.list('monitors', ''), ['b'], 'list after remove');
      checkBytes(await store.read('monitors', '', 'b'), patternBytes(10, 2), 'the neighbour of a removed key');
      checkBytes(await store.read('', '', 'a'), patternBytes(10, 3), 'the same key in another pair');
      await store.remove('monitors', '', 'a');
      await store.remove('monitors', '', 'never', false);
      await store.remove('never', 'written', 'k');
      await store.remove('', '', 'a');
      checkKeys(await store.list('', ''), [], 'list of the primary namespace after its only key was removed');
      await store.write('monitors', '', 'a', patternBytes(10, 4));
      checkBytes(await store.read('monitors', '', 'a'), patternBytes(10, 4), 'a key written again after its removal');
    },
  },
  {
    name: 'lazy remove: the key is gone for readers at once; a missing key is not an error',
    async run(scope) {
      const store = await scope.create();
      await store.write('spendable_outputs', '', 'x', patternBytes(50, 5));
      await store.write('spendable_outputs', '', 'y', patternBytes(50, 6));
      await store.remove('spendable_outputs', '', 'x', true);
      checkBytes(await store.read('spendable_outputs', '', 'x'), undefined, 'a lazily removed key');
      checkKeys(await store.list('spendable_outputs', ''), ['y'], 'list after a lazy remove');
      await store.remove('spendable_outputs', '', 'x', true);
      await store.remove('spendable_outputs', '', 'never', true);
    },
  },
  {
    name: 'removals (lazy too) are seen by another instance once the instance that made them is closed',
    needsReopen: true,
    async run(scope) {
      const store = await scope.create();
      await store.write('ns', '', 'kept', patternBytes(10, 1));
      await store.write('ns', '', 'removed', patternBytes(10, 2));
      await store.write('ns', '', 'lazily', patternBytes(10, 3));
      await store.remove('ns', '', 'removed');
      const other = await scope.reopen(store);
      checkBytes(await other.read('ns', '', 'removed'), undefined, 'another instance, after a remove resolved');
      await store.remove('ns', '', 'lazily', true);
      await scope.close(store);
      const third = await scope.reopen(other);
      checkKeys(await third.list('ns', ''), ['kept'], 'list in an instance opened after the remover closed');
      checkBytes(await third.read('ns', '', 'lazily'), undefined, 'a lazily removed key after its remover closed');
    },
  },
];
