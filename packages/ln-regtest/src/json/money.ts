// Amounts as bitcoind writes them: FormatMoney in messages ("0.00001", at
// least two decimals), ValueFromAmount in JSON (always eight decimals), and
// CFeeRate::ToString ("0.00001000 BTC/kvB").

const COIN = 100_000_000n;

function fixed8(sat: bigint): string {
  const negative = sat < 0n;
  const abs = negative ? -sat : sat;
  return `${negative ? '-' : ''}${abs / COIN}.${(abs % COIN).toString().padStart(8, '0')}`;
}

/** Core's FormatMoney: trailing zeros trimmed down to two decimals. */
export function formatMoney(sat: bigint): string {
  let s = fixed8(sat);
  while (s.endsWith('0') && s[s.length - 3] !== '.') s = s.slice(0, -1);
  return s;
}

/** Core's CFeeRate::ToString for a rate in sat per 1000 vbytes. */
export function formatFeeRate(satPerKvB: bigint): string {
  return `${fixed8(satPerKvB)} BTC/kvB`;
}

/** An amount for JSON output: a number literal with exactly eight decimals, as bitcoind's ValueFromAmount writes it (see json/serialize.ts). */
export class BtcAmount {
  constructor(readonly sat: bigint) {}
  /** The JSON number literal, e.g. `50.00000000`. */
  literal(): string {
    return fixed8(this.sat);
  }
}

/** {@link BtcAmount} of a satoshi amount. */
export function btc(sat: bigint): BtcAmount {
  return new BtcAmount(sat);
}

/** Parses an amount given in BTC (a JSON number or string, as bitcoind's AmountFromValue); undefined when invalid. */
export function parseBtcAmount(value: unknown): bigint | undefined {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return undefined;
    text = value.toFixed(8);
    if (Math.abs(Number(text) - value) > 1e-12 * Math.max(1, Math.abs(value))) return undefined;
  } else if (typeof value === 'string') text = value.trim();
  else return undefined;
  const m = /^(-?)(\d{1,8})(?:\.(\d{0,8}))?$/.exec(text);
  if (m === null) return undefined;
  const sat = BigInt(m[2]!) * COIN + BigInt((m[3] ?? '').padEnd(8, '0'));
  return m[1] === '-' ? -sat : sat;
}
