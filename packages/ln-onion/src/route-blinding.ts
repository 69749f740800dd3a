import { hmacSha256, chacha20Poly1305Open, chacha20Poly1305Seal, defaultSecp256k1, type Secp256k1Backend } from 'ln-crypto';
import { isLnError, utf8ToBytes } from 'ln-types';
import { OnionError } from './errors.js';
import { blindingFactor, generateKey } from './keys.js';
import type { EcdhFunction } from './sphinx.js';

const BLINDED_NODE_ID_TAG = utf8ToBytes('blinded_node_id');
const ZERO_NONCE = new Uint8Array(12);
const EMPTY = new Uint8Array(0);

/** One hop of a blinded path: the blinded node id and the encrypted instructions for it. */
export interface BlindedHop {
  readonly blindedNodeId: Uint8Array;
  readonly encryptedData: Uint8Array;
}

/** A blinded path as a recipient hands it out (`blinded_path`). */
export interface BlindedPath {
  /** The introduction node's real node id. */
  readonly introductionNodeId: Uint8Array;
  readonly firstPathKey: Uint8Array;
  readonly hops: readonly BlindedHop[];
}

/** A node of a path to blind: its real id and the plaintext `encrypted_data_tlv` bytes for it. */
export interface BlindingHop {
  readonly nodeId: Uint8Array;
  readonly data: Uint8Array;
}

/** HMAC256("blinded_node_id", ss): the tweak that blinds a node id and its private key. */
export function blindedNodeIdTweak(sharedSecret: Uint8Array): Uint8Array {
  return hmacSha256(BLINDED_NODE_ID_TAG, sharedSecret);
}

/**
 * Creates a blinded path (the recipient's side of BOLT 4 route blinding): path
 * keys E_i from the session key, blinded node ids B_i and each hop's data
 * encrypted with ChaCha20-Poly1305 under rho_i.
 * @throws OnionError `invalid_route` (no hops), `invalid_public_key`
 */
export function createBlindedPath(sessionKey: Uint8Array, hops: readonly BlindingHop[], backend: Secp256k1Backend = defaultSecp256k1): BlindedPath {
  if (hops.length === 0) throw new OnionError('invalid_route', 'a blinded path needs at least one hop');
  let e = sessionKey;
  let E = backend.publicKeyCreate(sessionKey);
  const firstPathKey = E;
  const out: BlindedHop[] = [];
  hops.forEach((hop, i) => {
    let ss: Uint8Array;
    try {
      ss = backend.ecdh(e, hop.nodeId);
    } catch (cause) {
      throw new OnionError('invalid_public_key', `blinded path hop ${i} has an invalid node id`, { cause });
    }
    out.push({
      blindedNodeId: backend.publicKeyTweakMul(hop.nodeId, blindedNodeIdTweak(ss)),
      encryptedData: chacha20Poly1305Seal(generateKey('rho', ss), ZERO_NONCE, hop.data, EMPTY),
    });
    const b = blindingFactor(E, ss);
    e = backend.privateKeyTweakMul(e, b);
    E = backend.publicKeyCreate(e);
  });
  return { introductionNodeId: hops[0]!.nodeId, firstPathKey, hops: out };
}

/** What a node in a blinded path learns from its `encrypted_recipient_data`. */
export interface UnblindedHop {
  /** The decrypted `encrypted_data_tlv` bytes. */
  readonly data: Uint8Array;
  /** E_{i+1} = SHA256(E_i || ss_i) * E_i (use `next_path_key_override` instead when the data carries one). */
  readonly nextPathKey: Uint8Array;
  readonly sharedSecret: Uint8Array;
}

/**
 * Decrypts a hop's `encrypted_recipient_data` with the node's ECDH and the
 * path key it received (in `update_add_htlc`, `current_path_key` or the onion message).
 * @throws OnionError `invalid_public_key`, `invalid_blinded_data`
 */
export function decryptBlindedHopData(ecdh: EcdhFunction, pathKey: Uint8Array, encryptedData: Uint8Array, backend: Secp256k1Backend = defaultSecp256k1): UnblindedHop {
  if (!backend.isValidPublicKey(pathKey) || pathKey.length !== 33) throw new OnionError('invalid_public_key', 'path key is not a valid point');
  const ss = ecdh(pathKey);
  let data: Uint8Array;
  try {
    data = chacha20Poly1305Open(generateKey('rho', ss), ZERO_NONCE, encryptedData, EMPTY);
  } catch (cause) {
    if (isLnError(cause)) throw new OnionError('invalid_blinded_data', 'encrypted_recipient_data does not decrypt', { cause });
    throw cause;
  }
  return { data, nextPathKey: backend.publicKeyTweakMul(pathKey, blindingFactor(pathKey, ss)), sharedSecret: ss };
}

/**
 * The ECDH a blinded hop uses to peel its onion layer: with b = HMAC256("blinded_node_id",
 * ECDH(k, E)), the blinded private key is k*b, and ECDH(k*b, P) = ECDH(k, b*P). So the
 * node key never leaves the signer.
 */
export function blindedHopEcdh(ecdh: EcdhFunction, pathKey: Uint8Array, backend: Secp256k1Backend = defaultSecp256k1): EcdhFunction {
  if (!backend.isValidPublicKey(pathKey) || pathKey.length !== 33) throw new OnionError('invalid_public_key', 'path key is not a valid point');
  const tweak = blindedNodeIdTweak(ecdh(pathKey));
  return (point) => ecdh(backend.publicKeyTweakMul(point, tweak));
}
