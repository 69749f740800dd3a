export { SqliteStore, type SqliteStoreOptions } from './sqlite-store.js';
export { SqliteStoreError, type SqliteStoreErrorCode } from './errors.js';
