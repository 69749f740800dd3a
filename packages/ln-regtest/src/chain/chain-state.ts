import { type Block, blockWork } from 'ln-tx';
import { toHex } from 'ln-types';
import { type Rejection, rejection } from '../validation/rejection.js';
import { checkBlock, checkHeaderAgainstParent, contextualCheckBlock } from './block-checks.js';
import { type BlockEntry, blockHashHex, descendsFrom, findFork, medianTimePastWith } from './block-entry.js';
import { ChainIndexes } from './chain-indexes.js';
import type { Coin } from './coin.js';
import { type BlockUndo, connectBlock, disconnectBlock } from './connect-block.js';
import { type TxInfo, describeDecoded } from './tx-info.js';
import { UtxoSet } from './utxo-set.js';
import { ScriptCache } from '../validation/scripts.js';

/** What an activation of the best chain did. */
export interface ChainChange {
  /** Blocks taken off the active chain, tip first. */
  readonly disconnected: readonly BlockEntry[];
  /** Blocks connected, in order. */
  readonly connected: readonly BlockEntry[];
  /** A block that failed to connect (it and its descendants are now marked failed). */
  readonly failure?: { readonly entry: BlockEntry; readonly rejection: Rejection };
}

/** The outcome of offering a block. */
export type AcceptResult = { readonly entry: BlockEntry; readonly isNew: boolean } | { readonly rejection: Rejection };

/**
 * The block tree and the active chain: every block received (on any branch),
 * the UTXO set and lookups of the active chain, and the undo data that lets it
 * move to another branch. Bitcoin Core's ChainstateManager in miniature: blocks
 * are checked on arrival, connected (inputs and scripts validated) when they
 * join the active chain, and the chain with the most work wins, the first seen
 * on a tie.
 */
export class ChainState {
  readonly utxos = new UtxoSet();
  readonly indexes = new ChainIndexes();
  /** Transactions whose scripts passed (shared with mempool acceptance). */
  readonly scriptCache = new ScriptCache();
  readonly #index = new Map<string, BlockEntry>();
  readonly #active: BlockEntry[] = [];
  readonly #undo = new Map<string, BlockUndo>();
  readonly #looseCoins = new Map<string, Coin>();
  #sequence = 0;

  /** Starts the chain at `genesis` (its coinbase is not spendable, as in Core). */
  constructor(genesis: Block, genesisRaw: Uint8Array) {
    const txs = genesis.transactions.map((t) => describeDecoded(t.tx, t.raw));
    const strippedSize = genesisRaw.length - txs.reduce((s, t) => s + t.size - t.strippedSize, 0);
    const entry: BlockEntry = {
      hash: genesis.hash,
      key: toHex(genesis.hash),
      hashHex: blockHashHex(genesis.hash),
      block: genesis,
      raw: genesisRaw,
      txs,
      height: 0,
      prev: undefined,
      chainWork: blockWork(genesis.header.bits),
      medianTimePast: genesis.header.time,
      sequence: this.#sequence++,
      strippedSize,
      weight: strippedSize * 3 + genesisRaw.length,
      status: 'valid',
    };
    this.#index.set(entry.key, entry);
    this.#active.push(entry);
    this.#undo.set(entry.key, { spent: [], created: [], fees: [0n] });
  }

  get tip(): BlockEntry {
    return this.#active[this.#active.length - 1]!;
  }

  get height(): number {
    return this.#active.length - 1;
  }

  get genesis(): BlockEntry {
    return this.#active[0]!;
  }

  /** The active chain's block at `height`. */
  atHeight(height: number): BlockEntry | undefined {
    return Number.isInteger(height) && height >= 0 ? this.#active[height] : undefined;
  }

  /** A known block by its internal-order hex key. */
  get(key: string): BlockEntry | undefined {
    return this.#index.get(key);
  }

