import type {
  BestBlock,
  BroadcasterInterface,
  ChannelMonitorUpdate,
  ChannelMonitorUpdateStatus,
  ChannelMonitorView,
  Confirm,
  FeeEstimator,
  Filter,
  Listen,
  MonitorEvent,
  NewChannelMonitor,
  RelevantTxid,
  Watch,
  WatchChannelStatus,
} from 'ln-chain-api';
import type { Secp256k1Backend } from 'ln-crypto';
import type { SignerProvider } from 'ln-signer-api';
import { type ChannelId, type Logger, type OutPoint, type Txid, isLogEnabled, outPointKey, silentLogger, toHex } from 'ln-types';
import { type Block, type BlockHeader, type BlockTransaction, blockHeaderHash } from 'ln-tx';
import { IDLE_PERSIST_INTERVAL_BLOCKS } from '../constants.js';
import { MonitorError } from '../errors.js';
import type { ChainMonitorEvent } from '../events.js';
import { ChannelMonitor, type ChannelMonitorOptions } from '../monitor/channel-monitor.js';
import { EventNotifier } from '../notifier.js';
import type { Persist, PersistResult } from '../persist/persist.js';
import { OutpointIndex } from './outpoint-index.js';
import { UpdateTracker } from './update-tracker.js';

/** Blocks a closed channel's monitor stays live after everything settled (LDK's ARCHIVAL_DELAY_BLOCKS). */
export const ARCHIVAL_DELAY_BLOCKS = 4032;

/** What a ChainMonitor is built from. */
export interface ChainMonitorOptions {
  /** Derives each monitor's own signer from its channel keys id. */
  readonly signerProvider: SignerProvider;
  readonly broadcaster: BroadcasterInterface;
  readonly feeEstimator: FeeEstimator;
  /** Where monitors and their updates are stored (KVStorePersister over a KVStore, usually). */
  readonly persister: Persist;
  /** A light client to tell which outputs and transactions to watch (not needed when every block is given to `Listen`). */
  readonly filter?: Filter;
  /** secp256k1 for signature checks and key derivation (default: noble; a native backend is much faster). */
  readonly backend?: Secp256k1Backend;
  readonly logger?: Logger;
}

interface Entry {
  readonly monitor: ChannelMonitor;
  readonly updates: UpdateTracker;
  /** Whole-monitor writes after chain changes still running: the monitor's events wait for them. */
  chainWrites: number;
  /** A write failed: write the whole monitor again on the next block or timer tick. */
  retry: boolean;
}

/**
 * Holds every ChannelMonitor of a node (LDK's ChainMonitor): ChannelManager hands
 * it monitor data through `Watch`, a chain client feeds it blocks (`Listen`) or
 * relevant transactions (`Confirm`), and it persists every change through a
 * `Persist` before reporting it complete.
 */
export class ChainMonitor implements Watch, Listen, Confirm {
  private readonly options: ChainMonitorOptions;
  private readonly monitorOptions: ChannelMonitorOptions;
  private readonly logger: Logger;
  private readonly entries = new Map<string, Entry>();
  private readonly byFunding = new Map<string, Entry>();
  private readonly index = new OutpointIndex<ChannelMonitor>();
  private readonly completions: MonitorEvent[] = [];
  /** Wakes the application when events (for it or for ChannelManager) are waiting. */
  readonly notifier = new EventNotifier();
  /** The last refusal of `watchChannel` / `updateChannel`, for diagnostics. */
  lastError: MonitorError | undefined;
  private height = 0;
  /** The last tip given (for {@link bestBlock} without monitors). */
  private lastTip: BestBlock | undefined;
  /** Writes still running (for {@link flush}). */
  private readonly writes = new Set<Promise<void>>();

  constructor(options: ChainMonitorOptions) {
    this.options = options;
    this.logger = options.logger ?? silentLogger;
    this.monitorOptions = {
      signerProvider: options.signerProvider,
      broadcaster: options.broadcaster,
      feeEstimator: options.feeEstimator,
      ...(options.backend === undefined ? {} : { backend: options.backend }),
      logger: this.logger,
    };
  }

  /** The options monitors read from storage need (pass to `KVStorePersister.readAllChannelMonitors`). */
  get channelMonitorOptions(): ChannelMonitorOptions {
    return this.monitorOptions;
  }

  private log(level: 'debug' | 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>): void {
    if (!isLogEnabled(this.logger, level)) return;
    this.logger.log({ level, module: 'ln-monitor/chain-monitor', message, ...(fields === undefined ? {} : { fields }) });
  }

