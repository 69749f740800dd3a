import type { BestBlock, BlockHeaderData, BlockSource, ChainTip, Listen } from 'ln-chain-api';
import { type Block, blockHeaderHash } from 'ln-tx';
import { type BlockHash, type Logger, type Network, blockHash, blockHashToHex, equalBytes, isLogEnabled, silentLogger } from 'ln-types';
import { ChainSourceError, asChainSourceError } from '../errors.js';
import type { HeaderRangeSource } from '../source-types.js';
import { HeaderCache } from './header-cache.js';
import { branchWork, checkHeader, checkLink } from './header-checks.js';

/** Options of {@link BlockSync}. */
export interface BlockSyncOptions {
  /**
   * The chain followed: adds the network's proof-of-work limit and difficulty
   * rules to the header checks (without it, each header need only meet its own bits).
   */
  readonly network?: Network;
  /** Checked headers kept to find fork points without asking the source again (default 2,016). */
  readonly headerCacheSize?: number;
  /** Most headers walked back from either end to find where two chains meet (default 100,000); past it a poll fails with `fork_too_deep`. */
  readonly maxWalkBack?: number;
  /** Blocks fetched ahead of the one being connected (default 4). */
  readonly prefetchBlocks?: number;
  /**
   * Move to the source's tip even when its branch has no more work than the
   * one followed (default false: as lightning-block-sync, a source that fell
   * behind or switched to a weaker branch is ignored until its chain has more work).
   */
  readonly followLessWork?: boolean;
  readonly logger?: Logger;
}

/** What one poll did. */
export interface PollResult {
  /** The tip every listener is at now. */
  readonly tip: BestBlock;
  /** `blockConnected` calls made, over all listeners. */
  readonly blocksConnected: number;
  /** `blockDisconnected` calls made, over all listeners. */
  readonly blocksDisconnected: number;
  /** The source's tip, when it was ignored for having no more work than the chain followed. */
  readonly ignoredTip?: ChainTip;
}

interface Entry {
  readonly listener: Listen;
  best: BestBlock;
  removed: boolean;
}

interface Fork {
  /** Headers of the old branch, its tip first. */
  readonly stale: BlockHeaderData[];
  /** Headers of the new branch, its tip first. */
  readonly fresh: BlockHeaderData[];
}

const MODULE = 'ln-chain-source/block-sync';
/** Blocks behind the tip from which headers are fetched forward in batches rather than walked back. */
const FORWARD_MIN_GAP = 16;

/**
 * Keeps `Listen` listeners on a block source's best chain (after
 * lightning-block-sync). The application calls {@link poll} on a timer; each
 * poll reads the source's tip, walks back through previous-block hashes (via a
 * bounded header cache) to where each listener's chain meets it, disconnects
 * each stale block tip first, then connects the new chain block by block.
 *
 * Listeners may start from different saved {@link BestBlock}s (after a
 * restart, each component's own): each is brought to the tip, blocks fetched
 * once for all. Headers are checked (hash, proof of work, link to the parent,
 * difficulty) before any listener is called, and each block is checked to be
 * the header's. On a source error the poll rejects with a ChainSourceError and
 * every listener keeps what it has: its position advances only after each call
 * returns, so the next poll goes on from there and no block is given twice or
 * skipped. Each call's promise is awaited before the next.
 */
export class BlockSync {
  readonly #source: BlockSource;
  readonly #network: Network | undefined;
  readonly #cache: HeaderCache;
  readonly #maxWalkBack: number;
  readonly #prefetch: number;
  readonly #followLessWork: boolean;
  readonly #logger: Logger;
  readonly #entries: Entry[] = [];
  #tip: BlockHeaderData | undefined;
  #running: Promise<PollResult> | undefined;

  constructor(source: BlockSource, options: BlockSyncOptions = {}) {
    this.#source = source;
    this.#network = options.network;
    this.#cache = new HeaderCache(options.headerCacheSize ?? 2016);
    this.#maxWalkBack = options.maxWalkBack ?? 100_000;
    this.#prefetch = Math.max(0, options.prefetchBlocks ?? 4);
    this.#followLessWork = options.followLessWork ?? false;
    this.#logger = options.logger ?? silentLogger;
  }

