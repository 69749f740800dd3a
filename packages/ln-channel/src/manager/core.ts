// The manager's shared machinery: the registry of peers and channels, the
// per-channel queues, monitor updates and gating, outgoing messages, events,
// closing a channel. The protocol flows (open-flow, commit-flow, ...) work
// through it; ChannelManager is the public face.

import type { BestBlock, BroadcasterInterface, ChannelMonitorUpdate, ChannelMonitorUpdateStep, FeeEstimator, MonitorEvent, Watch } from 'ln-chain-api';
import { feerateWithFloor, type ConfirmationTarget } from 'ln-chain-api';
import { defaultSecp256k1, type Secp256k1Backend } from 'ln-crypto';
import type { MessageSendEvent } from 'ln-peer-api';
import type { EntropySource, NodeSigner, SignerProvider } from 'ln-signer-api';
import { type ChainHash, type ChannelId, type Logger, type LogLevel, type NodeId, isLogEnabled, toHex, utf8ToBytes } from 'ln-types';
import type { Message } from 'ln-wire';
import type { UserConfig } from '../config.js';
import { ChannelError, ProtocolViolation } from '../errors.js';
import type { ClosureReason, Event } from '../events.js';
import type { HoldingCellUpdate } from '../channel/types.js';
import type { UnfundedChannel } from './channel-handle.js';
import { type ChannelHandle, FundedChannel } from './channel-handle.js';
import type { HtlcFailure, HtlcHandler, OutboundHtlcInfo } from './htlc-handler.js';
import type { MonitorGate } from './monitor-gate.js';
import { Activity, SerialQueue } from './serial-queue.js';

/** What ChannelManager needs from the application (LDK's ChannelManager constructor arguments). */
export interface ChannelManagerArgs {
  readonly chainHash: ChainHash;
  readonly feeEstimator: FeeEstimator;
  readonly watch: Watch;
  readonly broadcaster: BroadcasterInterface;
  readonly signerProvider: SignerProvider;
  readonly nodeSigner: NodeSigner;
  readonly entropySource: EntropySource;
  readonly config?: UserConfig;
  readonly logger?: Logger;
  /** The chain tip when the manager is created (new managers only; a read one has its own). */
  readonly bestBlock: BestBlock;
  /** secp256k1 for checking signatures and deriving keys (default: ln-crypto's default, noble). */
  readonly backend?: Secp256k1Backend;
}

/** What we know of a peer. */
export interface PeerState {
  readonly nodeId: NodeId;
  connected: boolean;
  /** Its init features (kept across disconnections, persisted). */
  features: Uint8Array;
}

/** A closed channel whose monitor may still need updates (preimages learned later), after LDK's closed_channel_monitor_update_ids. */
export interface ClosedChannelRecord {
  readonly channelId: ChannelId;
  readonly counterpartyNodeId: NodeId;
  latestUpdateId: bigint;
  readonly gate: MonitorGate;
}

const hex = toHex;

/** The internals shared by the flows. */
export class ManagerCore {
  readonly chainHash: ChainHash;
  readonly feeEstimator: FeeEstimator;
  readonly watch: Watch;
  readonly broadcaster: BroadcasterInterface;
  readonly signerProvider: SignerProvider;
  readonly nodeSigner: NodeSigner;
  readonly entropy: EntropySource;
  readonly logger: Logger | undefined;
  readonly backend: Secp256k1Backend;
  readonly ourNodeId: NodeId;
  config: UserConfig;
  bestBlock: BestBlock;
  /** The highest block timestamp seen (the manager's only notion of time). */
  highestSeenTimestamp = 0;

  readonly peers = new Map<string, PeerState>();
  readonly channels = new Map<string, ChannelHandle>();
  readonly byScid = new Map<bigint, FundedChannel>();
  readonly closed = new Map<string, ClosedChannelRecord>();
  pendingMsgEvents: MessageSendEvent[] = [];
  pendingEvents: Event[] = [];
  readonly activity = new Activity();
  readonly listeners = new Set<() => void>();
  persistNeeded = false;
  handler!: HtlcHandler;
  /** Unexpected errors caught in channel tasks (bugs): logged, and kept for tests to assert none happened. */
  readonly internalErrors: unknown[] = [];

