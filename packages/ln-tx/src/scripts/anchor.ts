import { OP, op, script } from './builder.js';
import { requirePublicKey } from './keys-check.js';

/**
 * An anchor output's witness script: spendable by the funding key at once, or by
 * anyone after 16 blocks (`<pk> OP_CHECKSIG OP_IFDUP OP_NOTIF OP_16 OP_CSV OP_ENDIF`).
 */
export function anchorScript(fundingPubkey: Uint8Array): Uint8Array {
  requirePublicKey(fundingPubkey, 'funding pubkey');
  return script(fundingPubkey, op(OP.OP_CHECKSIG), op(OP.OP_IFDUP), op(OP.OP_NOTIF), 16n, op(OP.OP_CHECKSEQUENCEVERIFY), op(OP.OP_ENDIF));
}
