/** Fee for `weight` at `feeratePerKw` sat per 1000 weight, rounded up (so the rate paid is never below the target). */
export function feeForWeightCeil(feeratePerKw: number, weight: number): number {
  return Math.ceil((feeratePerKw * weight) / 1000);
}

function compactSizeLength(n: number): number {
  return n < 0xfd ? 1 : n <= 0xffff ? 3 : 5;
}

/** Non-witness part of a segwit input (outpoint, empty scriptSig, sequence), in weight. */
export const INPUT_BASE_WEIGHT = 41 * 4;

/** A P2WPKH input's scriptSig length byte and witness (LDK's satisfaction weight): 4 + 109. */
export const P2WPKH_SATISFACTION_WEIGHT = 4 + 109;

/** Weight of a whole P2WPKH input with the largest (73-byte) signature. */
export const P2WPKH_INPUT_WEIGHT = 40 * 4 + P2WPKH_SATISFACTION_WEIGHT;

/**
 * Weight of a segwit transaction without its inputs: version, locktime, the segwit
 * marker and flag, both counts (the input count for `inputCount` inputs) and the
 * outputs (value, script length, script each).
 */
export function transactionBaseWeight(outputScriptLengths: readonly number[], inputCount = 1): number {
  const outputs = outputScriptLengths.reduce((s, l) => s + 8 + compactSizeLength(l) + l, 0);
  return (4 + 4 + compactSizeLength(inputCount) + compactSizeLength(outputScriptLengths.length) + outputs) * 4 + 2;
}
