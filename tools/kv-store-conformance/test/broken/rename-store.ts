// A small filesystem store that is right about SIGKILL (temporary file, then
// rename; per-key order through one chain) but fsyncs nothing. The
// early-acknowledging store below builds on it.
import { mkdirSync } from 'node:fs';
import { readdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { validateKvKey, type KVStore } from 'ln-types';

export class RenameStore implements KVStore {
  #chain: Promise<unknown> = Promise.resolve();
  #n = 0;
  constructor(readonly root: string) {}
  #dir(p: string, s: string): string {
    const dir = join(this.root, `p.${p}`, `s.${s}`);
    mkdirSync(dir, { recursive: true });
    return dir;
  }
  async read(p: string, s: string, k: string): Promise<Uint8Array | undefined> {
    validateKvKey(p, s, k);
    await this.#chain;
    try {
      return new Uint8Array(await readFile(join(this.#dir(p, s), k)));
    } catch {
      return undefined;
    }
  }
  write(p: string, s: string, k: string, v: Uint8Array): Promise<void> {
    validateKvKey(p, s, k);
    const copy = new Uint8Array(v);
    const tmp = join(this.#dir(p, s), `.tmp-${process.pid}-${this.#n++}`);
    const done = this.#chain.then(async () => {
      await writeFile(tmp, copy);
      await rename(tmp, join(this.#dir(p, s), k));
    });
    this.#chain = done;
    return done;
  }
  remove(p: string, s: string, k: string): Promise<void> {
    validateKvKey(p, s, k);
    const done = this.#chain.then(() => unlink(join(this.#dir(p, s), k)).catch(() => {}));
    this.#chain = done;
    return done;
  }
  async list(p: string, s: string): Promise<string[]> {
    validateKvKey(p, s);
    await this.#chain;
    return (await readdir(this.#dir(p, s))).filter((name) => !name.startsWith('.'));
  }
}

export async function openStore(location: string): Promise<KVStore> {
  return new RenameStore(location);
}
