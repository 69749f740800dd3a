import { defaultSecp256k1, sha256, type Secp256k1Backend } from 'ln-crypto';
import {
  blindedForwardingValues,
  blindedNodeIdTweak,
  customRecords,
  decodeEncryptedData,
  decodeHopPayload,
  decryptBlindedHopData,
  FAILURE_CODES,
  OnionError,
  parseOnionPacket,
  peelOnionPacket,
  serializeOnionPacket,
  validateBlindedPaymentData,
  validateHopPayload,
  type EncryptedData,
  type FailureMessage,
  type HopPayload,
  type PaymentRelay,
} from 'ln-onion';
import type { NodeSigner } from 'ln-signer-api';
import { isLnError, type NodeId, type PublicKey, type ShortChannelId } from 'ln-types';
import type { TlvRecord } from 'ln-wire';

/** An incoming HTLC as `update_add_htlc` carried it. */
export interface IncomingHtlc {
  readonly amountMsat: bigint;
  readonly paymentHash: Uint8Array;
  readonly cltvExpiry: number;
  /** The 1366-byte onion. */
  readonly onionRoutingPacket: Uint8Array;
  /** `path_key` of update_add_htlc: set when this HTLC travels inside a blinded route. */
  readonly pathKey?: Uint8Array;
}

/**
 * Where the HTLC stands in a blinded route, which decides how it is failed
 * (BOLT 2/4): `none` normal errors; `introduction` (a forwarding introduction
 * node) update_fail_htlc with invalid_onion_blinding; `inside` (path_key in
 * update_add_htlc) update_fail_malformed_htlc with invalid_onion_blinding.
 * A recipient that is its own introduction node uses normal errors (`none`).
 */
export type BlindedRole = 'none' | 'introduction' | 'inside';

/** What a forwarded HTLC's next hop is. */
export type NextHop = { readonly kind: 'scid'; readonly shortChannelId: ShortChannelId } | { readonly kind: 'node'; readonly nodeId: NodeId };

/** The final hop's onion data (a payment to us). */
export interface ReceivePayload {
  /** amt_to_forward: what the sender meant this HTLC to deliver. */
  readonly amountMsat: bigint;
  readonly outgoingCltvValue: number;
  /** payment_secret and total_msat (for a blinded path: path_id and total_amount_msat). */
  readonly paymentData?: { readonly paymentSecret: Uint8Array; readonly totalMsat: bigint };
  readonly keysendPreimage?: Uint8Array;
  readonly paymentMetadata?: Uint8Array;
  /** Odd custom records (type >= 65536). */
  readonly customRecords: readonly TlvRecord[];
  /** True when received through a blinded path we built. */
  readonly blinded: boolean;
}

/** The outcome of peeling an incoming HTLC's onion, before any check that needs channel state. */
export type PeeledHtlc =
  /** The onion cannot be read: answer with update_fail_malformed_htlc. */
  | { readonly kind: 'malformed'; readonly failureCode: number; readonly sha256OfOnion: Uint8Array; readonly reason: string }
  /** The onion is ours but its content is refused: fail with this message (encrypted with `sharedSecret`). */
  | { readonly kind: 'fail'; readonly sharedSecret: Uint8Array; readonly blinded: BlindedRole; readonly sha256OfOnion: Uint8Array; readonly failure: FailureMessage; readonly reason: string }
  /** Forward to the next hop. */
  | {
      readonly kind: 'forward';
      readonly sharedSecret: Uint8Array;
      readonly blinded: BlindedRole;
      readonly sha256OfOnion: Uint8Array;
      readonly next: NextHop;
      readonly amountToForwardMsat: bigint;
      readonly outgoingCltvValue: number;
      /** The serialized packet for the next hop. */
      readonly nextOnion: Uint8Array;
      /** The path_key to send in the outgoing update_add_htlc (blinded routes). */
      readonly nextPathKey?: PublicKey;
      /** The blinded hop's relay terms (fees are then computed by them, not read from the onion). */
      readonly paymentRelay?: PaymentRelay;
    }
  /** We are the final hop. */
  | { readonly kind: 'receive'; readonly sharedSecret: Uint8Array; readonly blinded: BlindedRole; readonly sha256OfOnion: Uint8Array; readonly payload: ReceivePayload };

/** What peeling needs from the node. */
export interface PeelContext {
  /** The node key holder; ECDH goes through it (with a tweak for blinded hops). */
  readonly signer: Pick<NodeSigner, 'ecdh'>;
  readonly secp256k1?: Secp256k1Backend;
}