  /** Every known block, in arrival order. */
  entries(): BlockEntry[] {
    return [...this.#index.values()].sort((a, b) => a.sequence - b.sequence);
  }

  isActive(entry: BlockEntry): boolean {
    return this.#active[entry.height] === entry;
  }

  /** Median time past of the active block at `height`. */
  medianTimePast(height: number): number {
    return this.#active[Math.min(Math.max(height, 0), this.height)]!.medianTimePast;
  }

  /** Per-transaction fees of an active or once-connected block, if known. */
  blockFees(entry: BlockEntry): readonly bigint[] | undefined {
    return this.#undo.get(entry.key)?.fees;
  }

  /** Coins spent by a connected block (its undo data), if known. */
  blockSpentCoins(entry: BlockEntry): readonly { key: string; coin: Coin }[] | undefined {
    return this.#undo.get(entry.key)?.spent;
  }

  /** Test-only coins placed in the UTXO set without a transaction creating them. */
  get looseCoins(): ReadonlyMap<string, Coin> {
    return this.#looseCoins;
  }

  /** Places a coin in the UTXO set that no transaction created (for test vectors whose inputs do not exist). */
  addLooseCoin(key: string, coin: Coin): void {
    this.#looseCoins.set(key, coin);
    this.utxos.add(key, coin);
    this.indexes.addLooseCoin(key, coin);
  }

  /**
   * Checks a block on its own and against its parent and files it in the tree
   * (it joins the active chain only through {@link activateBestChain}).
   */
  acceptBlock(block: Block, raw: Uint8Array, now: number): AcceptResult {
    const key = toHex(block.hash);
    const known = this.#index.get(key);
    if (known !== undefined) {
      if (known.status === 'failed' || known.status === 'failed-child') return { rejection: rejection('consensus', 'duplicate-invalid') };
      return { entry: known, isNew: false };
    }
    const prev = this.#index.get(toHex(block.header.prevBlockHash));
    if (prev === undefined) return { rejection: rejection('consensus', 'prev-blk-not-found') };
    if (prev.status === 'failed' || prev.status === 'failed-child') return { rejection: rejection('consensus', 'bad-prevblk') };
    const checked = this.#check(block, raw, prev, now);
    if ('rejection' in checked) return checked;
    const entry = this.#entry(block, raw, prev, checked);
    this.#index.set(key, entry);
    return { entry, isNew: true };
  }

  /**
   * Core's TestBlockValidity: would this block connect on the current tip?
   * Runs every check and connects it to the UTXO set, then undoes it.
   */
  testBlockOnTip(block: Block, raw: Uint8Array, now: number): Rejection | undefined {
    const prev = this.tip;
    if (toHex(block.header.prevBlockHash) !== prev.key) return rejection('consensus', 'bad-prevblk', 'block does not build on the tip');
    const checked = this.#check(block, raw, prev, now);
    if ('rejection' in checked) return checked.rejection;
    const entry = this.#entry(block, raw, prev, checked);
    const result = connectBlock(entry, this.utxos, (h) => this.medianTimePast(h), true, this.scriptCache);
    if ('reason' in result) return result;
    disconnectBlock(result, this.utxos);
    return undefined;
  }

  #check(block: Block, raw: Uint8Array, prev: BlockEntry, now: number): { txs: TxInfo[]; strippedSize: number; weight: number } | { rejection: Rejection } {
    const txs = block.transactions.map((t) => describeDecoded(t.tx, t.raw));
    const strippedSize = raw.length - txs.reduce((s, t) => s + t.size - t.strippedSize, 0);
    const weight = strippedSize * 3 + raw.length;
    const refused =
      checkBlock(block, txs, strippedSize) ?? checkHeaderAgainstParent(block, prev, now) ?? contextualCheckBlock(block, txs, prev.height + 1, prev.medianTimePast, weight);
    return refused === undefined ? { txs, strippedSize, weight } : { rejection: refused };
  }

  #entry(block: Block, raw: Uint8Array, prev: BlockEntry, checked: { txs: TxInfo[]; strippedSize: number; weight: number }): BlockEntry {
    return {
      hash: block.hash,
      key: toHex(block.hash),
      hashHex: blockHashHex(block.hash),
      block,
      raw,
      txs: checked.txs,
      height: prev.height + 1,
      prev,
      chainWork: prev.chainWork + blockWork(block.header.bits),
      medianTimePast: medianTimePastWith(prev, block.header.time),
      sequence: this.#sequence++,
      strippedSize: checked.strippedSize,
      weight: checked.weight,
      status: 'accepted',
    };
  }

  /**
   * Moves the active chain to the valid branch with the most work (first seen
   * on a tie), disconnecting and connecting
   * blocks one at a time; a block that fails to connect is marked failed with
   * its descendants and the next best branch is tried.
   */
  activateBestChain(verifyScripts = true): ChainChange {
    const disconnected: BlockEntry[] = [];
    const connected: BlockEntry[] = [];
    let failure: ChainChange['failure'];
    for (;;) {
      const best = this.#bestCandidate();
      if (best === this.tip) break;
      const fork = findFork(this.tip, best);
      while (this.tip !== fork) disconnected.push(this.#disconnectTip());
      const path: BlockEntry[] = [];
      for (let e: BlockEntry | undefined = best; e !== undefined && e !== fork; e = e.prev) path.unshift(e);
      for (const e of path) {
        const result = connectBlock(e, this.utxos, (h) => this.medianTimePast(h), verifyScripts, this.scriptCache);
        if ('reason' in result) {
          this.#markFailed(e, 'failed');
          failure = { entry: e, rejection: result };
          break;
        }
        this.#undo.set(e.key, result);
        this.indexes.connect(e, result);
        this.#active.push(e);
        e.status = 'valid';
        connected.push(e);
      }
    }
    return failure === undefined ? { disconnected, connected } : { disconnected, connected, failure };
  }

  /** Core's invalidateblock: marks a block and its descendants failed, then activates the best remaining chain. */
  invalidate(entry: BlockEntry): ChainChange {
    this.#markFailed(entry, 'failed');
    return this.activateBestChain();
  }

  /** Core's reconsiderblock: clears failure marks on a block, its ancestors and descendants, then activates the best chain. */
  reconsider(entry: BlockEntry): ChainChange {
    for (const e of this.#index.values()) {
      if (e.status !== 'failed' && e.status !== 'failed-child') continue;
      if (descendsFrom(e, entry) || descendsFrom(entry, e)) e.status = 'accepted';
    }
    return this.activateBestChain();
  }

  #markFailed(entry: BlockEntry, status: 'failed' | 'failed-child'): void {
    entry.status = status;
    for (const e of this.#index.values()) if (e !== entry && e.height > entry.height && descendsFrom(e, entry)) e.status = 'failed-child';
  }

  #disconnectTip(): BlockEntry {
    const tip = this.#active.pop()!;
    const undo = this.#undo.get(tip.key)!;
    disconnectBlock(undo, this.utxos);
    this.indexes.disconnect(tip, undo);
    return tip;
  }

  // Core's block index comparator: most work, then first received.
  #bestCandidate(): BlockEntry {
    let best: BlockEntry | undefined;
    for (const e of this.#index.values()) {
      if (e.status === 'failed' || e.status === 'failed-child') continue;
      if (best === undefined || e.chainWork > best.chainWork || (e.chainWork === best.chainWork && e.sequence < best.sequence)) best = e;
    }
    return best ?? this.genesis;
  }
}