  constructor(args: ChannelManagerArgs, config: UserConfig) {
    this.chainHash = args.chainHash;
    this.feeEstimator = args.feeEstimator;
    this.watch = args.watch;
    this.broadcaster = args.broadcaster;
    this.signerProvider = args.signerProvider;
    this.nodeSigner = args.nodeSigner;
    this.entropy = args.entropySource;
    this.logger = args.logger;
    this.backend = args.backend ?? defaultSecp256k1;
    this.ourNodeId = args.nodeSigner.getNodeId();
    this.config = config;
    this.bestBlock = args.bestBlock;
  }

  log(level: LogLevel, message: string, channel?: ChannelId, peer?: NodeId, fields?: Record<string, unknown>): void {
    const l = this.logger;
    if (l === undefined || !isLogEnabled(l, level)) return;
    l.log({ level, module: 'ln-channel/manager', message, ...(channel && { channel: hex(channel) }), ...(peer && { peer: hex(peer) }), ...(fields && { fields }) });
  }

  // ---- notification and persistence ------------------------------------

  /** Something is pending (messages, events, persistence): wake the driver. */
  notify(): void {
    for (const l of this.listeners) {
      try {
        l();
      } catch (e) {
        this.log('error', `a listener threw: ${String(e)}`);
      }
    }
  }

  /** The state changed: the manager should be persisted. */
  markDirty(): void {
    this.persistNeeded = true;
  }

  emit(event: Event): void {
    this.pendingEvents.push(event);
    this.markDirty();
  }

  feerate(target: ConfirmationTarget): number {
    return feerateWithFloor(this.feeEstimator, target);
  }

  // ---- registry ----------------------------------------------------------

  peer(nodeId: NodeId): PeerState {
    const k = hex(nodeId);
    let p = this.peers.get(k);
    if (p === undefined) {
      p = { nodeId, connected: false, features: new Uint8Array(0) };
      this.peers.set(k, p);
    }
    return p;
  }

  isConnected(nodeId: NodeId): boolean {
    return this.peers.get(hex(nodeId))?.connected ?? false;
  }

  /** The channel with this id and counterparty (both must match, as LDK requires). */
  channel(channelId: Uint8Array, counterparty: NodeId): ChannelHandle | undefined {
    const ch = this.channels.get(hex(channelId));
    if (ch === undefined) return undefined;
    return hex(ch.counterpartyNodeId) === hex(counterparty) ? ch : undefined;
  }

  /** Every channel with a peer. */
  channelsOf(nodeId: NodeId): ChannelHandle[] {
    const k = hex(nodeId);
    const out: ChannelHandle[] = [];
    for (const ch of new Set(this.channels.values())) if (hex(ch.counterpartyNodeId) === k) out.push(ch);
    return out;
  }

  fundedChannels(): FundedChannel[] {
    const out: FundedChannel[] = [];
    for (const ch of new Set(this.channels.values())) if (ch.kind === 'funded') out.push(ch);
    return out;
  }

  register(id: Uint8Array, ch: ChannelHandle): void {
    this.channels.set(hex(id), ch);
  }

  unregister(id: Uint8Array, ch: ChannelHandle): void {
    if (this.channels.get(hex(id)) === ch) this.channels.delete(hex(id));
  }

  /** A queue whose task errors turn into the BOLT reaction for `getChannel()`'s channel. */
  newQueue(getChannel: () => ChannelHandle | undefined): SerialQueue {
    return new SerialQueue(this.activity, (e) => this.taskFailed(getChannel(), e));
  }

  /**
   * Runs `task` on the channel's queue with the connection epoch current when it
   * starts; afterwards releases what may be sent and wakes the driver. Dropped if
   * the channel closed meanwhile.
   */
  enqueue(ch: ChannelHandle, task: (epoch: number) => void | Promise<void>): void {
    ch.queue.push(async () => {
      if (ch.kind === 'funded' && (ch.closed || ch.halted)) return;
      const epoch = ch.kind === 'funded' ? ch.epoch : 0;
      await task(epoch);
      if (ch.kind === 'funded') this.flush(ch);
      this.markDirty();
      this.notify();
    });
  }