const MALFORMED_CODES: Partial<Record<string, number>> = {
  invalid_version: FAILURE_CODES.invalid_onion_version,
  invalid_public_key: FAILURE_CODES.invalid_onion_key,
  invalid_hmac: FAILURE_CODES.invalid_onion_hmac,
};

const INVALID_PAYLOAD: FailureMessage = { name: 'invalid_onion_payload', tlvType: 0n, offset: 0 };

/** A blinded hop's refusal (the role decides how it is sent). */
class BlindedRefusal extends Error {}

/**
 * Peels our layer of an incoming HTLC's onion (BOLT 4), through the signer's
 * ECDH (tweaked for a hop inside a blinded route), and decodes and validates
 * the hop payload: the result says forward, receive, fail or malformed.
 * Channel-dependent checks (fees, cltv, the next channel) come after, in
 * checkForward / checkReceive. Never throws for bad input.
 */
export async function peelIncomingHtlc(htlc: IncomingHtlc, ctx: PeelContext): Promise<PeeledHtlc> {
  const backend = ctx.secp256k1 ?? defaultSecp256k1;
  const sha256OfOnion = sha256(htlc.onionRoutingPacket);
  const inside = htlc.pathKey !== undefined;
  const malformed = (code: number, reason: string): PeeledHtlc => ({ kind: 'malformed', failureCode: code, sha256OfOnion, reason });

  let packet;
  try {
    packet = parseOnionPacket(htlc.onionRoutingPacket);
  } catch {
    return malformed(inside ? FAILURE_CODES.invalid_onion_blinding : FAILURE_CODES.invalid_onion_version, 'onion of the wrong length');
  }
  if (packet.version !== 0) return malformed(inside ? FAILURE_CODES.invalid_onion_blinding : FAILURE_CODES.invalid_onion_version, `onion version ${packet.version}`);
  if (!backend.isValidPublicKey(packet.publicKey)) return malformed(inside ? FAILURE_CODES.invalid_onion_blinding : FAILURE_CODES.invalid_onion_key, 'onion key is not a point');

  // Inside a blinded route the layer is for our blinded id: ECDH with k·b, b from the path key.
  let pathSecret: Uint8Array | undefined;
  let sharedSecret: Uint8Array;
  try {
    if (inside) {
      if (htlc.pathKey!.length !== 33 || !backend.isValidPublicKey(htlc.pathKey!)) return malformed(FAILURE_CODES.invalid_onion_blinding, 'path_key is not a point');
      pathSecret = await ctx.signer.ecdh('node', htlc.pathKey! as PublicKey);
      sharedSecret = await ctx.signer.ecdh('node', packet.publicKey as PublicKey, blindedNodeIdTweak(pathSecret));
    } else {
      sharedSecret = await ctx.signer.ecdh('node', packet.publicKey as PublicKey);
    }
  } catch {
    // The signer refused the point (it checks it as we did): the onion cannot be used.
    return malformed(inside ? FAILURE_CODES.invalid_onion_blinding : FAILURE_CODES.invalid_onion_key, 'ECDH refused the onion key');
  }

  let peeled;
  try {
    peeled = peelOnionPacket(packet, htlc.paymentHash, () => sharedSecret, { secp256k1: backend });
  } catch (e) {
    if (inside) return malformed(FAILURE_CODES.invalid_onion_blinding, `onion refused inside a blinded route: ${(e as Error).message}`);
    if (e instanceof OnionError && MALFORMED_CODES[e.code] !== undefined) return malformed(MALFORMED_CODES[e.code]!, e.message);
    // A payload length that does not fit: the HMAC was right, so the layer is ours but unreadable.
    return { kind: 'fail', sharedSecret, blinded: 'none', sha256OfOnion, failure: INVALID_PAYLOAD, reason: (e as Error).message };
  }

  const isFinal = peeled.next === undefined;
  let payload: HopPayload;
  try {
    payload = decodeHopPayload(peeled.payload);
  } catch (e) {
    if (inside) return malformed(FAILURE_CODES.invalid_onion_blinding, 'hop payload does not parse');
    return { kind: 'fail', sharedSecret, blinded: 'none', sha256OfOnion, failure: INVALID_PAYLOAD, reason: (e as Error).message };
  }

  if (payload.encryptedRecipientData === undefined) {
    if (inside) return malformed(FAILURE_CODES.invalid_onion_blinding, 'path_key without encrypted_recipient_data');
    try {
      validateHopPayload(payload, { isFinal, pathKeyInUpdateAdd: false });
    } catch (e) {
      return { kind: 'fail', sharedSecret, blinded: 'none', sha256OfOnion, failure: INVALID_PAYLOAD, reason: (e as Error).message };
    }
    if (!isFinal) {
      return {
        kind: 'forward',
        sharedSecret,
        blinded: 'none',
        sha256OfOnion,
        next: { kind: 'scid', shortChannelId: payload.shortChannelId! },
        amountToForwardMsat: payload.amtToForward!,
        outgoingCltvValue: payload.outgoingCltvValue!,
        nextOnion: serializeOnionPacket(peeled.next!),
      };
    }
    return {
      kind: 'receive',
      sharedSecret,
      blinded: 'none',
      sha256OfOnion,
      payload: {
        amountMsat: payload.amtToForward!,
        outgoingCltvValue: payload.outgoingCltvValue!,
        ...(payload.paymentData !== undefined && { paymentData: payload.paymentData }),
        ...(payload.keysendPreimage !== undefined && { keysendPreimage: payload.keysendPreimage }),
        ...(payload.paymentMetadata !== undefined && { paymentMetadata: payload.paymentMetadata }),
        customRecords: customRecords(payload),
        blinded: false,
      },
    };
  }

  // A blinded hop: we are the introduction node (path key in the payload) or inside.
  const role: BlindedRole = inside ? 'inside' : 'introduction';
  const refuse = (reason: string): PeeledHtlc =>
    role === 'inside'
      ? malformed(FAILURE_CODES.invalid_onion_blinding, reason)
      : { kind: 'fail', sharedSecret, blinded: role, sha256OfOnion, failure: { name: 'invalid_onion_blinding', sha256OfOnion }, reason };
  try {
    validateHopPayload(payload, { isFinal, pathKeyInUpdateAdd: inside });
    const pathKey = (inside ? htlc.pathKey! : payload.currentPathKey!) as PublicKey;
    if (pathSecret === undefined) {
      if (!backend.isValidPublicKey(pathKey)) throw new BlindedRefusal('current_path_key is not a point');
      pathSecret = await ctx.signer.ecdh('node', pathKey);
    }
    const secret = pathSecret;
    const unblinded = decryptBlindedHopData(() => secret, pathKey, payload.encryptedRecipientData, backend);
    const data: EncryptedData = decodeEncryptedData(unblinded.data);
    validateBlindedPaymentData(data, { isFinal, amountMsat: htlc.amountMsat, cltvExpiry: htlc.cltvExpiry });
    if (!isFinal) {
      const relay = data.paymentRelay!;
      const { amtToForward, outgoingCltvValue } = blindedForwardingValues(relay, htlc.amountMsat, htlc.cltvExpiry);
      if (amtToForward <= 0n || outgoingCltvValue <= 0) throw new BlindedRefusal('payment_relay leaves nothing to forward');
      const next: NextHop = data.shortChannelId !== undefined ? { kind: 'scid', shortChannelId: data.shortChannelId } : { kind: 'node', nodeId: data.nextNodeId! as NodeId };
      return {
        kind: 'forward',
        sharedSecret,
        blinded: role,
        sha256OfOnion,
        next,
        amountToForwardMsat: amtToForward,
        outgoingCltvValue,
        nextOnion: serializeOnionPacket(peeled.next!),
        nextPathKey: (data.nextPathKeyOverride ?? unblinded.nextPathKey) as PublicKey,
        paymentRelay: relay,
      };
    }
    return {
      kind: 'receive',
      sharedSecret,
      // A recipient that is its own introduction node answers with normal errors.
      blinded: inside ? 'inside' : 'none',
      sha256OfOnion,
      payload: {
        amountMsat: payload.amtToForward!,
        outgoingCltvValue: payload.outgoingCltvValue!,
        ...(data.pathId !== undefined && { paymentData: { paymentSecret: data.pathId, totalMsat: payload.totalAmountMsat! } }),
        ...(payload.keysendPreimage !== undefined && { keysendPreimage: payload.keysendPreimage }),
        customRecords: customRecords(payload),
        blinded: true,
      },
    };
  } catch (e) {
    if (isLnError(e) || e instanceof BlindedRefusal) return refuse((e as Error).message);
    throw e;
  }
}
