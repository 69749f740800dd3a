import { sha256, type Secp256k1Backend } from 'ln-crypto';
import { assembleInvoice, decodeInvoice, prepareInvoice, type InvoiceCurrency, type InvoiceData, type RouteHintHop } from 'ln-invoice';
import type { EntropySource, NodeSigner } from 'ln-signer-api';
import { isLnError } from 'ln-types';
import { featuresFromBits, FEATURES } from 'ln-wire';
import { DEFAULT_INVOICE_EXPIRY_SECONDS } from './constants.js';
import { PaymentError } from './errors.js';
import { createInboundPayment, createInboundPaymentForHash, type InboundPayment, type InboundPaymentKeys } from './inbound-payment.js';
import { selectRouteHints, type InvoiceChannel } from './route-hints.js';

/** What to put in an invoice. */
export interface CreateInvoiceParams {
  readonly currency: InvoiceCurrency;
  /** Requested amount; absent for an "any amount" invoice. */
  readonly amountMsat?: bigint;
  /** A description (`d`), or... */
  readonly description?: string;
  /** ...the SHA-256 of a longer one (`h`). Exactly one of the two. */
  readonly descriptionHash?: Uint8Array;
  /** Seconds the invoice can be paid for (default 3600). */
  readonly expirySeconds?: number;
  /** min_final_cltv_expiry_delta (default and minimum MIN_FINAL_CLTV_EXPIRY_DELTA). */
  readonly minFinalCltvExpiryDelta?: number;
  /** Creation time, seconds since 1970 (the caller's clock). */
  readonly nowSeconds: number;
  /** The user's own preimage (then the user must pass it to claimFunds); absent: the node derives one. */
  readonly paymentPreimage?: Uint8Array;
  /** Or only the hash of a preimage the user holds elsewhere. */
  readonly paymentHash?: Uint8Array;
  /** payment_metadata (`m`), echoed by the payer and checked by the node. */
  readonly paymentMetadata?: Uint8Array;
  /** Our channels, for route hints to private channels (see selectRouteHints). */
  readonly channels?: readonly InvoiceChannel[];
  /** Extra hints added as given (e.g. through an LSP). */
  readonly extraRouteHints?: readonly (readonly RouteHintHop[])[];
}

/** Everything invoice creation needs from the node. */
export interface InvoiceContext {
  readonly signer: NodeSigner;
  readonly entropy: EntropySource;
  readonly keys: InboundPaymentKeys;
  /** secp256k1 backend for the check that the invoice names our node (default noble). */
  readonly secp256k1?: Secp256k1Backend;
}

/** A created invoice with the inbound payment behind it. */
export interface CreatedInvoice {
  readonly invoice: string;
  readonly payment: InboundPayment;
}

/** The features our invoices carry: var_onion_optin and payment_secret required, basic_mpp optional, payment_metadata when used. */
export function invoiceFeatures(withMetadata: boolean): Uint8Array {
  const bits = [FEATURES.var_onion_optin.bit, FEATURES.payment_secret.bit, FEATURES.basic_mpp.bit + 1];
  if (withMetadata) bits.push(FEATURES.option_payment_metadata.bit + 1);
  return featuresFromBits(bits);
}

/**
 * Creates a BOLT 11 invoice signed through NodeSigner.signInvoice, with a
 * stateless inbound payment behind it (nothing to store: the secret carries
 * the terms). The payee is recovered from the signature (no `n` field).
 * @throws PaymentError `invalid_params`, `invalid_amount`, `invalid_expiry`, `invalid_invoice`
 */
export async function createInvoice(params: CreateInvoiceParams, ctx: InvoiceContext): Promise<CreatedInvoice> {
  if ((params.description === undefined) === (params.descriptionHash === undefined)) {
    throw new PaymentError('invalid_params', 'an invoice has either a description or a description hash');
  }
  if (params.paymentPreimage !== undefined && params.paymentHash !== undefined) throw new PaymentError('invalid_params', 'give a preimage or a hash, not both');
  if (params.amountMsat !== undefined && params.amountMsat <= 0n) throw new PaymentError('invalid_amount', 'invoice amount must be positive');
  const expirySeconds = params.expirySeconds ?? DEFAULT_INVOICE_EXPIRY_SECONDS;
  const terms = {
    ...(params.amountMsat !== undefined && { minAmountMsat: params.amountMsat }),
    expirySeconds,
    nowSeconds: params.nowSeconds,
    ...(params.minFinalCltvExpiryDelta !== undefined && { minFinalCltvExpiryDelta: params.minFinalCltvExpiryDelta }),
    ...(params.paymentMetadata !== undefined && { paymentMetadata: params.paymentMetadata }),
  };
  let payment: InboundPayment;
  if (params.paymentPreimage !== undefined) {
    if (params.paymentPreimage.length !== 32) throw new PaymentError('invalid_length', 'payment preimage must be 32 bytes');
    payment = createInboundPaymentForHash(ctx.keys, sha256(params.paymentPreimage), terms);
  } else if (params.paymentHash !== undefined) {
    payment = createInboundPaymentForHash(ctx.keys, params.paymentHash, terms);
  } else {
    payment = createInboundPayment(ctx.keys, terms, ctx.entropy.getSecureRandomBytes());
  }
  const routeHints = [...selectRouteHints(params.channels ?? [], params.amountMsat), ...(params.extraRouteHints ?? [])];
  const data: InvoiceData = {
    currency: params.currency,
    ...(params.amountMsat !== undefined && { amountMsat: params.amountMsat }),
    timestamp: params.nowSeconds,
    paymentHash: payment.paymentHash,
    paymentSecret: payment.paymentSecret,
    ...(params.description !== undefined && { description: params.description }),
    ...(params.descriptionHash !== undefined && { descriptionHash: params.descriptionHash }),
    expirySeconds,
    minFinalCltvExpiryDelta: payment.minFinalCltvExpiryDelta,
    ...(params.paymentMetadata !== undefined && { metadata: params.paymentMetadata }),
    features: invoiceFeatures(params.paymentMetadata !== undefined),
    ...(routeHints.length > 0 && { routeHints }),
  };
  let unsigned;
  try {
    unsigned = prepareInvoice(data);
  } catch (cause) {
    if (isLnError(cause)) throw new PaymentError('invalid_invoice', `cannot write the invoice: ${cause.message}`, { cause });
    throw cause;
  }
  const signature = await ctx.signer.signInvoice({ hrp: unsigned.hrp, dataWords: unsigned.dataWords });
  const invoice = assembleInvoice(unsigned, signature);
  // A signer that signs with another key would hand out an invoice nobody can pay to us.
  const payee = decodeInvoice(invoice, ctx.secp256k1 === undefined ? {} : { secp256k1: ctx.secp256k1 }).payee;
  const ours = ctx.signer.getNodeId();
  if (payee.length !== ours.length || payee.some((b, i) => b !== ours[i])) throw new PaymentError('invalid_invoice', 'the signer signed with a key other than the node id');
  return { invoice, payment };
}
