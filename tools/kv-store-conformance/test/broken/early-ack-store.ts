// A filesystem store that resolves a write before it has written anything
// (the write happens 200 ms later): a kill loses acknowledged writes.
import { FilesystemStore } from 'ln-store';
import type { KVStore } from 'ln-types';

class EarlyAckStore extends FilesystemStore {
  override write(p: string, s: string, k: string, v: Uint8Array): Promise<void> {
    const copy = v.slice();
    setTimeout(() => void super.write(p, s, k, copy), 200);
    return Promise.resolve();
  }
}

export async function openStore(location: string): Promise<KVStore> {
  return new EarlyAckStore(location);
}
