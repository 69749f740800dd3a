import { concatBytes, equalBytesConstantTime } from 'ln-types';
import { defaultSecp256k1, hmacSha256, type Secp256k1Backend } from 'ln-crypto';
import { encodeBigSize, Reader, WireError } from 'ln-wire';
import { OnionError } from './errors.js';
import { blindingFactor, cipherStream, generateKey, xorInto } from './keys.js';

/** Size of a payment onion's hop_payloads (BOLT 4). */
export const PAYMENT_ONION_PAYLOADS_LENGTH = 1300;
/** Bytes around the payloads: version (1), public key (33), HMAC (32). */
export const ONION_PACKET_OVERHEAD = 66;
const HMAC_LENGTH = 32;

/** A Sphinx packet: version 0, the ephemeral public key, the encrypted hop payloads and their HMAC. */
export interface OnionPacket {
  readonly version: number;
  readonly publicKey: Uint8Array;
  readonly hopPayloads: Uint8Array;
  readonly hmac: Uint8Array;
}

/**
 * ECDH with the node's private key, as BOLT 8 and BOLT 4 define it (SHA-256 of
 * the compressed shared point). Handed in so the key can stay in a signer.
 */
export type EcdhFunction = (publicKey: Uint8Array) => Uint8Array;

/** One hop of a route to build an onion for: its node id (or blinded node id) and its payload (a TLV stream, without length prefix). */
export interface SphinxHop {
  readonly publicKey: Uint8Array;
  readonly payload: Uint8Array;
}

/** Options for building: packet size (1300 for payments; onion messages choose theirs) and secp256k1 backend. */
export interface SphinxOptions {
  readonly payloadsLength?: number;
  readonly secp256k1?: Secp256k1Backend;
}

/** A built onion with the shared secret of each hop (kept by the sender to decrypt failures). */
export interface BuiltOnion {
  readonly packet: OnionPacket;
  readonly sharedSecrets: Uint8Array[];
}

/** The wire bytes of a packet. */
export function serializeOnionPacket(packet: OnionPacket): Uint8Array {
  return concatBytes(Uint8Array.of(packet.version), packet.publicKey, packet.hopPayloads, packet.hmac);
}

/**
 * Splits packet bytes (no checks beyond the length: the version and key are
 * checked when peeling, where BOLT 4 assigns each its failure code).
 * @throws OnionError `invalid_length`
 */
export function parseOnionPacket(bytes: Uint8Array, payloadsLength = PAYMENT_ONION_PAYLOADS_LENGTH): OnionPacket {
  if (!(bytes instanceof Uint8Array) || bytes.length !== payloadsLength + ONION_PACKET_OVERHEAD) {
    throw new OnionError('invalid_length', `onion packet must be ${payloadsLength + ONION_PACKET_OVERHEAD} bytes`);
  }
  return {
    version: bytes[0]!,
    publicKey: bytes.subarray(1, 34),
    hopPayloads: bytes.subarray(34, 34 + payloadsLength),
    hmac: bytes.subarray(34 + payloadsLength),
  };
}

/**
 * The per-hop shared secrets and ephemeral public keys a sender derives from its
 * session key: ss_i = ECDH(e_i, P_i), e_{i+1} = e_i * SHA256(E_i || ss_i).
 */
export function deriveSharedSecrets(
  sessionKey: Uint8Array,
  hopPublicKeys: readonly Uint8Array[],
  backend: Secp256k1Backend = defaultSecp256k1,
): { sharedSecrets: Uint8Array[]; ephemeralPublicKeys: Uint8Array[] } {
  const sharedSecrets: Uint8Array[] = [];
  const ephemeralPublicKeys: Uint8Array[] = [];
  let priv = sessionKey;
  let pub = backend.publicKeyCreate(sessionKey);
  hopPublicKeys.forEach((hopKey, i) => {
    let ss: Uint8Array;
    try {
      ss = backend.ecdh(priv, hopKey);
    } catch (cause) {
      throw new OnionError('invalid_public_key', `hop ${i} has an invalid public key`, { cause });
    }
    sharedSecrets.push(ss);
    ephemeralPublicKeys.push(pub);
    if (i + 1 < hopPublicKeys.length) {
      const b = blindingFactor(pub, ss);
      priv = backend.privateKeyTweakMul(priv, b);
      // e·G with the precomputed base point is cheaper than b·E on an arbitrary point.
      pub = backend.publicKeyCreate(priv);
    }
  });
  return { sharedSecrets, ephemeralPublicKeys };
}

/** Length prefix, payload and HMAC: the bytes one hop takes in the packet. */
function hopLength(payload: Uint8Array): number {
  return encodeBigSize(payload.length).length + payload.length + HMAC_LENGTH;
}

/**
 * The filler: what the last hop's view of the packet ends with, so that every
 * HMAC the sender computes matches what each hop will see after the shifts.
 */
export function generateFiller(keyType: 'rho', payloadsLength: number, sharedSecrets: readonly Uint8Array[], hopLengths: readonly number[]): Uint8Array {
  let filler: Uint8Array = new Uint8Array(0);
  for (let i = 0; i < sharedSecrets.length; i++) {
    const grown = new Uint8Array(filler.length + hopLengths[i]!);
    grown.set(filler);
    const stream = cipherStream(generateKey(keyType, sharedSecrets[i]!), payloadsLength + hopLengths[i]!);
    filler = xorInto(grown, stream, stream.length - grown.length);
  }
  return filler;
}

/**
 * Builds a Sphinx packet for `hops` (first hop first) with the given session key
 * and associated data (the payment hash for payments; empty for onion messages).
 * @throws OnionError `invalid_route`, `payloads_too_large`, `invalid_public_key`
 */
