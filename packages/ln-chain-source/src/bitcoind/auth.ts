import { utf8ToBytes } from 'ln-types';
import { base64 } from '../http/base64.js';

/** Credentials for bitcoind's RPC: a user and password (`rpcuser`/`rpcpassword` or `rpcauth`), or the cookie file's content. */
export type BitcoindAuth =
  | { readonly user: string; readonly password: string }
  | { /** The cookie file's content, `__cookie__:<hex>` (read it with `readBitcoindCookie` from `ln-chain-source/node`). */ readonly cookie: string };

/** The `Authorization` header value for HTTP Basic authentication. */
export function basicAuthorization(auth: BitcoindAuth): string {
  const pair = 'cookie' in auth ? auth.cookie.trim() : `${auth.user}:${auth.password}`;
  return `Basic ${base64(utf8ToBytes(pair))}`;
}
