import * as ldk from 'lightningdevkit';
import { type OutPoint, type Txid, txid as brandTxid } from 'ln-types';
import { fixU128, isNullObject } from './result.js';

/** The channel type LDK negotiated, as flags. */
export interface ChannelTypeInfo {
  readonly anchors: boolean;
  readonly staticRemoteKey: boolean;
  readonly scidPrivacy: boolean;
  readonly zeroConf: boolean;
}

/** What kind of payment a PaymentClaimable or PaymentClaimed is for. */
export type PaymentPurposeKind = 'bolt11' | 'bolt12_offer' | 'bolt12_refund' | 'spontaneous';

/** One output LDK handed over after a close (SpendableOutputs), described. */
export interface SpendableOutputInfo {
  readonly kind: 'static' | 'delayed_payment' | 'static_payment';
  readonly outpoint: OutPoint;
  readonly amountSat: bigint;
  readonly script: Uint8Array;
  /** LDK's serialized descriptor (SpendableOutputDescriptor::write). */
  readonly descriptor: Uint8Array;
}

/**
 * LDK's events as plain data, copied out of WASM memory while LDK's handler
 * runs (the event is borrowed for that call only). Ids are bytes in LDK's order
 * (txids internal order); amounts are bigint.
 */
export type LdkEvent =
  | { readonly kind: 'FundingGenerationReady'; readonly temporaryChannelId: Uint8Array; readonly counterpartyNodeId: Uint8Array; readonly channelValueSat: bigint; readonly outputScript: Uint8Array; readonly userChannelId: bigint }
  | { readonly kind: 'FundingTxBroadcastSafe'; readonly channelId: Uint8Array; readonly userChannelId: bigint; readonly fundingTxo: OutPoint; readonly counterpartyNodeId: Uint8Array }
  | {
      readonly kind: 'OpenChannelRequest';
      readonly temporaryChannelId: Uint8Array;
      readonly counterpartyNodeId: Uint8Array;
      readonly fundingSat: bigint;
      readonly pushMsat: bigint;
      readonly channelType: ChannelTypeInfo;
      readonly isAnnounced: boolean;
      readonly toSelfDelay: number;
      readonly maxAcceptedHtlcs: number;
    }
  | { readonly kind: 'ChannelPending'; readonly channelId: Uint8Array; readonly userChannelId: bigint; readonly formerTemporaryChannelId: Uint8Array; readonly counterpartyNodeId: Uint8Array; readonly fundingTxo: OutPoint; readonly channelType: ChannelTypeInfo | undefined }
  | { readonly kind: 'ChannelReady'; readonly channelId: Uint8Array; readonly userChannelId: bigint; readonly counterpartyNodeId: Uint8Array; readonly channelType: ChannelTypeInfo }
  | {
      readonly kind: 'ChannelClosed';
      readonly channelId: Uint8Array;
      readonly userChannelId: bigint;
      /** LDK's ClosureReason variant, e.g. `CounterpartyForceClosed`, `LocallyInitiatedCooperativeClosure`. */
      readonly reason: string;
      /** The peer's message or LDK's error text, when the reason has one. */
      readonly reasonDetail: string | undefined;
      readonly counterpartyNodeId: Uint8Array | undefined;
      readonly capacitySat: bigint | undefined;
      readonly fundingTxo: OutPoint | undefined;
      readonly lastLocalBalanceMsat: bigint | undefined;
    }
  | { readonly kind: 'DiscardFunding'; readonly channelId: Uint8Array; readonly fundingTxid: Txid | undefined }
  | {
      readonly kind: 'PaymentClaimable';
      readonly paymentHash: Uint8Array;
      readonly amountMsat: bigint;
      readonly purpose: PaymentPurposeKind;
      /** Known for invoices LDK made and for keysend; undefined for a hash the test registered. */
      readonly preimage: Uint8Array | undefined;
      readonly viaChannelId: Uint8Array;
      readonly claimDeadline: number | undefined;
    }
  | { readonly kind: 'PaymentClaimed'; readonly paymentHash: Uint8Array; readonly amountMsat: bigint; readonly purpose: PaymentPurposeKind; readonly htlcCount: number }
  | { readonly kind: 'PaymentSent'; readonly paymentId: Uint8Array | undefined; readonly paymentHash: Uint8Array; readonly preimage: Uint8Array; readonly feePaidMsat: bigint | undefined }
  | { readonly kind: 'PaymentPathSuccessful'; readonly paymentId: Uint8Array; readonly paymentHash: Uint8Array | undefined }
  | {
      readonly kind: 'PaymentPathFailed';
      readonly paymentId: Uint8Array | undefined;
      readonly paymentHash: Uint8Array;
      readonly permanently: boolean;
      /** `InitialSend` (refused before leaving) or `OnPath`. */
      readonly failure: 'InitialSend' | 'OnPath';
      readonly failureDetail: string | undefined;
      readonly shortChannelId: bigint | undefined;
      /** Node ids of the path's hops. */
      readonly path: Uint8Array[];
    }
  | { readonly kind: 'PaymentFailed'; readonly paymentId: Uint8Array; readonly paymentHash: Uint8Array | undefined; readonly reason: string | undefined }
  | { readonly kind: 'ProbeSuccessful'; readonly paymentId: Uint8Array; readonly paymentHash: Uint8Array }
  | { readonly kind: 'ProbeFailed'; readonly paymentId: Uint8Array; readonly paymentHash: Uint8Array; readonly shortChannelId: bigint | undefined }
  | { readonly kind: 'PendingHTLCsForwardable'; readonly timeForwardableMs: number }
  | { readonly kind: 'HTLCIntercepted'; readonly interceptId: Uint8Array; readonly requestedNextHopScid: bigint; readonly paymentHash: Uint8Array; readonly inboundAmountMsat: bigint; readonly expectedOutboundAmountMsat: bigint }
  | { readonly kind: 'SpendableOutputs'; readonly channelId: Uint8Array | undefined; readonly outputs: SpendableOutputInfo[] }
  | {
      readonly kind: 'PaymentForwarded';
      readonly prevChannelId: Uint8Array | undefined;
      readonly nextChannelId: Uint8Array | undefined;
      readonly feeEarnedMsat: bigint | undefined;
      readonly outboundAmountMsat: bigint | undefined;
      readonly claimFromOnchainTx: boolean;
    }
  | {
      readonly kind: 'HTLCHandlingFailed';
      readonly prevChannelId: Uint8Array;
      /** LDK's HTLCDestination variant: `NextHopChannel`, `UnknownNextHop`, `InvalidForward`, `InvalidOnion`, `FailedPayment`. */
      readonly destination: string;
    }
  | { readonly kind: 'BumpTransaction'; readonly bump: 'ChannelClose' | 'HTLCResolution'; readonly channelId: Uint8Array; readonly claimId: Uint8Array; readonly commitmentTxid: Txid | undefined }
  | { readonly kind: 'ConnectionNeeded'; readonly nodeId: Uint8Array }
  | { readonly kind: 'Other'; readonly name: string };

