import {
  type BroadcasterInterface,
  type ChannelMonitorUpdate,
  type ChannelMonitorView,
  type FeeEstimator,
  type MonitorEvent,
  type MonitorHtlc,
  type NewChannelMonitor,
  type RelevantTxid,
} from 'ln-chain-api';
import { type Secp256k1Backend, defaultSecp256k1 } from 'ln-crypto';
import type { ChannelSigner, SignerProvider } from 'ln-signer-api';
import { type BlockHash, type Logger, type OutPoint, type Txid, equalBytes, isLogEnabled, reverseBytes, silentLogger, toHex } from 'ln-types';
import { CounterpartySecrets, type Tx, obscuringFactor, p2wsh, fundingScript } from 'ln-tx';
import { MonitorError } from '../errors.js';
import type { BumpTransactionEvent, SpendableOutputsEvent } from '../events.js';
import { type UpdateEffects, applyPrepared } from './apply-update.js';
import { type ChainContext, disconnectFrom, isSpendableKind, processTransaction, reclassifyFundingSpend, relevantTxids } from './chain-processing.js';
import { finalizeMatured, liveOutboundHtlcs } from './finalize.js';
import { forceCloseHeight, forceCloseReason } from './htlc-deadlines.js';
import type { HolderCommitmentRecord, MonitorState } from './state.js';
import { isClosed, prepareUpdate, validateNewMonitor } from './validate-update.js';
import { collectClaimables, reconcilePackages } from '../onchain/claim-tracker.js';
import { decodeMonitorState, encodeMonitorState } from '../codec/monitor-codec.js';
import { ClaimRunner } from '../onchain/claim-runner.js';

/** What a ChannelMonitor works with. */
export interface ChannelMonitorOptions {
  /** Derives the monitor's own signer from the channel keys id. */
  readonly signerProvider: SignerProvider;
  readonly broadcaster: BroadcasterInterface;
  readonly feeEstimator: FeeEstimator;
  /** secp256k1 for checking signatures and deriving keys (default: noble). */
  readonly backend?: Secp256k1Backend;
  readonly logger?: Logger;
}

/** Hooks a ChainMonitor sets on the monitors it holds. */
export interface MonitorHooks {
  /** The monitor now watches this output (index it; register it with a Filter). */
  watch(outpoint: OutPoint, script: Uint8Array): void;
  /** The monitor has new events (for the notifier). */
  eventsPending(): void;
}

const NO_HOOKS: MonitorHooks = { watch: () => undefined, eventsPending: () => undefined };

/**
 * Watches one channel on chain (LDK's ChannelMonitor): applies what ChannelManager
 * tells it (ChannelMonitorUpdates), follows the chain (confirmed transactions,
 * block heights, reorgs), and acts: broadcasts our commitment when an HTLC
 * deadline nears or ChannelManager force closes, punishes revoked commitments,
 * claims HTLC outputs, reports what is ours. Usually held by a ChainMonitor,
 * which feeds it and persists it.
 */
export class ChannelMonitor {
  /** The whole state (see state.ts). Read-only outside this package's modules. */
  readonly state: MonitorState;
  private readonly options: ChannelMonitorOptions;
  private readonly backend: Secp256k1Backend;
  private readonly logger: Logger;
  private readonly obscuring: bigint;
  private signer: ChannelSigner;
  private signerHolderNumber: bigint | undefined;
  private hooks: MonitorHooks = NO_HOOKS;
  private queue: Promise<void> = Promise.resolve();
  private forceCloseAt: number | undefined;
  private readonly runner: ClaimRunner;
  private readonly bumpEvents: BumpTransactionEvent[] = [];
  /** State changed since the last `markPersisted` (beyond the best block). */
  private dirty = false;

  private constructor(state: MonitorState, options: ChannelMonitorOptions) {
    this.state = state;
    this.options = options;
    this.backend = options.backend ?? defaultSecp256k1;
    this.logger = options.logger ?? silentLogger;
    const p = state.parameters;
    const opener = p.holderIsOpener ? p.holderPubkeys : p.counterpartyPubkeys;
    const acceptor = p.holderIsOpener ? p.counterpartyPubkeys : p.holderPubkeys;
    this.obscuring = obscuringFactor(opener.paymentBasepoint, acceptor.paymentBasepoint);
    this.signer = this.deriveSigner();
    this.recomputeForceCloseHeight();
    this.runner = new ClaimRunner({
      state,
      backend: this.backend,
      broadcaster: options.broadcaster,
      feeEstimator: options.feeEstimator,
      logger: this.logger,
      signer: () => this.signer,
      ensureSignerHolder: () => this.ensureSignerHolder(),
      emitBump: (e) => {
        this.bumpEvents.push(e);
        this.hooks.eventsPending();
      },
    });
  }

