// ChannelManager: the public face. It implements ChannelMessageHandler (the
// PeerManager dispatches BOLT 2 messages to it), Listen and Confirm (blocks and
// transactions), and the user API after LDK's ChannelManager. It does nothing
// unless called: messages in, blocks in, timerTickOccurred.

import type { BlockHeader, Block, BlockTransaction, Tx } from 'ln-tx';
import type { Confirm, Listen, RelevantTxid } from 'ln-chain-api';
import type { ChannelMessage, ChannelMessageHandler, MessageSendEvent, PeerConnectedResult, PeerInit } from 'ln-peer-api';
import { type ChannelId, type NodeId, type Txid, toHex } from 'ln-types';
import type { ErrorMessage } from 'ln-wire';
import { DEFAULT_USER_CONFIG, type UserConfig } from '../config.js';
import { ApiError, failChannel } from '../errors.js';
import type { Event } from '../events.js';
import type { ChannelHandle, FundedChannel, UnfundedChannel } from './channel-handle.js';
import * as chain from './chain.js';
import { closeChannel, handleClosingSigned, handleShutdown, maybeStartClosing } from './close-flow.js';
import { handleCommitmentSigned, handleRevokeAndAck, handleUpdate, requestFlush } from './commit-flow.js';
import { type ChannelManagerArgs, ManagerCore, errorMessage } from './core.js';
import { type ChannelDetails, channelDetails } from './details.js';
import type { HtlcHandler, LockedInHtlc, OfferedHtlc, PaymentsContext } from './htlc-handler.js';
import { type HtlcToSend, addHtlc, claimHtlc, failHtlc, failInboundWithCode, failMalformedHtlc } from './htlc-ops.js';
import { PaymentsHandler, type PaymentsOptions } from '../payments/manager-handler.js';
import { paymentChannelOf } from './payment-channels.js';
import { ManagerPayments } from './payments-api.js';
import {
  acceptInbound,
  createChannel,
  fundingTransactionGenerated,
  handleAcceptChannel,
  handleChannelReady,
  handleFundingCreated,
  handleFundingSigned,
  handleOpenChannel,
  onMonitorProgress,
  retryOpenWithWeakerType,
  abandonBatch,
} from './open-flow.js';
import { ourInitFeatures } from './policy.js';
import { channelPeerConnected, channelPeerDisconnected, handleChannelReestablish } from './reestablish-flow.js';
import { UNACCEPTED_INBOUND_CHANNEL_AGE_LIMIT_TICKS, UNFUNDED_CHANNEL_AGE_LIMIT_TICKS } from '../channel/constants.js';
import { projectedSpec } from '../channel/fees.js';
import { readManager, writeManager, type ChannelManagerReadArgs, type ReadResult } from '../serialization/manager-codec.js';
import { committedIncoming, offeredHtlcsOf } from './payment-channels.js';
import type { Htlc } from '../channel/types.js';

const hex = toHex;

/** Options beyond LDK's constructor arguments. */
export interface ChannelManagerOptions {
  /** The payments engine's router, scorer and currency (used by the default HTLC handler). */
  readonly payments?: PaymentsOptions;
  /** Builds another HtlcHandler than the payments engine (tests of the channel machinery). */
  readonly htlcHandler?: (ctx: PaymentsContext, state: Uint8Array | undefined) => HtlcHandler;
}

/** See the file comment. */
export class ChannelManager extends ManagerPayments implements ChannelMessageHandler, Listen, Confirm {
  readonly #core: ManagerCore;
  readonly #handler: HtlcHandler;

