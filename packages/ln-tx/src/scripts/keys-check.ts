import { TxError } from '../errors.js';

/** Scripts embed 33-byte compressed keys; refuse anything else early with a typed error. */
export function requirePublicKey(key: Uint8Array, what: string): void {
  if (!(key instanceof Uint8Array) || key.length !== 33 || (key[0] !== 2 && key[0] !== 3)) {
    throw new TxError('invalid_key', `${what} must be a 33-byte compressed public key`);
  }
}
