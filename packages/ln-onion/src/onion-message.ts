import { defaultSecp256k1, type Secp256k1Backend } from 'ln-crypto';
import { bytesRecord, defineTlvStream, Reader, tlvField, WireError, Writer, type TlvRecord, type TlvStreamValue } from 'ln-wire';
import { decodeEncryptedData, type EncryptedData } from './encrypted-data.js';
import { OnionError } from './errors.js';
import { blindedHopEcdh, decryptBlindedHopData, type BlindedPath } from './route-blinding.js';
import { buildOnionPacket, ONION_PACKET_OVERHEAD, parseOnionPacket, peelOnionPacket, serializeOnionPacket, type EcdhFunction, type OnionPacket } from './sphinx.js';
import { asOnionError } from './wire-errors.js';

/** The two packet sizes BOLT 4 recommends for onion messages (payload area). */
export const ONION_MESSAGE_PAYLOADS_LENGTHS = [1300, 32768] as const;

/** Reads a `blinded_path` (BOLT 4 subtype); `first_node_id` is a point or a 9-byte `sciddir`. */
export function readBlindedPath(r: Reader): BlindedPath & { readonly introductionSciddir?: Uint8Array } {
  const first = r.u8('first_node_id');
  let introductionNodeId: Uint8Array;
  let introductionSciddir: Uint8Array | undefined;
  if (first === 0 || first === 1) {
    introductionSciddir = Uint8Array.of(first, ...r.bytes(8, 'sciddir'));
    introductionNodeId = new Uint8Array(0);
  } else if (first === 2 || first === 3) {
    introductionNodeId = Uint8Array.of(first, ...r.bytes(32, 'first_node_id'));
  } else {
    throw new WireError('invalid_value', 'first_node_id is neither a point nor a sciddir');
  }
  const firstPathKey = r.bytes(33, 'first_path_key').slice();
  const n = r.u8('num_hops');
  if (n === 0) throw new WireError('invalid_value', 'blinded path with no hops');
  const hops = [];
  for (let i = 0; i < n; i++) hops.push({ blindedNodeId: r.bytes(33, 'blinded_node_id').slice(), encryptedData: r.u16Bytes('encrypted_recipient_data').slice() });
  return introductionSciddir === undefined ? { introductionNodeId, firstPathKey, hops } : { introductionNodeId, introductionSciddir, firstPathKey, hops };
}

/** Writes a `blinded_path` with a point as `first_node_id`. */
export function writeBlindedPath(path: BlindedPath, w: Writer): void {
  if (path.hops.length === 0 || path.hops.length > 255) throw new WireError('invalid_value', 'a blinded path has 1 to 255 hops');
  w.fixed(path.introductionNodeId, 33, 'first_node_id').fixed(path.firstPathKey, 33, 'first_path_key').u8(path.hops.length);
  for (const hop of path.hops) w.fixed(hop.blindedNodeId, 33, 'blinded_node_id').u16Bytes(hop.encryptedData, 'encrypted_recipient_data');
}

/** The `onionmsg_tlv` namespace. BOLT 12 payloads (64, 66, 68) are kept as raw TLV streams. */
export const onionMessageTlvStream = defineTlvStream({
  replyPath: tlvField(2, readBlindedPath, (v: BlindedPath, w) => writeBlindedPath(v, w)),
  encryptedRecipientData: bytesRecord(4),
  invoiceRequest: bytesRecord(64),
  invoice: bytesRecord(66),
  invoiceError: bytesRecord(68),
});

/** A decoded `onionmsg_tlv`. */
export type OnionMessagePayload = TlvStreamValue<typeof onionMessageTlvStream.fields>;

/** Encodes an `onionmsg_tlv`. */
export function encodeOnionMessagePayload(payload: OnionMessagePayload): Uint8Array {
  return asOnionError('invalid_hop_payload', 'onionmsg_tlv', () => {
    const w = new Writer(64);
    onionMessageTlvStream.encode(payload, w);
    return w.finish().slice();
  });
}

/** Decodes an `onionmsg_tlv`. @throws OnionError `invalid_hop_payload` */
export function decodeOnionMessagePayload(bytes: Uint8Array): OnionMessagePayload {
  return asOnionError('invalid_hop_payload', 'onionmsg_tlv', () => onionMessageTlvStream.decode(new Reader(bytes), 'onionmsg_tlv'));
}

/** What the sender puts in the final hop's `onionmsg_tlv` besides its `encrypted_recipient_data`. */
export interface OnionMessageContent {
  readonly replyPath?: BlindedPath;
  readonly invoiceRequest?: Uint8Array;
  readonly invoice?: Uint8Array;
  readonly invoiceError?: Uint8Array;
  /** Other (odd) records for the final hop. */
  readonly unknown?: readonly TlvRecord[];
}

