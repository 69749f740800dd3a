// Routes the elliptic-curve work of bitcore's interpreter to a signature backend.
//
// The interpreter reaches the curve through four module-level functions:
// PublicKey.isValid (STRICTENC), PublicKey.fromBuffer (WITNESS_PUBKEYTYPE and
// before each check), ECDSA.verify (legacy and BIP 143 sighashes, through
// Sighash.verify / SighashWitness.verify) and Schnorr.verify (BIP 341/342). They
// are replaced once by functions that behave exactly as the originals unless a
// verification is running under `withSignatureBackend` (synchronously: nothing
// else can run meanwhile), so any other user of the same bitcore-lib instance
// sees no change. Inside a verification:
// - public keys follow Core: STRICTENC and WITNESS_PUBKEYTYPE look at the
//   header and length only (IsCompressedOrUncompressedPubKey, IsCompressedPubKey);
//   a key that does not parse is found out when a signature is checked against
//   it, and that check fails (CPubKey::Verify);
// - the signature hash is still bitcore's; only the check of (r, s) or the
//   Schnorr signature against it goes to the backend;
// - a taproot script path's commitment hashes the internal key's x as 32 bytes:
//   bitcore's PublicKey#computeTapTweakHash writes it through a bn.js toBuffer
//   that drops a leading zero byte, refusing valid script-path spends under one
//   internal key in 256 (BIP 341 hashes the 32-byte x).
import { Buffer } from 'node:buffer';
import { type BitcoreBN, type BitcorePublicKey, type BitcoreSignature, bitcoreCurve } from '../bitcore.js';
import { realmError } from '../realm.js';
import { type SignatureBackend, isCompressedOrUncompressedPubkey, isCompressedPubkey } from './backend.js';

const { PublicKey, ECDSA, Schnorr, TaggedHash, BN, N } = bitcoreCurve;

interface HookState {
  active: SignatureBackend | undefined;
  readonly originals: {
    readonly isValid: typeof PublicKey.isValid;
    readonly fromBuffer: typeof PublicKey.fromBuffer;
    readonly ecdsaVerify: typeof ECDSA.verify;
    readonly schnorrVerify: typeof Schnorr.verify;
    readonly computeTapTweakHash: typeof PublicKey.prototype.computeTapTweakHash;
  };
}

// The state lives on bitcore's PublicKey class: bitcore-lib is one instance per
// process (Node's loader caches it) while this module may be evaluated more than
// once (jest gives each test file its own module registry).
const STATE = Symbol.for('ln-script-verify signature hooks');
const holder = PublicKey as unknown as { [STATE]?: HookState };
const state: HookState = holder[STATE] ?? install();

/** bitcore's own functions, as they were before the hooks went in. */
export const bitcoreOriginals = state.originals;

/**
 * Runs `verify` (a synchronous interpreter run) with its signatures checked by `backend`.
 *
 * bitcore builds an Error for every argument check it makes, thrown or not
 * (Signature.parseDER alone makes eight per signature, and DER signatures are
 * parsed three times each); capturing their stack traces was most of a
 * verification once libsecp256k1 did the curve work. None of those errors
 * leaves a verification with its stack (the interpreter's failures are codes),
 * so the main realm's stack trace limit is 0 while it runs.
 */
export function withSignatureBackend<T>(backend: SignatureBackend, verify: () => T): T {
  // The legacy reference runs bitcore exactly as it is, hooks inactive.
  if (backend.name === 'bitcore-legacy') return verify();
  const outer = state.active;
  const traces = realmError.stackTraceLimit;
  state.active = backend;
  realmError.stackTraceLimit = 0;
  try {
    return verify();
  } finally {
    state.active = outer;
    realmError.stackTraceLimit = traces;
  }
}

// A public key as Core holds one before verifying with it: the bytes, not yet parsed.
const RAW = Symbol('ln-script-verify raw public key');
interface DeferredKey extends BitcorePublicKey {
  readonly [RAW]: Uint8Array;
}

function deferredKey(bytes: Uint8Array): DeferredKey {
  const raw = Uint8Array.from(bytes);
  return Object.create(PublicKey.prototype, {
    [RAW]: { value: raw },
    compressed: { value: isCompressedPubkey(raw), enumerable: true },
    // Only bitcore's own ECDSA would read the point; parse it then, as bitcore did.
    point: { get: () => bitcoreOriginals.fromBuffer(Buffer.from(raw), false).point, enumerable: true },
  }) as DeferredKey;
}

