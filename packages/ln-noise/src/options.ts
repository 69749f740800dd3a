import { defaultSymmetric, defaultSecp256k1, type Secp256k1Backend, type SymmetricBackend } from 'ln-crypto';
import type { PublicKey } from 'ln-types';
import type { EcdhFunction } from './ecdh.js';

/** What both handshake roles need. */
export interface HandshakeOptions {
  /** The local node's static public key (the node id), 33 bytes compressed. */
  readonly localPublicKey: PublicKey | Uint8Array;
  /** ECDH with the local static private key; see {@link EcdhFunction}. */
  readonly ecdh: EcdhFunction;
  /** Hashes and AEAD (default: ln-crypto's `defaultSymmetric`, Node's OpenSSL when present). */
  readonly symmetric?: SymmetricBackend;
  /** secp256k1 for the ephemeral key and ephemeral ECDH (default: noble; pass an accelerated backend for speed). */
  readonly secp256k1?: Secp256k1Backend;
  /**
   * The ephemeral private key to use instead of a random one. Only for test
   * vectors: reusing an ephemeral key breaks the handshake's security.
   */
  readonly ephemeralPrivateKey?: Uint8Array;
}

/** Options of the initiator, who knows whom it calls. */
export interface InitiatorOptions extends HandshakeOptions {
  /** The responder's static public key (its node id). */
  readonly remotePublicKey: PublicKey | Uint8Array;
}

export interface ResolvedOptions {
  readonly localPublicKey: Uint8Array;
  readonly ecdh: EcdhFunction;
  readonly symmetric: SymmetricBackend;
  readonly secp256k1: Secp256k1Backend;
}

export function resolveBackends(options: HandshakeOptions): { symmetric: SymmetricBackend; secp256k1: Secp256k1Backend } {
  return { symmetric: options.symmetric ?? defaultSymmetric, secp256k1: options.secp256k1 ?? defaultSecp256k1 };
}
