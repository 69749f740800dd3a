import { LnError } from 'ln-types';

/** Reasons an onion, a failure or a blinded-path operation is refused. */
export type OnionErrorCode =
  /** The packet's version byte is not 0. */
  | 'invalid_version'
  /** The ephemeral or path key is not a valid point. */
  | 'invalid_public_key'
  /** The packet's HMAC does not match: corrupted, or not for this node. */
  | 'invalid_hmac'
  /** Bytes of the wrong length (packet, payload area, secret). */
  | 'invalid_length'
  /** A hop payload's length prefix is zero, not minimal, or runs past the packet. */
  | 'invalid_payload_length'
  /** The payloads do not fit in the packet. */
  | 'payloads_too_large'
  /** A route with no hops or too many. */
  | 'invalid_route'
  /** A hop payload's TLV stream is malformed, or lacks or carries fields against the BOLT 4 rules. */
  | 'invalid_hop_payload'
  /** A failure message that does not parse. */
  | 'invalid_failure_message'
  /** No hop's HMAC matches the returned failure (it cannot be attributed). */
  | 'unattributable_failure'
  /** Blinded-path data that does not decrypt or parse. */
  | 'invalid_blinded_data';

/** Thrown by ln-onion for malformed or unauthenticated input. */
export class OnionError extends LnError<OnionErrorCode> {}
