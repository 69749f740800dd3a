import { describe, expect, it } from '@jest/globals';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { IndexedDbStore, IndexedDbStoreError } from '../src/index.js';

const open = (factory: IDBFactory, name = 'kv') => IndexedDbStore.open(name, { indexedDB: factory, IDBKeyRange });

describe('IndexedDbStore errors (fake-indexeddb)', () => {
  it('rejects with "unavailable" where there is no IndexedDB', async () => {
    await expect(IndexedDbStore.open('kv')).rejects.toMatchObject({ code: 'unavailable' });
    await expect(IndexedDbStore.open('kv')).rejects.toBeInstanceOf(IndexedDbStoreError);
  });

  it('rejects with "unavailable" when the database exists in a newer version', async () => {
    const factory = new IDBFactory();
    await new Promise<void>((resolve, reject) => {
      const request = factory.open('kv', 5);
      request.onsuccess = () => {
        request.result.close();
        resolve();
      };
      request.onerror = () => reject(request.error);
    });
    await expect(open(factory)).rejects.toMatchObject({ code: 'unavailable' });
  });

  it('waits for pending writes on close, then rejects every call with "closed"', async () => {
    const factory = new IDBFactory();
    const store = await open(factory);
    const pending = store.write('ns', '', 'k', Uint8Array.of(5));
    await store.close();
    await pending;
    await expect(store.read('ns', '', 'k')).rejects.toMatchObject({ code: 'closed' });
    await expect(store.write('ns', '', 'k', Uint8Array.of(1))).rejects.toMatchObject({ code: 'closed' });
    await expect(store.remove('ns', '', 'k')).rejects.toMatchObject({ code: 'closed' });
    await expect(store.list('ns', '')).rejects.toMatchObject({ code: 'closed' });
    const again = await open(factory);
    expect(await again.read('ns', '', 'k')).toEqual(Uint8Array.of(5));
    await again.close();
  });

  it('lets another tab delete the database: the store closes itself and says "closed"', async () => {
    const factory = new IDBFactory();
    const store = await open(factory);
    await store.write('ns', '', 'k', Uint8Array.of(1));
    await new Promise<void>((resolve, reject) => {
      const request = factory.deleteDatabase('kv');
      request.onsuccess = () => resolve();
      request.onerror = () => reject(request.error);
    });
    await expect(store.read('ns', '', 'k')).rejects.toMatchObject({ code: 'closed' });
  });

  it('reads a value that is not bytes (written by someone else) as "corrupt_value"', async () => {
    const factory = new IDBFactory();
    const store = await open(factory);
    await store.write('ns', '', 'k', Uint8Array.of(1));
    await new Promise<void>((resolve, reject) => {
      const request = factory.open('kv', 1);
      request.onsuccess = () => {
        const tx = request.result.transaction('kv', 'readwrite');
        tx.objectStore('kv').put('not bytes', ['ns', '', 'k']);
        tx.oncomplete = () => {
          request.result.close();
          resolve();
        };
        tx.onabort = () => reject(tx.error);
      };
    });
    await expect(store.read('ns', '', 'k')).rejects.toMatchObject({ code: 'corrupt_value' });
    await store.close();
  });
});
