import { type Tx, WITNESS_COMMITMENT_HEADER } from 'ln-tx';
import { concatBytes, txid } from 'ln-types';
import { heightPush } from '../chain/block-checks.js';

/** The all-zero witness reserved value this chain's coinbases carry. */
export const WITNESS_RESERVED_VALUE = new Uint8Array(32);

/**
 * A coinbase for `height`: BIP 34 height push then a unique extra nonce in its
 * scriptSig, `value` paid to `payout`, and (filled in by the miner) the BIP 141
 * witness commitment output; the witness reserved value as its witness.
 */
export function buildCoinbase(height: number, extraNonce: number, payout: Uint8Array, value: bigint, commitment: Uint8Array): Tx {
  const nonce = Uint8Array.of(4, extraNonce & 0xff, (extraNonce >>> 8) & 0xff, (extraNonce >>> 16) & 0xff, (extraNonce >>> 24) & 0xff);
  return {
    version: 2,
    locktime: 0,
    inputs: [{ previousOutput: { txid: txid(new Uint8Array(32)), index: 0xffffffff }, sequence: 0xffffffff, scriptSig: concatBytes(heightPush(height), nonce), witness: [WITNESS_RESERVED_VALUE] }],
    outputs: [
      { script: payout, amount: value },
      { script: concatBytes(WITNESS_COMMITMENT_HEADER, commitment), amount: 0n },
    ],
  };
}