  /**
   * A monitor for a new channel, after checking everything it is given (the
   * counterparty's signatures of our commitment included).
   * @throws MonitorError
   */
  static create(init: NewChannelMonitor, options: ChannelMonitorOptions): ChannelMonitor {
    const backend = options.backend ?? defaultSecp256k1;
    const holder = validateNewMonitor(init, backend);
    const state: MonitorState = {
      channelId: init.channelId,
      counterpartyNodeId: init.counterpartyNodeId,
      channelKeysId: init.channelKeysId,
      parameters: init.parameters,
      destinationScript: init.destinationScript,
      ...(init.shutdownScript === undefined ? {} : { shutdownScript: init.shutdownScript }),
      latestUpdateId: 0n,
      holderCurrent: holder,
      counterpartyCurrent: init.counterpartyCommitment,
      counterpartyPast: new Map(),
      secrets: new CounterpartySecrets(),
      preimages: new Map(),
      closedByManager: false,
      bestBlock: init.bestBlock,
      finalHeight: 0,
      outputs: new Map(),
      packages: [],
      nextPackageId: 1,
      resolvedSources: new Map(),
      reportedCommitments: new Set(),
      pendingMonitorEvents: [],
      pendingSpendableEvents: [],
    };
    const monitor = new ChannelMonitor(state, options);
    monitor.validateHolderInSigner(holder);
    return monitor;
  }

  /** A monitor from state read back from storage (see codec/monitor-codec.ts). */
  static fromState(state: MonitorState, options: ChannelMonitorOptions): ChannelMonitor {
    const monitor = new ChannelMonitor(state, options);
    // Rebuild and rebroadcast every claim on the next block: nothing of them but
    // their fee rates was stored, and bump events are not stored at all.
    for (const p of state.packages) p.stale = true;
    monitor.validateHolderInSigner(state.holderCurrent);
    return monitor;
  }

  /**
   * Reads a monitor written by {@link serialize}.
   * @throws MonitorError `malformed`, `unsupported_version`, or `inconsistent` (the signer provider has other keys)
   */
  static read(bytes: Uint8Array, options: ChannelMonitorOptions): ChannelMonitor {
    return ChannelMonitor.fromState(decodeMonitorState(bytes), options);
  }

  /** The monitor's state as bytes (versioned): what a Persist implementation stores. */
  serialize(): Uint8Array {
    return encodeMonitorState(this.state);
  }

  private deriveSigner(): ChannelSigner {
    const p = this.state.parameters;
    const signer = this.options.signerProvider.deriveChannelSigner(p.fundingAmountSat, this.state.channelKeysId);
    if (!equalBytes(signer.pubkeys.fundingPubkey, p.holderPubkeys.fundingPubkey) || !equalBytes(signer.pubkeys.revocationBasepoint, p.holderPubkeys.revocationBasepoint)) {
      throw new MonitorError('inconsistent', 'the signer derived from the channel keys id has other keys than the channel parameters');
    }
    signer.provideChannelParameters(p);
    return signer;
  }

  /** The monitor's storage name: `<funding txid display hex>_<output index>` (MONEY.md). */
  get name(): string {
    return monitorName(this.state.parameters.fundingOutpoint);
  }

  get channelId() {
    return this.state.channelId;
  }

  get latestUpdateId(): bigint {
    return this.state.latestUpdateId;
  }

  /** Sets the ChainMonitor's hooks and reports every output already watched to them. */
  attach(hooks: MonitorHooks): void {
    this.hooks = hooks;
    const p = this.state.parameters;
    hooks.watch(p.fundingOutpoint, p2wsh(fundingScript(p.holderPubkeys.fundingPubkey, p.counterpartyPubkeys.fundingPubkey)));
    for (const o of this.state.outputs.values()) if (!isSpendableKind(o)) hooks.watch(o.outpoint, o.script);
  }

