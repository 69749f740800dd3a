import { checkBytes, checkKeys } from '../assert.js';
import type { ConformanceCase } from '../case.js';
import { taggedValue } from '../values.js';

export const concurrencyCases: ConformanceCase[] = [
  {
    name: 'writes issued together to one key: the last issued wins, in this instance and in storage',
    async run(scope) {
      const store = await scope.create();
      const n = scope.sizes.writesToOneKey;
      const values = Array.from({ length: n }, (_, i) => taggedValue(0, i, 64 + (i % 7) * 50));
      await Promise.all(values.map((v) => store.write('monitors', '', 'k', v)));
      checkBytes(await store.read('monitors', '', 'k'), values[n - 1], `after ${n} writes issued together`);
      // Again, with the writes issued from separate microtasks and macrotasks.
      const more = Array.from({ length: 20 }, (_, i) => taggedValue(0, n + i, 100));
      const pending: Promise<void>[] = [];
      for (const [i, v] of more.entries()) {
        if (i % 3 === 1) await Promise.resolve();
        if (i % 5 === 4) await new Promise((r) => setTimeout(r, 0));
        pending.push(store.write('monitors', '', 'k', v));
      }
      await Promise.all(pending);
      checkBytes(await store.read('monitors', '', 'k'), more[more.length - 1], 'after writes issued across ticks');
      if (scope.canReopen) {
        const other = await scope.reopen(store);
        checkBytes(await other.read('monitors', '', 'k'), more[more.length - 1], 'another instance after the writes resolved');
      }
    },
  },
  {
    name: 'writes issued together to many keys: every one lands',
    async run(scope) {
      const store = await scope.create();
      const n = scope.sizes.concurrentKeys;
      const keys = Array.from({ length: n }, (_, i) => `key_${i}`);
      await Promise.all(keys.map((k, i) => store.write('monitor_updates', 'chan', k, taggedValue(i, 1, 40 + (i % 13)))));
      checkKeys(await store.list('monitor_updates', 'chan'), keys, `list after ${n} writes issued together`);
      const reads = await Promise.all(keys.map((k) => store.read('monitor_updates', 'chan', k)));
      reads.forEach((r, i) => checkBytes(r, taggedValue(i, 1, 40 + (i % 13)), `read of key_${i}`));
      if (scope.canReopen) {
        const other = await scope.reopen(store);
        checkKeys(await other.list('monitor_updates', 'chan'), keys, 'list in another instance');
        const last = n - 1;
        checkBytes(await other.read('monitor_updates', 'chan', `key_${last}`), taggedValue(last, 1, 40 + (last % 13)), 'another instance reads the last key');
      }
    },
  },
  {
    name: 'a read or list issued right after a write or remove sees it (without awaiting the write)',
    async run(scope) {
      const store = await scope.create();
      const v1 = taggedValue(1, 1, 300);
      const v2 = taggedValue(1, 2, 300);
      // Each read is awaited before the next operation is issued: nothing
      // issued after it runs concurrently, so only one answer is right.
      const w1 = store.write('ns', '', 'k', v1);
      checkBytes(await store.read('ns', '', 'k'), v1, 'a read issued after the first write');
      checkKeys(await store.list('ns', ''), ['k'], 'a list issued after the first write');
      const w2 = store.write('ns', '', 'k', v2);
      checkBytes(await store.read('ns', '', 'k'), v2, 'a read issued after the second write');
      const d = store.remove('ns', '', 'k');
      checkBytes(await store.read('ns', '', 'k'), undefined, 'a read issued after the remove');
      checkKeys(await store.list('ns', ''), [], 'a list issued after the remove');
      await Promise.all([w1, w2, d]);
      checkBytes(await store.read('ns', '', 'k'), undefined, 'a read once all resolved');
    },
  },
  {
    name: 'writes and removes of one key issued together apply in issue order',
    async run(scope) {
      const store = await scope.create();
      const v = (seq: number) => taggedValue(2, seq, 200);
      await Promise.all([
        store.write('ns', 's', 'k', v(1)),
        store.remove('ns', 's', 'k'),
        store.write('ns', 's', 'k', v(2)),
        store.remove('ns', 's', 'k', true),
        store.write('ns', 's', 'k', v(3)),
      ]);
      checkBytes(await store.read('ns', 's', 'k'), v(3), 'write, remove, write, lazy remove, write');
      await Promise.all([store.write('ns', 's', 'k', v(4)), store.remove('ns', 's', 'k')]);
      checkBytes(await store.read('ns', 's', 'k'), undefined, 'write then remove');
      await Promise.all([store.write('ns', 's', 'k', v(5)), store.remove('ns', 's', 'k', true)]);
      checkBytes(await store.read('ns', 's', 'k'), undefined, 'write then lazy remove');
      await Promise.all([store.remove('ns', 's', 'k', true), store.write('ns', 's', 'k', v(6))]);
      checkBytes(await store.read('ns', 's', 'k'), v(6), 'lazy remove then write');
      checkKeys(await store.list('ns', 's'), ['k'], 'list at the end');
      if (scope.canReopen) {
        const other = await scope.reopen(store);
        checkBytes(await other.read('ns', 's', 'k'), v(6), 'another instance at the end');
      }
    },
  },
];
