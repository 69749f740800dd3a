// Stores that each break one rule of the KVStore contract, to prove the
// suite notices. Each wraps a map shared by all instances of one "storage".
import { validateKvKey, type KVStore } from 'ln-types';

type Storage = Map<string, Uint8Array>;
const id = (p: string, s: string, k: string) => `${p}/${s}/${k}`;

/** A correct in-memory store over shared storage; the broken ones override one thing. */
export class SharedMapStore implements KVStore {
  constructor(readonly storage: Storage = new Map()) {}
  async read(p: string, s: string, k: string): Promise<Uint8Array | undefined> {
    validateKvKey(p, s, k);
    return this.storage.get(id(p, s, k))?.slice();
  }
  async write(p: string, s: string, k: string, v: Uint8Array): Promise<void> {
    validateKvKey(p, s, k);
    this.storage.set(id(p, s, k), new Uint8Array(v));
  }
  async remove(p: string, s: string, k: string): Promise<void> {
    validateKvKey(p, s, k);
    this.storage.delete(id(p, s, k));
  }
  async list(p: string, s: string): Promise<string[]> {
    validateKvKey(p, s);
    const prefix = `${p}/${s}/`;
    return [...this.storage.keys()].filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length));
  }
}

/** Keeps the caller's array: a later change by the caller changes the stored value. */
export class NoCopyInStore extends SharedMapStore {
  override async write(p: string, s: string, k: string, v: Uint8Array): Promise<void> {
    validateKvKey(p, s, k);
    this.storage.set(id(p, s, k), v);
  }
}

/** Hands out its own array: a caller changing a read result changes the store. */
export class NoCopyOutStore extends SharedMapStore {
  override async read(p: string, s: string, k: string): Promise<Uint8Array | undefined> {
    validateKvKey(p, s, k);
    return this.storage.get(id(p, s, k));
  }
}

/** Throws at the caller instead of rejecting. */
export class SyncThrowStore extends SharedMapStore {
  override write(p: string, s: string, k: string, v: Uint8Array): Promise<void> {
    validateKvKey(p, s, k);
    return super.write(p, s, k, v);
  }
}

/** Rejects bad names with a plain Error. */
export class UntypedErrorStore extends SharedMapStore {
  override async read(p: string, s: string, k: string): Promise<Uint8Array | undefined> {
    if (k.includes('/')) throw new Error('bad key');
    return super.read(p, s, k);
  }
}

/** Holds writes and applies them last-issued-first: concurrent writes to one key land out of order. */
export class ReorderingStore extends SharedMapStore {
  #held: (() => void)[] = [];
  override write(p: string, s: string, k: string, v: Uint8Array): Promise<void> {
    validateKvKey(p, s, k);
    const copy = new Uint8Array(v);
    return new Promise((resolve) => {
      if (this.#held.length === 0) {
        setTimeout(() => {
          const held = this.#held.reverse();
          this.#held = [];
          for (const apply of held) apply();
        }, 1);
      }
      this.#held.push(() => resolve(void this.storage.set(id(p, s, k), copy)));
    });
  }
}

/** list() matches by prefix: ("a", "") also lists keys of ("a", "b") and ("ab", ""). */
export class LeakyListStore extends SharedMapStore {
  override async list(p: string, s: string): Promise<string[]> {
    validateKvKey(p, s);
    return [...this.storage.keys()].filter((k) => k.startsWith(p + (s === '' ? '' : `/${s}`))).map((k) => k.slice(k.lastIndexOf('/') + 1));
  }
}

/** Replaces a value in two steps with a pause between: a reader can see half of each. */
export class TearingStore extends SharedMapStore {
  override async write(p: string, s: string, k: string, v: Uint8Array): Promise<void> {
    validateKvKey(p, s, k);
    const old = this.storage.get(id(p, s, k));
    const half = v.length >> 1;
    const torn = v.slice();
    if (old !== undefined) torn.set(old.subarray(half, Math.min(old.length, v.length)), half);
    this.storage.set(id(p, s, k), torn);
    await new Promise((r) => setTimeout(r, 1));
    this.storage.set(id(p, s, k), new Uint8Array(v));
  }
}

/** Forgets the empty primary namespace: "" is treated as absent and shares its keys with "_". */
export class EmptyNamespaceStore extends SharedMapStore {
  override async write(p: string, s: string, k: string, v: Uint8Array): Promise<void> {
    validateKvKey(p, s, k);
    this.storage.set(id(p === '' ? '_' : p, s, k), v.slice());
  }
  override async read(p: string, s: string, k: string): Promise<Uint8Array | undefined> {
    validateKvKey(p, s, k);
    return this.storage.get(id(p === '' ? '_' : p, s, k))?.slice();
  }
}
