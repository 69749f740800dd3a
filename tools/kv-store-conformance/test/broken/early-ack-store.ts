// A store that resolves a write before it has written anything (the write
// happens 200 ms later): a kill loses acknowledged writes.
import type { KVStore } from 'ln-types';
import { RenameStore } from './rename-store.js';

class EarlyAckStore extends RenameStore {
  override write(p: string, s: string, k: string, v: Uint8Array): Promise<void> {
    const copy = new Uint8Array(v);
    setTimeout(() => void super.write(p, s, k, copy), 200);
    return Promise.resolve();
  }
}

export async function openStore(location: string): Promise<KVStore> {
  return new EarlyAckStore(location);
}
