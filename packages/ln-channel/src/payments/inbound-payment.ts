import { chacha20, hkdfSha256, hmacSha256, sha256 } from 'ln-crypto';
import { concatBytes, equalBytesConstantTime, u64ToBytes, utf8ToBytes } from 'ln-types';
import { MIN_FINAL_CLTV_EXPIRY_DELTA } from './constants.js';
import { PaymentError } from './errors.js';

// Stateless inbound payments (after LDK's inbound_payment): the node stores
// nothing per invoice. The payment secret carries the invoice's terms (minimum
// amount, expiry, min_final_cltv_expiry_delta), encrypted, with an
// authenticator that only this node can make:
//
//   info   = method (3 bits) | min amount (61 bits) || min final cltv delta (u16) || expiry (48 bits)
//   secret = iv (16 bytes) || ChaCha20(infoKey, iv[0..12]) xor info
//
// Method "node": iv is random and the preimage is HMAC(preimageKey, iv || info || metadata),
// so the node recomputes the preimage from the secret alone. Method "user": the
// user holds the preimage; iv = HMAC(userHashKey, info || hash || metadata)[0..16]
// authenticates the hash and the terms.

const IV_LENGTH = 16;
const INFO_LENGTH = 16;
const MAX_MIN_AMOUNT = (1n << 61n) - 1n;
const MAX_EXPIRY = 2 ** 48 - 1;
const SALT = utf8ToBytes('ln-channel inbound payment keys');

/** How the payment hash of an inbound payment was made. */
export type InboundPaymentMethod = 'node' | 'user';
const METHOD_BITS: Record<InboundPaymentMethod, number> = { node: 0, user: 1 };

/** The keys derived from NodeSigner.getInboundPaymentKeyMaterial() (compute once and keep). */
export interface InboundPaymentKeys {
  readonly infoKey: Uint8Array;
  readonly preimageKey: Uint8Array;
  readonly userHashKey: Uint8Array;
}

/** Expands the node's 32 bytes of inbound payment key material into the three keys. */
export function expandInboundPaymentKeys(keyMaterial: Uint8Array): InboundPaymentKeys {
  if (!(keyMaterial instanceof Uint8Array) || keyMaterial.length !== 32) throw new PaymentError('invalid_length', 'inbound payment key material must be 32 bytes');
  const okm = hkdfSha256(keyMaterial, SALT, utf8ToBytes('info|preimage|user-hash'), 96);
  return { infoKey: okm.slice(0, 32), preimageKey: okm.slice(32, 64), userHashKey: okm.slice(64, 96) };
}

/** The terms an inbound payment is created with. */
export interface InboundPaymentTerms {
  /** The least total amount accepted (the invoice amount); absent for "any amount". */
  readonly minAmountMsat?: bigint;
  /** Seconds the payment can be paid for, from `nowSeconds`. */
  readonly expirySeconds: number;
  /** The creation time, seconds since 1970 (from the caller: the library reads no clock). */
  readonly nowSeconds: number;
  /** min_final_cltv_expiry_delta of the invoice (default and minimum: MIN_FINAL_CLTV_EXPIRY_DELTA). */
  readonly minFinalCltvExpiryDelta?: number;
  /** payment_metadata the invoice carries (`m` field); authenticated by the secret, so it comes back unchanged or the payment fails. */
  readonly paymentMetadata?: Uint8Array;
}

/** A created inbound payment: the hash and secret to put in the invoice, and the preimage when the node made it. */
export interface InboundPayment {
  readonly paymentHash: Uint8Array;
  readonly paymentSecret: Uint8Array;
  /** Present for node-made hashes (the node can always recompute it from the secret). */
  readonly paymentPreimage?: Uint8Array;
  readonly minFinalCltvExpiryDelta: number;
  /** Unix time after which the payment is refused. */
  readonly expiresAt: number;
}

/** The terms read back from a payment secret, once authenticated. */
export interface VerifiedInboundPayment {
  readonly method: InboundPaymentMethod;
  /** The preimage, for node-made hashes. */
  readonly paymentPreimage?: Uint8Array;
  readonly minAmountMsat: bigint;
  readonly minFinalCltvExpiryDelta: number;
  readonly expiresAt: number;
}

