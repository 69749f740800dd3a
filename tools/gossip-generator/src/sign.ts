import { sha256, sha256d, type Secp256k1Backend } from 'ln-crypto';
import { compareBytes, concatBytes, type ChainHash, type NodeId, type PublicKey, type ShortChannelId } from 'ln-types';
import { encodeMessage, gossipSignedBytes, type ChannelAnnouncementMessage, type ChannelUpdateMessage, type NodeAddress, type NodeAnnouncementMessage } from 'ln-wire';

const ZERO_SIG = new Uint8Array(64);

/** Inputs of a channel_announcement: the two node keys and two funding keys (private), in any order. */
export interface ChannelKeys {
  readonly nodeKeyA: Uint8Array;
  readonly nodeKeyB: Uint8Array;
  readonly bitcoinKeyA: Uint8Array;
  readonly bitcoinKeyB: Uint8Array;
}

/** A signed channel_announcement and which input node became node_id_1. */
export interface SignedAnnouncement {
  readonly raw: Uint8Array;
  readonly message: ChannelAnnouncementMessage;
  /** True when node A has the lesser id (is node_id_1). */
  readonly aIsNode1: boolean;
}

/**
 * Builds and signs a channel_announcement: orders the nodes as BOLT 7 wants
 * (node_id_1 the lesser), pairs each node with its funding key, and signs the
 * double SHA-256 of the bytes after the signatures with all four keys.
 */
export function signChannelAnnouncement(
  backend: Secp256k1Backend,
  chainHash: ChainHash,
  shortChannelId: ShortChannelId,
  keys: ChannelKeys,
  features: Uint8Array = new Uint8Array(0),
): SignedAnnouncement {
  const a = backend.publicKeyCreate(keys.nodeKeyA);
  const b = backend.publicKeyCreate(keys.nodeKeyB);
  const aIsNode1 = compareBytes(a, b) < 0;
  const [n1, n2, k1, k2] = aIsNode1 ? [keys.nodeKeyA, keys.nodeKeyB, keys.bitcoinKeyA, keys.bitcoinKeyB] : [keys.nodeKeyB, keys.nodeKeyA, keys.bitcoinKeyB, keys.bitcoinKeyA];
  const unsigned: ChannelAnnouncementMessage = {
    type: 'channel_announcement',
    nodeSignature1: ZERO_SIG,
    nodeSignature2: ZERO_SIG,
    bitcoinSignature1: ZERO_SIG,
    bitcoinSignature2: ZERO_SIG,
    features,
    chainHash,
    shortChannelId,
    nodeId1: (aIsNode1 ? a : b) as NodeId,
    nodeId2: (aIsNode1 ? b : a) as NodeId,
    bitcoinKey1: backend.publicKeyCreate(k1) as PublicKey,
    bitcoinKey2: backend.publicKeyCreate(k2) as PublicKey,
  };
  const hash = sha256d(gossipSignedBytes(unsigned));
  const message: ChannelAnnouncementMessage = {
    ...unsigned,
    nodeSignature1: backend.ecdsaSign(hash, n1),
    nodeSignature2: backend.ecdsaSign(hash, n2),
    bitcoinSignature1: backend.ecdsaSign(hash, k1),
    bitcoinSignature2: backend.ecdsaSign(hash, k2),
  };
  return { raw: encodeMessage(message), message, aIsNode1 };
}

/** The fields of a channel_update other than the signature, chain and channel. */
export interface UpdateFields {
  readonly timestamp: number;
  readonly direction: 0 | 1;
  readonly disabled: boolean;
  readonly cltvExpiryDelta: number;
  readonly htlcMinimumMsat: bigint;
  readonly htlcMaximumMsat: bigint;
  readonly feeBaseMsat: number;
  readonly feeProportionalMillionths: number;
}

/** Builds and signs a channel_update with the private key of the direction's node. */
export function signChannelUpdate(backend: Secp256k1Backend, chainHash: ChainHash, shortChannelId: ShortChannelId, f: UpdateFields, nodeKey: Uint8Array): Uint8Array {
  const unsigned: ChannelUpdateMessage = {
    type: 'channel_update',
    signature: ZERO_SIG,
    chainHash,
    shortChannelId,
    timestamp: f.timestamp,
    messageFlags: 1,
    channelFlags: f.direction | (f.disabled ? 2 : 0),
    cltvExpiryDelta: f.cltvExpiryDelta,
    htlcMinimumMsat: f.htlcMinimumMsat,
    feeBaseMsat: f.feeBaseMsat,
    feeProportionalMillionths: f.feeProportionalMillionths,
    htlcMaximumMsat: f.htlcMaximumMsat,
  };
  return encodeMessage({ ...unsigned, signature: backend.ecdsaSign(sha256d(gossipSignedBytes(unsigned)), nodeKey) });
}

/** The fields of a node_announcement other than the signature and node id. */
export interface NodeFields {
  readonly timestamp: number;
  readonly features: Uint8Array;
  readonly rgbColor: Uint8Array;
  /** At most 32 bytes (zero-padded here). */
  readonly alias: Uint8Array;
  readonly addresses: readonly NodeAddress[];
}

/** Builds and signs a node_announcement. */
export function signNodeAnnouncement(backend: Secp256k1Backend, f: NodeFields, nodeKey: Uint8Array): Uint8Array {
  const alias = new Uint8Array(32);
  alias.set(f.alias.subarray(0, 32));
  const unsigned: NodeAnnouncementMessage = {
    type: 'node_announcement',
    signature: ZERO_SIG,
    features: f.features,
    timestamp: f.timestamp,
    nodeId: backend.publicKeyCreate(nodeKey) as NodeId,
    rgbColor: f.rgbColor,
    alias,
    addresses: f.addresses,
  };
  return encodeMessage({ ...unsigned, signature: backend.ecdsaSign(sha256d(gossipSignedBytes(unsigned)), nodeKey) });
}

/** The funding output script of the 2-of-2 of two funding public keys (BOLT 3: P2WSH, keys sorted). */
export function fundingOutputScript(bitcoinKey1: Uint8Array, bitcoinKey2: Uint8Array): Uint8Array {
  const [a, b] = compareBytes(bitcoinKey1, bitcoinKey2) <= 0 ? [bitcoinKey1, bitcoinKey2] : [bitcoinKey2, bitcoinKey1];
  const witness = concatBytes(Uint8Array.of(0x52, 0x21), a, Uint8Array.of(0x21), b, Uint8Array.of(0x52, 0xae));
  return concatBytes(Uint8Array.of(0x00, 0x20), sha256(witness));
}
