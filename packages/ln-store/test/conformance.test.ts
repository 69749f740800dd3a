import { afterAll } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeKvStoreConformance } from 'ln-kv-store-conformance/jest';
import { FilesystemStore, MemoryKVStore } from '../src/index.js';

// Every directory this file makes lives under one temporary directory, removed at the end.
const base = mkdtempSync(join(tmpdir(), 'ln-store-test-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

// The shared KVStore contract (tools/kv-store-conformance) against both stores.
describeKvStoreConformance('MemoryKVStore', { create: async () => new MemoryKVStore() });

function filesystemHarness(durable: boolean) {
  const roots = new WeakMap<FilesystemStore, string>();
  const open = (root: string) => {
    const store = new FilesystemStore(root, { durable });
    roots.set(store, root);
    return store;
  };
  return {
    create: async () => open(mkdtempSync(join(base, 'ln-store-'))),
    reopen: async (store: FilesystemStore) => open(roots.get(store)!),
  };
}

describeKvStoreConformance('FilesystemStore', filesystemHarness(true));
describeKvStoreConformance('FilesystemStore (durable: false)', filesystemHarness(false));
