import { CryptoError } from '../errors.js';
import { sha256 } from '../hashes.js';
import type { RecoveryId, Secp256k1Backend } from './backend.js';
import { expectHash, isPublicKeyLength, parsePrivateKey, parseTweak } from './checks.js';
import { nobleSecp256k1 } from './noble.js';

/** The parts of the `tiny-secp256k1` module (v2, WebAssembly libsecp256k1) this backend calls. */
export interface TinySecp256k1Module {
  isPoint(p: Uint8Array): boolean;
  isPrivate(d: Uint8Array): boolean;
  pointFromScalar(d: Uint8Array, compressed?: boolean): Uint8Array | null;
  pointCompress(p: Uint8Array, compressed?: boolean): Uint8Array;
  pointAddScalar(p: Uint8Array, tweak: Uint8Array, compressed?: boolean): Uint8Array | null;
  pointMultiply(p: Uint8Array, tweak: Uint8Array, compressed?: boolean): Uint8Array | null;
  pointAdd(a: Uint8Array, b: Uint8Array, compressed?: boolean): Uint8Array | null;
  privateAdd(d: Uint8Array, tweak: Uint8Array): Uint8Array | null;
  sign(h: Uint8Array, d: Uint8Array, e?: Uint8Array): Uint8Array;
  signRecoverable(h: Uint8Array, d: Uint8Array, e?: Uint8Array): { signature: Uint8Array; recoveryId: number };
  verify(h: Uint8Array, q: Uint8Array, signature: Uint8Array, strict?: boolean): boolean;
  recover(h: Uint8Array, signature: Uint8Array, recoveryId: 0 | 1 | 2 | 3, compressed?: boolean): Uint8Array | null;
  signSchnorr(h: Uint8Array, d: Uint8Array, e?: Uint8Array): Uint8Array;
  verifySchnorr(h: Uint8Array, q: Uint8Array, signature: Uint8Array): boolean;
}

function point(bytes: Uint8Array | null, code: 'point_at_infinity' | 'invalid_signature' = 'point_at_infinity'): Uint8Array {
  if (bytes === null) throw new CryptoError(code, code === 'point_at_infinity' ? 'result is the point at infinity' : 'no public key recovers from this signature');
  return bytes;
}

/**
 * A backend on `tiny-secp256k1` (libsecp256k1 compiled to WebAssembly: about 7x
 * noble's verify speed, in Node and browsers). Pass the imported module:
 * `createTinySecp256k1Backend(await import('tiny-secp256k1'))`.
 */
export function createTinySecp256k1Backend(lib: TinySecp256k1Module): Secp256k1Backend {
  const checkPoint = (p: Uint8Array) => {
    if (!isPublicKeyLength(p) || !lib.isPoint(p)) throw new CryptoError('invalid_public_key', 'not a point on secp256k1');
  };
  return Object.freeze({
    ...nobleSecp256k1,
    name: 'tiny-secp256k1',
    isValidPublicKey: (p: Uint8Array) => isPublicKeyLength(p) && lib.isPoint(p),
    isValidPrivateKey: (d: Uint8Array) => d instanceof Uint8Array && d.length === 32 && lib.isPrivate(d),
    publicKeyCreate(d: Uint8Array) {
      parsePrivateKey(d);
      return point(lib.pointFromScalar(d, true));
    },
    publicKeyCompress(p: Uint8Array) {
      checkPoint(p);
      return lib.pointCompress(p, true);
    },
    publicKeyTweakAdd(p: Uint8Array, t: Uint8Array) {
      checkPoint(p);
      parseTweak(t, true);
      return point(lib.pointAddScalar(p, t, true));
    },
    publicKeyTweakMul(p: Uint8Array, t: Uint8Array) {
      checkPoint(p);
      parseTweak(t, false);
      return point(lib.pointMultiply(p, t, true));
    },
    publicKeyCombine(a: Uint8Array, b: Uint8Array) {
      checkPoint(a);
      checkPoint(b);
      return point(lib.pointAdd(a, b, true));
    },
    privateKeyTweakAdd(d: Uint8Array, t: Uint8Array) {
      parsePrivateKey(d);
      parseTweak(t, true);
      const sum = lib.privateAdd(d, t);
      if (sum === null) throw new CryptoError('invalid_tweak', 'tweaked private key is zero');
      return sum;
    },
    ecdsaSign(h: Uint8Array, d: Uint8Array) {
      expectHash(h);
      parsePrivateKey(d);
      return lib.sign(h, d);
    },
    ecdsaSignRecoverable(h: Uint8Array, d: Uint8Array) {
      expectHash(h);
      parsePrivateKey(d);
      const { signature, recoveryId } = lib.signRecoverable(h, d);
      return { signature, recoveryId: recoveryId as RecoveryId };
    },
    ecdsaVerify(sig: Uint8Array, h: Uint8Array, p: Uint8Array) {
      if (sig.length !== 64 || h.length !== 32 || !isPublicKeyLength(p)) return false;
      try {
        return lib.verify(h, p, sig, true);
      } catch {
        return false;
      }
    },
    ecdsaRecover(sig: Uint8Array, recoveryId: RecoveryId, h: Uint8Array) {
      expectHash(h);
      if (sig.length !== 64 || ![0, 1, 2, 3].includes(recoveryId)) throw new CryptoError('invalid_signature', 'bad compact signature or recovery id');
      try {
        return point(lib.recover(h, sig, recoveryId, true), 'invalid_signature');
      } catch (cause) {
        if (cause instanceof CryptoError) throw cause;
        throw new CryptoError('invalid_signature', 'no public key recovers from this signature', { cause });
      }
    },
    ecdh(d: Uint8Array, p: Uint8Array) {
      parsePrivateKey(d);
      checkPoint(p);
      return sha256(point(lib.pointMultiply(p, d, true)));
    },
    schnorrSign(m: Uint8Array, d: Uint8Array, aux?: Uint8Array) {
      expectHash(m);
      parsePrivateKey(d);
      return lib.signSchnorr(m, d, aux ?? new Uint8Array(32));
    },
    schnorrVerify(sig: Uint8Array, m: Uint8Array, q: Uint8Array) {
      try {
        return sig.length === 64 && m.length === 32 && q.length === 32 && lib.verifySchnorr(m, q, sig);
      } catch {
        return false;
      }
    },
  });
}
