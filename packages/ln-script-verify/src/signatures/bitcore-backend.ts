// bitcore-lib's own elliptic-curve code (bn.js and elliptic, pure JS) as a
// signature backend: the fallback where libsecp256k1 cannot load, and the
// reference the differential tests hold libsecp256k1 to.
import { Buffer } from 'node:buffer';
import { bitcoreCurve } from '../bitcore.js';
import { type SignatureBackend, hasPubkeyShape, isBelowOrder, isFieldElement } from './backend.js';
import { bitcoreOriginals } from './bitcore-hooks.js';

const { PublicKey, ECDSA, Signature, BN, Point, TaggedHash, N } = bitcoreCurve;

const buf = (bytes: Uint8Array): Buffer => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

// Core parses keys with libsecp256k1, which refuses a coordinate >= p and a
// hybrid key (header 6 or 7) whose header disagrees with y's parity; bitcore
// reduces coordinates modulo p and ignores the hybrid header's parity.
function parsesAsCore(pubkey: Uint8Array): boolean {
  if (!hasPubkeyShape(pubkey) || !isFieldElement(pubkey, 1)) return false;
  if (pubkey.length === 33) return true;
  if (!isFieldElement(pubkey, 33)) return false;
  const odd = (pubkey[64]! & 1) === 1;
  return pubkey[0] === 4 || (pubkey[0] === 7) === odd;
}

/** bitcore-lib verifying by itself: the interpreter runs with no hook active (see `bitcore-legacy`). */
export const bitcoreLegacyBackend: SignatureBackend = Object.freeze({
  name: 'bitcore-legacy',
  // What bitcore does when the interpreter checks a signature: parse the key its way, then ECDSA or BIP 340.
  ecdsa(r: Uint8Array, s: Uint8Array, msg32: Uint8Array, pubkey: Uint8Array): boolean {
    try {
      const key = bitcoreOriginals.fromBuffer.call(PublicKey, buf(pubkey), false);
      const sig = new Signature();
      sig.r = BN.fromBuffer(buf(r));
      sig.s = BN.fromBuffer(buf(s));
      return ECDSA.verificationError(buf(msg32), sig, key) === undefined;
    } catch {
      return false;
    }
  },
  schnorr(sig64: Uint8Array, msg32: Uint8Array, xOnly: Uint8Array): boolean {
    try {
      return bitcoreOriginals.schnorrVerify(buf(xOnly), buf(msg32), buf(sig64));
    } catch {
      return false;
    }
  },
});

/** bitcore's ECDSA and Schnorr, held to Core's key parsing rules. */
export const bitcoreBackend: SignatureBackend = Object.freeze({
  name: 'bitcore',
  ecdsa(r: Uint8Array, s: Uint8Array, msg32: Uint8Array, pubkey: Uint8Array): boolean {
    if (msg32.length !== 32 || !parsesAsCore(pubkey)) return false;
    try {
      const key = bitcoreOriginals.fromBuffer.call(PublicKey, buf(pubkey), false);
      const sig = new Signature();
      sig.r = BN.fromBuffer(buf(r));
      sig.s = BN.fromBuffer(buf(s));
      // verificationError accepts any S in [1, n-1], as Core's verification does after normalizing.
      return ECDSA.verificationError(buf(msg32), sig, key) === undefined;
    } catch {
      return false;
    }
  },
  // BIP 340's verification written out on bitcore's curve arithmetic. bitcore's
  // own Schnorr.verify hashes the key's x through a bn.js toBuffer that drops a
  // leading zero byte, refusing valid signatures by one key in 256.
  schnorr(sig64: Uint8Array, msg32: Uint8Array, xOnly: Uint8Array): boolean {
    if (sig64.length !== 64 || msg32.length !== 32 || xOnly.length !== 32) return false;
    // lift_x fails for x >= p; r must be a field element and s below n.
    if (!isFieldElement(xOnly, 0) || !isFieldElement(sig64, 0) || !isBelowOrder(sig64, 32)) return false;
    try {
      const key = Point.fromX(false, BN.fromBuffer(buf(xOnly)));
      const r = BN.fromBuffer(buf(sig64.subarray(0, 32)));
      const s = BN.fromBuffer(buf(sig64.subarray(32)));
      const e = BN.fromBuffer(new TaggedHash('BIP0340/challenge', Buffer.concat([buf(sig64.subarray(0, 32)), buf(xOnly), buf(msg32)])).finalize()).umod(N);
      const R = Point.getG().mul(s).add(key.mul(e).neg());
      return !R.isInfinity() && !R.getY().isOdd() && R.getX().eq(r);
    } catch {
      return false; // x is not on the curve
    }
  },
});
