// A filesystem store that overwrites values in place in 4 KiB pieces: a kill
// in the middle leaves a torn value. For the crash scenario's self-test.
import { mkdirSync } from 'node:fs';
import { open, readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { validateKvKey, type KVStore } from 'ln-types';

export class InPlaceStore implements KVStore {
  constructor(readonly root: string) {}
  #file(p: string, s: string, k: string): string {
    const dir = join(this.root, `p.${p}`, `s.${s}`);
    mkdirSync(dir, { recursive: true });
    return join(dir, k);
  }
  #chain = Promise.resolve();
  async read(p: string, s: string, k: string): Promise<Uint8Array | undefined> {
    validateKvKey(p, s, k);
    try {
      return new Uint8Array(await readFile(this.#file(p, s, k)));
    } catch {
      return undefined;
    }
  }
  write(p: string, s: string, k: string, v: Uint8Array): Promise<void> {
    validateKvKey(p, s, k);
    const copy = v.slice();
    const done = this.#chain.then(async () => {
      const file = await open(this.#file(p, s, k), 'w');
      for (let at = 0; at < copy.length; at += 4096) await file.write(copy.subarray(at, at + 4096));
      await file.close();
    });
    this.#chain = done;
    return done;
  }
  remove(p: string, s: string, k: string): Promise<void> {
    validateKvKey(p, s, k);
    const done = this.#chain.then(() => unlink(this.#file(p, s, k)).catch(() => {}));
    this.#chain = done;
    return done;
  }
  async list(p: string, s: string): Promise<string[]> {
    validateKvKey(p, s);
    try {
      return await readdir(join(this.root, `p.${p}`, `s.${s}`));
    } catch {
      return [];
    }
  }
}

export async function openStore(location: string): Promise<KVStore> {
  return new InPlaceStore(location);
}