  /** Runs `fn` after every earlier asynchronous step of this monitor (signing keeps its order). */
  private enqueue(fn: () => Promise<void>): Promise<void> {
    const run = this.queue.then(fn).catch((err: unknown) => this.log('error', 'monitor step failed', { error: String(err) }));
    this.queue = run;
    return run;
  }

  /** Resolves when every queued step (signing, claims) is done. */
  whenIdle(): Promise<void> {
    return this.queue;
  }

  private log(level: 'debug' | 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>): void {
    if (!isLogEnabled(this.logger, level)) return;
    this.logger.log({ level, module: 'ln-monitor/channel-monitor', message, channel: toHex(this.state.channelId), ...(fields === undefined ? {} : { fields }) });
  }

  // ---------- updates from ChannelManager ----------

  /**
   * Checks and applies an update, all or nothing.
   * @throws MonitorError (the monitor is unchanged)
   */
  applyUpdate(update: ChannelMonitorUpdate): void {
    const prepared = prepareUpdate(this.state, update, this.backend);
    const effects = applyPrepared(this.state, update.updateId, prepared);
    this.afterUpdate(effects);
  }

  private afterUpdate(effects: UpdateEffects): void {
    this.dirty = true;
    for (const record of effects.holderCommitments) this.validateHolderInSigner(record);
    this.recomputeForceCloseHeight();
    if (effects.broadcastRequested) this.log('info', 'broadcasting our commitment: force closed by ChannelManager');
    if (effects.preimageAdded || effects.broadcastRequested || effects.secretAdded) {
      if (effects.secretAdded) this.reclassifyFundingSpend();
      const height = this.state.bestBlock.height;
      void this.enqueue(() => this.runClaims(height));
    }
  }

  private recomputeForceCloseHeight(): void {
    this.forceCloseAt = forceCloseHeight(this.state)?.height;
  }

  /** A secret that revokes the counterparty commitment already on chain turns it into a punishable one. */
  private reclassifyFundingSpend(): void {
    const spend = this.state.fundingSpend;
    if (spend === undefined || spend.kind !== 'counterparty' || spend.final) return;
    if (reclassifyFundingSpend(this.chainContext())) this.log('warn', 'the counterparty commitment on chain was revoked meanwhile: punishing it');
  }

  private validateHolderInSigner(record: HolderCommitmentRecord): void {
    void this.enqueue(async () => {
      const n = record.commitment.data.commitmentNumber;
      if (this.signerHolderNumber !== undefined && n !== this.signerHolderNumber + 1n) return;
      const c = record.commitment;
      await this.signer.validateHolderCommitment(c.data, c.counterpartySignature, c.htlcSignatures);
      this.signerHolderNumber = n;
    });
  }

  /** Makes sure the signer holds our current commitment as its current one (before signing it). */
  private async ensureSignerHolder(): Promise<void> {
    const c = this.state.holderCurrent.commitment;
    const n = c.data.commitmentNumber;
    if (this.signerHolderNumber === n) return;
    try {
      await this.signer.validateHolderCommitment(c.data, c.counterpartySignature, c.htlcSignatures);
    } catch {
      // A signer instance that followed another sequence: a fresh one takes up here.
      this.signer = this.deriveSigner();
      await this.signer.validateHolderCommitment(c.data, c.counterpartySignature, c.htlcSignatures);
    }
    this.signerHolderNumber = n;
  }

  // ---------- chain ----------

  /** Every outpoint whose spending concerns this monitor. */
  watchedOutpoints(): OutPoint[] {
    const out: OutPoint[] = [];
    if (this.state.fundingSpend === undefined) out.push(this.state.parameters.fundingOutpoint);
    for (const o of this.state.outputs.values()) if (!isSpendableKind(o) && o.spentBy === undefined) out.push(o.outpoint);
    return out;
  }

  private chainContext(): ChainContext {
    return {
      state: this.state,
      backend: this.backend,
      obscuringFactor: this.obscuring,
      watch: (outpoint, script) => this.hooks.watch(outpoint, script),
      preimageLearned: (htlc, preimage, txid) => this.onPreimageLearned(htlc, preimage, txid),
      commitmentConfirmed: (txid) => this.onCommitmentConfirmed(txid),
    };
  }

