import { CryptoError } from '../errors.js';
import type { RecoveryId, Secp256k1Backend } from './backend.js';
import { expectHash, expectLength, isPublicKeyLength, parsePrivateKey, parseTweak } from './checks.js';
import { nobleSecp256k1 } from './noble.js';

/** The parts of the `secp256k1` npm module (v5, native libsecp256k1 bindings) this backend calls. */
export interface NativeSecp256k1Module {
  privateKeyVerify(privateKey: Uint8Array): boolean;
  publicKeyVerify(publicKey: Uint8Array): boolean;
  publicKeyCreate(privateKey: Uint8Array, compressed?: boolean): Uint8Array;
  publicKeyConvert(publicKey: Uint8Array, compressed?: boolean): Uint8Array;
  publicKeyCombine(publicKeys: Uint8Array[], compressed?: boolean): Uint8Array;
  publicKeyTweakAdd(publicKey: Uint8Array, tweak: Uint8Array, compressed?: boolean): Uint8Array;
  publicKeyTweakMul(publicKey: Uint8Array, tweak: Uint8Array, compressed?: boolean): Uint8Array;
  privateKeyTweakAdd(privateKey: Uint8Array, tweak: Uint8Array): Uint8Array;
  privateKeyTweakMul(privateKey: Uint8Array, tweak: Uint8Array): Uint8Array;
  ecdsaSign(message: Uint8Array, privateKey: Uint8Array): { signature: Uint8Array; recid: number };
  ecdsaVerify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean;
  ecdsaRecover(signature: Uint8Array, recid: number, message: Uint8Array, compressed?: boolean): Uint8Array;
  ecdh(publicKey: Uint8Array, privateKey: Uint8Array): Uint8Array;
}

function copy(bytes: Uint8Array): Uint8Array {
  return Uint8Array.from(bytes);
}

function attempt<T>(code: 'point_at_infinity' | 'invalid_tweak' | 'invalid_signature', fn: () => T): T {
  try {
    return fn();
  } catch (cause) {
    throw new CryptoError(code, `native secp256k1 refused the operation (${code})`, { cause });
  }
}

/**
 * A backend on the native `secp256k1` package (libsecp256k1 through N-API: about
 * 25x noble's verify speed; Node only). Pass the imported module:
 * `createNativeSecp256k1Backend((await import('secp256k1')).default)`.
 * If the package's addon failed to build it falls back to slow pure JS: check
 * with a benchmark, or use `createTinySecp256k1Backend` instead.
 */
export function createNativeSecp256k1Backend(lib: NativeSecp256k1Module): Secp256k1Backend {
  const checkPoint = (p: Uint8Array) => {
    if (!isPublicKeyLength(p) || !lib.publicKeyVerify(p)) throw new CryptoError('invalid_public_key', 'not a point on secp256k1');
  };
  return Object.freeze({
    ...nobleSecp256k1,
    name: 'secp256k1-native',
    isValidPublicKey: (p: Uint8Array) => isPublicKeyLength(p) && lib.publicKeyVerify(p),
    isValidPrivateKey: (d: Uint8Array) => d instanceof Uint8Array && d.length === 32 && lib.privateKeyVerify(d),
    publicKeyCreate(d: Uint8Array) {
      expectLength(d, 32, 'invalid_private_key', 'private key');
      if (!lib.privateKeyVerify(d)) throw new CryptoError('invalid_private_key', 'private key out of range');
      return copy(lib.publicKeyCreate(d, true));
    },
    publicKeyCompress(p: Uint8Array) {
      checkPoint(p);
      return copy(lib.publicKeyConvert(p, true));
    },
    publicKeyTweakAdd(p: Uint8Array, t: Uint8Array) {
      checkPoint(p);
      parseTweak(t, true);
      return attempt('point_at_infinity', () => copy(lib.publicKeyTweakAdd(p, t, true)));
    },
    publicKeyTweakMul(p: Uint8Array, t: Uint8Array) {
      checkPoint(p);
      parseTweak(t, false);
      return attempt('point_at_infinity', () => copy(lib.publicKeyTweakMul(p, t, true)));
    },
    publicKeyCombine(a: Uint8Array, b: Uint8Array) {
      checkPoint(a);
      checkPoint(b);
      return attempt('point_at_infinity', () => copy(lib.publicKeyCombine([a, b], true)));
    },
    privateKeyTweakAdd(d: Uint8Array, t: Uint8Array) {
      parsePrivateKey(d);
      parseTweak(t, true);
      // The binding tweaks its argument in place: hand it a copy.
      return attempt('invalid_tweak', () => copy(lib.privateKeyTweakAdd(copy(d), t)));
    },
    privateKeyTweakMul(d: Uint8Array, t: Uint8Array) {
      parsePrivateKey(d);
      parseTweak(t, false);
      return attempt('invalid_tweak', () => copy(lib.privateKeyTweakMul(copy(d), t)));
    },
    ecdsaSign(h: Uint8Array, d: Uint8Array) {
      expectHash(h);
      parsePrivateKey(d);
      return copy(lib.ecdsaSign(h, d).signature);
    },
    ecdsaSignRecoverable(h: Uint8Array, d: Uint8Array) {
      expectHash(h);
      parsePrivateKey(d);
      const { signature, recid } = lib.ecdsaSign(h, d);
      return { signature: copy(signature), recoveryId: recid as RecoveryId };
    },
    ecdsaVerify(sig: Uint8Array, h: Uint8Array, p: Uint8Array) {
      if (sig.length !== 64 || h.length !== 32 || !isPublicKeyLength(p)) return false;
      try {
        return lib.ecdsaVerify(sig, h, p);
      } catch {
        return false;
      }
    },
    ecdsaRecover(sig: Uint8Array, recoveryId: RecoveryId, h: Uint8Array) {
      expectHash(h);
      if (sig.length !== 64 || ![0, 1, 2, 3].includes(recoveryId)) throw new CryptoError('invalid_signature', 'bad compact signature or recovery id');
      return attempt('invalid_signature', () => copy(lib.ecdsaRecover(sig, recoveryId, h, true)));
    },
    ecdh(d: Uint8Array, p: Uint8Array) {
      // The binding parses both keys itself: check them again only to name a failure
      // (a handshake does three of these per side; the extra checks cost about 15%).
      expectLength(d, 32, 'invalid_private_key', 'private key');
      if (!isPublicKeyLength(p)) {
        parsePrivateKey(d);
        checkPoint(p);
      }
      try {
        return copy(lib.ecdh(p, d));
      } catch (cause) {
        parsePrivateKey(d);
        checkPoint(p);
        throw new CryptoError('point_at_infinity', 'native secp256k1 refused the operation (point_at_infinity)', { cause });
      }
    },
  });
}
