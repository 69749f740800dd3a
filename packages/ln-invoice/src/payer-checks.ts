import { equalBytes, utf8ToBytes } from 'ln-types';
import { sha256 } from 'ln-crypto';
import { missingFeatureDependencies, type FeatureName } from 'ln-wire';
import type { InvoiceData } from './types.js';

/**
 * BOLT 11: a payer given the full description of an invoice with an `h` field
 * MUST check that its SHA-256 is exactly `h`. True when it is, or when the
 * invoice carries the description itself (`d`) and it is the same text.
 */
export function descriptionMatches(invoice: Pick<InvoiceData, 'description' | 'descriptionHash'>, description: string): boolean {
  if (invoice.descriptionHash !== undefined) return equalBytes(sha256(utf8ToBytes(description)), invoice.descriptionHash);
  return invoice.description === description;
}

/**
 * BOLT 11: a payer MUST NOT attempt the payment if the `9` field sets a feature
 * without the features it depends on (BOLT 9), e.g. basic_mpp without payment_secret.
 * Returns the missing dependencies (empty when the vector is consistent).
 */
export function missingInvoiceFeatureDependencies(invoice: Pick<InvoiceData, 'features'>): { feature: FeatureName; missing: FeatureName }[] {
  return invoice.features === undefined ? [] : missingFeatureDependencies(invoice.features);
}
