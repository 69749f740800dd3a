import { MAX_U64 } from 'ln-types';
import { InvoiceError } from './errors.js';

// Millisatoshis per one unit of the amount for each multiplier, times 10 so that
// `p` (a tenth of a millisatoshi) is an integer too.
const TENTHS_MSAT_PER_UNIT: Record<string, bigint> = {
  '': 1_000_000_000_000n,
  m: 1_000_000_000n,
  u: 1_000_000n,
  n: 1_000n,
  p: 1n,
};

/**
 * Parses the amount part of an invoice's human-readable part (`2500u`, `20m`,
 * `9678785340p`, or empty) to millisatoshis.
 * @throws InvoiceError `invalid_amount` (not digits + optional multiplier, zero, or above u64) or `sub_msat_precision`
 */
export function parseHrpAmount(text: string): bigint | undefined {
  if (text.length === 0) return undefined;
  const last = text[text.length - 1]!;
  const hasMultiplier = last < '0' || last > '9';
  const digits = hasMultiplier ? text.slice(0, -1) : text;
  const tenths = TENTHS_MSAT_PER_UNIT[hasMultiplier ? last : ''];
  if (tenths === undefined) throw new InvoiceError('invalid_amount', `invalid amount multiplier ${JSON.stringify(last)}`);
  // 25 digits bound the bigint we build; no valid amount comes close.
  if (digits.length === 0 || digits.length > 25 || !/^[0-9]+$/.test(digits)) {
    throw new InvoiceError('invalid_amount', 'amount must be a decimal integer with an optional multiplier');
  }
  const value = BigInt(digits) * tenths;
  if (value % 10n !== 0n) throw new InvoiceError('sub_msat_precision', 'amount is not a whole number of millisatoshis');
  const msat = value / 10n;
  if (msat === 0n || msat > MAX_U64) throw new InvoiceError('invalid_amount', 'amount must be positive and fit in a u64');
  return msat;
}

/** The shortest amount text for `msat`, using the largest multiplier that represents it exactly. */
export function formatHrpAmount(msat: bigint): string {
  if (typeof msat !== 'bigint' || msat <= 0n || msat > MAX_U64) {
    throw new InvoiceError('invalid_amount', 'amount must be a positive u64 of millisatoshis');
  }
  const tenths = msat * 10n;
  for (const m of ['', 'm', 'u', 'n'] as const) {
    const unit = TENTHS_MSAT_PER_UNIT[m]!;
    if (tenths % unit === 0n) return `${tenths / unit}${m}`;
  }
  return `${tenths}p`;
}