/** An `onion_message`'s content: the first path key and the packet. */
export interface OnionMessage {
  readonly pathKey: Uint8Array;
  readonly packet: OnionPacket;
}

/**
 * Builds an onion message along a blinded path (every hop, the introduction
 * node included, is encrypted to its blinded node id). The packet takes the
 * smaller of 1300 or 32768 bytes of payload area that fits, unless `payloadsLength` is given.
 */
export function buildOnionMessage(
  sessionKey: Uint8Array,
  path: BlindedPath,
  content: OnionMessageContent,
  options: { readonly payloadsLength?: number; readonly secp256k1?: Secp256k1Backend } = {},
): OnionMessage {
  const last = path.hops.length - 1;
  if (last < 0) throw new OnionError('invalid_route', 'onion message path has no hops');
  const hops = path.hops.map((hop, i) => {
    const payload: OnionMessagePayload = { encryptedRecipientData: hop.encryptedData };
    if (i === last) {
      if (content.replyPath !== undefined) payload.replyPath = content.replyPath;
      if (content.invoiceRequest !== undefined) payload.invoiceRequest = content.invoiceRequest;
      if (content.invoice !== undefined) payload.invoice = content.invoice;
      if (content.invoiceError !== undefined) payload.invoiceError = content.invoiceError;
      if (content.unknown !== undefined && content.unknown.length > 0) payload.unknown = [...content.unknown];
    }
    return { publicKey: hop.blindedNodeId, payload: encodeOnionMessagePayload(payload) };
  });
  const needed = hops.reduce((a, h) => a + h.payload.length + 3 + 32, 0);
  const payloadsLength = options.payloadsLength ?? ONION_MESSAGE_PAYLOADS_LENGTHS.find((l) => l >= needed) ?? ONION_MESSAGE_PAYLOADS_LENGTHS[1];
  const { packet } = buildOnionPacket(sessionKey, hops, new Uint8Array(0), { payloadsLength, ...(options.secp256k1 && { secp256k1: options.secp256k1 }) });
  return { pathKey: path.firstPathKey, packet };
}

/** Serialises an onion message's packet (the `onion_message_packet` field). */
export function serializeOnionMessagePacket(message: OnionMessage): Uint8Array {
  return serializeOnionPacket(message.packet);
}

/** What a node learns from an onion message. */
export interface PeeledOnionMessage {
  readonly payload: OnionMessagePayload;
  /** The decrypted `encrypted_data_tlv` (its `path_id` for the final node, its next hop otherwise). */
  readonly encryptedData: EncryptedData;
  /** The message to forward (with the next path key), absent at the final node. */
  readonly next?: OnionMessage;
}

/**
 * Peels an onion message at a node: the onion layer with the blinded ECDH, the
 * `onionmsg_tlv`, then its `encrypted_recipient_data` with the path key. Applies
 * the reader rules that make a message to ignore (typed errors): a non-final
 * payload with other fields than `encrypted_recipient_data`, or with `path_id`.
 * @throws OnionError
 */
export function peelOnionMessage(
  ecdh: EcdhFunction,
  pathKey: Uint8Array,
  packetBytes: Uint8Array,
  backend: Secp256k1Backend = defaultSecp256k1,
): PeeledOnionMessage {
  if (packetBytes.length <= ONION_PACKET_OVERHEAD) throw new OnionError('invalid_length', 'onion message packet too short');
  const packet = parseOnionPacket(packetBytes, packetBytes.length - ONION_PACKET_OVERHEAD);
  const peeled = peelOnionPacket(packet, new Uint8Array(0), blindedHopEcdh(ecdh, pathKey, backend), { secp256k1: backend, allowEmptyPayload: true });
  const payload = decodeOnionMessagePayload(peeled.payload);
  if (payload.encryptedRecipientData === undefined) throw new OnionError('invalid_hop_payload', 'onion message without encrypted_recipient_data');
  const unblinded = decryptBlindedHopData(ecdh, pathKey, payload.encryptedRecipientData, backend);
  const encryptedData = decodeEncryptedData(unblinded.data);
  if (peeled.next === undefined) return { payload, encryptedData };
  const others = Object.keys(payload).filter((k) => k !== 'encryptedRecipientData' && (payload as Record<string, unknown>)[k] !== undefined);
  if (others.length > 0) throw new OnionError('invalid_hop_payload', `non-final onion message payload carries ${others.join(', ')}`);
  if (encryptedData.pathId !== undefined) throw new OnionError('invalid_blinded_data', 'non-final hop data carries a path_id');
  return { payload, encryptedData, next: { pathKey: encryptedData.nextPathKeyOverride ?? unblinded.nextPathKey, packet: peeled.next } };
}