/** The `kind`s of {@link LdkEvent}. */
export type LdkEventKind = LdkEvent['kind'];

/** An event of a given kind. */
export type LdkEventOf<K extends LdkEventKind> = Extract<LdkEvent, { kind: K }>;

/** Flags of a ChannelTypeFeatures. */
export function channelTypeInfo(t: ldk.ChannelTypeFeatures): ChannelTypeInfo {
  return {
    anchors: Boolean(t.supports_anchors_zero_fee_htlc_tx()),
    staticRemoteKey: Boolean(t.supports_static_remote_key()),
    scidPrivacy: Boolean(t.supports_scid_privacy()),
    zeroConf: Boolean(t.supports_zero_conf()),
  };
}

function bytes32(id: ldk.ChannelId): Uint8Array {
  return id.get_a().slice();
}

function outpointOf(o: ldk.OutPoint | null): OutPoint | undefined {
  if (o === null || isNullObject(o)) return undefined;
  return { txid: brandTxid(o.get_txid().slice()), index: o.get_index() };
}

function option32(o: ldk.Option_ThirtyTwoBytesZ): Uint8Array | undefined {
  return o instanceof ldk.Option_ThirtyTwoBytesZ_Some ? o.some.slice() : undefined;
}

function optionU64(o: ldk.Option_u64Z): bigint | undefined {
  return o instanceof ldk.Option_u64Z_Some ? o.some : undefined;
}

