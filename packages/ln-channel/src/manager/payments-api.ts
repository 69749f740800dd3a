// ChannelManager's payment API (LDK's create_invoice / send_payment /
// pay_invoice / send_spontaneous_payment / send_probe / claim_funds /
// fail_htlc_backwards / forward_intercepted_htlc ...), over the payments
// engine that runs as the manager's HTLC handler. ChannelManager extends it.

import { sha256 } from 'ln-crypto';
import type { RouteHintHop } from 'ln-invoice';
import type { Path } from 'ln-router-api';
import { paymentParametersForNode } from 'ln-router-api';
import { equalBytes, type ChannelId, type NodeId, type ShortChannelId } from 'ln-types';
import type { TlvRecord } from 'ln-wire';
import { ApiError } from '../errors.js';
import { MIN_FINAL_CLTV_EXPIRY_DELTA } from '../payments/constants.js';
import type { PaymentEngine, SendPaymentArgs } from '../payments/engine.js';
import type { CreatedInvoice } from '../payments/invoice.js';
import type { InvoicePaymentOptions } from '../payments/invoice-payer.js';
import { PaymentsHandler } from '../payments/manager-handler.js';
import { NO_RETRY, type PaymentDetails, type RetryStrategy } from '../payments/outbound.js';
import type { ManagerCore } from './core.js';
import type { HtlcHandler } from './htlc-handler.js';

/** What an invoice of ours says (the time comes from the highest block time seen unless given). */
export interface InvoiceRequest {
  readonly amountMsat?: bigint;
  readonly description?: string;
  readonly descriptionHash?: Uint8Array;
  readonly expirySeconds?: number;
  readonly minFinalCltvExpiryDelta?: number;
  /** The user's preimage (claimFunds must then be called with it); absent: the node derives one. */
  readonly paymentPreimage?: Uint8Array;
  /** Or only the hash of a preimage kept elsewhere. */
  readonly paymentHash?: Uint8Array;
  readonly paymentMetadata?: Uint8Array;
  /** Hints added as given (an LSP's intercept scid, say). */
  readonly extraRouteHints?: readonly (readonly RouteHintHop[])[];
  readonly nowSeconds?: number;
}

/** Options of createInboundPayment. */
export interface InboundPaymentOptions {
  /** The amount the invoice asks for (absent: any amount). */
  readonly amountMsat?: bigint;
  /** Seconds the payment can be paid for (from the highest block time seen). */
  readonly expirySeconds: number;
  /** The invoice's min_final_cltv_expiry_delta (default and minimum MIN_FINAL_CLTV_EXPIRY_DELTA). */
  readonly minFinalCltvExpiryDelta?: number;
  /** The user's own preimage; absent: the node derives one from its keys (nothing is stored). */
  readonly preimage?: Uint8Array;
}

/** A payment to a channel peer (its BOLT 11 fields given one by one). */
export interface DirectPayment {
  readonly paymentId: Uint8Array;
  readonly payee: NodeId;
  readonly paymentHash: Uint8Array;
  readonly paymentSecret: Uint8Array;
  readonly amountMsat: bigint;
  readonly minFinalCltvExpiryDelta: number;
  readonly paymentMetadata?: Uint8Array;
  /** Use this channel (default: the usable one with the most room). */
  readonly channelId?: ChannelId;
}

/** See the file comment. */
export abstract class ManagerPayments {
  readonly #paymentsCore: ManagerCore;
  readonly #paymentsHandler: () => HtlcHandler;

  protected constructor(core: ManagerCore, handler: () => HtlcHandler) {
    this.#paymentsCore = core;
    this.#paymentsHandler = handler;
  }

  /** The payments engine (the default HTLC handler). @throws ApiError `api_misuse` with another handler */
  get payments(): PaymentEngine {
    const h = this.#paymentsHandler();
    if (!(h instanceof PaymentsHandler)) throw new ApiError('api_misuse', 'this manager runs another HTLC handler');
    return h.engine;
  }