  private taskFailed(ch: ChannelHandle | undefined, e: unknown): void {
    if (ch === undefined) {
      this.internalErrors.push(e);
      this.log('error', `task failed outside a channel: ${errorText(e)}`);
      return;
    }
    if (e instanceof ProtocolViolation) {
      this.reactToViolation(ch, e);
    } else {
      // A bug or a signer/store failure: the channel's state was not changed by the
      // failed task (tasks mutate only at the end). Disconnect so that
      // channel_reestablish resynchronises both sides.
      this.internalErrors.push(e);
      this.log('error', `channel task failed: ${errorText(e)}`, ch.kind === 'funded' ? ch.channelId : ch.temporaryChannelId, ch.counterpartyNodeId);
      this.pendingMsgEvents.push({ kind: 'disconnect', nodeId: ch.counterpartyNodeId, message: warningMessage(ch, 'internal error, reconnecting') });
    }
    this.markDirty();
    this.notify();
  }

  /** BOLT 1/2 reaction to a protocol violation on a channel. */
  reactToViolation(ch: ChannelHandle, v: ProtocolViolation): void {
    const id = ch.kind === 'funded' ? ch.channelId : ch.temporaryChannelId;
    this.log(v.code === 'ignore' ? 'debug' : 'warn', `peer broke the protocol (${v.code}): ${v.message}`, id, ch.counterpartyNodeId);
    if (v.code === 'ignore') return;
    if (v.code === 'warn') {
      this.pendingMsgEvents.push({ kind: 'send', nodeId: ch.counterpartyNodeId, message: warningMessage(ch, v.message) });
      return;
    }
    if (ch.kind === 'funded') this.closeFunded(ch, { kind: 'processing_error', error: v.message }, { broadcast: true, errorMessage: v.message });
    else this.closeUnfunded(ch, { kind: 'processing_error', error: v.message }, v.message);
  }

  // ---- monitor updates and gating ---------------------------------------

  /**
   * Gives the Watch an update of the channel's monitor. Messages queued after
   * this (depending on it) wait until it is completed.
   */
  updateMonitor(ch: FundedChannel, steps: ChannelMonitorUpdateStep[]): bigint {
    const updateId = ++ch.state.latestMonitorUpdateId;
    const update: ChannelMonitorUpdate = { channelId: ch.channelId, updateId, steps };
    this.applyUpdate(ch.gate, update, ch);
    this.markDirty();
    return updateId;
  }

  /** Gives an update to the Watch and records its status in `gate`. */
  applyUpdate(gate: MonitorGate, update: ChannelMonitorUpdate, ch?: FundedChannel): void {
    let status: string;
    try {
      status = this.watch.updateChannel(update);
    } catch (e) {
      this.log('error', `Watch.updateChannel threw: ${errorText(e)}`, update.channelId);
      status = 'unrecoverable_error';
    }
    if (status === 'unrecoverable_error') {
      // The update can never be persisted: continuing would send messages whose
      // punishment data is kept nowhere. Stop the channel; the node must alert.
      this.log('error', `monitor update ${update.updateId} can never be persisted: channel halted`, update.channelId);
      gate.recordUpdate(update, false);
      if (ch !== undefined) ch.halted = true;
      return;
    }
    gate.recordUpdate(update, status === 'completed');
  }

  /** The messages of a channel: queued behind its monitor updates, for its current connection. */
  send(ch: FundedChannel, message: Message, epoch: number, dependsOn: bigint = ch.state.latestMonitorUpdateId): void {
    ch.gate.queue(message, dependsOn, epoch);
  }

  /** Moves a channel's releasable messages to the PeerManager's queue. */
  flush(ch: FundedChannel): void {
    if (!ch.connected) return;
    const out = ch.gate.release(ch.epoch);
    for (const message of out) this.pendingMsgEvents.push({ kind: 'send', nodeId: ch.counterpartyNodeId, message });
    if (out.length > 0) this.notify();
  }

  /** A message that depends on no monitor update (channel opening, errors). */
  sendDirect(nodeId: NodeId, message: Message): void {
    this.pendingMsgEvents.push({ kind: 'send', nodeId, message });
    this.notify();
  }

