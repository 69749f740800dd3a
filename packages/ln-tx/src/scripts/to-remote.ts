import { OP, op, script } from './builder.js';
import { requirePublicKey } from './keys-check.js';
import { p2wpkh, p2wsh } from './outputs.js';

/** The anchors to_remote witness script: `<remotepubkey> OP_CHECKSIGVERIFY 1 OP_CSV`. */
export function toRemoteAnchorsScript(remotePubkey: Uint8Array): Uint8Array {
  requirePublicKey(remotePubkey, 'remote pubkey');
  return script(remotePubkey, op(OP.OP_CHECKSIGVERIFY), 1n, op(OP.OP_CHECKSEQUENCEVERIFY));
}

/**
 * The to_remote output script: P2WPKH of the (static) remote payment key, or with
 * anchors the P2WSH of {@link toRemoteAnchorsScript}.
 */
export function toRemoteOutputScript(remotePubkey: Uint8Array, anchors: boolean): Uint8Array {
  requirePublicKey(remotePubkey, 'remote pubkey');
  return anchors ? p2wsh(toRemoteAnchorsScript(remotePubkey)) : p2wpkh(remotePubkey);
}
