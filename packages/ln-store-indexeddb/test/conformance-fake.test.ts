// The conformance suite in Node against fake-indexeddb (fast feedback; the
// real-browser run is test/browser.test.ts).
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import type { KvStoreHarness } from 'ln-kv-store-conformance';
import { describeKvStoreConformance } from 'ln-kv-store-conformance/jest';
import { IndexedDbStore } from '../src/index.js';

const where = new WeakMap<IndexedDbStore, { factory: IDBFactory; name: string }>();
let n = 0;
async function open(factory: IDBFactory, name: string): Promise<IndexedDbStore> {
  const store = await IndexedDbStore.open(name, { indexedDB: factory, IDBKeyRange });
  where.set(store, { factory, name });
  return store;
}

const harness: KvStoreHarness<IndexedDbStore> = {
  create: () => open(new IDBFactory(), `kv${n++}`),
  reopen: (store) => open(where.get(store)!.factory, where.get(store)!.name),
  close: (store) => store.close(),
  sizes: { modelRuns: 20 },
};

describeKvStoreConformance('IndexedDbStore on fake-indexeddb', harness);
