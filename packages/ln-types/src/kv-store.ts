import { TypesError } from './errors.js';

/**
 * The persistence contract (after LDK's KVStore): byte values under a
 * two-level namespace and a key. Implementations: ln-store (filesystem),
 * ln-store-sqlite, ln-store-postgres, ln-store-indexeddb (browsers), or the
 * application's own; tools/kv-store-conformance is the suite they all pass.
 *
 * Rules every implementation keeps:
 * - namespaces and keys use only `A-Z a-z 0-9 _ -` and are at most 120 characters;
 * - keys are non-empty; an empty primary namespace requires an empty secondary one
 *   ({@link validateKvKey}; a refused name rejects the promise with a TypesError);
 * - `write` is durable when its promise resolves (this is what lets ChannelManager
 *   send a message that depends on the written state), and writes to one key are
 *   applied in the order they were issued;
 * - a read or list reflects every write and remove issued before it;
 * - values are copied in and out: the caller's array and the store's never alias.
 */
export interface KVStore {
  /** The value, or `undefined` when the key does not exist. */
  read(primaryNamespace: string, secondaryNamespace: string, key: string): Promise<Uint8Array | undefined>;
  /** Stores the value durably (replacing any previous one). */
  write(primaryNamespace: string, secondaryNamespace: string, key: string, value: Uint8Array): Promise<void>;
  /**
   * Removes the key; a missing key is not an error. With `lazy`, the removal may be
   * made durable later (a crash may bring the key back), which is cheaper.
   */
  remove(primaryNamespace: string, secondaryNamespace: string, key: string, lazy?: boolean): Promise<void>;
  /** The keys directly under the namespace pair, in no particular order. */
  list(primaryNamespace: string, secondaryNamespace: string): Promise<string[]>;
}

/** Longest namespace or key. */
export const KV_MAX_NAME_LENGTH = 120;
const KV_NAME_PATTERN = /^[A-Za-z0-9_-]*$/;

/**
 * Checks a namespace pair and (optionally) a key against the KVStore rules.
 * @throws TypesError `invalid_kv_key`
 */
export function validateKvKey(primaryNamespace: string, secondaryNamespace: string, key?: string): void {
  for (const [what, name] of [
    ['primary namespace', primaryNamespace],
    ['secondary namespace', secondaryNamespace],
    ...(key === undefined ? [] : [['key', key]]),
  ] as const) {
    if (typeof name !== 'string' || name.length > KV_MAX_NAME_LENGTH || !KV_NAME_PATTERN.test(name)) {
      throw new TypesError('invalid_kv_key', `${what} must be at most ${KV_MAX_NAME_LENGTH} characters of [A-Za-z0-9_-]`);
    }
  }
  if (key !== undefined && key.length === 0) throw new TypesError('invalid_kv_key', 'key must not be empty');
  if (primaryNamespace === '' && secondaryNamespace !== '') {
    throw new TypesError('invalid_kv_key', 'a secondary namespace needs a primary namespace');
  }
}

/**
 * A KVStore in memory: for tests, for browsers without storage, and as a write
 * cache in front of a slower store. Values are copied in and out so callers
 * cannot alter stored bytes by mutating their arrays.
 */
export class MemoryKVStore implements KVStore {
  readonly #entries = new Map<string, Map<string, Uint8Array>>();

  async read(primaryNamespace: string, secondaryNamespace: string, key: string): Promise<Uint8Array | undefined> {
    validateKvKey(primaryNamespace, secondaryNamespace, key);
    const value = this.#entries.get(namespaceKey(primaryNamespace, secondaryNamespace))?.get(key);
    return value === undefined ? undefined : value.slice();
  }

  async write(primaryNamespace: string, secondaryNamespace: string, key: string, value: Uint8Array): Promise<void> {
    validateKvKey(primaryNamespace, secondaryNamespace, key);
    const ns = namespaceKey(primaryNamespace, secondaryNamespace);
    let bucket = this.#entries.get(ns);
    if (bucket === undefined) this.#entries.set(ns, (bucket = new Map()));
    // A copy in a plain Uint8Array: a Buffer's own slice() would share the caller's
    // memory, and a stored Buffer would hand readers shared views.
    bucket.set(key, new Uint8Array(value));
  }

  async remove(primaryNamespace: string, secondaryNamespace: string, key: string): Promise<void> {
    validateKvKey(primaryNamespace, secondaryNamespace, key);
    this.#entries.get(namespaceKey(primaryNamespace, secondaryNamespace))?.delete(key);
  }

  async list(primaryNamespace: string, secondaryNamespace: string): Promise<string[]> {
    validateKvKey(primaryNamespace, secondaryNamespace);
    return [...(this.#entries.get(namespaceKey(primaryNamespace, secondaryNamespace))?.keys() ?? [])];
  }
}

// '/' cannot appear in a valid namespace, so the joined key is unambiguous.
function namespaceKey(primary: string, secondary: string): string {
  return `${primary}/${secondary}`;
}