  private add(monitor: ChannelMonitor, persistedUpTo: bigint): Entry {
    const entry: Entry = { monitor, updates: new UpdateTracker(persistedUpTo), chainWrites: 0, retry: false };
    this.entries.set(toHex(monitor.channelId), entry);
    this.byFunding.set(outPointKey(monitor.state.parameters.fundingOutpoint), entry);
    monitor.attach({
      watch: (outpoint: OutPoint, script: Uint8Array) => {
        this.index.add(outpoint, monitor);
        this.options.filter?.registerOutput({ outpoint, scriptPubkey: script });
      },
      eventsPending: () => this.notifier.notify(),
    });
    this.height = Math.max(this.height, monitor.state.bestBlock.height);
    return entry;
  }

  /**
   * Adds a monitor read from storage (at start-up, before ChannelManager is read).
   * It is stored already: nothing is written.
   * @throws MonitorError `duplicate`
   */
  loadMonitor(monitor: ChannelMonitor): void {
    if (this.entries.has(toHex(monitor.channelId)) || this.byFunding.has(outPointKey(monitor.state.parameters.fundingOutpoint))) {
      throw new MonitorError('duplicate', 'a monitor for this channel is loaded already');
    }
    const entry = this.add(monitor, monitor.latestUpdateId);
    // Replayed updates (stored alone) are in the monitor now; write it whole on the next block.
    if (monitor.needsPersist) entry.retry = true;
    if (monitor.hasMonitorEvents() || monitor.spendableEvents().length > 0) this.notifier.notify();
  }

  // ---------- Watch ----------

  watchChannel(init: NewChannelMonitor): WatchChannelStatus {
    if (this.entries.has(toHex(init.channelId)) || this.byFunding.has(outPointKey(init.parameters.fundingOutpoint))) return 'duplicate';
    let monitor: ChannelMonitor;
    try {
      monitor = ChannelMonitor.create(init, this.monitorOptions);
    } catch (err) {
      return this.refuse(err, 'watchChannel');
    }
    const entry = this.add(monitor, -1n);
    monitor.markPersisted();
    return this.track(entry, 0n, () => this.options.persister.persistNewChannel(monitor.name, monitor));
  }

  updateChannel(update: ChannelMonitorUpdate): ChannelMonitorUpdateStatus {
    const entry = this.entries.get(toHex(update.channelId));
    if (entry === undefined) return this.refuse(new MonitorError('unknown_channel', 'no monitor for this channel'), 'updateChannel');
    try {
      entry.monitor.applyUpdate(update);
    } catch (err) {
      return this.refuse(err, 'updateChannel');
    }
    entry.monitor.markPersisted();
    return this.track(entry, update.updateId, () => this.options.persister.updatePersistedChannel(entry.monitor.name, update, entry.monitor));
  }

  private refuse(err: unknown, what: string): 'unrecoverable_error' {
    if (!(err instanceof MonitorError)) throw err;
    this.lastError = err;
    this.log('error', `${what} refused: ${err.message}`, { code: err.code });
    return 'unrecoverable_error';
  }

  /** Starts a write of update `updateId` and turns its result into the status ChannelManager sees. */
  private track(entry: Entry, updateId: bigint, write: () => PersistResult): ChannelMonitorUpdateStatus {
    entry.updates.start(updateId);
    let result: PersistResult;
    try {
      result = write();
    } catch (err) {
      this.log('error', 'persister threw', { error: String(err) });
      entry.retry = true;
      return 'in_progress';
    }
    if (result === 'completed') {
      const blocked = entry.updates.blockedBelow(updateId);
      this.completed(entry, entry.updates.completeOne(updateId), !blocked);
      return blocked ? 'in_progress' : 'completed';
    }
    if (result === 'unrecoverable_error') return 'unrecoverable_error';
    if (result === 'in_progress') return 'in_progress';
    this.running(result);
    result.then(
      () => this.completed(entry, entry.updates.completeOne(updateId), false),
      (err: unknown) => {
        this.log('error', 'monitor write failed; writing the whole monitor again on the next block', { updateId: String(updateId), error: String(err) });
        entry.retry = true;
      },
    );
    return 'in_progress';
  }

  private completed(entry: Entry, upTo: bigint | undefined, silent: boolean): void {
    if (upTo === undefined || silent) return;
    const m = entry.monitor;
    this.completions.push({ kind: 'update_completed', channelId: m.channelId, counterpartyNodeId: m.state.counterpartyNodeId, updateId: upTo });
    this.notifier.notify();
  }

