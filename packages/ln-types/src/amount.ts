import { TypesError } from './errors.js';

/** Millisatoshis. A plain bigint: arithmetic stays natural; names say the unit. */
export type Msat = bigint;
/** Satoshis. */
export type Sat = bigint;

/** Largest value of a u64 field. */
export const MAX_U64 = (1n << 64n) - 1n;
/** 21 million bitcoin in satoshis: no valid amount is larger. */
export const MAX_MONEY_SAT: Sat = 21_000_000n * 100_000_000n;
/** {@link MAX_MONEY_SAT} in millisatoshis. */
export const MAX_MONEY_MSAT: Msat = MAX_MONEY_SAT * 1000n;

/** Satoshis to millisatoshis. */
export function satToMsat(sat: Sat): Msat {
  return sat * 1000n;
}

/** Millisatoshis to whole satoshis, rounding down (what an on-chain output can hold). */
export function msatToSatFloor(msat: Msat): Sat {
  return msat / 1000n;
}

/** Millisatoshis to whole satoshis, rounding up (what a fee must cover). */
export function msatToSatCeil(msat: Msat): Sat {
  return (msat + 999n) / 1000n;
}

/** Throws `invalid_amount` unless `value` is a bigint in [0, max]. */
export function assertAmount(value: bigint, max: bigint = MAX_U64, what = 'amount'): bigint {
  if (typeof value !== 'bigint' || value < 0n || value > max) {
    throw new TypesError('invalid_amount', `${what} must be a bigint in [0, ${max}]`);
  }
  return value;
}

/** Formats millisatoshis as satoshis with up to three decimals, e.g. `1234.5 sat`. */
export function formatMsat(msat: Msat): string {
  const sign = msat < 0n ? '-' : '';
  const abs = msat < 0n ? -msat : msat;
  const whole = abs / 1000n;
  const frac = abs % 1000n;
  const fracText = frac === 0n ? '' : '.' + frac.toString().padStart(3, '0').replace(/0+$/, '');
  return `${sign}${whole}${fracText} sat`;
}

/**
 * Parses a decimal amount of bitcoin (e.g. `"0.0015"`) to millisatoshis, exactly.
 * @throws TypesError `invalid_amount` for more than 11 decimals or a malformed number
 */
export function btcToMsat(text: string): Msat {
  const match = /^(\d+)(?:\.(\d{1,11}))?$/.exec(text.trim());
  if (match === null) throw new TypesError('invalid_amount', `not a bitcoin amount: ${JSON.stringify(text.slice(0, 30))}`);
  const whole = BigInt(match[1]!);
  const frac = BigInt((match[2] ?? '').padEnd(11, '0'));
  return assertAmount(whole * 100_000_000_000n + frac, MAX_MONEY_MSAT, 'bitcoin amount');
}