  /**
   * A transaction confirmed at `height` (call for each one of a block, in block
   * order, before {@link blockConnected}). Returns true if it concerned the monitor.
   */
  transactionConfirmed(tx: Tx, txid: Txid, height: number): boolean {
    const relevant = processTransaction(this.chainContext(), tx, txid, height);
    if (relevant) {
      this.dirty = true;
      this.recomputeForceCloseHeight();
    }
    return relevant;
  }

  /** True if a block at `height` asks nothing of this monitor but to note the new tip. */
  idleAt(height: number): boolean {
    const s = this.state;
    const unsettledSpend = s.fundingSpend !== undefined && !s.fundingSpend.final;
    const pendingBroadcast = s.holderBroadcast !== undefined && s.fundingSpend === undefined;
    const deadline = !isClosed(s) && this.forceCloseAt !== undefined && height >= this.forceCloseAt;
    return s.outputs.size === 0 && s.packages.length === 0 && !unsettledSpend && !pendingBroadcast && !deadline;
  }

  /**
   * The tip moved to `height` (after the block's transactions were given): settles
   * what is deep enough, checks HTLC deadlines, and runs the claims.
   */
  blockConnected(height: number, blockHash: BlockHash): Promise<void> {
    this.state.bestBlock = { height, blockHash };
    if (this.idleAt(height)) return this.queue;
    return this.enqueue(() => this.processBlock(height));
  }

  /** The block at `height` (the tip) left the best chain; `previousHash` is the new tip's. */
  blockDisconnected(height: number, previousHash: BlockHash): void {
    if (disconnectFrom(this.state, height)) {
      this.dirty = true;
      this.recomputeForceCloseHeight();
      this.log('info', 'reorganization undid chain state', { height });
    }
    this.state.bestBlock = { height: height - 1, blockHash: previousHash };
  }

  /** A transaction given before left the best chain (Confirm): undo from its height. */
  transactionUnconfirmed(txid: Txid): void {
    const entry = relevantTxids(this.state).get(toHex(txid));
    if (entry === undefined) return;
    if (disconnectFrom(this.state, entry.height)) {
      this.dirty = true;
      this.recomputeForceCloseHeight();
    }
  }

  /** Transactions whose confirmation the monitor depends on. */
  relevantTxids(): RelevantTxid[] {
    return [...relevantTxids(this.state).values()].map(({ txid, height }) => ({ txid, height }));
  }

  private async processBlock(height: number): Promise<void> {
    const s = this.state;
    const fin = finalizeMatured(s, height);
    if (fin.changed) this.dirty = true;
    for (const { htlc, txid } of fin.failedHtlcs) this.pushMonitorEvent(this.resolvedEvent(htlc, txid));
    if (fin.spendable.length > 0) {
      s.pendingSpendableEvents.push({ kind: 'spendable_outputs', channelId: s.channelId, counterpartyNodeId: s.counterpartyNodeId, outputs: fin.spendable });
      this.hooks.eventsPending();
    }
    // Closed by ChannelManager without a broadcast means our commitment must not go
    // out (it may be stale and punished): no automatic force close then.
    if (!isClosed(s)) {
      const reason = forceCloseReason(s, height);
      if (reason !== undefined) {
        s.holderBroadcast = reason;
        this.dirty = true;
        this.log('warn', `force closing: ${reason}`);
        this.pushMonitorEvent({ kind: 'holder_force_closed', channelId: s.channelId, counterpartyNodeId: s.counterpartyNodeId, reason });
      }
    }
    await this.runClaims(height);
  }

  private async runClaims(height: number): Promise<void> {
    const claimables = collectClaimables(this.state, height);
    if (reconcilePackages(this.state, claimables, height)) this.dirty = true;
    if (await this.runner.run(claimables, height)) this.dirty = true;
  }

  /** Rebroadcasts every claim as it was last broadcast (no fee change): call on a timer. */
  rebroadcastPendingClaims(): Promise<void> {
    if (this.state.packages.length === 0) return this.queue;
    return this.enqueue(() => this.runner.rebroadcast());
  }

  // ---------- events ----------

  private resolvedEvent(htlc: MonitorHtlc, txid: Txid, preimage?: Uint8Array): MonitorEvent {
    return {
      kind: 'htlc_resolved',
      channelId: this.state.channelId,
      counterpartyNodeId: this.state.counterpartyNodeId,
      source: htlc.source!,
      paymentHash: htlc.paymentHash,
      amountMsat: htlc.amountMsat,
      ...(preimage === undefined ? {} : { preimage }),
      txid,
    };
  }