  /**
   * An `in_progress` write of the persister is now durable (LDK's channel_monitor_updated):
   * ChannelManager hears of it through an `update_completed` event.
   * @throws MonitorError `unknown_channel`
   */
  channelMonitorUpdated(channelId: ChannelId, updateId: bigint): void {
    const entry = this.entries.get(toHex(channelId));
    if (entry === undefined) throw new MonitorError('unknown_channel', 'no monitor for this channel');
    this.completed(entry, entry.updates.completeOne(updateId), false);
  }

  releasePendingMonitorEvents(): MonitorEvent[] {
    const events = this.completions.splice(0);
    for (const entry of this.entries.values()) {
      // Events from chain changes go out once the monitor that knows of them is stored.
      if (entry.chainWrites > 0 || entry.retry) continue;
      if (entry.monitor.hasMonitorEvents()) events.push(...entry.monitor.takeMonitorEvents());
    }
    return events;
  }

  // ---------- chain ----------

  private dispatch(transactions: readonly BlockTransaction[], height: number): void {
    for (const t of transactions) {
      let touched: Set<ChannelMonitor> | undefined;
      for (const input of t.tx.inputs) {
        const found = this.index.lookup(input.previousOutput.txid, input.previousOutput.index);
        if (found === undefined) continue;
        touched ??= new Set();
        for (const m of found) touched.add(m);
      }
      if (touched === undefined) continue;
      for (const m of touched) m.transactionConfirmed(t.tx, t.txid, height);
    }
  }

  private async tipMoved(height: number, hash: Block['hash']): Promise<void> {
    this.height = height;
    this.lastTip = { blockHash: hash, height };
    const runs: Promise<void>[] = [];
    for (const entry of this.entries.values()) runs.push(entry.monitor.blockConnected(height, hash));
    await Promise.all(runs);
    this.persistChanged(height);
  }

  async blockConnected(block: Block, height: number): Promise<void> {
    for (const entry of this.entries.values()) {
      const m = entry.monitor;
      if (m.state.bestBlock.height >= height) m.blockDisconnected(height, block.header.prevBlockHash);
    }
    this.dispatch(block.transactions, height);
    await this.tipMoved(height, block.hash);
  }

  async blockDisconnected(header: BlockHeader, height: number): Promise<void> {
    for (const entry of this.entries.values()) entry.monitor.blockDisconnected(height, header.prevBlockHash);
    this.height = height - 1;
    this.lastTip = { blockHash: header.prevBlockHash, height: height - 1 };
    this.persistChanged();
  }

  async transactionsConfirmed(_header: BlockHeader, transactions: readonly BlockTransaction[], height: number): Promise<void> {
    this.dispatch(transactions, height);
  }

  async transactionUnconfirmed(txid: Txid): Promise<void> {
    for (const entry of this.entries.values()) entry.monitor.transactionUnconfirmed(txid);
    this.persistChanged();
  }

  async bestBlockUpdated(header: BlockHeader, height: number): Promise<void> {
    await this.tipMoved(height, blockHeaderHash(header));
  }

  getRelevantTxids(): RelevantTxid[] {
    const seen = new Map<string, RelevantTxid>();
    for (const entry of this.entries.values()) for (const r of entry.monitor.relevantTxids()) seen.set(toHex(r.txid), r);
    return [...seen.values()];
  }

  /**
   * Writes every monitor whose state changed, and with a new tip at `height`, spread
   * over blocks, idle ones too (so their stored best block stays recent).
   */
  private persistChanged(height?: number): void {
    for (const entry of this.entries.values()) {
      const m = entry.monitor;
      const idleTurn = height !== undefined && (height + m.channelId[0]!) % IDLE_PERSIST_INTERVAL_BLOCKS === 0;
      if (!m.needsPersist && !entry.retry && !idleTurn) continue;
      this.writeWhole(entry);
    }
  }

  private writeWhole(entry: Entry): void {
    const m = entry.monitor;
    m.markPersisted();
    entry.retry = false;
    const upTo = m.latestUpdateId;
    let result: PersistResult;
    try {
      result = this.options.persister.updatePersistedChannel(m.name, undefined, m);
    } catch (err) {
      this.log('error', 'persister threw', { error: String(err) });
      entry.retry = true;
      return;
    }
    if (result === 'completed') {
      this.completed(entry, entry.updates.completeUpTo(upTo), false);
      return;
    }
    if (result === 'unrecoverable_error') {
      entry.retry = true;
      return;
    }
    if (result === 'in_progress') return;
    entry.chainWrites++;
    this.running(result);
    result.then(
      () => {
        entry.chainWrites--;
        this.completed(entry, entry.updates.completeUpTo(upTo), false);
        if (entry.monitor.hasMonitorEvents()) this.notifier.notify();
      },
      (err: unknown) => {
        entry.chainWrites--;
        entry.retry = true;
        this.log('error', 'monitor write failed; retrying', { error: String(err) });
      },
    );
  }

