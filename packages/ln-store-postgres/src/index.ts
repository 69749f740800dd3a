export { PostgresStore, type PostgresStoreOptions } from './postgres-store.js';
export { PostgresStoreError, type PostgresStoreErrorCode } from './errors.js';