function variant(o: object, prefix: string): string {
  const name = o.constructor.name;
  return name.startsWith(prefix) ? name.slice(prefix.length) : name;
}

function purposeOf(p: ldk.PaymentPurpose): { purpose: PaymentPurposeKind; preimage: Uint8Array | undefined } {
  if (p instanceof ldk.PaymentPurpose_Bolt11InvoicePayment) return { purpose: 'bolt11', preimage: option32(p.payment_preimage) };
  if (p instanceof ldk.PaymentPurpose_Bolt12OfferPayment) return { purpose: 'bolt12_offer', preimage: option32(p.payment_preimage) };
  if (p instanceof ldk.PaymentPurpose_Bolt12RefundPayment) return { purpose: 'bolt12_refund', preimage: option32(p.payment_preimage) };
  if (p instanceof ldk.PaymentPurpose_SpontaneousPayment) return { purpose: 'spontaneous', preimage: p.spontaneous_payment.slice() };
  return { purpose: 'bolt11', preimage: undefined };
}

/** Describes a SpendableOutputDescriptor (kept as its serialized bytes). */
export function spendableOutputInfo(d: ldk.SpendableOutputDescriptor): SpendableOutputInfo {
  const descriptor = d.write();
  if (d instanceof ldk.SpendableOutputDescriptor_StaticOutput) {
    return { kind: 'static', outpoint: outpointOf(d.outpoint)!, amountSat: d.output.value, script: d.output.script_pubkey.slice(), descriptor };
  }
  if (d instanceof ldk.SpendableOutputDescriptor_DelayedPaymentOutput) {
    const inner = d.delayed_payment_output;
    const out = inner.get_output();
    return { kind: 'delayed_payment', outpoint: outpointOf(inner.get_outpoint())!, amountSat: out.value, script: out.script_pubkey.slice(), descriptor };
  }
  const inner = (d as ldk.SpendableOutputDescriptor_StaticPaymentOutput).static_payment_output;
  const out = inner.get_output();
  return { kind: 'static_payment', outpoint: outpointOf(inner.get_outpoint())!, amountSat: out.value, script: out.script_pubkey.slice(), descriptor };
}