function keyBytes(pubkey: BitcorePublicKey): Uint8Array {
  return (pubkey as Partial<DeferredKey>)[RAW] ?? pubkey.toBuffer();
}

function inRange(v: BitcoreBN): boolean {
  return v.gtn(0) && v.lt(N);
}

// By tag, not instanceof: bitcore's Buffers come from the main realm, this module may run in a sandbox's.
const isBytes = (v: unknown): v is Uint8Array => Object.prototype.toString.call(v) === '[object Uint8Array]';

function hookedIsValid(data: unknown): boolean {
  if (state.active === undefined || !isBytes(data)) return bitcoreOriginals.isValid.call(PublicKey, data);
  return isCompressedOrUncompressedPubkey(data);
}

function hookedFromBuffer(buf: Uint8Array, strict?: boolean): BitcorePublicKey {
  if (state.active === undefined || !isBytes(buf)) return bitcoreOriginals.fromBuffer.call(PublicKey, buf, strict);
  return deferredKey(buf);
}

function hookedEcdsaVerify(hashbuf: Uint8Array, sig: BitcoreSignature, pubkey: BitcorePublicKey, opts?: { endian?: string }): boolean {
  const backend = state.active;
  if (backend === undefined || !isBytes(hashbuf) || hashbuf.length !== 32 || sig?.r === undefined || sig.s === undefined || pubkey === undefined) {
    return bitcoreOriginals.ecdsaVerify.call(ECDSA, hashbuf, sig, pubkey, opts);
  }
  // Out of range is a failed check for bitcore and for Core (whose lax DER parser zeroes an overflowing value).
  if (!inRange(sig.r) || !inRange(sig.s)) return false;
  // bitcore's legacy sighash is little-endian: its ECDSA reads it reversed.
  const msg = opts?.endian === 'little' ? Uint8Array.from(hashbuf).reverse() : hashbuf;
  return backend.ecdsa(sig.r.toBuffer({ size: 32 }), sig.s.toBuffer({ size: 32 }), msg, keyBytes(pubkey));
}

function hookedSchnorrVerify(publicKey: unknown, message: unknown, signature: unknown): boolean {
  const backend = state.active;
  if (backend === undefined) return bitcoreOriginals.schnorrVerify.call(Schnorr, publicKey, message, signature);
  let sig = signature;
  if (sig !== null && typeof sig === 'object' && typeof (sig as BitcoreSignature).toBuffer === 'function') {
    const full = (sig as BitcoreSignature).toBuffer();
    sig = full.length === 65 ? full.subarray(0, 64) : full;
  }
  // Anything but the three buffers the interpreter passes: bitcore decides (and throws) as it always did.
  if (!isBytes(publicKey) || publicKey.length !== 32 || !isBytes(message) || message.length !== 32 || !isBytes(sig) || sig.length !== 64) {
    return bitcoreOriginals.schnorrVerify.call(Schnorr, publicKey, message, signature);
  }
  return backend.schnorr(sig, message, publicKey);
}

function hookedTapTweakHash(this: BitcorePublicKey, merkleRoot?: Uint8Array): Uint8Array {
  if (state.active === undefined || (merkleRoot !== undefined && (!isBytes(merkleRoot) || merkleRoot.length !== 32))) {
    return bitcoreOriginals.computeTapTweakHash.call(this, merkleRoot);
  }
  const writer = new TaggedHash('TapTweak');
  writer.write(this.point.x.toArrayLike(Buffer, 'be', 32));
  if (merkleRoot !== undefined) writer.write(merkleRoot);
  const tweak = writer.finalize();
  // As bitcore (and BIP 341): a tweak not below n fails the commitment.
  if (!BN.fromBuffer(tweak).lt(N)) throw new Error('TapTweak hash failed secp256k1 order check');
  return tweak;
}

function install(): HookState {
  const created: HookState = {
    active: undefined,
    originals: Object.freeze({
      isValid: PublicKey.isValid,
      fromBuffer: PublicKey.fromBuffer,
      ecdsaVerify: ECDSA.verify,
      schnorrVerify: Schnorr.verify,
      computeTapTweakHash: PublicKey.prototype.computeTapTweakHash,
    }),
  };
  holder[STATE] = created;
  PublicKey.isValid = hookedIsValid;
  PublicKey.fromBuffer = hookedFromBuffer;
  ECDSA.verify = hookedEcdsaVerify;
  Schnorr.verify = hookedSchnorrVerify;
  PublicKey.prototype.computeTapTweakHash = hookedTapTweakHash;
  return created;
}