  #after<T>(v: T): T {
    this.#paymentsCore.markDirty();
    this.#paymentsCore.notify();
    return v;
  }

  // ---- receiving ----------------------------------------------------------------------

  /**
   * A BOLT 11 invoice signed by our node (NodeSigner.signInvoice), with a
   * stateless inbound payment behind it and route hints for our private channels.
   */
  async createInvoice(request: InvoiceRequest): Promise<CreatedInvoice> {
    return this.payments.createInvoice({ ...request, nowSeconds: request.nowSeconds ?? this.#paymentsCore.highestSeenTimestamp });
  }

  /**
   * A payment hash and secret for an invoice made elsewhere (LDK's
   * create_inbound_payment / create_inbound_payment_for_hash): nothing is
   * stored; the secret carries the amount, expiry and final cltv delta.
   */
  createInboundPayment(options: InboundPaymentOptions): { paymentHash: Uint8Array; paymentSecret: Uint8Array; preimage: Uint8Array | undefined } {
    const args = {
      ...(options.amountMsat !== undefined && { minAmountMsat: options.amountMsat }),
      expirySeconds: options.expirySeconds,
      nowSeconds: this.#paymentsCore.highestSeenTimestamp,
      ...(options.minFinalCltvExpiryDelta !== undefined && { minFinalCltvExpiryDelta: Math.max(options.minFinalCltvExpiryDelta, MIN_FINAL_CLTV_EXPIRY_DELTA) }),
    };
    if (options.preimage !== undefined) {
      if (options.preimage.length !== 32) throw new ApiError('invalid_argument', 'a preimage is 32 bytes');
      const p = this.payments.createInboundPaymentForHash(sha256(options.preimage), args);
      return { paymentHash: p.paymentHash, paymentSecret: p.paymentSecret, preimage: options.preimage };
    }
    const p = this.payments.createInboundPayment(args);
    return { paymentHash: p.paymentHash, paymentSecret: p.paymentSecret, preimage: p.paymentPreimage };
  }

  /**
   * Claims a payment announced by payment_claimable (every part); payment_claimed follows.
   * @throws PaymentError `unknown_payment` (no claimable payment for that preimage), `invalid_state`
   */
  claimFunds(preimage: Uint8Array): void {
    this.payments.claimFunds(preimage);
    this.#after(undefined);
  }

  /** Fails back every part of a claimable payment (incorrect_or_unknown_payment_details). */
  failHtlcBackwards(paymentHash: Uint8Array): void {
    void this.payments.failHtlcBackwards(paymentHash).finally(() => this.#after(undefined));
  }

  // ---- sending ----------------------------------------------------------------------------

  /**
   * Sends a payment with explicit route parameters (LDK's send_payment). The
   * same `paymentId` never pays twice.
   * @throws PaymentError `duplicate_payment`, `route_not_found`, `no_usable_channel`
   */
  async sendPayment(args: SendPaymentArgs): Promise<void> {
    await this.payments.sendPayment(args);
    this.#after(undefined);
  }

  /**
   * Pays a BOLT 11 invoice (LDK's pay_for_bolt11_invoice), retrying failed
   * parts within `retry`. Returns the payment hash.
   * @throws PaymentError `invalid_invoice`, `invalid_amount`, `duplicate_payment`, `route_not_found`
   */
  async payInvoice(invoice: string, paymentId: Uint8Array, retry: RetryStrategy = { kind: 'attempts', count: 3 }, options: Partial<InvoicePaymentOptions> = {}): Promise<Uint8Array> {
    return this.#after(await this.payments.payInvoice(invoice, paymentId, retry, options));
  }

  /** A keysend payment (LDK's send_spontaneous_payment); returns the payment hash. */
  async sendSpontaneousPayment(args: {
    readonly paymentId: Uint8Array;
    readonly payee: NodeId;
    readonly amountMsat: bigint;
    readonly retry?: RetryStrategy;
    readonly preimage?: Uint8Array;
    readonly customRecords?: readonly TlvRecord[];
    readonly maxTotalRoutingFeeMsat?: bigint;
  }): Promise<Uint8Array> {
    return this.#after(await this.payments.sendSpontaneousPayment({ retry: NO_RETRY, ...args }));
  }

  /** Sends a probe along `path` (probe_successful / probe_failed follow, and the scorer learns). */
  async sendProbe(path: Path): Promise<{ paymentId: Uint8Array; paymentHash: Uint8Array }> {
    return this.#after(await this.payments.sendProbe(path));
  }

  /** Stops retrying a payment (payment_failed once no part is in flight). */
  abandonPayment(paymentId: Uint8Array): void {
    this.payments.abandonPayment(paymentId);
    this.#after(undefined);
  }

  /** Our recent payments (pending, or finished within the idempotency window). */
  listRecentPayments(): PaymentDetails[] {
    return this.payments.listRecentPayments();
  }

  /**
   * Pays a channel peer from its invoice's fields (one hop; the final cltv
   * delta is raised to MIN_FINAL_CLTV_EXPIRY_DELTA when smaller).
   * @throws ApiError `insufficient_funds` at once when no usable channel with the payee can carry the amount
   * (the returned promise then never rejects: a payment that cannot start ends in payment_failed)
   */
  payDirect(p: DirectPayment): Promise<void> {
    const engine = this.payments;
    const channels = this.#paymentsCore.fundedChannels().filter((ch) => p.channelId === undefined || equalBytes(ch.channelId, p.channelId));
    const scids = new Set(channels.map((ch) => ch.state.shortChannelId ?? ch.state.params.outboundScidAlias));
    const usable = engine.firstHops().some((h) => scids.has(h.shortChannelId) && equalBytes(h.counterpartyNodeId, p.payee) && h.nextOutboundHtlcLimitMsat >= p.amountMsat && h.nextOutboundHtlcMinimumMsat <= p.amountMsat);
    if (!usable) throw new ApiError('insufficient_funds', 'no usable channel with the payee can carry this amount now');
    return this.sendPayment({
      paymentId: p.paymentId,
      paymentHash: p.paymentHash,
      recipient: { paymentSecret: p.paymentSecret, ...(p.paymentMetadata !== undefined && { paymentMetadata: p.paymentMetadata }) },
      routeParams: { paymentParams: paymentParametersForNode(p.payee, Math.max(p.minFinalCltvExpiryDelta, MIN_FINAL_CLTV_EXPIRY_DELTA), { maxPathCount: 1 }), finalValueMsat: p.amountMsat },
      retry: NO_RETRY,
      ...(p.channelId !== undefined && { firstHopChannelId: p.channelId }),
    }).catch((e: unknown) => {
      this.#paymentsCore.log('warn', `payDirect refused: ${e instanceof Error ? e.message : String(e)}`);
      if ((e as { code?: string }).code !== 'duplicate_payment') {
        this.#paymentsCore.emit({ kind: 'payment_failed', paymentId: p.paymentId, paymentHash: p.paymentHash, reason: 'route_not_found' });
        this.#after(undefined);
      }
    });
  }

  /** A payment's state: pending, fulfilled or failed (undefined once forgotten). */
  paymentStatus(paymentId: Uint8Array): 'pending' | 'fulfilled' | 'failed' | undefined {
    const d = this.listRecentPayments().find((x) => x.paymentId.length === paymentId.length && x.paymentId.every((b, i) => b === paymentId[i]));
    if (d === undefined) return undefined;
    return d.state === 'abandoned' ? (d.inflightParts > 0 ? 'pending' : 'failed') : d.state;
  }

  // ---- interception (LSPs) --------------------------------------------------------------------

  /** A fake scid for an invoice hint: HTLCs to it come as htlc_intercepted (with UserConfig.acceptInterceptHtlcs). */
  getInterceptScid(): ShortChannelId {
    return this.payments.getInterceptScid();
  }

  /** Forwards an intercepted HTLC over a channel (opened just in time, say). */
  async forwardInterceptedHtlc(interceptId: Uint8Array, nextChannelId: ChannelId, nextNodeId: NodeId, amountToForwardMsat: bigint): Promise<void> {
    await this.payments.forwardInterceptedHtlc(interceptId, nextChannelId, nextNodeId, amountToForwardMsat);
    this.#after(undefined);
  }

  /** Fails an intercepted HTLC back. */
  async failInterceptedHtlc(interceptId: Uint8Array): Promise<void> {
    await this.payments.failInterceptedHtlc(interceptId);
    this.#after(undefined);
  }
}
