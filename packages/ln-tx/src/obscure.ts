import { sha256 } from 'ln-crypto';
import { concatBytes } from 'ln-types';
import { TxError } from './errors.js';

const MASK_48 = (1n << 48n) - 1n;

/**
 * The commitment number obscuring factor: the lower 48 bits of
 * SHA256(opener payment_basepoint || acceptor payment_basepoint).
 */
export function obscuringFactor(openerPaymentBasepoint: Uint8Array, acceptorPaymentBasepoint: Uint8Array): bigint {
  const h = sha256(concatBytes(openerPaymentBasepoint, acceptorPaymentBasepoint));
  let v = 0n;
  for (let i = 26; i < 32; i++) v = (v << 8n) | BigInt(h[i]!);
  return v;
}

/** The locktime (upper byte 0x20, lower 24 bits) and sequence (upper byte 0x80, upper 24 bits) carrying an obscured commitment number. */
export function encodeObscuredCommitmentNumber(commitmentNumber: bigint, factor: bigint): { locktime: number; sequence: number } {
  if (commitmentNumber < 0n || commitmentNumber > MASK_48) throw new TxError('invalid_index', 'commitment number must be in [0, 2^48)');
  const obscured = (commitmentNumber ^ factor) & MASK_48;
  return {
    locktime: Number((0x20n << 24n) | (obscured & 0xffffffn)),
    sequence: Number((0x80n << 24n) | (obscured >> 24n)),
  };
}

/** The commitment number from a commitment transaction's locktime and input sequence, or undefined if they are not shaped as BOLT 3 requires. */
export function decodeObscuredCommitmentNumber(locktime: number, sequence: number, factor: bigint): bigint | undefined {
  if (locktime >>> 24 !== 0x20 || sequence >>> 24 !== 0x80) return undefined;
  const obscured = (BigInt(sequence & 0xffffff) << 24n) | BigInt(locktime & 0xffffff);
  return (obscured ^ factor) & MASK_48;
}
