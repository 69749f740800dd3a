import { randomBytes } from 'node:crypto';
import { open, readdir, readFile, rename, unlink, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { validateKvKey, type KVStore } from 'ln-types';

// Layout: <root>/p.<primary>/s.<secondary>/<key>. The "p." and "s." prefixes
// hold a dot, which no namespace or key may contain, so an empty namespace and
// a key never collide, and temporary files (dot-prefixed) never show in list().

/** Options of {@link FilesystemStore}. */
export interface FilesystemStoreOptions {
  /**
   * fsync files and directories so a write survives power loss (default true).
   * Turn off only for tests and caches.
   */
  readonly durable?: boolean;
}

/**
 * A durable KVStore on the filesystem (Node). `write` resolves only after the
 * value is on disk: written to a temporary file, fsynced, renamed over the key
 * and the directory fsynced, so a crash leaves either the old or the new value,
 * never a torn one. Writes to one key are applied in the order they were issued.
 */
export class FilesystemStore implements KVStore {
  readonly #root: string;
  readonly #durable: boolean;
  /** The last pending write or remove per key path, to keep per-key order. */
  readonly #pending = new Map<string, Promise<void>>();

  constructor(root: string, options: FilesystemStoreOptions = {}) {
    this.#root = root;
    this.#durable = options.durable ?? true;
  }

  #dir(primary: string, secondary: string): string {
    return join(this.#root, `p.${primary}`, `s.${secondary}`);
  }

  async read(primary: string, secondary: string, key: string): Promise<Uint8Array | undefined> {
    validateKvKey(primary, secondary, key);
    const path = join(this.#dir(primary, secondary), key);
    await this.#pending.get(path);
    try {
      const data = await readFile(path);
      return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  }

  write(primary: string, secondary: string, key: string, value: Uint8Array): Promise<void> {
    // A refused name rejects the promise rather than throwing at the caller.
    try {
      validateKvKey(primary, secondary, key);
    } catch (e) {
      return Promise.reject(e);
    }
    const dir = this.#dir(primary, secondary);
    // A copy in a plain Uint8Array: a Buffer's own slice() would share the caller's memory.
    const copy = new Uint8Array(value);
    return this.#enqueue(join(dir, key), async (path) => {
      await mkdir(dir, { recursive: true });
      const tmp = join(dir, `.tmp-${key}-${randomBytes(6).toString('hex')}`);
      const file = await open(tmp, 'w');
      try {
        await file.writeFile(copy);
        if (this.#durable) await file.sync();
      } finally {
        await file.close();
      }
      try {
        await rename(tmp, path);
      } catch (e) {
        await unlink(tmp).catch(() => {});
        throw e;
      }
      if (this.#durable) await syncDirectory(dir);
    });
  }

  remove(primary: string, secondary: string, key: string, lazy = false): Promise<void> {
    try {
      validateKvKey(primary, secondary, key);
    } catch (e) {
      return Promise.reject(e);
    }
    const dir = this.#dir(primary, secondary);
    return this.#enqueue(join(dir, key), async (path) => {
      try {
        await unlink(path);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
        throw e;
      }
      if (this.#durable && !lazy) await syncDirectory(dir);
    });
  }

  async list(primary: string, secondary: string): Promise<string[]> {
    validateKvKey(primary, secondary);
    await Promise.all(this.#pending.values());
    try {
      return (await readdir(this.#dir(primary, secondary))).filter((name) => !name.startsWith('.'));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
  }

  #enqueue(path: string, op: (path: string) => Promise<void>): Promise<void> {
    const previous = this.#pending.get(path) ?? Promise.resolve();
    const next = previous.then(() => op(path));
    // What later operations wait for: settles either way, never rejects.
    const settled = next.then(
      () => {},
      () => {},
    );
    this.#pending.set(path, settled);
    void settled.then(() => {
      if (this.#pending.get(path) === settled) this.#pending.delete(path);
    });
    return next;
  }
}

async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
