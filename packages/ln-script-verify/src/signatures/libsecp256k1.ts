// libsecp256k1, Bitcoin Core's own signature code, in two builds: the
// `secp256k1` package's Node addon and `tiny-secp256k1`'s WebAssembly.
//
// The `secp256k1` package's main entry silently falls back to pure JS
// (elliptic) when its addon is missing; its `bindings.js` is the addon alone
// and throws instead, which is how this file tells the two apart. Both modules
// are loaded through the realm's own loader (realm.ts), like bitcore-lib.
import { Buffer } from 'node:buffer';
import { realmRequire } from '../realm.js';
import { type SignatureBackend, hasPubkeyShape, isBelowOrder, isFieldElement } from './backend.js';

/** The parts of the `secp256k1` package (v5) used here. */
interface NativeAddon {
  ecdsaVerify(sig: Uint8Array, msg32: Uint8Array, pubkey: Uint8Array): boolean;
  signatureNormalize(sig: Uint8Array): Uint8Array;
}

/** The parts of `tiny-secp256k1` (v2) used here. */
interface TinySecp256k1 {
  verify(h: Uint8Array, q: Uint8Array, signature: Uint8Array, strict?: boolean): boolean;
  verifySchnorr(h: Uint8Array, q: Uint8Array, signature: Uint8Array): boolean;
}

function load<T>(id: string): T | undefined {
  try {
    return realmRequire(id) as T;
  } catch {
    return undefined;
  }
}

const addon = load<NativeAddon>('secp256k1/bindings.js');
const tiny = load<TinySecp256k1>('tiny-secp256k1');

// tiny-secp256k1 checks its arguments with `instanceof Uint8Array`, which fails
// for arrays made in another realm (a jest sandbox): hand it Node Buffers, whose
// class belongs to the main realm where the module was loaded.
const mainRealm = (bytes: Uint8Array): Uint8Array => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

function compact(r: Uint8Array, s: Uint8Array): Uint8Array {
  const sig = Buffer.alloc(64);
  sig.set(r, 0);
  sig.set(s, 32);
  return sig;
}

// BIP 340 lets r be any field element, libsecp256k1 too, but tiny-secp256k1's
// argument check refuses r >= n: those (a signature whose R has such an x is
// about 2^-128 likely) are answered by `slow`, bitcore's own check.
function schnorrWithTiny(lib: TinySecp256k1, slow: SignatureBackend['schnorr']): SignatureBackend['schnorr'] {
  return (sig64, msg32, xOnly) => {
    if (sig64.length !== 64 || msg32.length !== 32 || xOnly.length !== 32) return false;
    if (!isFieldElement(sig64, 0) || !isBelowOrder(sig64, 32) || !isFieldElement(xOnly, 0)) return false;
    if (!isBelowOrder(sig64, 0)) return slow(sig64, msg32, xOnly);
    try {
      return lib.verifySchnorr(mainRealm(msg32), mainRealm(xOnly), mainRealm(sig64));
    } catch {
      return false; // not an x coordinate on the curve
    }
  };
}

/**
 * The addon's ECDSA and WebAssembly Schnorr, or undefined when either did not load.
 * `slowSchnorr` answers the r >= n corner described above.
 */
export function nativeBackend(slowSchnorr: SignatureBackend['schnorr']): SignatureBackend | undefined {
  if (addon === undefined || tiny === undefined) return undefined;
  const lib = addon;
  return Object.freeze({
    name: 'libsecp256k1-native',
    ecdsa(r: Uint8Array, s: Uint8Array, msg32: Uint8Array, pubkey: Uint8Array): boolean {
      if (!hasPubkeyShape(pubkey) || msg32.length !== 32) return false;
      try {
        // libsecp256k1's verify refuses a high S; Core normalizes first (LOW_S is policy, checked earlier).
        return lib.ecdsaVerify(lib.signatureNormalize(compact(r, s)), msg32, pubkey);
      } catch {
        return false; // the key does not parse (off the curve, a coordinate >= p, a hybrid key of the wrong parity)
      }
    },
    schnorr: schnorrWithTiny(tiny, slowSchnorr),
  } satisfies SignatureBackend);
}

/** WebAssembly libsecp256k1 for both, or undefined when it did not load. */
export function wasmBackend(slowSchnorr: SignatureBackend['schnorr']): SignatureBackend | undefined {
  if (tiny === undefined) return undefined;
  const lib = tiny;
  return Object.freeze({
    name: 'libsecp256k1-wasm',
    ecdsa(r: Uint8Array, s: Uint8Array, msg32: Uint8Array, pubkey: Uint8Array): boolean {
      if (!hasPubkeyShape(pubkey) || msg32.length !== 32) return false;
      try {
        // Not strict: tiny-secp256k1 normalizes a high S first, as Core does.
        return lib.verify(mainRealm(msg32), mainRealm(pubkey), compact(r, s), false);
      } catch {
        return false;
      }
    },
    schnorr: schnorrWithTiny(lib, slowSchnorr),
  } satisfies SignatureBackend);
}
