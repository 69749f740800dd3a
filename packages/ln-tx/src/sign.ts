import { type Secp256k1Backend, defaultSecp256k1, signatureFromDer, signatureToDer } from 'ln-crypto';
import { concatBytes } from 'ln-types';
import { TxError } from './errors.js';
import { SIGHASH_ALL, type Tx, segwitSighash } from './tx.js';

/**
 * Signs input `index` (segwit v0) and returns the compact signature (64 bytes,
 * low-S, RFC 6979: deterministic, so the BOLT 3 vectors match byte for byte).
 */
export function signSegwitInput(
  tx: Tx,
  index: number,
  witnessScript: Uint8Array,
  amount: bigint,
  privateKey: Uint8Array,
  sighashType: number = SIGHASH_ALL,
  backend: Secp256k1Backend = defaultSecp256k1,
): Uint8Array {
  return backend.ecdsaSign(segwitSighash(tx, index, witnessScript, amount, sighashType), privateKey);
}

/** Verifies a compact signature over input `index`'s BIP 143 hash. */
export function verifySegwitInput(
  tx: Tx,
  index: number,
  witnessScript: Uint8Array,
  amount: bigint,
  signature: Uint8Array,
  publicKey: Uint8Array,
  sighashType: number = SIGHASH_ALL,
  backend: Secp256k1Backend = defaultSecp256k1,
): boolean {
  return backend.ecdsaVerify(signature, segwitSighash(tx, index, witnessScript, amount, sighashType), publicKey);
}

/** A witness signature item: DER plus the sighash byte. */
export function witnessSignature(compact: Uint8Array, sighashType: number = SIGHASH_ALL): Uint8Array {
  return concatBytes(signatureToDer(compact), Uint8Array.of(sighashType));
}

/**
 * Splits a witness signature item into its compact signature and sighash type.
 * @throws TxError `invalid_script` if it is not strict DER plus one byte
 */
export function parseWitnessSignature(item: Uint8Array): { signature: Uint8Array; sighashType: number } {
  if (item.length < 9) throw new TxError('invalid_script', 'signature item too short');
  try {
    return { signature: signatureFromDer(item.subarray(0, item.length - 1)), sighashType: item[item.length - 1]! };
  } catch (cause) {
    throw new TxError('invalid_script', 'signature item is not strict DER', { cause });
  }
}