/** Why an HTLC's payment_secret does not verify (all reported as incorrect_or_unknown_payment_details). */
export type InboundVerifyFailure = 'unknown_method' | 'bad_authenticator' | 'amount_too_low' | 'expired';

function infoBytes(method: InboundPaymentMethod, terms: InboundPaymentTerms): { info: Uint8Array; delta: number; expiresAt: number } {
  const min = terms.minAmountMsat ?? 0n;
  if (typeof min !== 'bigint' || min < 0n || min > MAX_MIN_AMOUNT) throw new PaymentError('invalid_amount', 'the minimum amount must fit in 61 bits');
  const delta = terms.minFinalCltvExpiryDelta ?? MIN_FINAL_CLTV_EXPIRY_DELTA;
  if (!Number.isInteger(delta) || delta < MIN_FINAL_CLTV_EXPIRY_DELTA || delta > 0xffff) {
    throw new PaymentError('invalid_expiry', `min_final_cltv_expiry_delta must be in [${MIN_FINAL_CLTV_EXPIRY_DELTA}, 65535]`);
  }
  if (!Number.isSafeInteger(terms.nowSeconds) || terms.nowSeconds < 0) throw new PaymentError('invalid_expiry', 'nowSeconds must be a non-negative integer');
  if (!Number.isSafeInteger(terms.expirySeconds) || terms.expirySeconds <= 0) throw new PaymentError('invalid_expiry', 'expirySeconds must be a positive integer');
  const expiresAt = terms.nowSeconds + terms.expirySeconds;
  if (expiresAt > MAX_EXPIRY) throw new PaymentError('invalid_expiry', 'expiry beyond 2^48 seconds');
  const info = new Uint8Array(INFO_LENGTH);
  const view = new DataView(info.buffer);
  view.setBigUint64(0, min | (BigInt(METHOD_BITS[method]) << 61n));
  view.setUint16(8, delta);
  view.setUint16(10, Math.floor(expiresAt / 2 ** 32));
  view.setUint32(12, expiresAt >>> 0);
  return { info, delta, expiresAt };
}

function metadataBytes(metadata: Uint8Array | undefined): Uint8Array {
  if (metadata === undefined) return new Uint8Array(0);
  return concatBytes(u64ToBytes(BigInt(metadata.length)), metadata);
}

function sealInfo(keys: InboundPaymentKeys, iv: Uint8Array, info: Uint8Array): Uint8Array {
  return concatBytes(iv, chacha20(keys.infoKey, iv.subarray(0, 12), info));
}

function nodePreimage(keys: InboundPaymentKeys, iv: Uint8Array, info: Uint8Array, metadata: Uint8Array | undefined): Uint8Array {
  return hmacSha256(keys.preimageKey, concatBytes(iv, info, metadataBytes(metadata)));
}

function userIv(keys: InboundPaymentKeys, info: Uint8Array, paymentHash: Uint8Array, metadata: Uint8Array | undefined): Uint8Array {
  return hmacSha256(keys.userHashKey, concatBytes(info, paymentHash, metadataBytes(metadata))).slice(0, IV_LENGTH);
}

/**
 * A payment whose preimage the node derives (LDK's create_inbound_payment):
 * nothing is stored; `random` is 32 bytes from an EntropySource (16 are used).
 */
export function createInboundPayment(keys: InboundPaymentKeys, terms: InboundPaymentTerms, random: Uint8Array): InboundPayment {
  if (!(random instanceof Uint8Array) || random.length < IV_LENGTH) throw new PaymentError('invalid_length', 'need at least 16 random bytes');
  const { info, delta, expiresAt } = infoBytes('node', terms);
  const iv = random.slice(0, IV_LENGTH);
  const paymentPreimage = nodePreimage(keys, iv, info, terms.paymentMetadata);
  return { paymentHash: sha256(paymentPreimage), paymentSecret: sealInfo(keys, iv, info), paymentPreimage, minFinalCltvExpiryDelta: delta, expiresAt };
}

