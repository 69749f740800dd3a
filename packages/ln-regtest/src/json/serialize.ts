import { BtcAmount } from './money.js';

/** A value {@link toJsonText} can write. */
export type JsonValue = null | boolean | number | string | bigint | BtcAmount | readonly JsonValue[] | { readonly [key: string]: JsonValue | undefined };

/**
 * JSON text for a value: like JSON.stringify, but bigints are written as
 * integers and {@link BtcAmount}s as eight-decimal numbers (`0.00010000`), the
 * way bitcoind's UniValue writes them; object members set to undefined are left out.
 */
export function toJsonText(value: JsonValue | undefined): string {
  if (value === undefined || value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return Number.isFinite(value) ? (Number.isInteger(value) ? String(value) : formatDouble(value)) : 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof BtcAmount) return value.literal();
  if (Array.isArray(value)) return `[${(value as readonly JsonValue[]).map((v) => toJsonText(v)).join(',')}]`;
  const parts: string[] = [];
  for (const [k, v] of Object.entries(value as { readonly [key: string]: JsonValue | undefined })) {
    if (v === undefined) continue;
    parts.push(`${JSON.stringify(k)}:${toJsonText(v)}`);
  }
  return `{${parts.join(',')}}`;
}

function stripZeros(digits: string): string {
  return digits.includes('.') ? digits.replace(/0+$/, '').replace(/\.$/, '') : digits;
}

/** A double as UniValue writes it: C's `%.16g`. */
export function formatDouble(x: number): string {
  const [mantissa, e] = x.toExponential(15).split('e') as [string, string];
  const exp = Number(e);
  if (exp < -4 || exp >= 16) return `${stripZeros(mantissa)}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return stripZeros(x.toFixed(Math.max(0, 15 - exp)));
}
