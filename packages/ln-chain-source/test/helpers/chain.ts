// A small in-memory chain with real blocks (regtest proof of work, merkle
// roots, BIP 141 witness commitments) for the fake servers and the sync tests.
import { type Block, type BlockHeader, type Tx, decodeBlock, encodeBlock, encodeTx, meetsProofOfWork, blockHeaderHash, merkleRoot, witnessCommitment, witnessCommitmentScript, txidOfRaw } from 'ln-tx';
import { sha256d } from 'ln-crypto';
import { type BlockHash, type OutPoint, type Txid, blockHash, toHex, txid as brandTxid } from 'ln-types';

export const REGTEST_BITS = 0x207fffff;

export interface ChainBlock {
  readonly block: Block;
  readonly raw: Uint8Array;
  readonly height: number;
  readonly hash: BlockHash;
}

/** A transaction to put in a block. */
export interface TxSpec {
  readonly inputs: readonly OutPoint[];
  readonly outputs: readonly { script: Uint8Array; amount: bigint }[];
  /** Give the inputs a witness (makes the block carry a witness commitment). */
  readonly witness?: boolean;
}

let salt = 0;

export function makeTx(spec: TxSpec): Tx {
  return {
    version: 2,
    locktime: 0,
    inputs: spec.inputs.map((p) => ({ previousOutput: p, sequence: 0xfffffffd, ...(spec.witness === true ? { witness: [Uint8Array.of(1, 2, 3), new Uint8Array(33).fill(2)] } : { scriptSig: Uint8Array.of(0x51) }) })),
    outputs: spec.outputs,
  };
}

/** A made-up outpoint to spend (the chain sources do not check scripts or inputs). */
export function randomOutPoint(): OutPoint {
  const id = new Uint8Array(32);
  crypto.getRandomValues(id);
  return { txid: brandTxid(id), index: 0 };
}

export const P2WPKH = (tag: number): Uint8Array => Uint8Array.of(0x00, 0x14, ...new Uint8Array(20).fill(tag));

/** Builds and mines (grinds the nonce for) a block on `prev`. */
export function mineBlock(prev: BlockHash, height: number, txs: readonly Tx[], time: number): { raw: Uint8Array; block: Block } {
  const raws = txs.map((t) => encodeTx(t));
  const hasWitness = txs.some((t) => t.inputs.some((i) => (i.witness?.length ?? 0) > 0));
  const heightPush = Uint8Array.of(4, height & 0xff, (height >>> 8) & 0xff, (height >>> 16) & 0xff, (height >>> 24) & 0xff);
  const tag = salt++;
  const coinbaseScript = Uint8Array.of(...heightPush, 4, tag & 0xff, (tag >>> 8) & 0xff, (tag >>> 16) & 0xff, (tag >>> 24) & 0xff);
  const outputs = [{ script: P2WPKH(0xcb), amount: 50_0000_0000n }];
  const coinbaseBase: Tx = {
    version: 2,
    locktime: 0,
    inputs: [{ previousOutput: { txid: brandTxid(new Uint8Array(32)), index: 0xffffffff }, sequence: 0xffffffff, scriptSig: coinbaseScript, ...(hasWitness ? { witness: [new Uint8Array(32)] } : {}) }],
    outputs,
  };
  let coinbase = coinbaseBase;
  if (hasWitness) {
    const wtxids = [new Uint8Array(32), ...raws.map((r) => sha256d(r))];
    coinbase = { ...coinbaseBase, outputs: [...outputs, { script: witnessCommitmentScript(witnessCommitment(wtxids)), amount: 0n }] };
  }
  const all = [encodeTx(coinbase), ...raws];
  const root = merkleRoot(all.map((r) => txidOfRaw(r)));
  let header: BlockHeader = { version: 0x20000000, prevBlockHash: prev, merkleRoot: root, time, bits: REGTEST_BITS, nonce: 0 };
  while (!meetsProofOfWork(blockHeaderHash(header), REGTEST_BITS)) header = { ...header, nonce: header.nonce + 1 };
  const raw = encodeBlock(header, all);
  return { raw, block: decodeBlock(raw) };
}

/**
 * Blocks by hash (stale ones kept, as bitcoind keeps them) and the best chain
 * by height. `mine` extends the best chain; `reorg` replaces its top blocks.
 */
export class TestChain {
  readonly byHash = new Map<string, ChainBlock>();
  best: ChainBlock[] = [];
  readonly mempool: Tx[] = [];

  constructor() {
    const genesis = mineBlock(blockHash(new Uint8Array(32)), 0, [], 1_296_688_602);
    this.#add(genesis.raw, genesis.block, 0);
  }

  get tip(): ChainBlock {
    return this.best[this.best.length - 1]!;
  }

  get genesis(): ChainBlock {
    return this.best[0]!;
  }

  #add(raw: Uint8Array, block: Block, height: number): ChainBlock {
    const b: ChainBlock = { block, raw, height, hash: block.hash };
    this.byHash.set(toHex(block.hash), b);
    this.best.push(b);
    return b;
  }

  /** Mines `count` blocks; `txs(height)` gives each block's transactions (default: none). */
  mine(count = 1, txs: (height: number) => readonly Tx[] = () => []): ChainBlock[] {
    const out: ChainBlock[] = [];
    for (let i = 0; i < count; i++) {
      const height = this.best.length;
      const { raw, block } = mineBlock(this.tip.hash, height, txs(height), 1_296_688_602 + height * 600);
      out.push(this.#add(raw, block, height));
    }
    return out;
  }

  /** Replaces the top `depth` blocks by `count` new ones (count > depth: more work, a real reorg). */
  reorg(depth: number, count = depth + 1, txs: (height: number) => readonly Tx[] = () => []): ChainBlock[] {
    if (depth >= this.best.length) throw new Error('cannot reorg the genesis block');
    this.best = this.best.slice(0, this.best.length - depth);
    return this.mine(count, txs);
  }

  get(hash: Uint8Array): ChainBlock | undefined {
    return this.byHash.get(toHex(hash));
  }

  /** The best-chain block and position of a transaction. */
  findTx(id: Txid): { block: ChainBlock; index: number } | undefined {
    for (const b of this.best) {
      const index = b.block.transactions.findIndex((t) => toHex(t.txid) === toHex(id));
      if (index >= 0) return { block: b, index };
    }
    return undefined;
  }

  /** A raw transaction by txid: best chain first, then stale blocks. */
  rawTx(id: Txid): Uint8Array | undefined {
    const key = toHex(id);
    for (const b of [...this.best, ...this.byHash.values()]) {
      const t = b.block.transactions.find((x) => toHex(x.txid) === key);
      if (t !== undefined) return t.raw;
    }
    return undefined;
  }

  /** Whether `block` is on the best chain. */
  isBest(b: ChainBlock): boolean {
    return this.best[b.height] === b;
  }
}
