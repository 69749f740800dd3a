import { compareBytes } from 'ln-types';
import { OP, op, script } from './builder.js';
import { requirePublicKey } from './keys-check.js';

/**
 * The 2-of-2 funding witness script: `2 <pubkey1> <pubkey2> 2 OP_CHECKMULTISIG`
 * with the two compressed keys in lexicographic order (BOLT 3).
 */
export function fundingScript(a: Uint8Array, b: Uint8Array): Uint8Array {
  requirePublicKey(a, 'funding pubkey');
  requirePublicKey(b, 'funding pubkey');
  const [first, second] = compareBytes(a, b) <= 0 ? [a, b] : [b, a];
  return script(2n, first, second, 2n, op(OP.OP_CHECKMULTISIG));
}

/** True when `a` sorts first in the funding script (its signature goes first in the witness). */
export function fundingKeyIsFirst(a: Uint8Array, b: Uint8Array): boolean {
  return compareBytes(a, b) <= 0;
}
