import { sha256 } from 'ln-crypto';
import type { FailureMessage } from 'ln-onion';
import { equalBytesConstantTime } from 'ln-types';
import type { TlvRecord } from 'ln-wire';
import { HTLC_FAIL_BACK_BUFFER, LATENCY_GRACE_PERIOD_BLOCKS } from './constants.js';
import { verifyInboundPayment, type InboundPaymentKeys } from './inbound-payment.js';
import type { PaymentPurpose } from './events.js';
import type { ReceivePayload } from './peel.js';


/** A received HTLC that passed the final-hop checks: a part of a (possibly multi-part) payment. */
export interface AcceptedPart {
  readonly purpose: PaymentPurpose;
  /** What the sender meant this HTLC to deliver (amt_to_forward). */
  readonly senderIntendedValueMsat: bigint;
  /** The total of all parts (total_msat; the HTLC's own amount for single-part keysend). */
  readonly totalMsat: bigint;
  readonly paymentMetadata?: Uint8Array;
  readonly customRecords: readonly TlvRecord[];
}

/** What the final-hop checks need from the node. */
export interface ReceiveContext {
  readonly keys: InboundPaymentKeys;
  /** The current best block height. */
  readonly height: number;
  /** The highest block time seen (seconds), for invoice expiry. */
  readonly nowSeconds: number;
  /** Accept keysend (spontaneous) payments (default true). */
  readonly acceptKeysend?: boolean;
}

/** Accepted, or refused with the BOLT 4 failure to send back. */
export type ReceiveCheck = { readonly ok: true; readonly part: AcceptedPart } | { readonly ok: false; readonly failure: FailureMessage; readonly reason: string };

/**
 * The BOLT 4 final-node checks for an HTLC paying us: cltv against the onion,
 * the expiry not too near, the amount against the onion, then the payment
 * itself (keysend preimage, or payment secret and invoice terms verified
 * statelessly). Multi-part aggregation comes after (ClaimablePayments).
 */
export function checkReceive(
  payload: ReceivePayload,
  htlc: { readonly amountMsat: bigint; readonly cltvExpiry: number; readonly paymentHash: Uint8Array },
  ctx: ReceiveContext,
): ReceiveCheck {
  const unknown: FailureMessage = { name: 'incorrect_or_unknown_payment_details', htlcMsat: htlc.amountMsat, height: ctx.height };
  if (payload.outgoingCltvValue > htlc.cltvExpiry) {
    return { ok: false, failure: { name: 'final_incorrect_cltv_expiry', cltvExpiry: htlc.cltvExpiry }, reason: 'HTLC expiry below the onion outgoing_cltv_value' };
  }
  if (htlc.cltvExpiry <= ctx.height + HTLC_FAIL_BACK_BUFFER + 1) return { ok: false, failure: unknown, reason: 'final HTLC expiry too soon' };
  if (payload.amountMsat > htlc.amountMsat) {
    return { ok: false, failure: { name: 'final_incorrect_htlc_amount', incomingHtlcAmtMsat: htlc.amountMsat }, reason: 'HTLC amount below the onion amt_to_forward' };
  }
  const base = {
    senderIntendedValueMsat: payload.amountMsat,
    customRecords: payload.customRecords,
    ...(payload.paymentMetadata !== undefined && { paymentMetadata: payload.paymentMetadata }),
  };
  if (payload.keysendPreimage !== undefined) {
    if (ctx.acceptKeysend === false) return { ok: false, failure: unknown, reason: 'keysend refused by configuration' };
    // Checked before anything else about the payment, so a probing hop learns nothing from timing.
    if (!equalBytesConstantTime(sha256(payload.keysendPreimage), htlc.paymentHash)) return { ok: false, failure: unknown, reason: 'keysend preimage does not match the hash' };
    const totalMsat = payload.paymentData?.totalMsat ?? payload.amountMsat;
    if (totalMsat < payload.amountMsat) return { ok: false, failure: unknown, reason: 'total_msat below the part amount' };
    return { ok: true, part: { ...base, purpose: { kind: 'spontaneous_payment', paymentPreimage: payload.keysendPreimage }, totalMsat } };
  }
  if (payload.paymentData === undefined) return { ok: false, failure: unknown, reason: 'payment_secret required' };
  const { paymentSecret, totalMsat } = payload.paymentData;
  if (totalMsat < payload.amountMsat) return { ok: false, failure: unknown, reason: 'total_msat below the part amount' };
  const verified = verifyInboundPayment(ctx.keys, htlc.paymentHash, paymentSecret, totalMsat, ctx.nowSeconds, payload.paymentMetadata);
  if (!verified.ok) return { ok: false, failure: unknown, reason: `payment not ours or not payable: ${verified.reason}` };
  const v = verified.payment;
  // Blocks found while the payment travelled are forgiven up to the grace period.
  if (htlc.cltvExpiry + LATENCY_GRACE_PERIOD_BLOCKS < ctx.height + v.minFinalCltvExpiryDelta) {
    return { ok: false, failure: unknown, reason: 'HTLC expiry below the invoice min_final_cltv_expiry_delta' };
  }
  if (v.minAmountMsat > 0n && totalMsat > 2n * v.minAmountMsat) return { ok: false, failure: unknown, reason: 'more than twice the invoice amount' };
  const purpose: PaymentPurpose =
    v.paymentPreimage === undefined ? { kind: 'bolt11_invoice_payment', paymentSecret } : { kind: 'bolt11_invoice_payment', paymentPreimage: v.paymentPreimage, paymentSecret };
  return { ok: true, part: { ...base, purpose, totalMsat } };
}
