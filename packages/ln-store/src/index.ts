export { FilesystemStore, type FilesystemStoreOptions } from './filesystem-store.js';
export { MemoryKVStore, type KVStore } from 'ln-types';
