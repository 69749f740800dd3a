import { currencyOfNetwork, decodeInvoice, hasFeatureBit, invoiceExpiresAt, invoiceMinFinalCltvExpiryDelta, type DecodedInvoice, type InvoiceCurrency } from 'ln-invoice';
import type { Secp256k1Backend } from 'ln-crypto';
import { paymentParametersForNode, type RouteHint, type RouteParameters } from 'ln-router-api';
import { isLnError, type Network } from 'ln-types';
import { FEATURES } from 'ln-wire';
import { DEFAULT_MAX_TOTAL_CLTV_EXPIRY_DELTA } from './constants.js';
import { PaymentError } from './errors.js';
import type { RecipientFields } from './outbound-onion.js';

/** How to pay an invoice beyond what it says. */
export interface InvoicePaymentOptions {
  /** The amount for an "any amount" invoice (or more than the invoice asks). */
  readonly amountMsat?: bigint;
  /** The largest total routing fee accepted (default: no limit beyond the router's). */
  readonly maxTotalRoutingFeeMsat?: bigint;
  /** The largest total cltv (default 1008 blocks). */
  readonly maxTotalCltvExpiryDelta?: number;
  /** At most this many paths (default 10 when the invoice allows multi-part, else 1). */
  readonly maxPathCount?: number;
  /** The time now (seconds): an expired invoice is refused. */
  readonly nowSeconds: number;
  /** The network we are on: an invoice for another is refused. */
  readonly network?: Network;
  /** Or directly the invoice currency of our network. */
  readonly currency?: InvoiceCurrency;
  readonly secp256k1?: Secp256k1Backend;
}

/** What paying an invoice takes: the hash, the recipient fields, the route parameters and the expiry. */
export interface InvoicePaymentPlan {
  readonly invoice: DecodedInvoice;
  readonly paymentHash: Uint8Array;
  readonly recipient: RecipientFields;
  readonly routeParams: RouteParameters;
  readonly expiresAt: number;
}

/**
 * Reads a BOLT 11 invoice into payment parameters (LDK's
 * payment_parameters_from_invoice): payee and its features (basic_mpp allows
 * several paths), route hints, min_final_cltv_expiry_delta, amount, secret and
 * metadata, fee and cltv limits.
 * @throws PaymentError `invalid_invoice` (does not decode, expired, wrong network, no secret), `invalid_amount`
 */
export function planInvoicePayment(text: string, options: InvoicePaymentOptions): InvoicePaymentPlan {
  let invoice: DecodedInvoice;
  try {
    invoice = decodeInvoice(text, options.secp256k1 === undefined ? {} : { secp256k1: options.secp256k1 });
  } catch (cause) {
    if (isLnError(cause)) throw new PaymentError('invalid_invoice', `the invoice does not decode: ${cause.message}`, { cause });
    throw cause;
  }
  const expected = options.currency ?? (options.network === undefined ? undefined : currencyOfNetwork(options.network));
  if (expected !== undefined && expected !== invoice.currency) throw new PaymentError('invalid_invoice', `the invoice is for ${invoice.currency}, not ${expected}`);
  const expiresAt = invoiceExpiresAt(invoice);
  if (options.nowSeconds > expiresAt) throw new PaymentError('invalid_invoice', 'the invoice has expired');
  if (invoice.paymentSecret === undefined) throw new PaymentError('invalid_invoice', 'the invoice has no payment secret');
  let amount = invoice.amountMsat;
  if (options.amountMsat !== undefined) {
    if (amount !== undefined && options.amountMsat < amount) throw new PaymentError('invalid_amount', 'less than the invoice asks');
    amount = options.amountMsat;
  }
  if (amount === undefined) throw new PaymentError('invalid_amount', 'the invoice has no amount: give one');
  if (amount <= 0n) throw new PaymentError('invalid_amount', 'a payment sends a positive amount');
  const mpp = hasFeatureBit(invoice.features, FEATURES.basic_mpp.bit) || hasFeatureBit(invoice.features, FEATURES.basic_mpp.bit + 1);
  const routeHints: RouteHint[] = (invoice.routeHints ?? []).map((hint) =>
    hint.map((h) => ({
      sourceNodeId: h.nodeId,
      shortChannelId: h.shortChannelId,
      feeBaseMsat: h.feeBaseMsat,
      feeProportionalMillionths: h.feeProportionalMillionths,
      cltvExpiryDelta: h.cltvExpiryDelta,
    })),
  );
  const paymentParams = paymentParametersForNode(invoice.payee, invoiceMinFinalCltvExpiryDelta(invoice), {
    routeHints,
    ...(invoice.features !== undefined && { features: invoice.features }),
    maxPathCount: options.maxPathCount ?? (mpp ? 10 : 1),
    maxTotalCltvExpiryDelta: options.maxTotalCltvExpiryDelta ?? DEFAULT_MAX_TOTAL_CLTV_EXPIRY_DELTA,
  });
  return {
    invoice,
    paymentHash: invoice.paymentHash,
    recipient: { paymentSecret: invoice.paymentSecret, ...(invoice.metadata !== undefined && { paymentMetadata: invoice.metadata }) },
    routeParams: {
      paymentParams,
      finalValueMsat: amount,
      ...(options.maxTotalRoutingFeeMsat !== undefined && { maxTotalRoutingFeeMsat: options.maxTotalRoutingFeeMsat }),
    },
    expiresAt,
  };
}
