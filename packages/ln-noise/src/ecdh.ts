import { defaultSecp256k1, type Secp256k1Backend } from 'ln-crypto';
import { NoiseError } from './errors.js';
import type { MaybePromise } from './maybe-promise.js';

/**
 * ECDH with the local node's static key, as the signer contract provides it:
 * SHA-256 of the compressed point `localSecret · theirPubkey` (32 bytes).
 * It may answer asynchronously (a remote signer or HSM): the handshake then
 * returns promises for the acts that need it (act one on the responder, act
 * three on the initiator) and stays synchronous otherwise.
 */
export type EcdhFunction = (theirPubkey: Uint8Array) => MaybePromise<Uint8Array>;

/**
 * An {@link EcdhFunction} over a private key held in memory.
 * @throws NoiseError `invalid_option` for an invalid private key
 */
export function localEcdh(privateKey: Uint8Array, backend: Secp256k1Backend = defaultSecp256k1): EcdhFunction {
  const secret = Uint8Array.from(privateKey);
  if (!backend.isValidPrivateKey(secret)) throw new NoiseError('invalid_option', 'localEcdh: invalid private key');
  return (theirPubkey) => backend.ecdh(secret, theirPubkey);
}