/** Converts a borrowed LDK event to plain data (call inside the handler only). */
export function toLdkEvent(e: ldk.Event): LdkEvent {
  if (e instanceof ldk.Event_FundingGenerationReady) {
    return { kind: 'FundingGenerationReady', temporaryChannelId: bytes32(e.temporary_channel_id), counterpartyNodeId: e.counterparty_node_id.slice(), channelValueSat: e.channel_value_satoshis, outputScript: e.output_script.slice(), userChannelId: fixU128(e.user_channel_id) };
  }
  if (e instanceof ldk.Event_FundingTxBroadcastSafe) {
    return { kind: 'FundingTxBroadcastSafe', channelId: bytes32(e.channel_id), userChannelId: fixU128(e.user_channel_id), fundingTxo: outpointOf(e.funding_txo)!, counterpartyNodeId: e.counterparty_node_id.slice() };
  }
  if (e instanceof ldk.Event_OpenChannelRequest) {
    const funds = e.channel_negotiation_type;
    return {
      kind: 'OpenChannelRequest',
      temporaryChannelId: bytes32(e.temporary_channel_id),
      counterpartyNodeId: e.counterparty_node_id.slice(),
      fundingSat: e.funding_satoshis,
      pushMsat: funds instanceof ldk.InboundChannelFunds_PushMsat ? funds.push_msat : 0n,
      channelType: channelTypeInfo(e.channel_type),
      isAnnounced: Boolean(e.is_announced),
      toSelfDelay: e.params.get_to_self_delay(),
      maxAcceptedHtlcs: e.params.get_max_accepted_htlcs(),
    };
  }
  if (e instanceof ldk.Event_ChannelPending) {
    const type = e.channel_type;
    return {
      kind: 'ChannelPending',
      channelId: bytes32(e.channel_id),
      userChannelId: fixU128(e.user_channel_id),
      formerTemporaryChannelId: isNullObject(e.former_temporary_channel_id) ? new Uint8Array(32) : bytes32(e.former_temporary_channel_id),
      counterpartyNodeId: e.counterparty_node_id.slice(),
      fundingTxo: outpointOf(e.funding_txo)!,
      channelType: isNullObject(type) ? undefined : channelTypeInfo(type),
    };
  }
  if (e instanceof ldk.Event_ChannelReady) {
    return { kind: 'ChannelReady', channelId: bytes32(e.channel_id), userChannelId: fixU128(e.user_channel_id), counterpartyNodeId: e.counterparty_node_id.slice(), channelType: channelTypeInfo(e.channel_type) };
  }
  if (e instanceof ldk.Event_ChannelClosed) {
    const r = e.reason;
    let reasonDetail: string | undefined;
    if (r instanceof ldk.ClosureReason_CounterpartyForceClosed) reasonDetail = r.peer_msg.get_a();
    else if (r instanceof ldk.ClosureReason_ProcessingError) reasonDetail = r.err;
    else if (r instanceof ldk.ClosureReason_PeerFeerateTooLow) reasonDetail = `peer feerate ${r.peer_feerate_sat_per_kw} < required ${r.required_feerate_sat_per_kw}`;
    const node = e.counterparty_node_id;
    return {
      kind: 'ChannelClosed',
      channelId: bytes32(e.channel_id),
      userChannelId: fixU128(e.user_channel_id),
      reason: variant(r, 'ClosureReason_'),
      reasonDetail,
      counterpartyNodeId: node === null || node.length === 0 ? undefined : node.slice(),
      capacitySat: optionU64(e.channel_capacity_sats),
      fundingTxo: outpointOf(e.channel_funding_txo),
      lastLocalBalanceMsat: optionU64(e.last_local_balance_msat),
    };
  }
  if (e instanceof ldk.Event_DiscardFunding) {
    const info = e.funding_info;
    let fundingTxid: Txid | undefined;
    if (info instanceof ldk.FundingInfo_OutPoint) fundingTxid = outpointOf(info.outpoint)?.txid;
    else if (info instanceof ldk.FundingInfo_Tx) fundingTxid = undefined;
    return { kind: 'DiscardFunding', channelId: bytes32(e.channel_id), fundingTxid };
  }
  if (e instanceof ldk.Event_PaymentClaimable) {
    const deadline = e.claim_deadline;
    return {
      kind: 'PaymentClaimable',
      paymentHash: e.payment_hash.slice(),
      amountMsat: e.amount_msat,
      ...purposeOf(e.purpose),
      viaChannelId: bytes32(e.via_channel_id),
      claimDeadline: deadline instanceof ldk.Option_u32Z_Some ? deadline.some : undefined,
    };
  }
  if (e instanceof ldk.Event_PaymentClaimed) {
    return { kind: 'PaymentClaimed', paymentHash: e.payment_hash.slice(), amountMsat: e.amount_msat, purpose: purposeOf(e.purpose).purpose, htlcCount: e.htlcs.length };
  }
  if (e instanceof ldk.Event_PaymentSent) {
    return { kind: 'PaymentSent', paymentId: option32(e.payment_id), paymentHash: e.payment_hash.slice(), preimage: e.payment_preimage.slice(), feePaidMsat: optionU64(e.fee_paid_msat) };
  }
  if (e instanceof ldk.Event_PaymentPathSuccessful) {
    return { kind: 'PaymentPathSuccessful', paymentId: e.payment_id.slice(), paymentHash: option32(e.payment_hash) };
  }
  if (e instanceof ldk.Event_PaymentPathFailed) {
    const f = e.failure;
    return {
      kind: 'PaymentPathFailed',
      paymentId: option32(e.payment_id),
      paymentHash: e.payment_hash.slice(),
      permanently: Boolean(e.payment_failed_permanently),
      failure: f instanceof ldk.PathFailure_InitialSend ? 'InitialSend' : 'OnPath',
      failureDetail: f instanceof ldk.PathFailure_InitialSend ? describeApiError(f.err) : undefined,
      shortChannelId: optionU64(e.short_channel_id),
      path: e.path.get_hops().map((h) => h.get_pubkey().slice()),
    };
  }
  if (e instanceof ldk.Event_PaymentFailed) {
    const r = e.reason;
    return { kind: 'PaymentFailed', paymentId: e.payment_id.slice(), paymentHash: option32(e.payment_hash), reason: r instanceof ldk.Option_PaymentFailureReasonZ_Some ? failureReasonName(r.some) : undefined };
  }
  if (e instanceof ldk.Event_ProbeSuccessful) return { kind: 'ProbeSuccessful', paymentId: e.payment_id.slice(), paymentHash: e.payment_hash.slice() };
  if (e instanceof ldk.Event_ProbeFailed) return { kind: 'ProbeFailed', paymentId: e.payment_id.slice(), paymentHash: e.payment_hash.slice(), shortChannelId: optionU64(e.short_channel_id) };
  if (e instanceof ldk.Event_PendingHTLCsForwardable) return { kind: 'PendingHTLCsForwardable', timeForwardableMs: Number(e.time_forwardable) };
  if (e instanceof ldk.Event_HTLCIntercepted) {
    return { kind: 'HTLCIntercepted', interceptId: e.intercept_id.slice(), requestedNextHopScid: e.requested_next_hop_scid, paymentHash: e.payment_hash.slice(), inboundAmountMsat: e.inbound_amount_msat, expectedOutboundAmountMsat: e.expected_outbound_amount_msat };
  }
  if (e instanceof ldk.Event_SpendableOutputs) {
    const id = e.channel_id;
    return { kind: 'SpendableOutputs', channelId: isNullObject(id) ? undefined : bytes32(id), outputs: e.outputs.map(spendableOutputInfo) };
  }
  if (e instanceof ldk.Event_PaymentForwarded) {
    const prev = e.prev_channel_id;
    const next = e.next_channel_id;
    return {
      kind: 'PaymentForwarded',
      prevChannelId: isNullObject(prev) ? undefined : bytes32(prev),
      nextChannelId: isNullObject(next) ? undefined : bytes32(next),
      feeEarnedMsat: optionU64(e.total_fee_earned_msat),
      outboundAmountMsat: optionU64(e.outbound_amount_forwarded_msat),
      claimFromOnchainTx: Boolean(e.claim_from_onchain_tx),
    };
  }
  if (e instanceof ldk.Event_HTLCHandlingFailed) {
    return { kind: 'HTLCHandlingFailed', prevChannelId: bytes32(e.prev_channel_id), destination: variant(e.failed_next_destination, 'HTLCDestination_') };
  }
  if (e instanceof ldk.Event_BumpTransaction) {
    const b = e.bump_transaction;
    if (b instanceof ldk.BumpTransactionEvent_ChannelClose) {
      return { kind: 'BumpTransaction', bump: 'ChannelClose', channelId: bytes32(b.channel_id), claimId: b.claim_id.slice(), commitmentTxid: undefined };
    }
    const h = b as ldk.BumpTransactionEvent_HTLCResolution;
    return { kind: 'BumpTransaction', bump: 'HTLCResolution', channelId: bytes32(h.channel_id), claimId: h.claim_id.slice(), commitmentTxid: undefined };
  }
  if (e instanceof ldk.Event_ConnectionNeeded) return { kind: 'ConnectionNeeded', nodeId: e.node_id.slice() };
  return { kind: 'Other', name: variant(e, 'Event_') };
}

function failureReasonName(r: ldk.PaymentFailureReason): string {
  const name = (ldk.PaymentFailureReason as unknown as Record<number, string>)[r];
  return name === undefined ? String(r) : name.replace('LDKPaymentFailureReason_', '');
}

function describeApiError(err: ldk.APIError): string {
  const detail = (err as { err?: unknown }).err;
  return `${variant(err, 'APIError_')}${typeof detail === 'string' ? `: ${detail}` : ''}`;
}
