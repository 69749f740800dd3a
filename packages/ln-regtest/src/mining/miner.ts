import { sha256d } from 'ln-crypto';
import { type BlockHeader, type Tx, encodeBlock, encodeTx, encodeBlockHeader, meetsProofOfWork, merkleRoot, txidOf, witnessCommitment } from 'ln-tx';
import type { BlockHash } from 'ln-types';
import { BLOCK_VERSION, REGTEST_BITS } from '../consensus/params.js';
import type { TxInfo } from '../chain/tx-info.js';
import { WITNESS_RESERVED_VALUE, buildCoinbase } from './coinbase.js';

/** What a new block is made of. */
export interface BlockRecipe {
  readonly prevHash: BlockHash;
  readonly height: number;
  readonly time: number;
  /** Makes the coinbase unique even when everything else repeats (a reorg mining the same height again). */
  readonly extraNonce: number;
  readonly payout: Uint8Array;
  /** Subsidy plus the fees of `transactions`. */
  readonly coinbaseValue: bigint;
  readonly transactions: readonly TxInfo[];
}

/**
 * Builds and mines a block: coinbase with the witness commitment over the
 * transactions' wtxids, merkle root, then nonces until the header hash meets
 * the regtest target (about two tries on average).
 */
export function mineBlock(recipe: BlockRecipe): Uint8Array {
  const wtxids = [new Uint8Array(32), ...recipe.transactions.map((t) => t.wtxid)];
  const commitment = witnessCommitment(wtxids, WITNESS_RESERVED_VALUE);
  const coinbase: Tx = buildCoinbase(recipe.height, recipe.extraNonce, recipe.payout, recipe.coinbaseValue, commitment);
  const root = merkleRoot([txidOf(coinbase), ...recipe.transactions.map((t) => t.txid)]);
  const header: BlockHeader = { version: BLOCK_VERSION, prevBlockHash: recipe.prevHash, merkleRoot: root, time: recipe.time, bits: REGTEST_BITS, nonce: 0 };
  const bytes = encodeBlockHeader(header);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let nonce = 0; ; nonce++) {
    view.setUint32(76, nonce >>> 0, true);
    if (meetsProofOfWork(sha256d(bytes), REGTEST_BITS)) {
      return encodeBlock({ ...header, nonce: nonce >>> 0 }, [encodeTx(coinbase), ...recipe.transactions.map((t) => t.raw)]);
    }
    if (nonce === 0xffffffff) throw new Error('nonce space exhausted');
  }
}