export function buildOnionPacket(sessionKey: Uint8Array, hops: readonly SphinxHop[], associatedData: Uint8Array, options: SphinxOptions = {}): BuiltOnion {
  const payloadsLength = options.payloadsLength ?? PAYMENT_ONION_PAYLOADS_LENGTH;
  const backend = options.secp256k1 ?? defaultSecp256k1;
  if (hops.length === 0) throw new OnionError('invalid_route', 'an onion needs at least one hop');
  const lengths = hops.map((h) => hopLength(h.payload));
  const total = lengths.reduce((a, b) => a + b, 0);
  if (total > payloadsLength) throw new OnionError('payloads_too_large', `hop payloads need ${total} bytes; the packet holds ${payloadsLength}`);
  const { sharedSecrets, ephemeralPublicKeys } = deriveSharedSecrets(
    sessionKey,
    hops.map((h) => h.publicKey),
    backend,
  );
  const filler = generateFiller('rho', payloadsLength, sharedSecrets.slice(0, -1), lengths.slice(0, -1));

  // Start from pseudo-random bytes (the pad key's stream) so unused space reveals nothing.
  let mix = cipherStream(generateKey('pad', sessionKey), payloadsLength);
  let nextHmac: Uint8Array = new Uint8Array(HMAC_LENGTH);
  for (let i = hops.length - 1; i >= 0; i--) {
    const payload = hops[i]!.payload;
    const shifted = new Uint8Array(payloadsLength);
    const prefix = encodeBigSize(payload.length);
    shifted.set(prefix, 0);
    shifted.set(payload, prefix.length);
    shifted.set(nextHmac, prefix.length + payload.length);
    shifted.set(mix.subarray(0, payloadsLength - lengths[i]!), lengths[i]!);
    mix = xorInto(shifted, cipherStream(generateKey('rho', sharedSecrets[i]!), payloadsLength));
    if (i === hops.length - 1) mix.set(filler, payloadsLength - filler.length);
    nextHmac = hmacSha256(generateKey('mu', sharedSecrets[i]!), concatBytes(mix, associatedData));
  }
  return { packet: { version: 0, publicKey: ephemeralPublicKeys[0]!, hopPayloads: mix, hmac: nextHmac }, sharedSecrets };
}

/** What a hop learns from its layer. */
export interface PeeledOnion {
  /** This hop's payload (the TLV stream, length prefix removed). */
  readonly payload: Uint8Array;
  readonly sharedSecret: Uint8Array;
  /** The packet to forward; absent when this hop is the last (the next HMAC is all zero). */
  readonly next?: OnionPacket;
}

/**
 * Peels one layer: checks version, key and HMAC, decrypts, and returns this hop's
 * payload and the packet for the next hop. `ecdh` is the node's ECDH (for a
 * blinded hop, see `blindedHopEcdh`). A zero payload length is refused unless
 * `allowEmptyPayload` (onion messages allow it; for payments it was the legacy format).
 * @throws OnionError `invalid_version`, `invalid_public_key`, `invalid_hmac`, `invalid_payload_length`
 */
export function peelOnionPacket(
  packet: OnionPacket,
  associatedData: Uint8Array,
  ecdh: EcdhFunction,
  options: Pick<SphinxOptions, 'secp256k1'> & { readonly allowEmptyPayload?: boolean } = {},
): PeeledOnion {
  const backend = options.secp256k1 ?? defaultSecp256k1;
  const length = packet.hopPayloads.length;
  if (packet.version !== 0) throw new OnionError('invalid_version', `unknown onion version ${packet.version}`);
  if (packet.publicKey.length !== 33 || !backend.isValidPublicKey(packet.publicKey)) throw new OnionError('invalid_public_key', 'onion ephemeral key is not a valid point');
  if (packet.hmac.length !== HMAC_LENGTH) throw new OnionError('invalid_length', 'onion HMAC must be 32 bytes');
  const sharedSecret = ecdh(packet.publicKey);
  const expected = hmacSha256(generateKey('mu', sharedSecret), concatBytes(packet.hopPayloads, associatedData));
  if (!equalBytesConstantTime(expected, packet.hmac)) throw new OnionError('invalid_hmac', 'onion HMAC does not match');

  const plain = new Uint8Array(2 * length);
  plain.set(packet.hopPayloads);
  xorInto(plain, cipherStream(generateKey('rho', sharedSecret), 2 * length));
  let payloadLength: number;
  let prefixLength: number;
  try {
    const r = new Reader(plain.subarray(0, length));
    payloadLength = r.bigSizeNumber('hop payload length');
    prefixLength = r.position;
  } catch (cause) {
    if (cause instanceof WireError) throw new OnionError('invalid_payload_length', 'hop payload length is not a minimal BigSize', { cause });
    throw cause;
  }
  const hopLen = prefixLength + payloadLength + HMAC_LENGTH;
  if ((payloadLength === 0 && options.allowEmptyPayload !== true) || hopLen > length) throw new OnionError('invalid_payload_length', `hop payload length ${payloadLength} does not fit`);
  const payload = plain.slice(prefixLength, prefixLength + payloadLength);
  const nextHmac = plain.slice(prefixLength + payloadLength, hopLen);
  if (nextHmac.every((b) => b === 0)) return { payload, sharedSecret };
  const nextKey = backend.publicKeyTweakMul(packet.publicKey, blindingFactor(packet.publicKey, sharedSecret));
  return { payload, sharedSecret, next: { version: 0, publicKey: nextKey, hopPayloads: plain.slice(hopLen, hopLen + length), hmac: nextHmac } };
}
