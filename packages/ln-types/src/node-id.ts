import type { Brand } from './brand.js';
import { toHex, fromHex } from './bytes.js';
import { TypesError } from './errors.js';

/** A 33-byte compressed secp256k1 public key (SEC1: prefix 0x02 or 0x03, then x). */
export type PublicKey = Brand<Uint8Array, 'PublicKey'>;

/** A node's identity: its compressed public key. */
export type NodeId = PublicKey;

/** Length of a compressed public key. */
export const PUBLIC_KEY_LENGTH = 33;

/**
 * Brands 33 bytes as a public key after a format check (length and prefix).
 * This does not check that x is on the curve: ln-crypto's `parsePublicKey` does,
 * at the cost of a square root, where it matters (before ECDH or verification).
 * @throws TypesError `invalid_node_id`
 */
export function publicKey(bytes: Uint8Array): PublicKey {
  if (!(bytes instanceof Uint8Array) || bytes.length !== PUBLIC_KEY_LENGTH || (bytes[0] !== 2 && bytes[0] !== 3)) {
    throw new TypesError('invalid_node_id', 'a public key is 33 bytes starting with 0x02 or 0x03');
  }
  return bytes as PublicKey;
}

/** A node id from its bytes (same check as {@link publicKey}). */
export const nodeId: (bytes: Uint8Array) => NodeId = publicKey;

/** A node id from 66 hex characters. */
export function nodeIdFromHex(hex: string): NodeId {
  if (hex.length !== 2 * PUBLIC_KEY_LENGTH) throw new TypesError('invalid_node_id', 'a node id is 66 hex characters');
  return publicKey(fromHex(hex));
}

/** Hex of a node id (the usual display form). */
export function nodeIdToHex(id: NodeId): string {
  return toHex(id);
}