  private onPreimageLearned(htlc: MonitorHtlc, preimage: Uint8Array, txid: Txid): void {
    if (htlc.source === undefined) return;
    const key = toHex(htlc.source);
    if (this.state.resolvedSources.get(key) === 'claimed') return;
    this.state.resolvedSources.set(key, 'claimed');
    this.log('info', 'preimage learned on chain', { paymentHash: toHex(htlc.paymentHash) });
    this.pushMonitorEvent(this.resolvedEvent(htlc, txid, preimage));
  }

  private onCommitmentConfirmed(txid: Txid): void {
    const key = toHex(txid);
    if (this.state.reportedCommitments.has(key)) return;
    this.state.reportedCommitments.add(key);
    this.pushMonitorEvent({ kind: 'commitment_tx_confirmed', channelId: this.state.channelId, counterpartyNodeId: this.state.counterpartyNodeId, txid });
  }

  private pushMonitorEvent(event: MonitorEvent): void {
    this.state.pendingMonitorEvents.push(event);
    this.dirty = true;
    this.hooks.eventsPending();
  }

  /** True if events for ChannelManager are waiting. */
  hasMonitorEvents(): boolean {
    return this.state.pendingMonitorEvents.length > 0;
  }

  /** Events for ChannelManager, oldest first; the monitor forgets them. */
  takeMonitorEvents(): MonitorEvent[] {
    if (this.state.pendingMonitorEvents.length === 0) return [];
    this.dirty = true;
    return this.state.pendingMonitorEvents.splice(0);
  }

  /** SpendableOutputs events waiting (not removed: see {@link dropSpendableEvent}). */
  spendableEvents(): readonly SpendableOutputsEvent[] {
    return this.state.pendingSpendableEvents;
  }

  /** Forgets a SpendableOutputs event the application handled. */
  dropSpendableEvent(event: SpendableOutputsEvent): void {
    const i = this.state.pendingSpendableEvents.indexOf(event);
    if (i >= 0) {
      this.state.pendingSpendableEvents.splice(i, 1);
      this.dirty = true;
    }
  }

  /** BumpTransaction events since the last call (not persisted: re-emitted on the next bump). */
  takeBumpEvents(): BumpTransactionEvent[] {
    return this.bumpEvents.splice(0);
  }

  // ---------- persistence ----------

  /** True if the state changed since the last {@link markPersisted}. */
  get needsPersist(): boolean {
    return this.dirty;
  }

  /** The caller took a snapshot for storage. */
  markPersisted(): void {
    this.dirty = false;
  }

  /** The summary ChannelManager reconciles with at start-up. */
  view(): ChannelMonitorView {
    const s = this.state;
    return {
      channelId: s.channelId,
      counterpartyNodeId: s.counterpartyNodeId,
      fundingOutpoint: s.parameters.fundingOutpoint,
      channelKeysId: s.channelKeysId,
      latestUpdateId: s.latestUpdateId,
      holderCommitmentNumber: s.holderCurrent.commitment.data.commitmentNumber,
      counterpartyCommitmentNumber: s.counterpartyCurrent.data.commitmentNumber,
      closed: isClosed(s),
      outboundHtlcs: liveOutboundHtlcs(s).map((h) => {
        const resolution = s.resolvedSources.get(toHex(h.source!));
        const preimage = resolution === 'claimed' ? s.preimages.get(toHex(h.paymentHash)) : undefined;
        return {
          source: h.source!,
          paymentHash: h.paymentHash,
          amountMsat: h.amountMsat,
          ...(preimage === undefined ? {} : { preimage }),
          ...(resolution === 'failed' ? { failed: true } : {}),
        };
      }),
    };
  }

  /** True when the channel is closed and nothing on chain is left to watch. */
  isFullyResolved(): boolean {
    const s = this.state;
    return s.fundingSpend?.final === true && s.outputs.size === 0 && s.packages.length === 0 && s.pendingSpendableEvents.length === 0;
  }
}

/** A monitor's storage name from its funding outpoint: `<txid display hex>_<index>`. */
export function monitorName(fundingOutpoint: OutPoint): string {
  return `${toHex(reverseBytes(fundingOutpoint.txid))}_${fundingOutpoint.index}`;
}
