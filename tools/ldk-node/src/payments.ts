import * as ldk from 'lightningdevkit';
import { randomBytes, sha256 } from 'ln-crypto';
import { LdkNodeError } from './errors.js';
import { expectOk } from './result.js';

/** A BOLT 11 invoice as LDK reads it. */
export interface DecodedInvoice {
  readonly paymentHash: Uint8Array;
  readonly paymentSecret: Uint8Array;
  readonly payee: Uint8Array;
  readonly amountMsat: bigint | undefined;
  /** Seconds since the epoch. */
  readonly timestamp: bigint;
  readonly expirySecs: bigint;
  readonly minFinalCltvExpiryDelta: bigint;
  /** Number of route hints (private channels of the payee). */
  readonly routeHintCount: number;
}

/** Options of an invoice LDK makes. */
export interface InvoiceOptions {
  /** Omit for an any-amount invoice. */
  readonly amountMsat?: bigint;
  readonly description?: string;
  /** Default 3600. */
  readonly expirySecs?: number;
  readonly minFinalCltvExpiryDelta?: number;
  /** A payment hash whose preimage the test keeps (a hold invoice): PaymentClaimable comes without preimage. */
  readonly paymentHash?: Uint8Array;
}

/** Options of a payment. */
export interface PayOptions {
  /** Cap on routing fees (LDK's default: 1% + 50 sat). */
  readonly maxFeeMsat?: bigint;
  /** For an any-amount invoice. */
  readonly amountMsat?: bigint;
  /** Default: random. The same id never pays twice while the payment is pending. */
  readonly paymentId?: Uint8Array;
  /** Retry attempts on other paths (default 3). */
  readonly retries?: number;
}

/** What a payment was started with. */
export interface SentPayment {
  readonly paymentId: Uint8Array;
  readonly paymentHash: Uint8Array;
  /** Known for keysend (we chose it). */
  readonly preimage?: Uint8Array;
}

function parseInvoice(bolt11: string): ldk.Bolt11Invoice {
  return expectOk(ldk.Bolt11Invoice.constructor_from_str(bolt11), ldk.Result_Bolt11InvoiceParseOrSemanticErrorZ_OK, 'parsing the invoice').res;
}

/** Decodes an invoice with LDK's parser. */
export function decodeInvoice(bolt11: string): DecodedInvoice {
  const inv = parseInvoice(bolt11);
  const amount = inv.amount_milli_satoshis();
  return {
    paymentHash: inv.payment_hash().slice(),
    paymentSecret: inv.payment_secret().slice(),
    payee: inv.recover_payee_pub_key().slice(),
    amountMsat: amount instanceof ldk.Option_u64Z_Some ? amount.some : undefined,
    timestamp: inv.duration_since_epoch(),
    expirySecs: inv.expiry_time(),
    minFinalCltvExpiryDelta: inv.min_final_cltv_expiry_delta(),
    routeHintCount: inv.route_hints().length,
  };
}

/** LDK's own invoice (ChannelManager::create_bolt11_invoice): signed by the node, dated by the best block's time. */
export function createInvoice(cm: ldk.ChannelManager, o: InvoiceOptions = {}): string {
  const description = expectOk(ldk.Description.constructor_new(o.description ?? ''), ldk.Result_DescriptionCreationErrorZ_OK, 'invoice description').res;
  const r = cm.create_bolt11_invoice(
    o.amountMsat === undefined ? ldk.Option_u64Z.constructor_none() : ldk.Option_u64Z.constructor_some(o.amountMsat),
    ldk.Bolt11InvoiceDescription.constructor_direct(description),
    ldk.Option_u32Z.constructor_some(o.expirySecs ?? 3600),
    o.minFinalCltvExpiryDelta === undefined ? ldk.Option_u16Z.constructor_none() : ldk.Option_u16Z.constructor_some(o.minFinalCltvExpiryDelta),
    o.paymentHash === undefined ? ldk.Option_ThirtyTwoBytesZ.constructor_none() : ldk.Option_ThirtyTwoBytesZ.constructor_some(o.paymentHash),
  );
  return expectOk(r, ldk.Result_Bolt11InvoiceSignOrCreationErrorZ_OK, 'creating an invoice').res.to_str();
}

