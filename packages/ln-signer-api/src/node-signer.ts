import type { RecoverableSignature } from 'ln-crypto';
import type { NodeId, PublicKey } from 'ln-types';

/** Which node key an operation uses: the node's own, or a shared phantom-node key. */
export type Recipient = 'node' | 'phantom_node';

/** A BOLT 7 message to sign with the node key: the bytes after the signature field(s). */
export interface UnsignedGossipMessage {
  readonly type: 'channel_announcement' | 'channel_update' | 'node_announcement';
  /** The signed part: the signature is over its double SHA-256. */
  readonly signedPart: Uint8Array;
}

/** A BOLT 11 invoice to sign: its human-readable part and its data part as 5-bit words. */
export interface UnsignedInvoice {
  readonly hrp: string;
  readonly dataWords: Uint8Array;
}

/**
 * The node key holder (LDK's NodeSigner). The node id is known up front; every
 * operation that uses a secret returns a Promise so the key may live in a remote
 * signer or an HSM (see docs/signer-async.md).
 */
export interface NodeSigner {
  /** The node id (compressed public key) for `recipient`. */
  getNodeId(recipient?: Recipient): NodeId;
  /**
   * BOLT 8 ECDH: SHA-256 of the compressed point `secret·otherKey`, where the
   * secret is the node key, tweaked by multiplication with `tweak` when given
   * (route blinding and onion messages).
   */
  ecdh(recipient: Recipient, otherKey: PublicKey, tweak?: Uint8Array): Promise<Uint8Array>;
  /** Signs an invoice: a recoverable signature of SHA-256(hrp || data packed to bytes). */
  signInvoice(invoice: UnsignedInvoice, recipient?: Recipient): Promise<RecoverableSignature>;
  /** Signs a gossip message with the node key (compact, low-S). */
  signGossipMessage(message: UnsignedGossipMessage): Promise<Uint8Array>;
  /**
   * 32 bytes of key material for stateless inbound payments (payment secrets and
   * hashes derived from it). Stable for the lifetime of the node.
   */
  getInboundPaymentKeyMaterial(): Uint8Array;
}
