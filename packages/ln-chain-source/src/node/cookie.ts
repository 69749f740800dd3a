import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Network } from 'ln-types';
import { ChainSourceError } from '../errors.js';
import type { BitcoindAuth } from '../bitcoind/auth.js';

const NETWORK_DIR: Readonly<Record<Network, string>> = { bitcoin: '', testnet: 'testnet3', testnet4: 'testnet4', signet: 'signet', regtest: 'regtest' };

/** Where bitcoind writes its cookie file for a network, under `dataDir` (default `~/.bitcoin`). */
export function bitcoindCookiePath(network: Network, dataDir: string = join(homedir(), '.bitcoin')): string {
  return join(dataDir, NETWORK_DIR[network], '.cookie');
}

/**
 * Reads bitcoind's cookie file (`__cookie__:<hex>`, rewritten at each start)
 * as the `auth` of a BitcoindRpcClient. Read it again after bitcoind restarts.
 * @throws ChainSourceError `auth` when the file is missing or not a cookie
 */
export async function readBitcoindCookie(path: string): Promise<BitcoindAuth> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new ChainSourceError('auth', `cannot read the cookie file ${path}`, { cause });
  }
  const cookie = text.trim();
  if (cookie.length > 1024 || !/^[^:\s]+:\S+$/.test(cookie)) throw new ChainSourceError('auth', `${path} is not a bitcoind cookie file`);
  return { cookie };
}
