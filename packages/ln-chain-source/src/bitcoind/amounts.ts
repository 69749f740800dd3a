import { ChainSourceError } from '../errors.js';

/**
 * Satoshis from bitcoind's BTC amount (a JSON number with at most 8 decimals).
 * `Math.round(btc * 1e8)` is exact for every amount up to 21 million BTC.
 */
export function btcToSat(btc: number, what: string): bigint {
  if (!Number.isFinite(btc) || btc < 0 || btc > 21_000_000) throw new ChainSourceError('bad_json', `${what}: not a bitcoin amount`);
  return BigInt(Math.round(btc * 1e8));
}

/** BTC per 1000 virtual bytes to satoshis per 1000 weight units (a vbyte is 4 weight units), rounded up. */
export function btcPerKvbToSatPerKw(btcPerKvb: number): number {
  return Math.ceil(Math.round(btcPerKvb * 1e8) / 4);
}
