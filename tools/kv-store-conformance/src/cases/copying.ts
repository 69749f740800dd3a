import { check, checkBytes } from '../assert.js';
import type { ConformanceCase } from '../case.js';
import { patternBytes } from '../values.js';

/** A Uint8Array whose slice() is a view, as Node's Buffer's is. */
class SharingSliceArray extends Uint8Array {
  override slice(start?: number, end?: number): Uint8Array<ArrayBuffer> {
    return this.subarray(start, end);
  }
}

export const copyingCases: ConformanceCase[] = [
  {
    name: 'copies values in: changing the caller’s array after write() (before or after it resolves) changes nothing stored',
    async run(scope) {
      const store = await scope.create();
      const original = patternBytes(1000, 11);
      const given = original.slice();
      const pending = store.write('ns', '', 'k', given);
      given.fill(0);
      await pending;
      checkBytes(await store.read('ns', '', 'k'), original, 'after the caller zeroed its array before the write resolved');
      const second = original.slice();
      await store.write('ns', '', 'k2', second);
      second.fill(0xff);
      checkBytes(await store.read('ns', '', 'k2'), original, 'after the caller changed its array once the write resolved');
      // Node's Buffer is a Uint8Array whose slice() shares memory: a store
      // copying with value.slice() would keep the caller's bytes.
      const buffer = new SharingSliceArray(original);
      const pendingBuffer = store.write('ns', '', 'k3', buffer);
      buffer.fill(0);
      await pendingBuffer;
      checkBytes(await store.read('ns', '', 'k3'), original, 'after the caller zeroed a Buffer-like array (slice() shares memory) before the write resolved');
    },
  },
  {
    name: 'copies values out: changing a read result changes nothing stored, and each read gives its own array',
    async run(scope) {
      const store = await scope.create();
      const original = patternBytes(500, 12);
      await store.write('ns', '', 'k', original);
      const first = await store.read('ns', '', 'k');
      check(first !== undefined, 'the value reads as missing');
      first.fill(0);
      const second = await store.read('ns', '', 'k');
      checkBytes(second, original, 'a read after the caller zeroed an earlier read result');
      check(second !== first, 'two reads gave the same array');
      // A value written from a Buffer-like array: the store's copy must not
      // keep its class, whose slice() would hand readers a shared view.
      await store.write('ns', '', 'from_buffer', new SharingSliceArray(original));
      const third = await store.read('ns', '', 'from_buffer');
      check(third !== undefined, 'the value written from a Buffer-like array reads as missing');
      third.fill(0);
      checkBytes(await store.read('ns', '', 'from_buffer'), original, 'a read after the caller zeroed the read result of a value written from a Buffer-like array');
    },
  },
  {
    name: 'a view into a larger buffer stores only the bytes it shows',
    async run(scope) {
      const store = await scope.create();
      const backing = patternBytes(4096, 13);
      const view = backing.subarray(1000, 1100);
      await store.write('ns', '', 'view', view);
      const back = await store.read('ns', '', 'view');
      checkBytes(back, backing.slice(1000, 1100), 'the view read back');
      if (scope.canReopen) {
        const other = await scope.reopen(store);
        checkBytes(await other.read('ns', '', 'view'), backing.slice(1000, 1100), 'the view read back by another instance');
      }
    },
  },
];
