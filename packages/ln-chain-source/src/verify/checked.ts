import type { BlockHeaderData } from 'ln-chain-api';
import { sha256d } from 'ln-crypto';
import { type Block, type BlockHeader, type BlockTransaction, blockHeaderHash, checkBlockCommitments, decodeBlock, decodeBlockHeader, decodeTx, merkleRootFromBranch, txidOfRaw } from 'ln-tx';
import { type BlockHash, type Txid, blockHashToHex, equalBytes, txidToHex } from 'ln-types';
import { ChainSourceError } from '../errors.js';

// What every client does with what a server sends before handing it on: the
// bytes must be what was asked for. A source can lie about anything it cannot
// be caught at, so nothing unchecked leaves these functions.

/**
 * A header from its 80 bytes, checked to hash to `expected`.
 * @throws ChainSourceError `invalid_data`
 */
export function checkedHeader(bytes: Uint8Array, expected: BlockHash, height: number): BlockHeaderData {
  let header: BlockHeader;
  try {
    header = decodeBlockHeader(bytes);
  } catch (cause) {
    throw new ChainSourceError('invalid_data', `header of ${blockHashToHex(expected)} is not 80 bytes`, { cause });
  }
  const hash = blockHeaderHash(bytes);
  if (!equalBytes(hash, expected)) throw new ChainSourceError('invalid_data', `the header served for ${blockHashToHex(expected)} hashes to ${blockHashToHex(hash)}`);
  return { header, hash: expected, height };
}

/**
 * A block from its serialization, checked: its header hashes to `expected`, its
 * merkle root matches its transactions (with no duplicated transaction, the
 * CVE-2012-2459 mutation), and its BIP 141 witness commitment matches.
 * @throws ChainSourceError `invalid_data`
 */
export function checkedBlock(bytes: Uint8Array, expected: BlockHash): Block {
  let block: Block;
  try {
    block = decodeBlock(bytes);
  } catch (cause) {
    throw new ChainSourceError('invalid_data', `block ${blockHashToHex(expected)} does not decode`, { cause });
  }
  if (!equalBytes(block.hash, expected)) throw new ChainSourceError('invalid_data', `the block served for ${blockHashToHex(expected)} has header hash ${blockHashToHex(block.hash)}`);
  try {
    checkBlockCommitments(block);
  } catch (cause) {
    throw new ChainSourceError('invalid_data', `block ${blockHashToHex(expected)}: ${(cause as Error).message}`, { cause });
  }
  if (hasDuplicateTxid(block.transactions)) throw new ChainSourceError('invalid_data', `block ${blockHashToHex(expected)} repeats a transaction (mutated merkle tree)`);
  return block;
}

// Duplicating the last transactions of a level leaves the merkle root unchanged;
// a valid block never holds the same txid twice, so any repeat is refused.
function hasDuplicateTxid(txs: readonly BlockTransaction[]): boolean {
  if (txs.length < 2) return false;
  const seen = new Set<string>();
  for (const t of txs) {
    const id = t.txid;
    // The first 16 bytes identify a txid well enough to detect a repeat; a
    // collision there only costs a full comparison.
    const key = keyOf(id);
    if (seen.has(key)) {
      const earlier = txs.find((o) => o !== t && keyOf(o.txid) === key);
      if (earlier !== undefined && equalBytes(earlier.txid, id)) return true;
    }
    seen.add(key);
  }
  return false;
}

function keyOf(id: Uint8Array): string {
  const v = new DataView(id.buffer, id.byteOffset, 16);
  return `${v.getUint32(0)}.${v.getUint32(4)}.${v.getUint32(8)}.${v.getUint32(12)}`;
}

/**
 * A transaction from its raw bytes, checked to have txid `expected`, as a
 * {@link BlockTransaction} at `index` (its position in its block, when known).
 * @throws ChainSourceError `invalid_data`
 */
export function checkedTransaction(raw: Uint8Array, expected: Txid, index = 0): BlockTransaction {
  let id: Txid;
  let tx;
  try {
    id = txidOfRaw(raw);
    tx = decodeTx(raw);
  } catch (cause) {
    throw new ChainSourceError('invalid_data', `transaction ${txidToHex(expected)} does not decode`, { cause });
  }
  if (!equalBytes(id, expected)) throw new ChainSourceError('invalid_data', `the transaction served for ${txidToHex(expected)} has txid ${txidToHex(id)}`);
  return { index, txid: id, wtxid: sha256d(raw), tx, raw };
}

/**
 * Checks that a merkle branch leads from `tx` at position `pos` to the root in
 * `header`. A 64-byte transaction (without witness) is refused: it could be
 * an inner node of the tree passed off as a leaf.
 * @throws ChainSourceError `invalid_data`
 */
export function checkMerkleProof(tx: BlockTransaction, branch: readonly Uint8Array[], pos: number, header: BlockHeader): void {
  if (!Number.isInteger(pos) || pos < 0 || pos >= 2 ** branch.length || branch.length > 32) {
    throw new ChainSourceError('invalid_data', `merkle proof of ${txidToHex(tx.txid)}: position ${pos} does not fit a branch of ${branch.length}`);
  }
  if (strippedSize(tx.raw) === 64) throw new ChainSourceError('invalid_data', `transaction ${txidToHex(tx.txid)} is 64 bytes without witness: refused in merkle proofs`);
  for (const h of branch) if (h.length !== 32) throw new ChainSourceError('invalid_data', 'merkle proof hashes are 32 bytes');
  const root = merkleRootFromBranch(tx.txid, branch, pos);
  if (!equalBytes(root, header.merkleRoot)) throw new ChainSourceError('invalid_data', `merkle proof of ${txidToHex(tx.txid)} does not lead to its block's merkle root`);
}

// Size of the serialization the txid commits to: the whole transaction less
// the segwit marker, flag and witnesses. The transaction decoded already, so
// every length read here is within the bytes.
export function strippedSize(raw: Uint8Array): number {
  if (raw.length < 6 || raw[4] !== 0 || raw[5] !== 1) return raw.length;
  const cursor = { at: 6 };
  const inputs = readCompactSize(raw, cursor);
  for (let i = 0; i < inputs; i++) {
    cursor.at += 36;
    const scriptLength = readCompactSize(raw, cursor);
    cursor.at += scriptLength + 4;
  }
  const outputs = readCompactSize(raw, cursor);
  for (let i = 0; i < outputs; i++) {
    cursor.at += 8;
    const scriptLength = readCompactSize(raw, cursor);
    cursor.at += scriptLength;
  }
  const witnessStart = cursor.at;
  for (let i = 0; i < inputs; i++) {
    const items = readCompactSize(raw, cursor);
    for (let j = 0; j < items; j++) {
      const length = readCompactSize(raw, cursor);
      cursor.at += length;
    }
  }
  return raw.length - (cursor.at - witnessStart) - 2;
}

function readCompactSize(raw: Uint8Array, cursor: { at: number }): number {
  const first = raw[cursor.at]!;
  cursor.at += 1;
  if (first < 0xfd) return first;
  const width = first === 0xfd ? 2 : first === 0xfe ? 4 : 8;
  let value = 0;
  for (let i = width - 1; i >= 0; i--) value = value * 256 + raw[cursor.at + i]!;
  cursor.at += width;
  return value;
}
