// Listeners that check the driver's promises themselves: a block is connected
// only on top of the listener's tip, a disconnect is always of its tip.
import type { BlockHeaderData, BlockSource, ChainTip, Confirm, Listen, RelevantTxid } from 'ln-chain-api';
import { type Block, type BlockHeader, type BlockTransaction, blockHeaderHash } from 'ln-tx';
import { type BlockHash, type Txid, blockHashToHex, equalBytes, toHex, txidToHex } from 'ln-types';
import { ChainSourceError } from '../../src/index.js';
import type { TestChain } from './chain.js';

export type ListenEvent = { kind: 'connected' | 'disconnected'; height: number; hash: string };

export class RecordingListener implements Listen {
  /** Block hashes by height, as this listener believes the chain to be. */
  readonly chain: BlockHash[];
  readonly events: ListenEvent[] = [];
  readonly violations: string[] = [];
  /** Throw from blockConnected at this height once (to test listener failures). */
  failAtHeight: number | undefined;

  constructor(initial: readonly BlockHash[]) {
    this.chain = [...initial];
  }

  blockConnected(block: Block, height: number): void {
    if (this.failAtHeight === height) {
      this.failAtHeight = undefined;
      throw new Error('listener failure');
    }
    if (height !== this.chain.length) this.violations.push(`connected height ${height} on tip ${this.chain.length - 1}`);
    else if (!equalBytes(block.header.prevBlockHash, this.chain[height - 1]!)) this.violations.push(`connected ${blockHashToHex(block.hash)} not on our tip`);
    if (!equalBytes(blockHeaderHash(block.header), block.hash)) this.violations.push('block hash does not match its header');
    this.chain[height] = block.hash;
    this.chain.length = height + 1;
    this.events.push({ kind: 'connected', height, hash: blockHashToHex(block.hash) });
  }

  blockDisconnected(header: BlockHeader, height: number): void {
    const hash = blockHeaderHash(header);
    if (height !== this.chain.length - 1 || !equalBytes(hash, this.chain[height]!)) this.violations.push(`disconnected ${blockHashToHex(hash)} at ${height}, not our tip`);
    this.chain.length = height;
    this.events.push({ kind: 'disconnected', height, hash: blockHashToHex(hash) });
  }

  get best(): { blockHash: BlockHash; height: number } {
    return { blockHash: this.chain[this.chain.length - 1]!, height: this.chain.length - 1 };
  }

  view(): string[] {
    return this.chain.map(blockHashToHex);
  }
}

/** A listener whose calls resolve later (as an asynchronous signer would make them). */
export class AsyncRecordingListener extends RecordingListener {
  override async blockConnected(block: Block, height: number): Promise<void> {
    await new Promise((r) => setImmediate(r));
    super.blockConnected(block, height);
  }

  override async blockDisconnected(header: BlockHeader, height: number): Promise<void> {
    await new Promise((r) => setImmediate(r));
    super.blockDisconnected(header, height);
  }
}

/** The best chain's hashes up to `height`. */
export function prefix(chain: TestChain, height: number): BlockHash[] {
  return chain.best.slice(0, height + 1).map((b) => b.hash);
}

/**
 * A BlockSource straight over a TestChain (no HTTP), with failures on demand:
 * `failAfter` calls, then every call fails until reset.
 */
export class MemorySource implements BlockSource {
  calls = 0;
  failAfter = Infinity;
  /** Rewrites a header before it is returned (to serve bad ones). */
  mangleHeader: ((h: BlockHeaderData) => BlockHeaderData) | undefined;
  mangleBlock: ((b: Block) => Block) | undefined;

  constructor(readonly chain: TestChain) {}

  #tick(): void {
    if (++this.calls > this.failAfter) throw new ChainSourceError('unreachable', 'source down');
  }

  async getBestBlock(): Promise<ChainTip> {
    this.#tick();
    return { hash: this.chain.tip.hash, height: this.chain.tip.height };
  }

  async getHeader(hash: BlockHash): Promise<BlockHeaderData> {
    this.#tick();
    const b = this.chain.get(hash);
    if (b === undefined) throw new ChainSourceError('not_found', 'no such block');
    const h = { header: b.block.header, hash: b.hash, height: b.height };
    return this.mangleHeader?.(h) ?? h;
  }

  async getBlock(hash: BlockHash): Promise<Block> {
    this.#tick();
    const b = this.chain.get(hash);
    if (b === undefined) throw new ChainSourceError('not_found', 'no such block');
    return this.mangleBlock?.(b.block) ?? b.block;
  }
}

/** A Confirm listener keeping what it was told: confirmed transactions and the tip. */
export class RecordingConfirm implements Confirm {
  readonly confirmed = new Map<string, { txid: Txid; height: number; blockHash: BlockHash; index: number }>();
  readonly events: string[] = [];
  readonly violations: string[] = [];
  tip: { hash: string; height: number } | undefined;
  #sawConfirmSinceTip = false;

  transactionsConfirmed(header: BlockHeader, transactions: readonly BlockTransaction[], height: number): void {
    const hash = blockHeaderHash(header);
    let last = -1;
    for (const t of transactions) {
      if (t.index <= last) this.violations.push('transactions not in block order');
      last = t.index;
      if (this.confirmed.has(toHex(t.txid))) this.violations.push(`${txidToHex(t.txid)} confirmed twice`);
      this.confirmed.set(toHex(t.txid), { txid: t.txid, height, blockHash: hash, index: t.index });
      this.events.push(`confirmed ${height} ${txidToHex(t.txid)}`);
    }
    this.#sawConfirmSinceTip = true;
  }

  transactionUnconfirmed(txid: Txid): void {
    if (this.#sawConfirmSinceTip) this.violations.push('unconfirmed after a confirmation in the same sync');
    if (!this.confirmed.delete(toHex(txid))) this.violations.push(`${txidToHex(txid)} unconfirmed but not confirmed`);
    this.events.push(`unconfirmed ${txidToHex(txid)}`);
  }

  bestBlockUpdated(header: BlockHeader, height: number): void {
    this.tip = { hash: blockHashToHex(blockHeaderHash(header)), height };
    this.events.push(`tip ${height}`);
    this.#sawConfirmSinceTip = false;
  }

  getRelevantTxids(): RelevantTxid[] {
    return [...this.confirmed.values()].map((c) => ({ txid: c.txid, height: c.height, blockHash: c.blockHash }));
  }

  /** What this listener believes, order-independent. */
  view(): string[] {
    return [...this.confirmed.values()].map((c) => `${txidToHex(c.txid)}@${c.height}:${blockHashToHex(c.blockHash)}:${c.index}`).sort();
  }
}
