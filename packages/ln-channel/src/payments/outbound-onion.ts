import { defaultSecp256k1, type Secp256k1Backend } from 'ln-crypto';
import { blindedPathOnionHops, buildOnionPacket, deriveSharedSecrets, encodeHopPayload, serializeOnionPacket, type HopPayload, type SphinxHop } from 'ln-onion';
import type { Path } from 'ln-router-api';
import type { TlvRecord } from 'ln-wire';
import { PaymentError } from './errors.js';

/** What the payee's hop of every part carries. */
export interface RecipientFields {
  /** The invoice's payment secret (absent for keysend without MPP and for probes). */
  readonly paymentSecret?: Uint8Array;
  /** The invoice's payment_metadata, echoed. */
  readonly paymentMetadata?: Uint8Array;
  /** keysend: the preimage, in the even record 5482373484. */
  readonly keysendPreimage?: Uint8Array;
  /** Odd custom records (type >= 65536), sent to the payee. */
  readonly customRecords?: readonly TlvRecord[];
}

/** An onion for one path, with what is needed to send its HTLC and read its failure. */
export interface PathOnion {
  /** The 1366-byte packet. */
  readonly onion: Uint8Array;
  /** The first HTLC's amount and absolute expiry. */
  readonly amountMsat: bigint;
  readonly cltvExpiry: number;
  /** One per onion layer (unblinded hops, then the blinded ones). */
  readonly sharedSecrets: Uint8Array[];
}

/** The node keys of each onion layer of a path: the unblinded hops (the introduction node by its real id), then the blinded ids after it. */
export function onionHopKeys(path: Path): Uint8Array[] {
  const keys: Uint8Array[] = path.hops.map((h) => h.nodeId);
  if (path.blindedTail !== undefined) for (const h of path.blindedTail.hops.slice(1)) keys.push(h.blindedNodeId);
  return keys;
}

/**
 * The per-hop payloads of a path (BOLT 4): each forwarding hop gets the next
 * channel, amount and absolute expiry; the payee gets its amount, expiry and
 * the recipient fields (payment_data with `totalMsat` when a secret is
 * given); a blinded tail gets the introduction node's and the blinded hops'
 * layers with the encrypted data. `height` is the height the HTLC is meant
 * for (best height + 1, as LDK does).
 */
export function pathOnionHops(path: Path, recipient: RecipientFields, totalMsat: bigint, height: number): SphinxHop[] {
  const n = path.hops.length;
  if (n === 0) throw new PaymentError('invalid_params', 'a path needs at least one hop');
  const tail = path.blindedTail;
  const hops: SphinxHop[] = [];
  const unblinded = tail === undefined ? n : n - 1;
  for (let i = 0; i < unblinded; i++) {
    const hop = path.hops[i]!;
    let payload: HopPayload;
    if (i < n - 1) {
      const next = path.hops[i + 1]!;
      payload = { amtToForward: next.amountMsat, outgoingCltvValue: height + next.cltvExpiryDelta, shortChannelId: next.shortChannelId };
    } else {
      payload = { amtToForward: hop.amountMsat, outgoingCltvValue: height + hop.cltvExpiryDelta };
      if (recipient.paymentSecret !== undefined) payload.paymentData = { paymentSecret: recipient.paymentSecret, totalMsat };
      if (recipient.paymentMetadata !== undefined) payload.paymentMetadata = recipient.paymentMetadata;
      if (recipient.keysendPreimage !== undefined) payload.keysendPreimage = recipient.keysendPreimage;
      if (recipient.customRecords !== undefined && recipient.customRecords.length > 0) payload.unknown = [...recipient.customRecords];
    }
    hops.push({ publicKey: hop.nodeId, payload: encodeHopPayload(payload) });
  }
  if (tail !== undefined) {
    if (tail.hops.length === 0) throw new PaymentError('invalid_params', 'a blinded tail needs at least one hop');
    hops.push(
      ...blindedPathOnionHops(
        { introductionNodeId: path.hops[n - 1]!.nodeId, firstPathKey: tail.blindingPoint, hops: tail.hops.map((h) => ({ blindedNodeId: h.blindedNodeId, encryptedData: h.encryptedPayload })) },
        {
          amtToForward: tail.finalValueMsat,
          outgoingCltvValue: height + tail.excessFinalCltvExpiryDelta,
          totalAmountMsat: totalMsat,
          ...(recipient.customRecords !== undefined && { customRecords: [...recipient.customRecords] }),
        },
      ),
    );
  }
  return hops;
}

/**
 * Builds the onion of one path with `sessionKey` (32 random bytes from the
 * EntropySource) bound to the payment hash.
 * @throws PaymentError `invalid_params` (the payloads do not fit, a bad key)
 */
export function buildPathOnion(
  path: Path,
  recipient: RecipientFields,
  totalMsat: bigint,
  height: number,
  paymentHash: Uint8Array,
  sessionKey: Uint8Array,
  secp256k1: Secp256k1Backend = defaultSecp256k1,
): PathOnion {
  const hops = pathOnionHops(path, recipient, totalMsat, height);
  let built;
  try {
    built = buildOnionPacket(sessionKey, hops, paymentHash, { secp256k1 });
  } catch (cause) {
    throw new PaymentError('invalid_params', `cannot build the onion: ${(cause as Error).message}`, { cause });
  }
  const first = path.hops[0]!;
  return { onion: serializeOnionPacket(built.packet), amountMsat: first.amountMsat, cltvExpiry: height + first.cltvExpiryDelta, sharedSecrets: built.sharedSecrets };
}

/** The shared secrets of a path's layers, from its session key (to read a failure after a restart). */
export function pathSharedSecrets(path: Path, sessionKey: Uint8Array, secp256k1: Secp256k1Backend = defaultSecp256k1): Uint8Array[] {
  return deriveSharedSecrets(sessionKey, onionHopKeys(path), secp256k1).sharedSecrets;
}
