// What the payments layer reads of the manager's channels: each funded
// channel as a PaymentChannel (policy, aliases, limits), the HTLCs we offered
// (with their sources) and the incoming HTLCs committed and not being removed.

import { toHex, type ShortChannelId } from 'ln-types';
import { outboundLimits } from '../channel/fees.js';
import { removableIncoming } from '../channel/htlc-updates.js';
import type { ChannelState, Htlc } from '../channel/types.js';
import type { PaymentChannel } from '../payments/engine.js';
import type { FundedChannel } from './channel-handle.js';
import type { ManagerCore } from './core.js';

const EMPTY = new Uint8Array(0);

/** A funded channel as the payments engine sees it. */
export function paymentChannelOf(core: ManagerCore, ch: FundedChannel, limitingFeerate: number): PaymentChannel {
  const s = ch.state;
  const p = s.params;
  const limits = outboundLimits(s, limitingFeerate);
  const usable = s.status === 'ready' && ch.canSendUpdates;
  return {
    channelId: p.channelId,
    counterpartyNodeId: p.counterpartyNodeId,
    ...(s.shortChannelId !== undefined && { shortChannelId: s.shortChannelId as ShortChannelId }),
    outboundScidAlias: p.outboundScidAlias as ShortChannelId,
    ...(s.counterpartyScidAlias !== undefined && { inboundScidAlias: s.counterpartyScidAlias as ShortChannelId }),
    isPublic: p.announced,
    isUsable: usable,
    nextOutboundHtlcLimitMsat: usable ? limits.nextOutboundHtlcLimitMsat : 0n,
    nextOutboundHtlcMinimumMsat: limits.nextOutboundHtlcMinimumMsat,
    inboundCapacityMsat: limits.inboundCapacityMsat,
    forwardingPolicy: {
      feeBaseMsat: s.config.forwardingFeeBaseMsat,
      feeProportionalMillionths: s.config.forwardingFeeProportionalMillionths,
      cltvExpiryDelta: s.config.cltvExpiryDelta,
      // The smallest HTLC the counterparty accepts from us.
      htlcMinimumMsat: p.counterparty.htlcMinimumMsat,
    },
    counterpartyFeatures: core.peers.get(toHex(p.counterpartyNodeId))?.features ?? EMPTY,
    channelFeatures: EMPTY,
  };
}

/** HTLCs we offered in a channel's state (commitments, change lists, holding cell), with their sources. */
export function offeredHtlcsOf(s: ChannelState): { source: Uint8Array; paymentHash: Uint8Array; amountMsat: bigint }[] {
  const seen = new Map<string, { source: Uint8Array; paymentHash: Uint8Array; amountMsat: bigint }>();
  const specs = [s.localCommit.spec, s.remoteCommit.spec, ...(s.nextRemoteCommit ? [s.nextRemoteCommit.spec] : [])];
  for (const spec of specs) for (const d of spec.htlcs) if (d.direction === 'out' && d.htlc.source !== undefined) seen.set(`${d.htlc.id}`, { source: d.htlc.source, paymentHash: d.htlc.paymentHash, amountMsat: d.htlc.amountMsat });
  for (const u of [...s.localChanges.proposed, ...s.localChanges.signed, ...s.localChanges.acked]) {
    if (u.kind === 'add' && u.htlc.source !== undefined) seen.set(`${u.htlc.id}`, { source: u.htlc.source, paymentHash: u.htlc.paymentHash, amountMsat: u.htlc.amountMsat });
  }
  const out = [...seen.values()];
  for (const u of s.holdingCell) if (u.kind === 'add') out.push({ source: u.source, paymentHash: u.paymentHash, amountMsat: u.amountMsat });
  return out;
}

/** Incoming HTLCs irrevocably committed, not being removed, and not refused by the channel's own checks. */
export function committedIncoming(s: ChannelState): Htlc[] {
  const out: Htlc[] = [];
  for (const d of s.localCommit.spec.htlcs) {
    if (d.direction !== 'in') continue;
    if (s.inboundFailures.some((f) => f.id === d.htlc.id)) continue;
    const r = removableIncoming(s, d.htlc.id);
    if ('htlc' in r) out.push(r.htlc);
  }
  return out;
}
