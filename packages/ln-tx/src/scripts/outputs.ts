import { hash160, sha256 } from 'ln-crypto';
import { concatBytes } from 'ln-types';
import { OP } from './builder.js';

/** P2WSH output script (`OP_0 <sha256(witnessScript)>`). */
export function p2wsh(witnessScript: Uint8Array): Uint8Array {
  return concatBytes(Uint8Array.of(OP.OP_0, 32), sha256(witnessScript));
}

/** P2WPKH output script (`OP_0 <hash160(pubkey)>`). */
export function p2wpkh(publicKey: Uint8Array): Uint8Array {
  return concatBytes(Uint8Array.of(OP.OP_0, 20), hash160(publicKey));
}

/** P2PKH output script. */
export function p2pkh(publicKey: Uint8Array): Uint8Array {
  return concatBytes(Uint8Array.of(OP.OP_DUP, OP.OP_HASH160, 20), hash160(publicKey), Uint8Array.of(OP.OP_EQUALVERIFY, OP.OP_CHECKSIG));
}
