export { IndexedDbStore, type IndexedDbStoreOptions } from './indexeddb-store.js';
export { IndexedDbStoreError, type IndexedDbStoreErrorCode } from './errors.js';
