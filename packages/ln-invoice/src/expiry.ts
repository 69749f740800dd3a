import type { InvoiceData } from './types.js';

/** Expiry in seconds when an invoice has no `x` field. */
export const DEFAULT_EXPIRY_SECONDS = 3600;
/** min_final_cltv_expiry_delta a payer uses when an invoice has no `c` field. */
export const DEFAULT_MIN_FINAL_CLTV_EXPIRY_DELTA = 18;

/** The invoice's expiry in seconds (the `x` field or the default of 3600). */
export function invoiceExpirySeconds(invoice: Pick<InvoiceData, 'expirySeconds'>): number {
  return invoice.expirySeconds ?? DEFAULT_EXPIRY_SECONDS;
}

/** The time (seconds since 1970) from which the invoice is expired. */
export function invoiceExpiresAt(invoice: Pick<InvoiceData, 'timestamp' | 'expirySeconds'>): number {
  return invoice.timestamp + invoiceExpirySeconds(invoice);
}

/** True when `nowSeconds` is at or after the expiry time. The caller supplies the clock. */
export function isInvoiceExpired(invoice: Pick<InvoiceData, 'timestamp' | 'expirySeconds'>, nowSeconds: number): boolean {
  return nowSeconds >= invoiceExpiresAt(invoice);
}

/** Seconds left before expiry at `nowSeconds` (0 once expired). */
export function secondsUntilExpiry(invoice: Pick<InvoiceData, 'timestamp' | 'expirySeconds'>, nowSeconds: number): number {
  return Math.max(0, invoiceExpiresAt(invoice) - nowSeconds);
}

/** The min_final_cltv_expiry_delta to use (the `c` field or the default of 18). */
export function invoiceMinFinalCltvExpiryDelta(invoice: Pick<InvoiceData, 'minFinalCltvExpiryDelta'>): number {
  return invoice.minFinalCltvExpiryDelta ?? DEFAULT_MIN_FINAL_CLTV_EXPIRY_DELTA;
}
