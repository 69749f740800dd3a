import {
  ATTRIBUTION_DATA_LENGTH,
  ATTRIBUTION_MAX_HOPS,
  BADONION,
  decodeFailureMessage,
  decryptFailurePacket,
  failureChannelUpdate,
  failureCode,
  NODE,
  PERM,
  UPDATE,
  verifyAttributionData,
  type FailureMessage,
} from 'ln-onion';
import type { Path } from 'ln-router-api';
import type { NodeId, ShortChannelId } from 'ln-types';
import type { PathFailure } from './events.js';
import { malformedToFailure } from './fail-back.js';

/** What the origin learns from a failed part. */
export interface DecodedPathFailure {
  readonly failure: PathFailure;
  /** The payee refused (or the failure cannot be attributed at all): retrying is pointless. */
  readonly paymentFailedPermanently: boolean;
  /** The channel to blame (scorer, and excluded on retries). */
  readonly shortChannelId?: ShortChannelId;
  /** The failure came from inside the payee's blinded path (or its introduction node). */
  readonly failedWithinBlindedPath: boolean;
  /** The failure came from the last hop of the path (what a probe wants to reach). */
  readonly fromFinalHop: boolean;
}

/** How the first hop's peer answered our HTLC. */
export type OutboundFailure =
  | { readonly kind: 'fail'; readonly reason: Uint8Array; readonly attributionData?: Uint8Array }
  | { readonly kind: 'malformed'; readonly failureCode: number; readonly sha256OfOnion: Uint8Array };

/**
 * Reads the failure of one of our parts (BOLT 4 "Receiving Failure Codes",
 * with LDK's blame rules): which hop sent it, what it says, whether the payee
 * refused, and which channel to blame. BADONION failures blame the channel
 * after the reporting node; NODE failures the channel into it; other
 * failures from forwarding nodes their outgoing channel. A failure no hop
 * authenticates is attributed through the attribution data when present
 * (the first hop whose HMAC fails, and the channel into it); without it, the
 * payment cannot safely be retried and fails.
 */
export function decodePathFailure(path: Path, sharedSecrets: readonly Uint8Array[], failure: OutboundFailure): DecodedPathFailure {
  const n = path.hops.length;
  const tail = path.blindedTail !== undefined;
  if (failure.kind === 'malformed') {
    // Our own peer could not read the onion we built: blame the first channel.
    const msg = malformedToFailure(failure.failureCode, failure.sha256OfOnion);
    const node = path.hops[0]!;
    return {
      failure: { kind: 'on_path', failureCode: failure.failureCode, erringHopIndex: 0, erringNodeId: node.nodeId, shortChannelId: node.shortChannelId, failure: msg, holdTimes: [] },
      paymentFailedPermanently: false,
      shortChannelId: node.shortChannelId,
      failedWithinBlindedPath: tail && n === 1,
      fromFinalHop: n === 1 && !tail,
    };
  }
  const attribution = failure.attributionData !== undefined && failure.attributionData.length === ATTRIBUTION_DATA_LENGTH ? failure.attributionData : undefined;
  const attributable = Math.min(n, ATTRIBUTION_MAX_HOPS);
  let decrypted;
  try {
    decrypted = decryptFailurePacket(sharedSecrets, failure.reason);
  } catch {
    decrypted = undefined;
  }
  let holdTimes: number[] = [];
  let attributionBlame: number | undefined;
  if (attribution !== undefined) {
    const endHop = decrypted !== undefined ? Math.min(decrypted.hopIndex, attributable - 1) : attributable - 1;
    try {
      const r = verifyAttributionData(sharedSecrets.slice(0, attributable), failure.reason, attribution, endHop);
      holdTimes = r.holdTimes;
      attributionBlame = r.firstInvalidHop;
    } catch {
      attributionBlame = undefined;
    }
  }
  if (decrypted === undefined) {
    if (attributionBlame !== undefined) {
      const hop = path.hops[attributionBlame]!;
      return {
        failure: { kind: 'on_path', erringHopIndex: attributionBlame, erringNodeId: hop.nodeId, shortChannelId: hop.shortChannelId, holdTimes },
        paymentFailedPermanently: false,
        shortChannelId: hop.shortChannelId,
        failedWithinBlindedPath: false,
        fromFinalHop: false,
      };
    }
    return { failure: { kind: 'on_path', holdTimes }, paymentFailedPermanently: true, failedWithinBlindedPath: false, fromFinalHop: false };
  }

  const i = decrypted.hopIndex;
  let message: FailureMessage | undefined;
  try {
    message = decodeFailureMessage(decrypted.failureMessage);
  } catch {
    message = undefined;
  }
  // A layer at or after the introduction node of a blinded tail: nothing in it can be blamed precisely.
  if (tail && i >= n - 1) {
    const failingNodeId: NodeId | undefined = i === n - 1 ? path.hops[n - 1]!.nodeId : undefined;
    return {
      failure: { kind: 'on_path', erringHopIndex: i, ...(failingNodeId !== undefined && { erringNodeId: failingNodeId }), ...(message !== undefined && { failure: message, failureCode: failureCode(message) }), holdTimes },
      paymentFailedPermanently: false,
      failedWithinBlindedPath: true,
      fromFinalHop: i === n - 1 + path.blindedTail!.hops.length - 1,
    };
  }
  const hop = path.hops[i]!;
  const isFinal = !tail && i === n - 1;
  const base = { kind: 'on_path' as const, erringHopIndex: i, erringNodeId: hop.nodeId, holdTimes };
  if (message === undefined) {
    // Authenticated but unreadable: the node is broken; avoid the channel into it.
    return { failure: { ...base, shortChannelId: hop.shortChannelId }, paymentFailedPermanently: isFinal, shortChannelId: hop.shortChannelId, failedWithinBlindedPath: false, fromFinalHop: isFinal };
  }
  const code = failureCode(message);
  const update = failureChannelUpdate(message);
  const described: PathFailure = { ...base, failure: message, failureCode: code, ...(update !== undefined && { channelUpdate: update }) };
  const outgoing = isFinal ? hop.shortChannelId : path.hops[i + 1]?.shortChannelId ?? hop.shortChannelId;
  let scid: ShortChannelId | undefined;
  if ((code & BADONION) !== 0) scid = outgoing;
  else if ((code & NODE) !== 0) scid = hop.shortChannelId;
  else if ((code & PERM) !== 0) scid = isFinal ? undefined : outgoing;
  else if ((code & UPDATE) !== 0) scid = outgoing;
  else if (isFinal) scid = message.name === 'final_incorrect_cltv_expiry' || message.name === 'final_incorrect_htlc_amount' ? hop.shortChannelId : undefined;
  else scid = hop.shortChannelId;
  return {
    failure: scid === undefined ? described : { ...described, shortChannelId: scid },
    paymentFailedPermanently: isFinal && (code & PERM) !== 0,
    ...(scid !== undefined && { shortChannelId: scid }),
    failedWithinBlindedPath: false,
    fromFinalHop: isFinal,
  };
}
