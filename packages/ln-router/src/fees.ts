/**
 * The fee a node charges to forward `amountMsat` (BOLT 7):
 * `fee_base_msat + amount_to_forward * fee_proportional_millionths / 1000000`,
 * the division rounding down. Exact for amounts below 2^53 msat: when the
 * product would lose precision the division is done in bigint.
 */
export function forwardingFeeMsat(baseMsat: number, proportionalMillionths: number, amountMsat: number): number {
  const product = amountMsat * proportionalMillionths;
  if (product <= Number.MAX_SAFE_INTEGER) {
    // Integer division without trusting the rounding of the float quotient.
    let q = Math.floor(product / 1_000_000);
    const r = product - q * 1_000_000;
    if (r < 0) q -= 1;
    else if (r >= 1_000_000) q += 1;
    return baseMsat + q;
  }
  return baseMsat + Number((BigInt(amountMsat) * BigInt(proportionalMillionths)) / 1_000_000n);
}
