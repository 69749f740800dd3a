import { type Block, WITNESS_COMMITMENT_HEADER, meetsProofOfWork, merkleRoot, witnessCommitment } from 'ln-tx';
import { equalBytes } from 'ln-types';
import { MAX_BLOCK_WEIGHT, MAX_FUTURE_BLOCK_TIME, REGTEST_BITS, WITNESS_SCALE_FACTOR } from '../consensus/params.js';
import { checkTransaction } from '../validation/check-transaction.js';
import { isFinalTx } from '../validation/locktime.js';
import { type Rejection, rejection } from '../validation/rejection.js';
import type { BlockEntry } from './block-entry.js';
import type { TxInfo } from './tx-info.js';

/** Core's CheckBlock: proof of work, merkle root, sizes, coinbase placement, every transaction on its own. */
export function checkBlock(block: Block, txs: readonly TxInfo[], strippedSize: number): Rejection | undefined {
  if (block.header.bits >>> 0 !== REGTEST_BITS) return rejection('consensus', 'bad-diffbits', 'incorrect proof of work');
  if (!meetsProofOfWork(block.hash, block.header.bits)) return rejection('consensus', 'high-hash', 'proof of work failed');
  const txids = txs.map((t) => t.txid);
  if (!equalBytes(merkleRoot(txids), block.header.merkleRoot)) return rejection('consensus', 'bad-txnmrklroot', 'hashMerkleRoot mismatch');
  if (hasMutatedMerkleTree(txids)) return rejection('consensus', 'bad-txns-duplicate', 'duplicate transaction');
  if (txs.length === 0 || strippedSize * WITNESS_SCALE_FACTOR > MAX_BLOCK_WEIGHT) return rejection('consensus', 'bad-blk-length', 'size limits failed');
  if (!txs[0]!.coinbase) return rejection('consensus', 'bad-cb-missing', 'first tx is not coinbase');
  for (let i = 1; i < txs.length; i++) if (txs[i]!.coinbase) return rejection('consensus', 'bad-cb-multiple', 'more than one coinbase');
  for (const t of txs) {
    const r = checkTransaction(t);
    if (r !== undefined) return rejection('consensus', r.reason, `Transaction check failed (tx hash ${t.txidHex}) ${r.debug ?? ''}`.trimEnd());
  }
  return undefined;
}

// CVE-2012-2459: two identical hashes paired at any level of the tree.
function hasMutatedMerkleTree(leaves: readonly Uint8Array[]): boolean {
  const seen = new Set<string>();
  for (const l of leaves) {
    const k = l.join(',');
    if (seen.has(k)) return true;
    seen.add(k);
  }
  return false;
}

/** Core's ContextualCheckBlockHeader against its parent and the node's clock. */
export function checkHeaderAgainstParent(block: Block, prev: BlockEntry, now: number): Rejection | undefined {
  if (block.header.time <= prev.medianTimePast) return rejection('consensus', 'time-too-old', "block's timestamp is too early");
  if (block.header.time > now + MAX_FUTURE_BLOCK_TIME) return rejection('consensus', 'time-too-new', 'block timestamp too far in the future');
  if (block.header.version < 4) return rejection('consensus', `bad-version(0x${(block.header.version >>> 0).toString(16).padStart(8, '0')})`, 'rejected nVersion block');
  return undefined;
}

/** The BIP 34 height push a coinbase scriptSig starts with (CScript() << height). */
export function heightPush(height: number): Uint8Array {
  if (height === 0) return Uint8Array.of(0x00);
  if (height >= 1 && height <= 16) return Uint8Array.of(0x50 + height);
  const bytes: number[] = [];
  for (let v = height; v > 0; v = Math.floor(v / 256)) bytes.push(v & 0xff);
  if ((bytes[bytes.length - 1]! & 0x80) !== 0) bytes.push(0);
  return Uint8Array.of(bytes.length, ...bytes);
}

/** Index of the coinbase output carrying the BIP 141 commitment (the last one), or -1. */
export function witnessCommitmentIndex(coinbase: TxInfo): number {
  let index = -1;
  coinbase.tx.outputs.forEach((o, i) => {
    if (o.script.length >= 38 && equalBytes(o.script.subarray(0, 6), WITNESS_COMMITMENT_HEADER)) index = i;
  });
  return index;
}

/** Core's ContextualCheckBlock: finality, BIP 34 height, BIP 141 commitment, weight. */
export function contextualCheckBlock(block: Block, txs: readonly TxInfo[], height: number, prevMedianTimePast: number, weight: number): Rejection | undefined {
  for (const t of txs) if (!isFinalTx(t.tx, height, prevMedianTimePast)) return rejection('consensus', 'bad-txns-nonfinal', 'non-final transaction');
  const coinbase = txs[0]!;
  const expected = heightPush(height);
  const scriptSig = coinbase.tx.inputs[0]!.scriptSig ?? new Uint8Array(0);
  if (scriptSig.length < expected.length || !equalBytes(scriptSig.subarray(0, expected.length), expected)) {
    return rejection('consensus', 'bad-cb-height', 'block height mismatch in coinbase');
  }
  const commitmentAt = witnessCommitmentIndex(coinbase);
  if (commitmentAt >= 0) {
    const witness = coinbase.tx.inputs[0]!.witness ?? [];
    if (witness.length !== 1 || witness[0]!.length !== 32) return rejection('consensus', 'bad-witness-nonce-size', 'invalid witness reserved value size');
    const committed = coinbase.tx.outputs[commitmentAt]!.script.subarray(6, 38);
    if (!equalBytes(witnessCommitment(txs.map((t) => t.wtxid), witness[0]!), committed)) return rejection('consensus', 'bad-witness-merkle-match', 'witness merkle commitment mismatch');
  } else if (txs.some((t) => t.hasWitness)) {
    return rejection('consensus', 'unexpected-witness', 'unexpected witness data found');
  }
  if (weight > MAX_BLOCK_WEIGHT) return rejection('consensus', 'bad-blk-weight', 'weight limit failed');
  return undefined;
}
