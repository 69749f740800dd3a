import { sweepTransactionWeight } from 'ln-tx';
import { MAX_CLAIM_TX_WEIGHT } from '../constants.js';
import type { ClaimInputSpec } from '../claims/claim-input.js';

// Which claim inputs share a transaction (LDK's package aggregation): inputs of
// the same class (all revoked outputs; all preimage claims; timeout claims with
// the same expiry, since a transaction has one locktime), in as few transactions
// as the standard weight allows.

/** A P2WSH or P2WPKH destination is at most 34 bytes. */
const DESTINATION_LENGTH_BOUND = 34;

/** Groups claim inputs into packages, in the order given. */
export function groupClaimInputs(inputs: readonly ClaimInputSpec[]): ClaimInputSpec[][] {
  const byClass = new Map<string, ClaimInputSpec[][]>();
  for (const input of inputs) {
    let groups = byClass.get(input.aggregation);
    if (groups === undefined) byClass.set(input.aggregation, (groups = [[]]));
    let last = groups[groups.length - 1]!;
    const weight = sweepTransactionWeight([...last, input].map((i) => i.witnessWeight), [DESTINATION_LENGTH_BOUND]);
    if (last.length > 0 && weight > MAX_CLAIM_TX_WEIGHT) groups.push((last = []));
    last.push(input);
  }
  return [...byClass.values()].flat();
}

/** The earliest deadline of a package's inputs. */
export function packageDeadline(inputs: readonly { readonly deadline: number }[]): number {
  return inputs.reduce((d, i) => Math.min(d, i.deadline), Number.MAX_SAFE_INTEGER);
}