  /** Reads the monitors' news (called on every event-processing pass). */
  processMonitorEvents(onCompleted: (ch: FundedChannel) => void, onResolved: (e: Extract<MonitorEvent, { kind: 'htlc_resolved' }>) => void): void {
    let events: MonitorEvent[];
    try {
      events = this.watch.releasePendingMonitorEvents();
    } catch (e) {
      this.log('error', `Watch.releasePendingMonitorEvents threw: ${errorText(e)}`);
      return;
    }
    for (const e of events) {
      const k = hex(e.channelId);
      const ch = this.channels.get(k);
      switch (e.kind) {
        case 'update_completed':
          if (ch?.kind === 'funded') {
            ch.gate.completedThrough(e.updateId);
            onCompleted(ch);
            this.flush(ch);
          } else this.closed.get(k)?.gate.completedThrough(e.updateId);
          break;
        case 'htlc_resolved':
          onResolved(e);
          break;
        case 'holder_force_closed':
          if (ch?.kind === 'funded') this.closeFunded(ch, { kind: 'holder_force_closed', broadcastedLatestTxn: true }, { broadcast: false, errorMessage: `channel force closed: ${e.reason}` });
          break;
        case 'commitment_tx_confirmed':
          if (ch?.kind === 'funded') this.closeFunded(ch, { kind: 'commitment_tx_confirmed' }, { broadcast: false });
          break;
      }
      this.markDirty();
    }
  }

  // ---- closing -----------------------------------------------------------

  /**
   * Closes a funded channel for good: the monitor is told (broadcasting our
   * latest commitment when `broadcast`), HTLCs still in the holding cell are
   * failed back, the peer gets `errorMessage` as an error, and ChannelClosed is emitted.
   */
  closeFunded(ch: FundedChannel, reason: ClosureReason, opts: { broadcast: boolean; errorMessage?: string; skipMonitorUpdate?: boolean }): void {
    if (ch.closed) return;
    ch.closed = true;
    const s = ch.state;
    s.status = 'closed';
    if (opts.skipMonitorUpdate !== true) this.updateMonitor(ch, [{ kind: 'channel_force_closed', shouldBroadcast: opts.broadcast }]);
    if (opts.errorMessage !== undefined && ch.connected) {
      this.pendingMsgEvents.push({ kind: 'send', nodeId: ch.counterpartyNodeId, message: errorMessage(ch.channelId, opts.errorMessage) });
    }
    this.failHoldingCell(ch, s.holdingCell, 'channel closed');
    s.holdingCell = [];
    // Our HTLCs signed but never committed on the counterparty's side can never resolve on chain: fail them.
    for (const u of [...s.localChanges.proposed]) if (u.kind === 'add' && u.htlc.source !== undefined) this.outboundFailed(u.htlc.source, { kind: 'local', reason: 'channel closed' }, ch, u.htlc.id, u.htlc.amountMsat);
    this.unregister(ch.channelId, ch);
    this.unregister(s.params.temporaryChannelId, ch);
    if (s.shortChannelId !== undefined && this.byScid.get(s.shortChannelId) === ch) this.byScid.delete(s.shortChannelId);
    if (this.byScid.get(s.params.outboundScidAlias) === ch) this.byScid.delete(s.params.outboundScidAlias);
    this.closed.set(hex(ch.channelId), { channelId: ch.channelId, counterpartyNodeId: ch.counterpartyNodeId, latestUpdateId: s.latestMonitorUpdateId, gate: ch.gate });
    if (s.fundingTx !== undefined && !s.fundingBroadcast) this.emit({ kind: 'discard_funding', channelId: ch.channelId, fundingTx: s.fundingTx });
    this.emit({
      kind: 'channel_closed',
      channelId: ch.channelId,
      userChannelId: s.params.userChannelId,
      reason,
      counterpartyNodeId: ch.counterpartyNodeId,
      channelCapacitySat: s.params.channelValueSat,
      channelFundingTxo: s.params.fundingOutpoint,
      lastLocalBalanceMsat: s.localCommit.spec.toLocalMsat,
    });
    this.log('info', `channel closed: ${reason.kind}`, ch.channelId, ch.counterpartyNodeId);
    this.notify();
  }

  /** Forgets an unfunded channel (telling the peer with an error when given). */
  closeUnfunded(ch: UnfundedChannel, reason: ClosureReason, errorText?: string): void {
    this.unregister(ch.temporaryChannelId, ch);
    for (const [k, v] of this.channels) if (v === ch) this.channels.delete(k);
    if (errorText !== undefined && this.isConnected(ch.counterpartyNodeId)) this.sendDirect(ch.counterpartyNodeId, errorMessage(ch.temporaryChannelId, errorText));
    if (ch.fundingTx !== undefined) this.emit({ kind: 'discard_funding', channelId: ch.temporaryChannelId, fundingTx: ch.fundingTx });
    if (ch.isOutbound || ch.stage !== 'awaiting_user_accept') {
      this.emit({
        kind: 'channel_closed',
        channelId: ch.temporaryChannelId,
        userChannelId: ch.userChannelId,
        reason,
        counterpartyNodeId: ch.counterpartyNodeId,
        channelCapacitySat: ch.channelValueSat,
      });
    }
    this.notify();
  }

