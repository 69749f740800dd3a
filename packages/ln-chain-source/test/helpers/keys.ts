import { sha256 } from 'ln-crypto';
import { type OutPoint, txidFromHex, utf8ToBytes } from 'ln-types';

/** A private key derived from a label (tests only). */
export function sha256Key(label: string): Uint8Array {
  return sha256(utf8ToBytes(`ln-chain-source test key ${label}`));
}

export { type OutPoint, txidFromHex };
