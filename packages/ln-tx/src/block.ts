import { sha256d } from 'ln-crypto';
import { type BlockHash, type Txid, blockHash, concatBytes, equalBytes, txid as brandTxid } from 'ln-types';
import { TxError } from './errors.js';
import { MAX_COMPACT_SIZE, type ReadTxResult, readTx } from './read-tx.js';
import { type Tx, encodeTx } from './tx.js';

// Blocks as Bitcoin Core serializes them: an 80-byte header, a compact-size
// transaction count, then the transactions (BIP 144 witness serialization).
// Decoding keeps each transaction's raw bytes and computes its txid from
// them, so a chain client checks merkle roots without re-encoding anything.

/** A block header. Hashes are in internal byte order. */
export interface BlockHeader {
  readonly version: number;
  readonly prevBlockHash: BlockHash;
  readonly merkleRoot: Uint8Array;
  /** Seconds since the epoch (u32). */
  readonly time: number;
  /** The compact difficulty target. */
  readonly bits: number;
  readonly nonce: number;
}

/** A transaction of a decoded block, with its position, ids and raw bytes. */
export interface BlockTransaction {
  /** Position in the block (0 is the coinbase). */
  readonly index: number;
  readonly txid: Txid;
  /** The witness txid (BIP 141); equal to the txid for a transaction without witness. */
  readonly wtxid: Uint8Array;
  readonly tx: Tx;
  /** The transaction as serialized in the block. */
  readonly raw: Uint8Array;
}

/** A decoded block. */
export interface Block {
  readonly header: BlockHeader;
  readonly hash: BlockHash;
  readonly transactions: readonly BlockTransaction[];
}

/** Serialized length of a header. */
export const BLOCK_HEADER_LENGTH = 80;

/** BIP 141: the witness commitment output's script starts with these bytes. */
export const WITNESS_COMMITMENT_HEADER = Uint8Array.of(0x6a, 0x24, 0xaa, 0x21, 0xa9, 0xed);

/** Serializes a header to its 80 bytes. */
export function encodeBlockHeader(header: BlockHeader): Uint8Array {
  if (header.prevBlockHash.length !== 32 || header.merkleRoot.length !== 32) throw new TxError('invalid_block', 'header hashes must be 32 bytes');
  const out = new Uint8Array(BLOCK_HEADER_LENGTH);
  const view = new DataView(out.buffer);
  view.setInt32(0, header.version, true);
  out.set(header.prevBlockHash, 4);
  out.set(header.merkleRoot, 36);
  view.setUint32(68, header.time >>> 0, true);
  view.setUint32(72, header.bits >>> 0, true);
  view.setUint32(76, header.nonce >>> 0, true);
  return out;
}

/**
 * Reads an 80-byte header.
 * @throws TxError `invalid_block` when `bytes` is not exactly 80 bytes
 */
export function decodeBlockHeader(bytes: Uint8Array): BlockHeader {
  if (bytes.length !== BLOCK_HEADER_LENGTH) throw new TxError('invalid_block', `a block header is 80 bytes, got ${bytes.length}`);
  return readHeader(bytes, 0);
}

function readHeader(bytes: Uint8Array, at: number): BlockHeader {
  const view = new DataView(bytes.buffer, bytes.byteOffset + at, BLOCK_HEADER_LENGTH);
  return {
    version: view.getInt32(0, true),
    prevBlockHash: blockHash(bytes.slice(at + 4, at + 36)),
    merkleRoot: bytes.slice(at + 36, at + 68),
    time: view.getUint32(68, true),
    bits: view.getUint32(72, true),
    nonce: view.getUint32(76, true),
  };
}

/** The block hash of a header (double SHA-256 of its 80 bytes, internal order). */
export function blockHeaderHash(header: BlockHeader | Uint8Array): BlockHash {
  const bytes = header instanceof Uint8Array ? header : encodeBlockHeader(header);
  if (bytes.length !== BLOCK_HEADER_LENGTH) throw new TxError('invalid_block', 'a block header is 80 bytes');
  return blockHash(sha256d(bytes));
}

/**
 * The 256-bit target a compact `bits` value encodes.
 * @throws TxError `invalid_block` for a negative or overflowing encoding
 */
export function bitsToTarget(bits: number): bigint {
  const exponent = bits >>> 24;
  const mantissa = bits & 0x007fffff;
  if ((bits & 0x00800000) !== 0 && mantissa !== 0) throw new TxError('invalid_block', 'negative difficulty target');
  const target = exponent <= 3 ? BigInt(mantissa >>> (8 * (3 - exponent))) : BigInt(mantissa) << BigInt(8 * (exponent - 3));
  if (target >= 1n << 256n) throw new TxError('invalid_block', 'difficulty target overflows 256 bits');
  return target;
}

