import * as ldk from 'lightningdevkit';
import { type OutPoint, txid as brandTxid } from 'ln-types';
import { type ChannelTypeInfo, channelTypeInfo } from './events.js';
import { fixU128, isNullObject } from './result.js';

/** A channel as LDK's ChannelManager lists it, as plain data. */
export interface ChannelInfo {
  readonly channelId: Uint8Array;
  readonly userChannelId: bigint;
  readonly counterpartyNodeId: Uint8Array;
  /** Undefined until the funding transaction is known. */
  readonly fundingTxo: OutPoint | undefined;
  /** The confirmed short channel id, once the funding has confirmed. */
  readonly shortChannelId: bigint | undefined;
  /** The alias we told the peer to use for this channel (scid alias). */
  readonly outboundScidAlias: bigint | undefined;
  /** The alias the peer gave us. */
  readonly inboundScidAlias: bigint | undefined;
  /** What to put in a route hint or use to forward: the real scid, else the alias. */
  readonly paymentScid: bigint | undefined;
  readonly capacitySat: bigint;
  readonly outboundMsat: bigint;
  readonly inboundMsat: bigint;
  /** The largest HTLC we could send now. */
  readonly nextOutboundHtlcLimitMsat: bigint;
  readonly isOutbound: boolean;
  /** channel_ready exchanged both ways. */
  readonly ready: boolean;
  /** Ready, peer connected, not shutting down. */
  readonly usable: boolean;
  readonly announced: boolean;
  readonly confirmations: number | undefined;
  readonly confirmationsRequired: number | undefined;
  readonly channelType: ChannelTypeInfo | undefined;
  readonly feerateSatPerKw: number | undefined;
  /** Our to_self_delay as the peer imposes it (blocks our own force-close outputs wait). */
  readonly forceCloseSpendDelay: number | undefined;
  readonly pendingInboundHtlcs: number;
  readonly pendingOutboundHtlcs: number;
  /** LDK's shutdown state name when shutting down (`ShutdownInitiated`, `NegotiatingClosingFee`, ...). */
  readonly shutdownState: string | undefined;
}

function optU64(o: ldk.Option_u64Z): bigint | undefined {
  return o instanceof ldk.Option_u64Z_Some ? o.some : undefined;
}

function optU32(o: ldk.Option_u32Z): number | undefined {
  return o instanceof ldk.Option_u32Z_Some ? o.some : undefined;
}

/** Converts LDK's ChannelDetails. */
export function channelInfo(d: ldk.ChannelDetails): ChannelInfo {
  const funding = d.get_funding_txo();
  const type = d.get_channel_type();
  const delay = d.get_force_close_spend_delay();
  const shutdown = d.get_channel_shutdown_state();
  return {
    channelId: d.get_channel_id().get_a().slice(),
    userChannelId: fixU128(d.get_user_channel_id()),
    counterpartyNodeId: d.get_counterparty().get_node_id().slice(),
    fundingTxo: isNullObject(funding) ? undefined : { txid: brandTxid(funding.get_txid().slice()), index: funding.get_index() },
    shortChannelId: optU64(d.get_short_channel_id()),
    outboundScidAlias: optU64(d.get_outbound_scid_alias()),
    inboundScidAlias: optU64(d.get_inbound_scid_alias()),
    paymentScid: optU64(d.get_inbound_payment_scid()) ?? optU64(d.get_outbound_payment_scid()),
    capacitySat: d.get_channel_value_satoshis(),
    outboundMsat: d.get_outbound_capacity_msat(),
    inboundMsat: d.get_inbound_capacity_msat(),
    nextOutboundHtlcLimitMsat: d.get_next_outbound_htlc_limit_msat(),
    isOutbound: Boolean(d.get_is_outbound()),
    ready: Boolean(d.get_is_channel_ready()),
    usable: Boolean(d.get_is_usable()),
    announced: Boolean(d.get_is_announced()),
    confirmations: optU32(d.get_confirmations()),
    confirmationsRequired: optU32(d.get_confirmations_required()),
    channelType: isNullObject(type) ? undefined : channelTypeInfo(type),
    feerateSatPerKw: optU32(d.get_feerate_sat_per_1000_weight()),
    forceCloseSpendDelay: delay instanceof ldk.Option_u16Z_Some ? delay.some : undefined,
    pendingInboundHtlcs: d.get_pending_inbound_htlcs().length,
    pendingOutboundHtlcs: d.get_pending_outbound_htlcs().length,
    shutdownState:
      shutdown instanceof ldk.Option_ChannelShutdownStateZ_Some
        ? ((ldk.ChannelShutdownState as unknown as Record<number, string>)[shutdown.some] ?? String(shutdown.some)).replace('LDKChannelShutdownState_', '')
        : undefined,
  };
}

/** An on-chain balance LDK's monitors can claim (after a close, or at a close for open channels). */
export interface ClaimableBalance {
  /** LDK's Balance variant: `ClaimableOnChannelClose`, `ClaimableAwaitingConfirmations`, `ContentiousClaimable`, `MaybeTimeoutClaimableHTLC`, `MaybePreimageClaimableHTLC`, `CounterpartyRevokedOutputClaimable`. */
  readonly kind: string;
  readonly amountSat: bigint;
  /** For `ClaimableAwaitingConfirmations`: the height at which it becomes spendable. */
  readonly confirmationHeight: number | undefined;
  /** For HTLC balances: the timeout or expiry height. */
  readonly htlcHeight: number | undefined;
  readonly paymentHash: Uint8Array | undefined;
}

/** Converts LDK's Balance. */
export function claimableBalance(b: ldk.Balance): ClaimableBalance {
  const kind = b.constructor.name.replace('Balance_', '');
  const base = { kind, amountSat: b.claimable_amount_satoshis(), confirmationHeight: undefined, htlcHeight: undefined, paymentHash: undefined };
  if (b instanceof ldk.Balance_ClaimableAwaitingConfirmations) return { ...base, confirmationHeight: b.confirmation_height };
  if (b instanceof ldk.Balance_ContentiousClaimable) return { ...base, htlcHeight: b.timeout_height, paymentHash: b.payment_hash.slice() };
  if (b instanceof ldk.Balance_MaybeTimeoutClaimableHTLC) return { ...base, htlcHeight: b.claimable_height, paymentHash: b.payment_hash.slice() };
  if (b instanceof ldk.Balance_MaybePreimageClaimableHTLC) return { ...base, htlcHeight: b.expiry_height, paymentHash: b.payment_hash.slice() };
  return base;
}