  constructor(args: ChannelManagerArgs, options: ChannelManagerOptions = {}, handlerState?: Uint8Array) {
    const core = new ManagerCore(args, args.config ?? DEFAULT_USER_CONFIG);
    const handlerRef: { h?: HtlcHandler } = {};
    super(core, () => handlerRef.h!);
    this.#core = core;
    const ctx = this.#paymentsContext();
    this.#handler = options.htlcHandler?.(ctx, handlerState) ?? new PaymentsHandler(ctx, args.chainHash, options.payments ?? {}, handlerState);
    handlerRef.h = this.#handler;
    core.handler = this.#handler;
    core.lockedIn = (ch, htlc) => this.#lockedIn(ch, htlc);
    core.failInbound = (ch, htlc, code) => {
      core.activity.start();
      failInboundWithCode(core, ch, htlc, code)
        .catch((e: unknown) => core.internalErrors.push(e))
        .finally(() => core.activity.end());
    };
    core.afterStateChange = (ch, epoch) => this.#afterStateChange(ch, epoch);
  }

  /** Reads a manager written by {@link write}, reconciling it with the monitors (see serialization/reconcile.ts). */
  static async read(bytes: Uint8Array, args: ChannelManagerReadArgs, options: ChannelManagerOptions = {}): Promise<ChannelManager> {
    let manager: ChannelManager | undefined;
    const result: ReadResult = await readManager(bytes, args, (handlerState) => {
      // The stored best block replaces this placeholder in readManager.
      manager = new ChannelManager({ ...args, bestBlock: { blockHash: new Uint8Array(32) as never, height: 0 } }, options, handlerState);
      return manager.#core;
    });
    manager!.#startup = result;
    manager!.#started(args.channelMonitors);
    return manager!;
  }

  #startup: ReadResult | undefined;

  /** What start-up reconciliation did when this manager was read (stale channels, orphan monitors, replays). */
  get startupReconciliation(): ReadResult | undefined {
    return this.#startup;
  }