  /** Fails back the adds of a holding cell (they never left). */
  failHoldingCell(ch: FundedChannel, cell: readonly HoldingCellUpdate[], reason: string): void {
    for (const u of cell) if (u.kind === 'add') this.outboundFailed(u.source, { kind: 'local', reason, failureCode: 0x1007 }, ch, undefined, u.amountMsat);
  }

  // ---- HTLC outcomes -----------------------------------------------------

  /** Hook set by the manager: an incoming HTLC became irrevocably committed. */
  lockedIn: (ch: FundedChannel, htlc: Htlc) => void = () => {};
  /** Hook set by the manager: fail an incoming HTLC with a BOLT 4 code once it is committed. */
  failInbound: (ch: FundedChannel, htlc: Htlc, code: number) => void = () => {};
  /** Hook set by the manager: after a state change (shutdown progress). */
  afterStateChange: (ch: FundedChannel, epoch: number) => void = () => {};

  /** An HTLC we offered was fulfilled (`attribution`: the update_fulfill_htlc's attribution data, stored form). */
  outboundFulfilled(sourceBytes: Uint8Array, preimage: Uint8Array, ch: { channelId: ChannelId; counterpartyNodeId: NodeId }, htlcId: bigint | undefined, amountMsat: bigint, onChain = false, attribution?: Uint8Array): void {
    if (sourceBytes.length === 0) return;
    const info: OutboundHtlcInfo = { channelId: ch.channelId, counterpartyNodeId: ch.counterpartyNodeId, htlcId, amountMsat, onChain };
    this.handler.offeredHtlcFulfilled(sourceBytes, preimage, info, attribution);
    this.markDirty();
  }

  /** An HTLC we offered failed (or never left). */
  outboundFailed(sourceBytes: Uint8Array, failure: HtlcFailure, ch: { channelId: ChannelId; counterpartyNodeId: NodeId }, htlcId: bigint | undefined, amountMsat: bigint, onChain = false): void {
    if (sourceBytes.length === 0) return;
    const info: OutboundHtlcInfo = { channelId: ch.channelId, counterpartyNodeId: ch.counterpartyNodeId, htlcId, amountMsat, onChain };
    this.handler.offeredHtlcFailed(sourceBytes, failure, info);
    this.markDirty();
  }

  /** New funded channel bookkeeping (ids and short channel ids). */
  adopt(ch: FundedChannel): void {
    this.register(ch.channelId, ch);
    this.byScid.set(ch.state.params.outboundScidAlias, ch);
    if (ch.state.shortChannelId !== undefined) this.byScid.set(ch.state.shortChannelId, ch);
  }

  /** A fresh funded channel object around a state. */
  makeFunded(state: ChannelState, signer: ChannelSigner, completedUpdateId: bigint, sharedQueue?: SerialQueue): FundedChannel {
    const ref: { ch?: FundedChannel } = {};
    const queue = sharedQueue ?? this.newQueue(() => ref.ch);
    const params = channelParametersOf(state);
    ref.ch = new FundedChannel(state, signer, params, queue, completedUpdateId);
    return ref.ch;
  }

  /** Throws a ChannelError('internal') — for states the flows rule out. */
  bug(message: string): never {
    throw new ChannelError('internal', message);
  }
}

import { channelParameters as channelParametersFromParams } from '../channel/commitment.js';
import type { ChannelState, Htlc } from '../channel/types.js';
import type { ChannelSigner } from 'ln-signer-api';
function channelParametersOf(state: ChannelState) {
  return channelParametersFromParams(state.params);
}

/** An `error` message for a channel (BOLT 1). */
export function errorMessage(channelId: Uint8Array, text: string): Message {
  return { type: 'error', channelId: channelId as ChannelId, data: utf8ToBytes(text) } as Message;
}

function warningMessage(ch: ChannelHandle, text: string): Extract<Message, { type: 'warning' }> {
  const channelId = ch.kind === 'funded' ? ch.channelId : ch.temporaryChannelId;
  return { type: 'warning', channelId, data: utf8ToBytes(text) } as Extract<Message, { type: 'warning' }>;
}

/** A readable text of anything thrown. */
export function errorText(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}