  /**
   * Call on a timer (every few seconds to a minute): retries failed writes and
   * rebroadcasts every pending claim as it was (fees are bumped on blocks).
   */
  async timerTickOccurred(): Promise<void> {
    for (const entry of this.entries.values()) if (entry.retry) this.writeWhole(entry);
    await Promise.all([...this.entries.values()].map((e) => e.monitor.rebroadcastPendingClaims()));
  }

  /**
   * Hands pending events to `handler` (SpendableOutputs, BumpTransaction), awaiting
   * each. A SpendableOutputs event whose handler throws is offered again on the next
   * call; bump events come again with the next fee bump.
   */
  async processPendingEvents(handler: (event: ChainMonitorEvent) => void | Promise<void>): Promise<void> {
    for (const entry of this.entries.values()) {
      const m = entry.monitor;
      for (const event of [...m.spendableEvents()]) {
        try {
          await handler(event);
          m.dropSpendableEvent(event);
        } catch (err) {
          this.log('warn', 'SpendableOutputs handler failed; offering it again later', { error: String(err) });
        }
      }
      for (const event of m.takeBumpEvents()) {
        try {
          await handler({ kind: 'bump_transaction', event });
        } catch (err) {
          this.log('warn', 'BumpTransaction handler failed; the next fee bump asks again', { error: String(err) });
        }
      }
    }
    this.persistChanged();
  }

  private running(write: Promise<void>): void {
    const tracked = write.then(
      () => undefined,
      () => undefined,
    );
    this.writes.add(tracked);
    void tracked.then(() => this.writes.delete(tracked));
  }

  /** Resolves when every monitor's queued work (signing, claims) is done. */
  async whenIdle(): Promise<void> {
    await Promise.all([...this.entries.values()].map((e) => e.monitor.whenIdle()));
  }

  /**
   * Resolves when queued work is done and every write the persister reported as a
   * promise has settled (before a clean shutdown, or to release events at once).
   */
  async flush(): Promise<void> {
    await this.whenIdle();
    while (this.writes.size > 0) {
      await Promise.all([...this.writes]);
      await this.whenIdle();
    }
  }

  // ---------- inspection ----------

  /** The monitor of a channel. */
  getMonitor(channelId: ChannelId): ChannelMonitor | undefined {
    return this.entries.get(toHex(channelId))?.monitor;
  }

  /** Every monitor held. */
  listMonitors(): ChannelMonitor[] {
    return [...this.entries.values()].map((e) => e.monitor);
  }

  /** Summaries for ChannelManager's start-up reconciliation. */
  monitorViews(): ChannelMonitorView[] {
    return this.listMonitors().map((m) => m.view());
  }

  /** True while writes of a channel's updates are still running. */
  hasPendingUpdates(channelId: ChannelId): boolean {
    return this.entries.get(toHex(channelId))?.updates.pending === true;
  }

  /**
   * Archives monitors of channels closed and settled at least ARCHIVAL_DELAY_BLOCKS
   * ago (LDK's archive_fully_resolved_channel_monitors): they leave the live set and storage.
   */
  async archiveFullyResolvedChannelMonitors(): Promise<void> {
    for (const [key, entry] of this.entries) {
      const m = entry.monitor;
      const spend = m.state.fundingSpend;
      if (!m.isFullyResolved() || spend === undefined || this.height - spend.height < ARCHIVAL_DELAY_BLOCKS) continue;
      await this.options.persister.archivePersistedChannel(m.name);
      this.entries.delete(key);
      this.byFunding.delete(outPointKey(m.state.parameters.fundingOutpoint));
      this.index.removeValue(m);
      this.log('info', 'archived a fully resolved monitor', { channel: toHex(m.channelId) });
    }
  }

  /** The funding outpoints of the monitors held. */
  fundingOutpoints(): OutPoint[] {
    return this.listMonitors().map((m) => m.state.parameters.fundingOutpoint);
  }

  /**
   * Where a block sync driver starts this ChainMonitor: the lowest best block of
   * the monitors held (monitors already past a block it gives them rewind to it
   * and replay, so a reorg that happened while the node was down is not missed),
   * or the last block it was given when it holds none; undefined before either.
   */
  get bestBlock(): BestBlock | undefined {
    let best: BestBlock | undefined;
    for (const m of this.listMonitors()) if (best === undefined || m.state.bestBlock.height < best.height) best = m.state.bestBlock;
    return best ?? this.lastTip;
  }
}