  /** Tells the HTLC handler what channels and monitors hold after a restart (see HtlcHandler.started). */
  #started(monitors: ChannelManagerReadArgs['channelMonitors']): void {
    const core = this.#core;
    const offered: OfferedHtlc[] = [];
    const seen = new Set<string>();
    const add = (o: OfferedHtlc): void => {
      const k = hex(o.source);
      if (seen.has(k)) return;
      seen.add(k);
      offered.push(o);
    };
    const lockedIn: LockedInHtlc[] = [];
    for (const ch of core.fundedChannels()) {
      const s = ch.state;
      for (const o of offeredHtlcsOf(s)) add({ ...o, channelId: ch.channelId });
      if (ch.closed) continue;
      for (const htlc of committedIncoming(s)) lockedIn.push({ channelId: ch.channelId, counterpartyNodeId: ch.counterpartyNodeId, shortChannelId: s.shortChannelId ?? s.params.outboundScidAlias, htlc });
    }
    for (const m of monitors) for (const h of m.outboundHtlcs) add({ source: h.source, paymentHash: h.paymentHash, amountMsat: h.amountMsat, channelId: m.channelId });
    this.#handler.started?.({ offered, lockedIn });
  }

  /** The manager's state as versioned bytes (store under "" / "" / "manager"). */
  write(): Uint8Array {
    return writeManager(this.#core, this.#handler.write());
  }

  // ---- driving ------------------------------------------------------------

  /** Called (synchronously) whenever messages, events or persistence become pending. Returns an unsubscribe function. */
  subscribe(listener: () => void): () => void {
    this.#core.listeners.add(listener);
    return () => this.#core.listeners.delete(listener);
  }

  /** The state changed since the last {@link getAndClearNeedsPersistence}. */
  get needsPersistence(): boolean {
    return this.#core.persistNeeded;
  }

  /** Whether to persist now (LDK's get_and_clear_needs_persistence): call write() when true. */
  getAndClearNeedsPersistence(): boolean {
    const v = this.#core.persistNeeded;
    this.#core.persistNeeded = false;
    return v;
  }

  /** Resolves once every queued channel task and the HTLC handler's work have run (tests and orderly shutdown). */
  async idle(): Promise<void> {
    for (;;) {
      await this.#core.activity.idle();
      await this.#handler.idle?.();
      if (this.#core.activity.pending === 0) return;
    }
  }

  /** Work queued or running (channel tasks, handler calls). */
  get pendingTasks(): number {
    return this.#core.activity.pending;
  }

  /** Unexpected errors caught in channel tasks (should stay empty; exposed for tests and monitoring). */
  get internalErrors(): readonly unknown[] {
    return this.#core.internalErrors;
  }

  /** Our node id. */
  get nodeId(): NodeId {
    return this.#core.ourNodeId;
  }

  /** The current best block as this manager knows it. */
  get bestBlock(): { blockHash: Uint8Array; height: number } {
    return this.#core.bestBlock;
  }

  /** Housekeeping every ~10 s (LDK's timer_tick_occurred): fee updates, unfunded channel timeouts, payment timeouts. */
  timerTickOccurred(): void {
    const core = this.#core;
    this.#processMonitorEvents();
    for (const ch of new Set(core.channels.values())) {
      if (ch.kind === 'unfunded') {
        ch.ageTicks++;
        if (!ch.isOutbound && ch.stage === 'awaiting_user_accept' && ch.ageTicks > UNACCEPTED_INBOUND_CHANNEL_AGE_LIMIT_TICKS) {
          core.closeUnfunded(ch, { kind: 'processing_error', error: 'not accepted in time' }, 'channel not accepted in time');
        } else if (ch.ageTicks > UNFUNDED_CHANNEL_AGE_LIMIT_TICKS) {
          core.closeUnfunded(ch, { kind: 'funding_timed_out' }, 'channel funding took too long');
        }
        continue;
      }
      if (!ch.connected) ch.disconnectedTicks++;
      else ch.disconnectedTicks = 0;
      this.#maybeUpdateFee(ch);
    }
    this.#handler.timerTickOccurred();
    core.notify();
  }

  #maybeUpdateFee(ch: FundedChannel): void {
    const s = ch.state;
    if (!s.params.isOutbound || s.status !== 'ready' || !ch.canSendUpdates) return;
    const target = this.#core.feerate(s.params.format === 'anchors' ? 'anchor_channel_fee' : 'non_anchor_channel_fee');
    const current = s.holdingCellFee ?? projectedSpec(s).feeratePerKw;
    // LDK: raise whenever the estimate is higher; lower only when it halved (fee churn costs round trips).
    if (target > current || target * 2 < current) {
      this.#core.enqueue(ch, () => {
        s.holdingCellFee = target;
      });
      requestFlush(this.#core, ch);
    }
  }

  /**
   * Sets the commitment fee rate of a channel we opened (sends update_fee when
   * it can be afforded). Normally the timer does this from the FeeEstimator.
   */
  updateChannelFeerate(channelId: ChannelId, counterparty: NodeId, feeratePerKw: number): void {
    const ch = this.#funded(channelId, counterparty);
    if (!ch.state.params.isOutbound) throw new ApiError('api_misuse', 'only the channel opener sets the fee rate');
    if (!Number.isInteger(feeratePerKw) || feeratePerKw < 253) throw new ApiError('invalid_argument', 'fee rate below 253 sat/kw');
    this.#core.enqueue(ch, () => {
      ch.state.holdingCellFee = feeratePerKw;
    });
    requestFlush(this.#core, ch);
  }

  // ---- ChannelMessageHandler ------------------------------------------------

  peerConnected(peer: NodeId, init: PeerInit, _inbound: boolean): PeerConnectedResult {
    const core = this.#core;
    const p = core.peer(peer);
    p.connected = true;
    p.features = init.features;
    for (const ch of core.channelsOf(peer)) if (ch.kind === 'funded' && !ch.closed) channelPeerConnected(core, ch);
    core.markDirty();
  }

  peerDisconnected(peer: NodeId): void {
    const core = this.#core;
    const p = core.peers.get(hex(peer));
    if (p !== undefined) p.connected = false;
    // Messages queued for the old connection must never reach a new one.
    core.pendingMsgEvents = core.pendingMsgEvents.filter((e) => !('nodeId' in e) || e.nodeId === undefined || hex(e.nodeId) !== hex(peer));
    for (const ch of core.channelsOf(peer)) {
      if (ch.kind === 'funded') channelPeerDisconnected(core, ch);
      // Unfunded channels do not survive a disconnection (LDK).
      else core.closeUnfunded(ch, { kind: 'disconnected_peer' });
    }
    core.markDirty();
  }

  provideInitFeatures(_peer: NodeId): Uint8Array {
    return ourInitFeatures(this.#core.config);
  }

  provideNodeFeatures(): Uint8Array {
    return ourInitFeatures(this.#core.config);
  }

  hasChannelsWith(peer: NodeId): boolean {
    return this.#core.channelsOf(peer).length > 0;
  }

  getAndClearPendingMsgEvents(): MessageSendEvent[] {
    this.#processMonitorEvents();
    const out = this.#core.pendingMsgEvents;
    this.#core.pendingMsgEvents = [];
    return out;
  }

  handleMessage(peer: NodeId, message: ChannelMessage): void {
    const core = this.#core;
    try {
      this.#dispatch(peer, message);
    } catch (e) {
      // Nothing escapes handleMessage (PeerManager calls it synchronously).
      core.internalErrors.push(e);
      core.log('error', `handling ${message.type} failed: ${String(e)}`, undefined, peer);
    }
  }

  #dispatch(peer: NodeId, m: ChannelMessage): void {
    const core = this.#core;
    switch (m.type) {
      case 'open_channel':
        handleOpenChannel(core, peer, m);
        return;
      case 'accept_channel':
        return this.#unfunded(peer, m.temporaryChannelId, m.type, (ch) => handleAcceptChannel(core, ch, m));
      case 'funding_created':
        return this.#unfunded(peer, m.temporaryChannelId, m.type, (ch) => handleFundingCreated(core, ch, m));
      case 'funding_signed':
        return this.#unfunded(peer, m.channelId, m.type, async (ch) => {
          try {
            await handleFundingSigned(core, ch, m);
          } catch (e) {
            if (ch.batchId !== undefined) abandonBatch(core, ch.batchId);
            throw e;
          }
        });
      case 'channel_ready':
        return this.#fundedTask(peer, m.channelId, m.type, (ch) => handleChannelReady(core, ch, m));
      case 'update_add_htlc':
      case 'update_fulfill_htlc':
      case 'update_fail_htlc':
      case 'update_fail_malformed_htlc':
      case 'update_fee':
        return this.#fundedTask(peer, m.channelId, m.type, (ch) => handleUpdate(core, ch, m));
      case 'commitment_signed':
        return this.#fundedTask(peer, m.channelId, m.type, (ch, epoch) => handleCommitmentSigned(core, ch, m, epoch));
      case 'revoke_and_ack':
        return this.#fundedTask(peer, m.channelId, m.type, (ch, epoch) => handleRevokeAndAck(core, ch, m, epoch));
      case 'channel_reestablish':
        return this.#fundedTask(peer, m.channelId, m.type, (ch, epoch) => handleChannelReestablish(core, ch, m, epoch));
      case 'shutdown':
        return this.#fundedTask(peer, m.channelId, m.type, (ch, epoch) => handleShutdown(core, ch, m, epoch));
      case 'closing_signed':
        return this.#fundedTask(peer, m.channelId, m.type, (ch, epoch) => handleClosingSigned(core, ch, m, epoch));
      case 'announcement_signatures':
        // We open private channels only (announce_for_forwarding is refused when it differs from ours);
        // a public channel's signatures would go to the gossip layer: not built yet.
        core.log('debug', 'announcement_signatures ignored', m.channelId, peer);
        return;
      case 'peer_storage':
      case 'peer_storage_retrieval':
        // We do not offer or use peer storage (option_provide_storage is not announced).
        return;
      case 'open_channel2':
        core.sendDirect(peer, errorMessage(m.temporaryChannelId, 'dual-funded channels are not supported'));
        return;
      case 'closing_complete':
      case 'closing_sig':
      case 'stfu':
      case 'splice_init':
      case 'splice_ack':
      case 'splice_locked':
      case 'start_batch':
      case 'tx_add_input':
      case 'tx_add_output':
      case 'tx_remove_input':
      case 'tx_remove_output':
      case 'tx_complete':
      case 'tx_signatures':
      case 'tx_init_rbf':
      case 'tx_ack_rbf':
      case 'tx_abort':
      case 'accept_channel2':
        // Features we do not announce: a peer sending these breaks BOLT 9 negotiation. Warn (BOLT 1).
        core.sendDirect(peer, { type: 'warning', channelId: ('channelId' in m ? m.channelId : m.temporaryChannelId) as ChannelId, data: new TextEncoder().encode(`${m.type} is not supported`) });
        return;
    }
  }

  #unknownChannel(peer: NodeId, channelId: Uint8Array, type: string): void {
    // LDK answers an error for a channel it does not have with this peer.
    this.#core.log('debug', `${type} for an unknown channel`, channelId as ChannelId, peer);
    this.#core.sendDirect(peer, errorMessage(channelId, 'unknown channel'));
  }

  #unfunded(peer: NodeId, id: Uint8Array, type: string, f: (ch: UnfundedChannel) => void | Promise<void>): void {
    const ch = this.#core.channel(id, peer);
    if (ch === undefined) return this.#unknownChannel(peer, id, type);
    if (ch.kind !== 'unfunded') {
      this.#core.enqueue(ch, () => failChannel(`${type} on an established channel`));
      return;
    }
    this.#core.enqueue(ch, () => f(ch));
  }

  #fundedTask(peer: NodeId, id: Uint8Array, type: string, f: (ch: FundedChannel, epoch: number) => void | Promise<void>): void {
    const ch = this.#core.channel(id, peer);
    if (ch === undefined) return this.#unknownChannel(peer, id, type);
    if (ch.kind !== 'funded') {
      // It may be funded by a message queued before this one (funding_signed then channel_ready):
      // the funded channel shares the queue, so look it up when the task runs.
      this.#core.enqueue(ch, async () => {
        const now = ch.successor;
        if (now === undefined || now.closed) failChannel(`${type} before the channel is funded`);
        await f(now, now.epoch);
        this.#core.flush(now);
      });
      return;
    }
    this.#core.enqueue(ch, (epoch) => f(ch, epoch));
  }

  handleError(peer: NodeId, message: ErrorMessage): void {
    const core = this.#core;
    const text = new TextDecoder().decode(message.data);
    const all = message.channelId.every((b) => b === 0);
    const targets: ChannelHandle[] = all ? core.channelsOf(peer) : [core.channel(message.channelId, peer)].filter((c): c is ChannelHandle => c !== undefined);
    for (const ch of targets) {
      if (ch.kind === 'unfunded') {
        if (!all && retryOpenWithWeakerType(core, ch)) continue;
        core.closeUnfunded(ch, { kind: 'counterparty_force_closed', peerMessage: text });
      } else {
        // BOLT 1: an error fails the channel; our latest commitment goes on chain.
        core.closeFunded(ch, { kind: 'counterparty_force_closed', peerMessage: text }, { broadcast: true });
      }
    }
  }

  // ---- monitors --------------------------------------------------------------

  #processMonitorEvents(): void {
    const core = this.#core;
    core.processMonitorEvents(
      (ch) => onMonitorProgress(core, ch),
      (e) => {
        const info = { channelId: e.channelId, counterpartyNodeId: e.counterpartyNodeId };
        if (e.preimage !== undefined) core.outboundFulfilled(e.source, e.preimage, info, undefined, e.amountMsat, true);
        else core.outboundFailed(e.source, { kind: 'on_chain' }, info, undefined, e.amountMsat, true);
      },
    );
  }

  /**
   * A monitor update reported `in_progress` is now persisted (LDK's
   * channel_monitor_updated), for applications that learn it other than
   * through `update_completed` monitor events.
   */
  channelMonitorUpdated(channelId: ChannelId, updateId: bigint): void {
    const core = this.#core;
    const ch = core.channels.get(hex(channelId));
    if (ch?.kind === 'funded') {
      ch.gate.completedThrough(updateId);
      onMonitorProgress(core, ch);
      core.flush(ch);
    } else core.closed.get(hex(channelId))?.gate.completedThrough(updateId);
    core.markDirty();
    core.notify();
  }

  // ---- Listen / Confirm ------------------------------------------------------

  blockConnected(block: Block, height: number): void {
    this.transactionsConfirmed(block.header, block.transactions, height);
    this.bestBlockUpdated(block.header, height);
  }

  blockDisconnected(header: BlockHeader, height: number): void {
    const core = this.#core;
    core.bestBlock = { blockHash: header.prevBlockHash, height: height - 1 };
    for (const ch of core.fundedChannels()) {
      const h = ch.state.fundingConfirmedHeight;
      if (h !== undefined && h >= height) chain.transactionUnconfirmed(core, ch.state.params.fundingOutpoint.txid);
    }
    core.markDirty();
    core.notify();
  }

  transactionsConfirmed(header: BlockHeader, transactions: readonly BlockTransaction[], height: number): void {
    chain.transactionsConfirmed(this.#core, header, transactions, height);
    this.#core.notify();
  }

  transactionUnconfirmed(txid: Txid): void {
    chain.transactionUnconfirmed(this.#core, txid);
    this.#core.notify();
  }

  bestBlockUpdated(header: BlockHeader, height: number): void {
    chain.bestBlockUpdated(this.#core, header, height);
    this.#core.notify();
  }

  getRelevantTxids(): readonly RelevantTxid[] {
    return chain.relevantTxids(this.#core);
  }

  // ---- channels API ------------------------------------------------------------

  /**
   * Opens a channel to a connected peer (LDK's create_channel). Returns the
   * temporary channel id; FundingGenerationReady follows when the peer accepts.
   */
  createChannel(counterparty: NodeId, channelValueSat: bigint, pushMsat: bigint, userChannelId: bigint, config?: UserConfig): ChannelId {
    return createChannel(this.#core, counterparty, channelValueSat, pushMsat, userChannelId, config ?? this.#core.config);
  }

  /** The signed funding transaction for a channel (FundingGenerationReady's output). Broadcast by us once the monitor is persisted. */
  fundingTransactionGenerated(temporaryChannelId: ChannelId, counterparty: NodeId, fundingTx: Tx): void {
    fundingTransactionGenerated(this.#core, [this.#unfundedApi(temporaryChannelId, counterparty)], fundingTx);
  }

  /** One funding transaction for several channels: broadcast only when every channel of it is signed and persisted. */
  batchFundingTransactionGenerated(channels: readonly { temporaryChannelId: ChannelId; counterpartyNodeId: NodeId }[], fundingTx: Tx): void {
    fundingTransactionGenerated(this.#core, channels.map((c) => this.#unfundedApi(c.temporaryChannelId, c.counterpartyNodeId)), fundingTx);
  }

  /** Accepts an inbound channel offered by an OpenChannelRequest event. */
  acceptInboundChannel(temporaryChannelId: ChannelId, counterparty: NodeId, userChannelId: bigint): void {
    acceptInbound(this.#core, this.#unfundedApi(temporaryChannelId, counterparty), userChannelId, false);
  }

  /** Accepts an inbound channel with zero confirmations (only from a peer you trust not to double-spend the funding). */
  acceptInboundChannelFromTrustedPeer0conf(temporaryChannelId: ChannelId, counterparty: NodeId, userChannelId: bigint): void {
    acceptInbound(this.#core, this.#unfundedApi(temporaryChannelId, counterparty), userChannelId, true);
  }

  /** Refuses an inbound channel offered by an OpenChannelRequest event. */
  rejectInboundChannel(temporaryChannelId: ChannelId, counterparty: NodeId): void {
    const ch = this.#unfundedApi(temporaryChannelId, counterparty);
    this.#core.closeUnfunded(ch, { kind: 'holder_force_closed', broadcastedLatestTxn: false }, 'channel rejected');
  }

  /** Starts a cooperative close (optionally with a target fee rate and our closing script). */
  closeChannel(channelId: ChannelId, counterparty: NodeId, options: { targetFeeratePerKw?: number; shutdownScript?: Uint8Array } = {}): void {
    const ch = this.#core.channel(channelId, counterparty);
    if (ch === undefined) throw new ApiError('channel_not_found', 'no such channel with this peer');
    if (ch.kind === 'unfunded') {
      this.#core.closeUnfunded(ch, { kind: 'holder_force_closed', broadcastedLatestTxn: false }, 'channel closed before funding');
      return;
    }
    closeChannel(this.#core, ch, options.targetFeeratePerKw, options.shutdownScript);
  }

  /** Force closes: the monitor broadcasts our latest commitment (LDK's force_close_broadcasting_latest_txn). */
  forceCloseBroadcastingLatestTxn(channelId: ChannelId, counterparty: NodeId): void {
    this.#forceClose(channelId, counterparty, true);
  }

  /** Force closes without broadcasting (after restoring an old backup: our commitment may be revoked). */
  forceCloseWithoutBroadcastingTxn(channelId: ChannelId, counterparty: NodeId): void {
    this.#forceClose(channelId, counterparty, false);
  }

  /** Force closes every channel, broadcasting our latest commitments. */
  forceCloseAllChannelsBroadcastingLatestTxn(): void {
    for (const ch of new Set(this.#core.channels.values())) this.#forceClose(ch.kind === 'funded' ? ch.channelId : ch.temporaryChannelId, ch.counterpartyNodeId, true);
  }

  #forceClose(channelId: ChannelId, counterparty: NodeId, broadcast: boolean): void {
    const core = this.#core;
    const ch = core.channel(channelId, counterparty);
    if (ch === undefined) throw new ApiError('channel_not_found', 'no such channel with this peer');
    if (ch.kind === 'unfunded') core.closeUnfunded(ch, { kind: 'holder_force_closed', broadcastedLatestTxn: false }, 'channel closed');
    else core.closeFunded(ch, { kind: 'holder_force_closed', broadcastedLatestTxn: broadcast }, { broadcast, errorMessage: 'channel force-closed' });
    core.notify();
  }

  /** Every channel (funded or not). */
  listChannels(): ChannelDetails[] {
    const core = this.#core;
    const limiting = core.feerate('maximum_fee_estimate');
    return [...new Set(core.channels.values())].map((ch) => channelDetails(ch, core.bestBlock.height, limiting));
  }

  /** Channels that can carry HTLCs now. */
  listUsableChannels(): ChannelDetails[] {
    return this.listChannels().filter((c) => c.isUsable);
  }

  // ---- HTLC primitives (for the payments layer) ------------------------------------

  /** Offers an HTLC on a channel (see {@link HtlcToSend}). @throws ApiError */
  sendHtlc(channelId: ChannelId, htlc: HtlcToSend): void {
    const ch = this.#core.channels.get(hex(channelId));
    if (ch === undefined || ch.kind !== 'funded') throw new ApiError('channel_not_found', 'no such funded channel');
    addHtlc(this.#core, ch, htlc);
  }

  /** Claims an incoming HTLC with its preimage (monitor first, then update_fulfill_htlc). */
  claimHtlc(channelId: ChannelId, htlcId: bigint, preimage: Uint8Array): void {
    claimHtlc(this.#core, channelId, htlcId, preimage);
  }

  /** Fails an incoming HTLC with an encrypted failure reason. */
  failHtlc(channelId: ChannelId, htlcId: bigint, reason: Uint8Array): void {
    failHtlc(this.#core, channelId, htlcId, reason);
  }

  /** Fails an incoming HTLC whose onion is unreadable. */
  failMalformedHtlc(channelId: ChannelId, htlcId: bigint, sha256OfOnion: Uint8Array, failureCode: number): void {
    failMalformedHtlc(this.#core, channelId, htlcId, sha256OfOnion, failureCode);
  }

  // ---- events ---------------------------------------------------------------------

  /**
   * Hands pending events to `handler`, oldest first; each is removed once the
   * handler returns (a throwing handler leaves it, and the rest, for the next call).
   */
  async processPendingEvents(handler: (event: Event) => void | Promise<void>): Promise<void> {
    const core = this.#core;
    this.#processMonitorEvents();
    while (core.pendingEvents.length > 0) {
      const e = core.pendingEvents[0]!;
      await handler(e);
      if (core.pendingEvents[0] === e) core.pendingEvents.shift();
      core.markDirty();
    }
  }

  /** The pending events, without removing them. */
  get pendingEvents(): readonly Event[] {
    return this.#core.pendingEvents;
  }

  // ---- internals ---------------------------------------------------------------------

  #funded(channelId: ChannelId, counterparty: NodeId): FundedChannel {
    const ch = this.#core.channel(channelId, counterparty);
    if (ch === undefined || ch.kind !== 'funded') throw new ApiError('channel_not_found', 'no such funded channel with this peer');
    return ch;
  }

  #unfundedApi(id: ChannelId, counterparty: NodeId): UnfundedChannel {
    const ch = this.#core.channel(id, counterparty);
    if (ch === undefined || ch.kind !== 'unfunded') throw new ApiError('channel_not_found', 'no such unfunded channel with this peer');
    return ch;
  }

  #lockedIn(ch: FundedChannel, htlc: Htlc): void {
    const core = this.#core;
    const locked: LockedInHtlc = {
      channelId: ch.channelId,
      counterpartyNodeId: ch.counterpartyNodeId,
      shortChannelId: ch.state.shortChannelId ?? ch.state.params.outboundScidAlias,
      htlc,
    };
    core.activity.start();
    Promise.resolve()
      .then(() => this.#handler.htlcLockedIn(locked))
      .catch((e: unknown) => {
        core.internalErrors.push(e);
        core.log('error', `HTLC handler failed: ${String(e)}`, ch.channelId);
      })
      .finally(() => {
        core.activity.end();
        core.markDirty();
        core.notify();
      });
  }

  #afterStateChange(ch: FundedChannel, epoch: number): void {
    const core = this.#core;
    if (ch.closed) return;
    core.activity.start();
    maybeStartClosing(core, ch, epoch)
      .then(() => core.flush(ch))
      .catch((e: unknown) => core.internalErrors.push(e))
      .finally(() => core.activity.end());
  }

  #paymentsContext(): PaymentsContext {
    const core = (): ManagerCore => this.#core;
    return {
      get ourNodeId() {
        return core().ourNodeId;
      },
      get nodeSigner() {
        return core().nodeSigner;
      },
      get entropy() {
        return core().entropy;
      },
      get backend() {
        return core().backend;
      },
      config: () => core().config,
      bestHeight: () => core().bestBlock.height,
      highestSeenTimestamp: () => core().highestSeenTimestamp,
      emit: (e) => core().emit(e),
      markDirty: () => core().markDirty(),
      log: (level, message) => core().log(level, message),
      addHtlc: (channelId, h) => this.sendHtlc(channelId, h),
      claimHtlc: (channelId, id, preimage, attribution) => claimHtlc(core(), channelId, id, preimage, attribution),
      failHtlc: (channelId, id, reason, attribution) => failHtlc(core(), channelId, id, reason, attribution),
      failMalformedHtlc: (channelId, id, sha, code) => failMalformedHtlc(core(), channelId, id, sha, code),
      paymentChannels: () => {
        const c = core();
        const limiting = c.feerate('maximum_fee_estimate');
        return c.fundedChannels().filter((ch) => !ch.closed).map((ch) => paymentChannelOf(c, ch, limiting));
      },
      committedIncoming: () =>
        core()
          .fundedChannels()
          .filter((ch) => !ch.closed)
          .flatMap((ch) => committedIncoming(ch.state).map((h) => ({ channelId: ch.channelId, htlcId: h.id }))),
    };
  }
}