/**
 * A payment for a hash whose preimage the user keeps (LDK's
 * create_inbound_payment_for_hash): the secret authenticates the hash and terms.
 */
export function createInboundPaymentForHash(keys: InboundPaymentKeys, paymentHash: Uint8Array, terms: InboundPaymentTerms): InboundPayment {
  if (!(paymentHash instanceof Uint8Array) || paymentHash.length !== 32) throw new PaymentError('invalid_length', 'payment hash must be 32 bytes');
  const { info, delta, expiresAt } = infoBytes('user', terms);
  const iv = userIv(keys, info, paymentHash, terms.paymentMetadata);
  return { paymentHash: paymentHash.slice(), paymentSecret: sealInfo(keys, iv, info), minFinalCltvExpiryDelta: delta, expiresAt };
}

/**
 * Checks an HTLC's payment hash and payment_data against what this node made
 * (authenticator first, then amount and expiry). `nowSeconds` is the highest
 * time the node has seen (a block header time, as LDK uses). Returns the
 * terms, or why the payment is refused.
 */
export function verifyInboundPayment(
  keys: InboundPaymentKeys,
  paymentHash: Uint8Array,
  paymentSecret: Uint8Array,
  totalMsat: bigint,
  nowSeconds: number,
  paymentMetadata?: Uint8Array,
): { ok: true; payment: VerifiedInboundPayment } | { ok: false; reason: InboundVerifyFailure } {
  if (paymentSecret.length !== 32 || paymentHash.length !== 32) return { ok: false, reason: 'bad_authenticator' };
  const iv = paymentSecret.subarray(0, IV_LENGTH);
  const info = chacha20(keys.infoKey, iv.subarray(0, 12), paymentSecret.subarray(IV_LENGTH));
  const view = new DataView(info.buffer, info.byteOffset, info.byteLength);
  const head = view.getBigUint64(0);
  const methodBits = Number(head >> 61n);
  let method: InboundPaymentMethod;
  let paymentPreimage: Uint8Array | undefined;
  if (methodBits === METHOD_BITS.node) {
    method = 'node';
    paymentPreimage = nodePreimage(keys, iv, info, paymentMetadata);
    if (!equalBytesConstantTime(sha256(paymentPreimage), paymentHash)) return { ok: false, reason: 'bad_authenticator' };
  } else if (methodBits === METHOD_BITS.user) {
    method = 'user';
    if (!equalBytesConstantTime(userIv(keys, info, paymentHash, paymentMetadata), iv)) return { ok: false, reason: 'bad_authenticator' };
  } else {
    return { ok: false, reason: 'unknown_method' };
  }
  const minAmountMsat = head & MAX_MIN_AMOUNT;
  const minFinalCltvExpiryDelta = view.getUint16(8);
  const expiresAt = view.getUint16(10) * 2 ** 32 + view.getUint32(12);
  if (totalMsat < minAmountMsat) return { ok: false, reason: 'amount_too_low' };
  if (expiresAt < nowSeconds) return { ok: false, reason: 'expired' };
  const payment: VerifiedInboundPayment =
    paymentPreimage === undefined
      ? { method, minAmountMsat, minFinalCltvExpiryDelta, expiresAt }
      : { method, paymentPreimage, minAmountMsat, minFinalCltvExpiryDelta, expiresAt };
  return { ok: true, payment };
}

/**
 * The preimage of a node-made payment, from its hash and secret (for claiming
 * later), or undefined when the secret is not one of ours or the hash is the user's.
 */
export function inboundPaymentPreimage(keys: InboundPaymentKeys, paymentHash: Uint8Array, paymentSecret: Uint8Array, paymentMetadata?: Uint8Array): Uint8Array | undefined {
  const r = verifyInboundPayment(keys, paymentHash, paymentSecret, 1n << 62n, 0, paymentMetadata);
  return r.ok ? r.payment.paymentPreimage : undefined;
}