/** Pays a BOLT 11 invoice (decode, route through LDK's router, send with retries). */
export function payInvoice(cm: ldk.ChannelManager, bolt11: string, o: PayOptions = {}): SentPayment {
  const inv = parseInvoice(bolt11);
  const hasAmount = inv.amount_milli_satoshis() instanceof ldk.Option_u64Z_Some;
  if (!hasAmount && o.amountMsat === undefined) throw new LdkNodeError('invalid_argument', 'an any-amount invoice needs amountMsat');
  const params = hasAmount
    ? ldk.UtilMethods.constructor_payment_parameters_from_invoice(inv)
    : ldk.UtilMethods.constructor_payment_parameters_from_variable_amount_invoice(inv, o.amountMsat!);
  const tuple = expectOk(params, ldk.Result_C3Tuple_ThirtyTwoBytesRecipientOnionFieldsRouteParametersZNoneZ_OK, 'payment parameters from the invoice').res;
  const paymentHash = tuple.get_a();
  let routeParams = tuple.get_c();
  if (o.maxFeeMsat !== undefined) {
    routeParams = ldk.RouteParameters.constructor_new(routeParams.get_payment_params(), routeParams.get_final_value_msat(), ldk.Option_u64Z.constructor_some(o.maxFeeMsat));
  }
  const paymentId = o.paymentId ?? randomBytes(32);
  const r = cm.send_payment(paymentHash, tuple.get_b(), paymentId, routeParams, ldk.Retry.constructor_attempts(o.retries ?? 3));
  expectOk(r, ldk.Result_NoneRetryableSendFailureZ_OK, 'sending the payment', ldk.RetryableSendFailure);
  return { paymentId, paymentHash: paymentHash.slice() };
}

/** A spontaneous payment (keysend): the preimage travels in the onion. */
export function keysend(cm: ldk.ChannelManager, payee: Uint8Array, amountMsat: bigint, o: Omit<PayOptions, 'amountMsat'> = {}): SentPayment {
  const preimage = randomBytes(32);
  const payment = ldk.PaymentParameters.constructor_for_keysend(payee, 40, false);
  const routeParams = ldk.RouteParameters.constructor_new(payment, amountMsat, o.maxFeeMsat === undefined ? ldk.Option_u64Z.constructor_none() : ldk.Option_u64Z.constructor_some(o.maxFeeMsat));
  const paymentId = o.paymentId ?? randomBytes(32);
  const r = cm.send_spontaneous_payment(ldk.Option_ThirtyTwoBytesZ.constructor_some(preimage), ldk.RecipientOnionFields.constructor_spontaneous_empty(), paymentId, routeParams, ldk.Retry.constructor_attempts(o.retries ?? 3));
  expectOk(r, ldk.Result_ThirtyTwoBytesRetryableSendFailureZ_OK, 'sending the keysend payment', ldk.RetryableSendFailure);
  return { paymentId, paymentHash: sha256(preimage), preimage };
}

/** Probes each path LDK would use to pay `amountMsat` to `payee` (ProbeSuccessful / ProbeFailed follow). */
export function probe(cm: ldk.ChannelManager, payee: Uint8Array, amountMsat: bigint): { paymentHash: Uint8Array; paymentId: Uint8Array }[] {
  const r = expectOk(
    cm.send_spontaneous_preflight_probes(payee, amountMsat, 40, ldk.Option_u64Z.constructor_none()),
    ldk.Result_CVec_C2Tuple_ThirtyTwoBytesThirtyTwoBytesZZProbeSendFailureZ_OK,
    'sending probes',
  );
  return r.res.map((t) => ({ paymentHash: t.get_a().slice(), paymentId: t.get_b().slice() }));
}