/** The compact `bits` encoding of a target (as Bitcoin Core's GetCompact). */
export function targetToBits(target: bigint): number {
  if (target < 0n) throw new TxError('invalid_block', 'negative target');
  let size = 0;
  for (let t = target; t > 0n; t >>= 8n) size++;
  let mantissa = size <= 3 ? Number(target << BigInt(8 * (3 - size))) : Number(target >> BigInt(8 * (size - 3)));
  if ((mantissa & 0x00800000) !== 0) {
    mantissa >>>= 8;
    size++;
  }
  return ((size << 24) | mantissa) >>> 0;
}

/** The amount of work a header with this target stands for (Bitcoin Core's GetBlockProof). */
export function blockWork(bits: number): bigint {
  const target = bitsToTarget(bits);
  return (1n << 256n) / (target + 1n);
}

/** True when the hash (internal order, read as a little-endian number) meets the header's target. */
export function meetsProofOfWork(hash: Uint8Array, bits: number): boolean {
  let value = 0n;
  for (let i = hash.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(hash[i]!);
  return value <= bitsToTarget(bits);
}

/**
 * The merkle root of a list of 32-byte hashes (txids for the header, wtxids for
 * the witness commitment), pairing the last with itself on odd levels.
 */
export function merkleRoot(hashes: readonly Uint8Array[]): Uint8Array {
  if (hashes.length === 0) throw new TxError('invalid_block', 'a merkle tree needs at least one leaf');
  let level = hashes.slice();
  const pair = new Uint8Array(64);
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i < level.length; i += 2) {
      pair.set(level[i]!, 0);
      pair.set(level[i + 1] ?? level[i]!, 32);
      next.push(sha256d(pair));
    }
    level = next;
  }
  return level[0]!.slice();
}

/**
 * The merkle branch proving leaf `index` (sibling hashes from the leaf up), as
 * Esplora's merkle-proof and bitcoind's gettxoutproof carry it.
 */
export function merkleBranch(hashes: readonly Uint8Array[], index: number): Uint8Array[] {
  if (!Number.isInteger(index) || index < 0 || index >= hashes.length) throw new TxError('invalid_index', `no leaf ${index}`);
  const branch: Uint8Array[] = [];
  let level = hashes.slice();
  let at = index;
  const pair = new Uint8Array(64);
  while (level.length > 1) {
    branch.push((level[at ^ 1] ?? level[at])!.slice());
    const next: Uint8Array[] = [];
    for (let i = 0; i < level.length; i += 2) {
      pair.set(level[i]!, 0);
      pair.set(level[i + 1] ?? level[i]!, 32);
      next.push(sha256d(pair));
    }
    level = next;
    at >>= 1;
  }
  return branch;
}

/** The root a merkle branch leads to from `leaf` at `index`. */
export function merkleRootFromBranch(leaf: Uint8Array, branch: readonly Uint8Array[], index: number): Uint8Array {
  let hash = leaf;
  let at = index;
  for (const sibling of branch) {
    hash = (at & 1) === 0 ? sha256d(concatBytes(hash, sibling)) : sha256d(concatBytes(sibling, hash));
    at >>= 1;
  }
  return hash;
}

/**
 * BIP 141: the commitment a coinbase output carries, SHA256d(witness root || reserved value),
 * where the witness root is over the wtxids with the coinbase's taken as zero.
 */
export function witnessCommitment(wtxids: readonly Uint8Array[], reservedValue: Uint8Array = new Uint8Array(32)): Uint8Array {
  const leaves = wtxids.map((w, i) => (i === 0 ? new Uint8Array(32) : w));
  return sha256d(concatBytes(merkleRoot(leaves), reservedValue));
}

/** The coinbase output script carrying a witness commitment. */
export function witnessCommitmentScript(commitment: Uint8Array): Uint8Array {
  return concatBytes(WITNESS_COMMITMENT_HEADER, commitment);
}

/**
 * Checks a decoded block's merkle root and, when any transaction has a witness,
 * its BIP 141 witness commitment (the last coinbase output that carries one).
 * @throws TxError `invalid_block` naming what does not match
 */
export function checkBlockCommitments(block: Block): void {
  const txs = block.transactions;
  if (txs.length === 0) throw new TxError('invalid_block', 'a block has at least a coinbase');
  const root = merkleRoot(txs.map((t) => t.txid));
  if (!equalBytes(root, block.header.merkleRoot)) throw new TxError('invalid_block', 'merkle root does not match the transactions');
  const hasWitness = txs.some((t) => t.tx.inputs.some((i) => i.witness !== undefined && i.witness.length > 0));
  if (!hasWitness) return;
  const coinbase = txs[0]!.tx;
  let committed: Uint8Array | undefined;
  for (const o of coinbase.outputs) {
    if (o.script.length >= 38 && equalBytes(o.script.subarray(0, 6), WITNESS_COMMITMENT_HEADER)) committed = o.script.subarray(6, 38);
  }
  if (committed === undefined) throw new TxError('invalid_block', 'witness data without a witness commitment');
  const reserved = coinbase.inputs[0]?.witness?.[0];
  if (reserved === undefined || reserved.length !== 32 || coinbase.inputs[0]!.witness!.length !== 1) throw new TxError('invalid_block', 'coinbase witness reserved value missing');
  if (!equalBytes(witnessCommitment(txs.map((t) => t.wtxid), reserved), committed)) throw new TxError('invalid_block', 'witness commitment does not match');
}