  /**
   * Adds a listener that has seen the chain up to `bestBlock` (its saved best
   * block; the genesis block or a recent checkpoint for a new one). The next
   * poll disconnects whatever of its chain left the best chain and connects
   * the rest.
   */
  addListener(listener: Listen, bestBlock: BestBlock): void {
    if (this.#entries.some((e) => e.listener === listener)) throw new RangeError('listener already added');
    if (bestBlock.blockHash.length !== 32 || !Number.isInteger(bestBlock.height) || bestBlock.height < 0) throw new RangeError('not a best block');
    this.#entries.push({ listener, best: { blockHash: blockHash(bestBlock.blockHash.slice()), height: bestBlock.height }, removed: false });
  }

  /** Stops feeding a listener (from the next call on). */
  removeListener(listener: Listen): void {
    const i = this.#entries.findIndex((e) => e.listener === listener);
    if (i < 0) return;
    this.#entries[i]!.removed = true;
    this.#entries.splice(i, 1);
  }

  /** The block a listener has been given up to. */
  bestBlockOf(listener: Listen): BestBlock | undefined {
    return this.#entries.find((e) => e.listener === listener)?.best;
  }

  /** The tip of the chain followed, once a poll has succeeded. */
  get tip(): BestBlock | undefined {
    return this.#tip === undefined ? undefined : { blockHash: this.#tip.hash, height: this.#tip.height };
  }

  /**
   * Brings every listener to the source's tip. A poll made while another runs
   * returns that one's promise.
   * @throws ChainSourceError on any source failure or bad data (listeners keep their position), `listener_failed` when a listener throws
   */
  poll(): Promise<PollResult> {
    if (this.#running !== undefined) return this.#running;
    const run = this.#poll().finally(() => {
      this.#running = undefined;
    });
    this.#running = run;
    return run;
  }

  async #poll(): Promise<PollResult> {
    const sourceTip = await this.#call(() => this.#source.getBestBlock(), 'getBestBlock');
    if (!(sourceTip.hash instanceof Uint8Array) || sourceTip.hash.length !== 32) throw new ChainSourceError('invalid_data', 'the source tip is not a block hash');
    const tipHeader = await this.#header(sourceTip.hash, sourceTip.height);
    let target = tipHeader;
    let ignoredTip: ChainTip | undefined;
    const current = this.#tip;
    if (current !== undefined && !equalBytes(current.hash, tipHeader.hash)) {
      const fork = await this.#findFork(current, tipHeader);
      if (!this.#followLessWork && branchWork(fork.fresh) <= branchWork(fork.stale)) {
        target = current;
        ignoredTip = sourceTip;
        this.#log('warn', 'the source tip has no more work than the chain followed: ignored', { sourceTip: blockHashToHex(sourceTip.hash), height: sourceTip.height });
      }
    }

    // Every header walk happens before any listener is called: a failure here changes nothing.
    const groups = new Map<string, Entry[]>();
    for (const e of this.#entries) {
      if (equalBytes(e.best.blockHash, target.hash)) continue;
      const key = blockHashToHex(e.best.blockHash);
      const group = groups.get(key);
      if (group === undefined) groups.set(key, [e]);
      else group.push(e);
    }
    const plans: { entries: Entry[]; fork: Fork }[] = [];
    for (const entries of groups.values()) {
      const best = entries[0]!.best;
      const start = await this.#header(best.blockHash, best.height);
      const fork = (await this.#forward(start, target)) ?? (await this.#findFork(start, target));
      // A listener whose own chain has at least the work of the source's (the
      // source fell behind it) keeps its blocks until the source's chain has more.
      if (fork.stale.length > 0 && !this.#followLessWork && branchWork(fork.fresh) <= branchWork(fork.stale)) {
        ignoredTip ??= sourceTip;
        this.#log('warn', "a listener's chain has no less work than the source's: left as it is", { listenerTip: blockHashToHex(best.blockHash), height: best.height });
        continue;
      }
      plans.push({ entries, fork });
    }

    let disconnected = 0;
    for (const { entries, fork } of plans) {
      if (fork.stale.length > 0) this.#log('info', 'disconnecting stale blocks', { from: fork.stale[0]!.height, count: fork.stale.length, listeners: entries.length });
      for (const h of fork.stale) {
        for (const e of entries) {
          if (e.removed || !equalBytes(e.best.blockHash, h.hash)) continue;
          await this.#notify(() => e.listener.blockDisconnected(h.header, h.height), 'blockDisconnected', h);
          e.best = { blockHash: h.header.prevBlockHash, height: h.height - 1 };
          disconnected++;
        }
      }
    }

    const connected = await this.#connect(plans.map((p) => p.fork.fresh));
    this.#tip = target;
    return {
      tip: { blockHash: target.hash, height: target.height },
      blocksConnected: connected,
      blocksDisconnected: disconnected,
      ...(ignoredTip === undefined ? {} : { ignoredTip }),
    };
  }

