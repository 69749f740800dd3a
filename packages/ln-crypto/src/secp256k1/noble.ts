import { schnorr, secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '../hashes.js';
import { CryptoError } from '../errors.js';
import type { RecoveryId, Secp256k1Backend } from './backend.js';
import { CURVE_ORDER, bigIntTo32Bytes, expectHash, isPublicKeyLength, parsePrivateKey, parseTweak } from './checks.js';

const { Point } = secp256k1;
type P = InstanceType<typeof Point>;
const NO_PREHASH = { prehash: false, lowS: true } as const;

function parsePoint(bytes: Uint8Array): P {
  if (!isPublicKeyLength(bytes)) throw new CryptoError('invalid_public_key', 'public key must be 33 or 65 bytes');
  try {
    return Point.fromBytes(bytes);
  } catch (cause) {
    throw new CryptoError('invalid_public_key', 'not a point on secp256k1', { cause });
  }
}

function finite(point: P): Uint8Array {
  if (point.is0()) throw new CryptoError('point_at_infinity', 'result is the point at infinity');
  return point.toBytes(true);
}

/** The default backend: @noble/curves, pure JS, every runtime. */
export const nobleSecp256k1: Secp256k1Backend = Object.freeze({
  name: 'noble',
  isValidPublicKey(publicKey: Uint8Array) {
    if (!isPublicKeyLength(publicKey)) return false;
    try {
      Point.fromBytes(publicKey);
      return true;
    } catch {
      return false;
    }
  },
  isValidPrivateKey(privateKey: Uint8Array) {
    try {
      parsePrivateKey(privateKey);
      return true;
    } catch {
      return false;
    }
  },
  publicKeyCreate(privateKey: Uint8Array) {
    return Point.BASE.multiply(parsePrivateKey(privateKey)).toBytes(true);
  },
  publicKeyCompress(publicKey: Uint8Array) {
    return parsePoint(publicKey).toBytes(true);
  },
  publicKeyTweakAdd(publicKey: Uint8Array, tweak: Uint8Array) {
    const p = parsePoint(publicKey);
    const t = parseTweak(tweak, true);
    return finite(t === 0n ? p : p.add(Point.BASE.multiply(t)));
  },
  publicKeyTweakMul(publicKey: Uint8Array, tweak: Uint8Array) {
    const p = parsePoint(publicKey);
    return finite(p.multiply(parseTweak(tweak, false)));
  },
  publicKeyCombine(a: Uint8Array, b: Uint8Array) {
    return finite(parsePoint(a).add(parsePoint(b)));
  },
  privateKeyTweakAdd(privateKey: Uint8Array, tweak: Uint8Array) {
    const sum = (parsePrivateKey(privateKey) + parseTweak(tweak, true)) % CURVE_ORDER;
    if (sum === 0n) throw new CryptoError('invalid_tweak', 'tweaked private key is zero');
    return bigIntTo32Bytes(sum);
  },
  privateKeyTweakMul(privateKey: Uint8Array, tweak: Uint8Array) {
    return bigIntTo32Bytes((parsePrivateKey(privateKey) * parseTweak(tweak, false)) % CURVE_ORDER);
  },
  ecdsaSign(hash: Uint8Array, privateKey: Uint8Array) {
    expectHash(hash);
    parsePrivateKey(privateKey);
    return secp256k1.sign(hash, privateKey, NO_PREHASH);
  },
  ecdsaSignRecoverable(hash: Uint8Array, privateKey: Uint8Array) {
    expectHash(hash);
    parsePrivateKey(privateKey);
    const recovered = secp256k1.sign(hash, privateKey, { ...NO_PREHASH, format: 'recovered' });
    return { signature: recovered.slice(1), recoveryId: recovered[0] as RecoveryId };
  },
  ecdsaVerify(signature: Uint8Array, hash: Uint8Array, publicKey: Uint8Array) {
    if (signature.length !== 64 || hash.length !== 32 || !isPublicKeyLength(publicKey)) return false;
    try {
      return secp256k1.verify(signature, hash, publicKey, NO_PREHASH);
    } catch {
      return false;
    }
  },
  ecdsaRecover(signature: Uint8Array, recoveryId: RecoveryId, hash: Uint8Array) {
    expectHash(hash);
    if (signature.length !== 64) throw new CryptoError('invalid_signature', 'compact signature must be 64 bytes');
    if (![0, 1, 2, 3].includes(recoveryId)) throw new CryptoError('invalid_signature', 'recovery id must be 0 to 3');
    const recovered = new Uint8Array(65);
    recovered[0] = recoveryId;
    recovered.set(signature, 1);
    try {
      return secp256k1.recoverPublicKey(recovered, hash, { prehash: false });
    } catch (cause) {
      throw new CryptoError('invalid_signature', 'no public key recovers from this signature', { cause });
    }
  },
  ecdh(privateKey: Uint8Array, publicKey: Uint8Array) {
    const d = parsePrivateKey(privateKey);
    return sha256(finite(parsePoint(publicKey).multiply(d)));
  },
  schnorrSign(message: Uint8Array, privateKey: Uint8Array, auxRand?: Uint8Array) {
    expectHash(message);
    parsePrivateKey(privateKey);
    return schnorr.sign(message, privateKey, auxRand ?? new Uint8Array(32));
  },
  schnorrVerify(signature: Uint8Array, message: Uint8Array, xOnlyPublicKey: Uint8Array) {
    try {
      return signature.length === 64 && message.length === 32 && xOnlyPublicKey.length === 32 && schnorr.verify(signature, message, xOnlyPublicKey);
    } catch {
      return false;
    }
  },
});
