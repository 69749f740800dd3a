// ChannelDetails (LDK's list_channels): a snapshot of a channel for the user.

import type { ChannelId, NodeId, OutPoint } from 'ln-types';
import { outboundLimits } from '../channel/fees.js';
import type { FundedStatus } from '../channel/types.js';
import type { ChannelHandle } from './channel-handle.js';

/** What listChannels reports per channel. */
export interface ChannelDetails {
  readonly channelId: ChannelId;
  readonly counterpartyNodeId: NodeId;
  readonly fundingTxo?: OutPoint;
  readonly channelType: Uint8Array;
  /** The real short channel id once the funding confirmed. */
  readonly shortChannelId?: bigint;
  /** Our alias for the channel (usable in route hints before confirmation). */
  readonly outboundScidAlias?: bigint;
  /** The counterparty's alias. */
  readonly inboundScidAlias?: bigint;
  readonly channelValueSat: bigint;
  readonly userChannelId: bigint;
  readonly feeratePerKw: number;
  /** Our balance in our current commitment (HTLCs excluded). */
  readonly balanceMsat: bigint;
  readonly outboundCapacityMsat: bigint;
  readonly nextOutboundHtlcLimitMsat: bigint;
  readonly nextOutboundHtlcMinimumMsat: bigint;
  readonly inboundCapacityMsat: bigint;
  /** The reserve the counterparty requires of us (we cannot spend it). */
  readonly unspendablePunishmentReserveSat?: bigint;
  readonly confirmationsRequired?: number;
  readonly confirmations?: number;
  readonly isOutbound: boolean;
  readonly isChannelReady: boolean;
  /** Ready, connected and reestablished: it can carry HTLCs now. */
  readonly isUsable: boolean;
  readonly isAnnounced: boolean;
  readonly status: FundedStatus | 'unfunded';
  /** HTLCs in our current commitment. */
  readonly pendingHtlcs: number;
  /** Monitor updates given to the Watch and not yet persisted. */
  readonly pendingMonitorUpdates: number;
}

/** The details of one channel. */
export function channelDetails(ch: ChannelHandle, bestHeight: number, limitingFeerate: number): ChannelDetails {
  if (ch.kind === 'unfunded') {
    return {
      channelId: ch.temporaryChannelId,
      counterpartyNodeId: ch.counterpartyNodeId,
      channelType: new Uint8Array(0),
      channelValueSat: ch.channelValueSat,
      userChannelId: ch.userChannelId,
      feeratePerKw: ch.feeratePerKw,
      balanceMsat: ch.isOutbound ? ch.channelValueSat * 1000n - ch.pushMsat : ch.pushMsat,
      outboundCapacityMsat: 0n,
      nextOutboundHtlcLimitMsat: 0n,
      nextOutboundHtlcMinimumMsat: 0n,
      inboundCapacityMsat: 0n,
      isOutbound: ch.isOutbound,
      isChannelReady: false,
      isUsable: false,
      isAnnounced: ch.announced,
      status: 'unfunded',
      pendingHtlcs: 0,
      pendingMonitorUpdates: 0,
    };
  }
  const s = ch.state;
  const p = s.params;
  const limits = outboundLimits(s, limitingFeerate);
  const ready = s.status === 'ready' || s.status === 'shutting_down';
  return {
    channelId: p.channelId,
    counterpartyNodeId: p.counterpartyNodeId,
    fundingTxo: p.fundingOutpoint,
    channelType: p.channelType,
    ...(s.shortChannelId !== undefined && { shortChannelId: s.shortChannelId }),
    outboundScidAlias: p.outboundScidAlias,
    ...(s.counterpartyScidAlias !== undefined && { inboundScidAlias: s.counterpartyScidAlias }),
    channelValueSat: p.channelValueSat,
    userChannelId: p.userChannelId,
    feeratePerKw: s.localCommit.spec.feeratePerKw,
    balanceMsat: s.localCommit.spec.toLocalMsat,
    outboundCapacityMsat: limits.outboundCapacityMsat,
    nextOutboundHtlcLimitMsat: s.status === 'ready' ? limits.nextOutboundHtlcLimitMsat : 0n,
    nextOutboundHtlcMinimumMsat: limits.nextOutboundHtlcMinimumMsat,
    inboundCapacityMsat: limits.inboundCapacityMsat,
    unspendablePunishmentReserveSat: p.counterparty.channelReserveSat,
    confirmationsRequired: p.minimumDepth,
    confirmations: s.fundingConfirmedHeight === undefined ? 0 : bestHeight - s.fundingConfirmedHeight + 1,
    isOutbound: p.isOutbound,
    isChannelReady: ready,
    isUsable: s.status === 'ready' && ch.canSendUpdates,
    isAnnounced: p.announced,
    status: s.status,
    pendingHtlcs: s.localCommit.spec.htlcs.length,
    pendingMonitorUpdates: ch.gate.inFlight.length,
  };
}
