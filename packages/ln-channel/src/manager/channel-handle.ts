// The live objects ChannelManager keeps per channel: the plain state (what is
// persisted) plus what only exists at run time (signer, queue, outbox,
// connection state, caches).

import type { ChannelParameters, ChannelSigner } from 'ln-signer-api';
import type { ChannelId, NodeId } from 'ln-types';
import type { OpenChannelMessage } from 'ln-wire';
import type { ChannelTypeInfo } from '../channel/channel-type.js';
import type { ChannelState, SideParams } from '../channel/types.js';
import { MonitorGate } from './monitor-gate.js';
import type { SerialQueue } from './serial-queue.js';

/** What an unfunded channel is waiting for. */
export type UnfundedStage =
  /** We sent open_channel. */
  | 'open_sent'
  /** We got open_channel and wait for the user's decision (OpenChannelRequest). */
  | 'awaiting_user_accept'
  /** We got accept_channel and emitted FundingGenerationReady. */
  | 'awaiting_funding_tx'
  /** We sent funding_created. */
  | 'funding_created_sent'
  /** We sent accept_channel. */
  | 'accept_sent';

/** A channel before its monitor exists (never persisted, as in LDK). */
export class UnfundedChannel {
  readonly kind = 'unfunded' as const;
  stage: UnfundedStage;
  readonly temporaryChannelId: ChannelId;
  readonly counterpartyNodeId: NodeId;
  readonly isOutbound: boolean;
  readonly userChannelId: bigint;
  readonly channelValueSat: bigint;
  readonly pushMsat: bigint;
  readonly channelKeysId: Uint8Array;
  readonly signer: ChannelSigner;
  channelType: ChannelTypeInfo;
  readonly feeratePerKw: number;
  readonly announced: boolean;
  holder: SideParams;
  counterparty: SideParams | undefined;
  counterpartyFirstPoint: Uint8Array | undefined;
  minimumDepth: number;
  /** The open_channel of an inbound channel awaiting the user's decision. */
  openMessage: OpenChannelMessage | undefined;
  /** The user accepted a zero-conf inbound channel from a peer it trusts. */
  trusted0conf = false;
  /** Timer ticks since creation (unfunded channels time out). */
  ageTicks = 0;
  destinationScript: Uint8Array;
  /** The funding transaction (serialized) the user handed us, until it is broadcast. */
  fundingTx: Uint8Array | undefined;
  /** Set when the funding transaction funds several channels (batch): they are broadcast together. */
  batchId: string | undefined;
  readonly queue: SerialQueue;
  /** The funded channel this one became (they share the queue, so messages keep their order). */
  successor: FundedChannel | undefined;

  constructor(init: {
    stage: UnfundedStage;
    temporaryChannelId: ChannelId;
    counterpartyNodeId: NodeId;
    isOutbound: boolean;
    userChannelId: bigint;
    channelValueSat: bigint;
    pushMsat: bigint;
    channelKeysId: Uint8Array;
    signer: ChannelSigner;
    channelType: ChannelTypeInfo;
    feeratePerKw: number;
    announced: boolean;
    holder: SideParams;
    minimumDepth: number;
    destinationScript: Uint8Array;
    queue: SerialQueue;
  }) {
    this.stage = init.stage;
    this.temporaryChannelId = init.temporaryChannelId;
    this.counterpartyNodeId = init.counterpartyNodeId;
    this.isOutbound = init.isOutbound;
    this.userChannelId = init.userChannelId;
    this.channelValueSat = init.channelValueSat;
    this.pushMsat = init.pushMsat;
    this.channelKeysId = init.channelKeysId;
    this.signer = init.signer;
    this.channelType = init.channelType;
    this.feeratePerKw = init.feeratePerKw;
    this.announced = init.announced;
    this.holder = init.holder;
    this.counterparty = undefined;
    this.counterpartyFirstPoint = undefined;
    this.minimumDepth = init.minimumDepth;
    this.openMessage = undefined;
    this.destinationScript = init.destinationScript;
    this.fundingTx = undefined;
    this.batchId = undefined;
    this.queue = init.queue;
  }
}

/** A channel with a monitor: the state machine of BOLT 2 from funding to close. */
export class FundedChannel {
  readonly kind = 'funded' as const;
  state: ChannelState;
  readonly signer: ChannelSigner;
  readonly signerParams: ChannelParameters;
  readonly queue: SerialQueue;
  readonly gate: MonitorGate;
  /** The peer is connected. */
  connected = false;
  /** channel_reestablish was exchanged on the current connection (updates may flow). */
  reestablished = false;
  /** Incremented on every disconnection; messages of an older epoch are dropped. */
  epoch = 0;
  /** The Watch answered `unrecoverable_error`: nothing more may happen on this channel. */
  halted = false;
  /** Closed: tasks still queued are dropped. */
  closed = false;
  /** A holding-cell flush is queued (coalesces user calls). */
  flushQueued = false;
  /** Our per-commitment points, computed through the signer. */
  readonly ourPoints = new Map<bigint, Uint8Array>();
  /** Timer ticks the channel's peer has been disconnected (for ChannelDetails). */
  disconnectedTicks = 0;

  constructor(state: ChannelState, signer: ChannelSigner, signerParams: ChannelParameters, queue: SerialQueue, completedUpdateId: bigint) {
    this.state = state;
    this.signer = signer;
    this.signerParams = signerParams;
    this.queue = queue;
    this.gate = new MonitorGate(completedUpdateId);
  }

  get channelId(): ChannelId {
    return this.state.params.channelId;
  }

  get counterpartyNodeId(): NodeId {
    return this.state.params.counterpartyNodeId;
  }

  /** Updates (adds, removals, fees, commitment_signed) may be sent now. */
  get canSendUpdates(): boolean {
    return this.connected && this.reestablished && !this.halted && !this.closed;
  }
}

/** Either kind of channel. */
export type ChannelHandle = UnfundedChannel | FundedChannel;
