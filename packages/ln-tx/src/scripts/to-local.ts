import { TxError } from '../errors.js';
import { OP, op, script } from './builder.js';
import { requirePublicKey } from './keys-check.js';

/**
 * The to_local witness script (also the output of HTLC-success/timeout transactions):
 * `OP_IF <revocationpubkey> OP_ELSE <to_self_delay> OP_CSV OP_DROP <delayedpubkey> OP_ENDIF OP_CHECKSIG`.
 */
export function toLocalScript(revocationPubkey: Uint8Array, toSelfDelay: number, delayedPubkey: Uint8Array): Uint8Array {
  requirePublicKey(revocationPubkey, 'revocation pubkey');
  requirePublicKey(delayedPubkey, 'delayed pubkey');
  if (!Number.isInteger(toSelfDelay) || toSelfDelay < 0 || toSelfDelay > 0xffff) {
    throw new TxError('invalid_parameters', 'to_self_delay must be a u16');
  }
  return script(
    op(OP.OP_IF),
    revocationPubkey,
    op(OP.OP_ELSE),
    BigInt(toSelfDelay),
    op(OP.OP_CHECKSEQUENCEVERIFY),
    op(OP.OP_DROP),
    delayedPubkey,
    op(OP.OP_ENDIF),
    op(OP.OP_CHECKSIG),
  );
}
