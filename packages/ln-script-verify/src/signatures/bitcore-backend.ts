// bitcore-lib's own elliptic-curve code (bn.js and elliptic, pure JS) as a
// signature backend: the fallback where libsecp256k1 cannot load, and the
// reference the differential tests hold libsecp256k1 to.
import { Buffer } from 'node:buffer';
import { bitcoreCurve } from '../bitcore.js';
import { type SignatureBackend, hasPubkeyShape, isFieldElement } from './backend.js';
import { bitcoreOriginals } from './bitcore-hooks.js';

const { PublicKey, ECDSA, Signature, BN } = bitcoreCurve;

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
  schnorr(sig64: Uint8Array, msg32: Uint8Array, xOnly: Uint8Array): boolean {
    // BIP 340's lift_x fails for x >= p; bitcore would reduce it first.
    if (sig64.length !== 64 || msg32.length !== 32 || xOnly.length !== 32 || !isFieldElement(xOnly, 0)) return false;
    try {
      return bitcoreOriginals.schnorrVerify(buf(xOnly), buf(msg32), buf(sig64));
    } catch {
      return false;
    }
  },
});
