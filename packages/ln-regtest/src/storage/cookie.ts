import { randomBytes } from 'ln-crypto';
import { toHex } from 'ln-types';
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { writeFileAtomic } from './json-file.js';

/** bitcoind's cookie user name. */
export const COOKIE_USER = '__cookie__';

/** Writes bitcoind's `.cookie` file (`__cookie__:<random hex>`) and returns the password. */
export function writeCookie(dataDir: string): { path: string; password: string } {
  const password = toHex(randomBytes(32));
  const path = join(dataDir, '.cookie');
  writeFileAtomic(path, `${COOKIE_USER}:${password}`);
  return { path, password };
}

/** Removes the cookie file, as bitcoind does on shutdown. */
export function removeCookie(path: string): void {
  rmSync(path, { force: true });
}
