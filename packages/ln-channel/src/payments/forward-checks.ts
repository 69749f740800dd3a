import type { FailureMessage } from 'ln-onion';
import type { ChannelId, NodeId, ShortChannelId } from 'ln-types';
import { CLTV_FAR_FAR_AWAY, HTLC_FAIL_BACK_BUFFER, LATENCY_GRACE_PERIOD_BLOCKS } from './constants.js';

/** Our forwarding terms for a channel direction (what our channel_update announces). */
export interface ForwardingPolicy {
  readonly feeBaseMsat: number;
  readonly feeProportionalMillionths: number;
  readonly cltvExpiryDelta: number;
  /** The smallest HTLC the counterparty accepts on this channel. */
  readonly htlcMinimumMsat: bigint;
  /** The largest HTLC we forward over it (absent: no limit beyond the channel's). */
  readonly htlcMaximumMsat?: bigint;
}

/** The channel an HTLC would leave by, as the manager knows it. */
export interface OutgoingChannel {
  readonly channelId: ChannelId;
  readonly counterpartyNodeId: NodeId;
  /** The scid the onion named (real or alias). */
  readonly shortChannelId: ShortChannelId;
  /** Ready and the peer connected. */
  readonly usable: boolean;
  /** Our channel_update for it says disabled. */
  readonly disabled?: boolean;
  readonly policy: ForwardingPolicy;
  /**
   * Our channel_update for the direction out of us, as failures carry it (with
   * its type prefix; the scid must be the one the onion used). Empty or absent:
   * the failure carries a zero-length update, as BOLT 4 allows.
   */
  readonly channelUpdate?: Uint8Array;
}

/** The fee a forward over `policy` must leave us (BOLT 7: base + amount * proportional / 10^6, rounded down). */
export function requiredForwardingFeeMsat(policy: Pick<ForwardingPolicy, 'feeBaseMsat' | 'feeProportionalMillionths'>, amountToForwardMsat: bigint): bigint {
  return BigInt(policy.feeBaseMsat) + (amountToForwardMsat * BigInt(policy.feeProportionalMillionths)) / 1_000_000n;
}

/** The result of the checks: forward, or fail with a BOLT 4 message. */
export type ForwardCheck = { readonly ok: true } | { readonly ok: false; readonly failure: FailureMessage; readonly reason: string };

/**
 * The BOLT 4 forwarding checks, in the spec's order (the first error found is
 * reported): unknown next channel, unusable or disabled channel, amount below
 * the minimum or above the maximum, fee, cltv delta, expiry too soon or too far.
 * `outgoing` is undefined when no channel of ours has the onion's scid.
 */
export function checkForward(
  forward: { readonly amountToForwardMsat: bigint; readonly outgoingCltvValue: number },
  incoming: { readonly amountMsat: bigint; readonly cltvExpiry: number },
  outgoing: OutgoingChannel | undefined,
  height: number,
): ForwardCheck {
  if (outgoing === undefined) return { ok: false, failure: { name: 'unknown_next_peer' }, reason: 'no channel with that short channel id' };
  const update = outgoing.channelUpdate ?? new Uint8Array(0);
  const policy = outgoing.policy;
  if (outgoing.disabled === true) return { ok: false, failure: { name: 'channel_disabled', disabledFlags: 0, channelUpdate: update }, reason: 'outgoing channel disabled' };
  if (!outgoing.usable) return { ok: false, failure: { name: 'temporary_channel_failure', channelUpdate: update }, reason: 'outgoing channel not usable now' };
  if (forward.amountToForwardMsat < policy.htlcMinimumMsat) {
    return { ok: false, failure: { name: 'amount_below_minimum', htlcMsat: forward.amountToForwardMsat, channelUpdate: update }, reason: 'amount below the channel minimum' };
  }
  if (policy.htlcMaximumMsat !== undefined && forward.amountToForwardMsat > policy.htlcMaximumMsat) {
    return { ok: false, failure: { name: 'temporary_channel_failure', channelUpdate: update }, reason: 'amount above the channel maximum' };
  }
  const fee = incoming.amountMsat - forward.amountToForwardMsat;
  if (fee < requiredForwardingFeeMsat(policy, forward.amountToForwardMsat)) {
    return { ok: false, failure: { name: 'fee_insufficient', htlcMsat: incoming.amountMsat, channelUpdate: update }, reason: `fee ${fee} msat below our policy` };
  }
  if (incoming.cltvExpiry < forward.outgoingCltvValue + policy.cltvExpiryDelta) {
    return { ok: false, failure: { name: 'incorrect_cltv_expiry', cltvExpiry: incoming.cltvExpiry, channelUpdate: update }, reason: 'cltv delta below our policy' };
  }
  if (incoming.cltvExpiry <= height + HTLC_FAIL_BACK_BUFFER) {
    return { ok: false, failure: { name: 'expiry_too_soon', channelUpdate: update }, reason: 'incoming HTLC expires too soon' };
  }
  if (incoming.cltvExpiry > height + CLTV_FAR_FAR_AWAY) return { ok: false, failure: { name: 'expiry_too_far' }, reason: 'incoming HTLC expires too far in the future' };
  if (forward.outgoingCltvValue <= height + LATENCY_GRACE_PERIOD_BLOCKS) {
    return { ok: false, failure: { name: 'expiry_too_soon', channelUpdate: update }, reason: 'outgoing HTLC would expire too soon' };
  }
  return { ok: true };
}
