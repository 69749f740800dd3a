import { concatBytes, equalBytesConstantTime } from 'ln-types';
import { hmacSha256 } from 'ln-crypto';
import { OnionError } from './errors.js';
import { cipherStream, generateKey, xorInto } from './keys.js';

/** What `failure_len + pad_len` add up to by default (BOLT 4: SHOULD be 256). */
export const DEFAULT_FAILURE_PADDED_LENGTH = 256;

/**
 * The return packet before obfuscation, at the erring node:
 * HMAC(um, payload) || payload with payload = u16 len || message || u16 pad_len || pad.
 */
export function buildFailurePayload(failureMessage: Uint8Array, paddedLength = DEFAULT_FAILURE_PADDED_LENGTH): Uint8Array {
  if (failureMessage.length > 0xffff) throw new OnionError('invalid_length', 'failure message longer than 65535 bytes');
  const padLength = Math.max(0, paddedLength - failureMessage.length);
  const payload = new Uint8Array(4 + failureMessage.length + padLength);
  const view = new DataView(payload.buffer);
  view.setUint16(0, failureMessage.length);
  payload.set(failureMessage, 2);
  view.setUint16(2 + failureMessage.length, padLength);
  return payload;
}

/** The unobfuscated return packet: HMAC(um, payload) || payload. */
export function authenticateFailure(sharedSecret: Uint8Array, payload: Uint8Array): Uint8Array {
  return concatBytes(hmacSha256(generateKey('um', sharedSecret), payload), payload);
}

/** One hop's obfuscation of a return packet (its `ammag` stream XORed in); the same step at the erring node and at each hop back. */
export function obfuscateFailure(sharedSecret: Uint8Array, packet: Uint8Array): Uint8Array {
  return xorInto(packet.slice(), cipherStream(generateKey('ammag', sharedSecret), packet.length));
}

/** The erring node's `reason`: build, authenticate and obfuscate a failure message. */
export function createFailurePacket(sharedSecret: Uint8Array, failureMessage: Uint8Array, paddedLength = DEFAULT_FAILURE_PADDED_LENGTH): Uint8Array {
  return obfuscateFailure(sharedSecret, authenticateFailure(sharedSecret, buildFailurePayload(failureMessage, paddedLength)));
}

/** A failure decrypted at the origin: which hop (0 = first) sent it, and its message bytes. */
export interface DecryptedFailure {
  readonly hopIndex: number;
  readonly failureMessage: Uint8Array;
}

/** Size of the smallest valid return packet (HMAC, two lengths). */
const MIN_PACKET = 32 + 4;

/** Decryption rounds the origin always runs (BOLT 4: the longest route a TLV onion allows). */
export const FAILURE_DECRYPTION_ROUNDS = 27;
const DUMMY_SECRET = new Uint8Array(32);

/**
 * At the origin: peels each hop's obfuscation in route order and returns the
 * first hop whose `um` HMAC matches. As BOLT 4 recommends, it keeps going (with
 * a constant dummy key past the route's end) for 27 rounds in all, so the time
 * taken does not reveal the failing hop's position.
 * @throws OnionError `unattributable_failure` (no hop matches, or the payload is malformed)
 */
export function decryptFailurePacket(sharedSecrets: readonly Uint8Array[], packet: Uint8Array): DecryptedFailure {
  if (packet.length < MIN_PACKET) throw new OnionError('unattributable_failure', `return packet of ${packet.length} bytes is too short`);
  let current = packet;
  let found: DecryptedFailure | undefined;
  let malformed: string | undefined;
  const rounds = Math.max(FAILURE_DECRYPTION_ROUNDS, sharedSecrets.length);
  for (let i = 0; i < rounds; i++) {
    const real = i < sharedSecrets.length;
    const ss = real ? sharedSecrets[i]! : DUMMY_SECRET;
    current = obfuscateFailure(ss, current);
    const payload = current.subarray(32);
    const matches = equalBytesConstantTime(hmacSha256(generateKey('um', ss), payload), current.subarray(0, 32));
    if (!real || !matches || found !== undefined || malformed !== undefined) continue;
    const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
    const len = view.getUint16(0);
    if (2 + len + 2 > payload.length) {
      malformed = `hop ${i} sent a failure length past the packet`;
      continue;
    }
    const padLen = view.getUint16(2 + len);
    if (4 + len + padLen !== payload.length) {
      malformed = `hop ${i} sent inconsistent failure padding`;
      continue;
    }
    found = { hopIndex: i, failureMessage: payload.slice(2, 2 + len) };
  }
  if (malformed !== undefined) throw new OnionError('unattributable_failure', malformed);
  if (found === undefined) throw new OnionError('unattributable_failure', 'no hop of the route authenticated the failure');
  return found;
}