  // Connects the new chain in height order; each block is fetched once (a few
  // ahead) and given to every listener standing on its parent.
  async #connect(branches: readonly BlockHeaderData[][]): Promise<number> {
    const chain = new Map<number, BlockHeaderData>();
    let low = Infinity;
    let high = -1;
    for (const fresh of branches) {
      for (const h of fresh) {
        const known = chain.get(h.height);
        if (known !== undefined && !equalBytes(known.hash, h.hash)) throw new ChainSourceError('invalid_data', `two headers for height ${h.height} on the chain followed`);
        chain.set(h.height, h);
        if (h.height < low) low = h.height;
        if (h.height > high) high = h.height;
      }
    }
    if (high < 0) return 0;
    const fetches = new Map<number, Promise<Block>>();
    const fetch = (height: number) => {
      if (height > high || fetches.has(height)) return;
      const h = chain.get(height)!;
      const p = this.#call(() => this.#source.getBlock(h.hash), 'getBlock');
      p.catch(() => {});
      fetches.set(height, p);
    };
    let connected = 0;
    for (let height = low; height <= high; height++) {
      for (let ahead = 0; ahead <= this.#prefetch; ahead++) fetch(height + ahead);
      const h = chain.get(height)!;
      const block = await fetches.get(height)!;
      fetches.delete(height);
      if (!equalBytes(block.hash, h.hash) || !equalBytes(blockHeaderHash(block.header), h.hash)) {
        throw new ChainSourceError('invalid_data', `the block served for ${blockHashToHex(h.hash)} is another block`);
      }
      for (const e of this.#entries) {
        if (e.removed || e.best.height !== height - 1 || !equalBytes(e.best.blockHash, h.header.prevBlockHash)) continue;
        await this.#notify(() => e.listener.blockConnected(block, height), 'blockConnected', h);
        e.best = { blockHash: h.hash, height };
        connected++;
      }
      if (isLogEnabled(this.#logger, 'debug')) this.#log('debug', 'block connected', { height, hash: blockHashToHex(h.hash), transactions: block.transactions.length });
    }
    return connected;
  }

  // Catching up from far behind: when the source can list the headers after a
  // block (HeaderRangeSource), fetch them forward in large batches and check
  // each links to the one before; if they do not lead to the target (the
  // start left the best chain, or the source moved), walk back instead.
  async #forward(start: BlockHeaderData, target: BlockHeaderData): Promise<Fork | undefined> {
    const ranged = this.#source as Partial<HeaderRangeSource>;
    if (typeof ranged.getHeadersAfter !== 'function' || target.height - start.height < FORWARD_MIN_GAP) return undefined;
    if (target.height - start.height > this.#maxWalkBack) {
      throw new ChainSourceError('fork_too_deep', `${target.height - start.height} blocks to catch up from ${blockHashToHex(start.hash)}: more than ${this.#maxWalkBack}`);
    }
    const fresh: BlockHeaderData[] = [];
    let prev = start;
    while (prev.height < target.height) {
      const from = prev;
      const batch = await this.#call(() => ranged.getHeadersAfter!.call(this.#source, from.hash, from.height, target.height - from.height), 'getHeadersAfter');
      if (batch.length === 0) return undefined;
      for (const h of batch) {
        if (h.height > target.height) break;
        checkHeader(h, this.#network);
        // A list that does not link (the source reorganized while answering): walk back instead.
        if (h.height !== prev.height + 1 || !equalBytes(h.header.prevBlockHash, prev.hash)) return undefined;
        checkLink(h, prev, this.#network);
        const copy: BlockHeaderData = { header: h.header, hash: blockHash(h.hash.slice()), height: h.height };
        this.#cache.put(copy);
        fresh.push(copy);
        prev = copy;
      }
    }
    if (!equalBytes(prev.hash, target.hash)) return undefined;
    this.#cache.put(target);
    return { stale: [], fresh: fresh.reverse() };
  }

  // Walks back from both ends until they meet, checking every parent against its child.
  async #findFork(from: BlockHeaderData, to: BlockHeaderData): Promise<Fork> {
    const stale: BlockHeaderData[] = [];
    const fresh: BlockHeaderData[] = [];
    let a = from;
    let b = to;
    let steps = 0;
    while (!equalBytes(a.hash, b.hash)) {
      if (++steps > this.#maxWalkBack) {
        throw new ChainSourceError('fork_too_deep', `no common block within ${this.#maxWalkBack} headers of ${blockHashToHex(from.hash)} (height ${from.height}) and ${blockHashToHex(to.hash)} (height ${to.height})`);
      }
      const aHigher = a.height >= b.height;
      const bHigher = b.height >= a.height;
      if (aHigher) {
        stale.push(a);
        a = await this.#parent(a);
      }
      if (bHigher) {
        fresh.push(b);
        b = await this.#parent(b);
      }
    }
    return { stale, fresh };
  }

  async #parent(child: BlockHeaderData): Promise<BlockHeaderData> {
    if (child.height === 0) throw new ChainSourceError('invalid_data', `the chains do not meet: reached height 0 at ${blockHashToHex(child.hash)}`);
    const parent = await this.#header(child.header.prevBlockHash, child.height - 1);
    checkLink(child, parent, this.#network);
    return parent;
  }

  // A checked header by hash, from the cache or the source.
  async #header(hash: BlockHash, height: number): Promise<BlockHeaderData> {
    const cached = this.#cache.get(hash);
    if (cached !== undefined) {
      if (cached.height !== height) throw new ChainSourceError('invalid_data', `block ${blockHashToHex(hash)} is at height ${cached.height}, not ${height}`);
      return cached;
    }
    const h = await this.#call(() => this.#source.getHeader(hash, height), 'getHeader');
    if (!(h.hash instanceof Uint8Array) || !equalBytes(h.hash, hash)) throw new ChainSourceError('invalid_data', `the source answered getHeader(${blockHashToHex(hash)}) with another block`);
    checkHeader(h, this.#network);
    if (h.height !== height) throw new ChainSourceError('invalid_data', `block ${blockHashToHex(hash)} is at height ${h.height}, expected ${height}`);
    const copy: BlockHeaderData = { header: h.header, hash: blockHash(hash.slice()), height };
    this.#cache.put(copy);
    return copy;
  }

  // Source calls: anything a user's BlockSource throws becomes a typed error.
  async #call<T>(fn: () => Promise<T>, what: string): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw asChainSourceError(error, 'unreachable', `block source ${what} failed`);
    }
  }

  async #notify(fn: () => void | Promise<void>, what: string, h: BlockHeaderData): Promise<void> {
    try {
      await fn();
    } catch (cause) {
      throw new ChainSourceError('listener_failed', `a listener's ${what} threw at height ${h.height} (${blockHashToHex(h.hash)})`, { cause });
    }
  }

  #log(level: 'debug' | 'info' | 'warn', message: string, fields: Record<string, unknown>): void {
    if (isLogEnabled(this.#logger, level)) this.#logger.log({ level, module: MODULE, message, fields });
  }
}
