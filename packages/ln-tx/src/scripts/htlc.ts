import { hash160, ripemd160 } from 'ln-crypto';
import { TxError } from '../errors.js';
import { OP, op, script } from './builder.js';
import { requirePublicKey } from './keys-check.js';

/** The keys an HTLC script is built from (all from the broadcaster's commitment point). */
export interface HtlcScriptKeys {
  readonly revocationPubkey: Uint8Array;
  /** The broadcaster's ("local") HTLC key. */
  readonly broadcasterHtlcPubkey: Uint8Array;
  /** The countersignatory's ("remote") HTLC key. */
  readonly countersignatoryHtlcPubkey: Uint8Array;
}

function checkKeys(keys: HtlcScriptKeys, paymentHash: Uint8Array): void {
  requirePublicKey(keys.revocationPubkey, 'revocation pubkey');
  requirePublicKey(keys.broadcasterHtlcPubkey, 'local htlc pubkey');
  requirePublicKey(keys.countersignatoryHtlcPubkey, 'remote htlc pubkey');
  if (!(paymentHash instanceof Uint8Array) || paymentHash.length !== 32) throw new TxError('invalid_parameters', 'payment hash must be 32 bytes');
}

function anchorsTail(anchors: boolean) {
  return anchors ? [1n, op(OP.OP_CHECKSEQUENCEVERIFY), op(OP.OP_DROP)] : [];
}

/** The witness script of an HTLC offered by the broadcaster (BOLT 3 "Offered HTLC Outputs"). */
export function offeredHtlcScript(keys: HtlcScriptKeys, paymentHash: Uint8Array, anchors: boolean): Uint8Array {
  checkKeys(keys, paymentHash);
  return offeredHtlcScriptFromHashes(hash160(keys.revocationPubkey), keys, ripemd160(paymentHash), anchors);
}

/** {@link offeredHtlcScript} from the hashes it embeds (used to match scripts found on chain). */
export function offeredHtlcScriptFromHashes(revocationHash: Uint8Array, keys: Omit<HtlcScriptKeys, 'revocationPubkey'>, paymentHash160: Uint8Array, anchors: boolean): Uint8Array {
  return script(
    op(OP.OP_DUP), op(OP.OP_HASH160), revocationHash, op(OP.OP_EQUAL),
    op(OP.OP_IF),
    op(OP.OP_CHECKSIG),
    op(OP.OP_ELSE),
    keys.countersignatoryHtlcPubkey, op(OP.OP_SWAP), op(OP.OP_SIZE), 32n, op(OP.OP_EQUAL),
    op(OP.OP_NOTIF),
    op(OP.OP_DROP), 2n, op(OP.OP_SWAP), keys.broadcasterHtlcPubkey, 2n, op(OP.OP_CHECKMULTISIG),
    op(OP.OP_ELSE),
    op(OP.OP_HASH160), paymentHash160, op(OP.OP_EQUALVERIFY), op(OP.OP_CHECKSIG),
    op(OP.OP_ENDIF),
    ...anchorsTail(anchors),
    op(OP.OP_ENDIF),
  );
}

/** The witness script of an HTLC received by the broadcaster (BOLT 3 "Received HTLC Outputs"). */
export function receivedHtlcScript(keys: HtlcScriptKeys, paymentHash: Uint8Array, cltvExpiry: number, anchors: boolean): Uint8Array {
  checkKeys(keys, paymentHash);
  if (!Number.isInteger(cltvExpiry) || cltvExpiry < 0 || cltvExpiry >= 500_000_000) {
    throw new TxError('invalid_parameters', 'cltv_expiry must be a block height below 500000000');
  }
  return receivedHtlcScriptFromHashes(hash160(keys.revocationPubkey), keys, ripemd160(paymentHash), cltvExpiry, anchors);
}

/** {@link receivedHtlcScript} from the hashes it embeds. */
export function receivedHtlcScriptFromHashes(
  revocationHash: Uint8Array,
  keys: Omit<HtlcScriptKeys, 'revocationPubkey'>,
  paymentHash160: Uint8Array,
  cltvExpiry: number,
  anchors: boolean,
): Uint8Array {
  return script(
    op(OP.OP_DUP), op(OP.OP_HASH160), revocationHash, op(OP.OP_EQUAL),
    op(OP.OP_IF),
    op(OP.OP_CHECKSIG),
    op(OP.OP_ELSE),
    keys.countersignatoryHtlcPubkey, op(OP.OP_SWAP), op(OP.OP_SIZE), 32n, op(OP.OP_EQUAL),
    op(OP.OP_IF),
    op(OP.OP_HASH160), paymentHash160, op(OP.OP_EQUALVERIFY), 2n, op(OP.OP_SWAP), keys.broadcasterHtlcPubkey, 2n, op(OP.OP_CHECKMULTISIG),
    op(OP.OP_ELSE),
    op(OP.OP_DROP), BigInt(cltvExpiry), op(OP.OP_CHECKLOCKTIMEVERIFY), op(OP.OP_DROP), op(OP.OP_CHECKSIG),
    op(OP.OP_ENDIF),
    ...anchorsTail(anchors),
    op(OP.OP_ENDIF),
  );
}