/** Serializes a block from its header and transactions. */
export function encodeBlock(header: BlockHeader, transactions: readonly (Tx | Uint8Array)[]): Uint8Array {
  const parts: Uint8Array[] = [encodeBlockHeader(header), compactSize(transactions.length)];
  for (const t of transactions) parts.push(t instanceof Uint8Array ? t : encodeTx(t));
  return concatBytes(...parts);
}

/**
 * Decodes a serialized block, keeping each transaction's raw bytes and ids, in
 * one pass (each transaction read as Core's deserializer reads it, see
 * read-tx.ts). Scripts, witness items, txids of inputs and `raw` are views into
 * `bytes`. Commitments are not checked here; see {@link checkBlockCommitments}.
 * @throws TxError `invalid_block` on truncated, malformed or trailing bytes
 */
export function decodeBlock(bytes: Uint8Array): Block {
  if (bytes.length < BLOCK_HEADER_LENGTH + 1) throw new TxError('invalid_block', 'block too short');
  const header = readHeader(bytes, 0);
  const cursor = { at: BLOCK_HEADER_LENGTH };
  const count = readCompactSize(bytes, cursor);
  // Each transaction takes at least 10 bytes: refuse a count the bytes cannot hold before allocating.
  if (count === 0 || count * 10 > bytes.length - cursor.at) throw new TxError('invalid_block', `implausible transaction count ${count}`);
  const transactions: BlockTransaction[] = new Array(count);
  for (let index = 0; index < count; index++) {
    const start = cursor.at;
    let read: ReadTxResult;
    try {
      read = readTx(bytes, start, 'invalid_block');
    } catch (cause) {
      throw new TxError('invalid_block', `transaction ${index} is malformed`, { cause });
    }
    cursor.at = read.end;
    const raw = bytes.subarray(start, read.end);
    const wtxid = sha256d(raw);
    const id = read.segwit ? sha256d(strippedOf(raw, read.witnessStart - start)) : wtxid;
    transactions[index] = { index, txid: brandTxid(id), wtxid, tx: read.tx, raw };
  }
  if (cursor.at !== bytes.length) throw new TxError('invalid_block', 'trailing bytes after the last transaction');
  return { header, hash: blockHeaderHash(bytes.subarray(0, BLOCK_HEADER_LENGTH)), transactions };
}

// The serialization a txid commits to: a segwit transaction without its marker,
// flag and witnesses.
function strippedOf(raw: Uint8Array, witnessStart: number): Uint8Array {
  const out = new Uint8Array(witnessStart - 2 + 4);
  out.set(raw.subarray(0, 4), 0);
  out.set(raw.subarray(6, witnessStart), 4);
  out.set(raw.subarray(raw.length - 4), witnessStart - 2);
  return out;
}

/**
 * The txid of a serialized transaction.
 * @throws TxError `invalid_transaction` when `raw` is not exactly one transaction
 */
export function txidOfRaw(raw: Uint8Array): Txid {
  const read = readTx(raw, 0, 'invalid_transaction');
  if (read.end !== raw.length) throw new TxError('invalid_transaction', 'trailing bytes after the transaction');
  return brandTxid(read.segwit ? sha256d(strippedOf(raw, read.witnessStart)) : sha256d(raw));
}

// The block's transaction count, as Core's ReadCompactSize reads it (shortest form, at most MAX_SIZE).
function readCompactSize(bytes: Uint8Array, cursor: { at: number }): number {
  const first = bytes[cursor.at];
  if (first === undefined) throw new TxError('invalid_block', 'truncated block');
  cursor.at += 1;
  if (first < 0xfd) return first;
  const width = first === 0xfd ? 2 : first === 0xfe ? 4 : 8;
  if (cursor.at + width > bytes.length) throw new TxError('invalid_block', 'truncated block');
  let value = 0;
  for (let i = width - 1; i >= 0; i--) value = value * 256 + bytes[cursor.at + i]!;
  cursor.at += width;
  if (value < (width === 2 ? 0xfd : width === 4 ? 0x10000 : 0x100000000)) throw new TxError('invalid_block', 'non-canonical compact size');
  if (value > MAX_COMPACT_SIZE) throw new TxError('invalid_block', 'compact size too large');
  return value;
}

function compactSize(n: number): Uint8Array {
  if (n < 0xfd) return Uint8Array.of(n);
  if (n <= 0xffff) return Uint8Array.of(0xfd, n & 0xff, n >>> 8);
  return Uint8Array.of(0xfe, n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24);
}
