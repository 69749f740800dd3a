/**
 * A cheap number for an outpoint, for the first level of a hash index: 32 bits of
 * the txid mixed with the index. Different outpoints can share one, so users
 * compare the full outpoint after the lookup.
 */
export function outpointHash(txid: Uint8Array, index: number): number {
  const h = (txid[0]! | (txid[1]! << 8) | (txid[2]! << 16) | (txid[3]! << 24)) >>> 0;
  return (h ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0;
}
