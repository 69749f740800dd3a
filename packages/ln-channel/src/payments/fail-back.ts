import {
  addAttributionData,
  ATTRIBUTION_DATA_LENGTH,
  authenticateFailure,
  buildFailurePayload,
  decodeFailureMessage,
  encodeFailureMessage,
  FAILURE_CODES,
  isBadOnionCode,
  obfuscateFailure,
  type FailureMessage,
} from 'ln-onion';
import type { PrevHop } from './htlc-source.js';

/** Why we fail an incoming HTLC back. */
export type HtlcFailReason =
  /** We are the erring node (a check failed here, a timeout, the user refused). */
  | { readonly kind: 'local'; readonly failure: FailureMessage }
  /** The next hop failed our outgoing HTLC with update_fail_htlc: relay its reason. */
  | { readonly kind: 'downstream'; readonly reason: Uint8Array; readonly attributionData?: Uint8Array }
  /** The next hop could not read the onion we sent (update_fail_malformed_htlc). */
  | { readonly kind: 'downstream_malformed'; readonly failureCode: number; readonly sha256OfOnion: Uint8Array };

/** The message to send upstream for a failed incoming HTLC. */
export type UpstreamFailure =
  | { readonly kind: 'fail'; readonly reason: Uint8Array; readonly attributionData?: Uint8Array }
  | { readonly kind: 'malformed'; readonly failureCode: number; readonly sha256OfOnion: Uint8Array };

/** The failure message of a received update_fail_malformed_htlc (BOLT 2: its code with sha256_of_onion as data). */
export function malformedToFailure(failureCodeValue: number, sha256OfOnion: Uint8Array): FailureMessage {
  const bytes = new Uint8Array(34);
  bytes[0] = failureCodeValue >> 8;
  bytes[1] = failureCodeValue & 0xff;
  bytes.set(sha256OfOnion.subarray(0, 32), 2);
  try {
    return decodeFailureMessage(bytes);
  } catch {
    return { name: 'unknown', code: failureCodeValue, data: sha256OfOnion.slice(0, 32) };
  }
}

/**
 * Builds what we send upstream when failing `prev` (BOLT 2 and 4): inside a
 * blinded route update_fail_malformed_htlc with invalid_onion_blinding; as a
 * blinded route's introduction node, invalid_onion_blinding whatever the
 * cause; otherwise our own failure packet or the downstream one re-obfuscated
 * with our shared secret, and attribution data either way (a downstream node
 * that sent none gets an all-zero block, as the spec asks). `holdTime` is
 * our hold time in units of 100 ms (0 when unknown); `paddedLength` the
 * failure_len + pad_len of a failure we create (BOLT 4: 256).
 */
export function failureForUpstream(prev: PrevHop, why: HtlcFailReason, options: { readonly holdTime?: number; readonly paddedLength?: number } = {}): UpstreamFailure {
  const holdTime = options.holdTime ?? 0;
  if (prev.blinded === 'inside') return { kind: 'malformed', failureCode: FAILURE_CODES.invalid_onion_blinding, sha256OfOnion: prev.sha256OfOnion };
  let local: FailureMessage | undefined;
  if (prev.blinded === 'introduction') local = { name: 'invalid_onion_blinding', sha256OfOnion: prev.sha256OfOnion };
  else if (why.kind === 'local') local = why.failure;
  else if (why.kind === 'downstream_malformed') {
    // A code without BADONION is a protocol error the channel refuses before this point; stay safe anyway.
    const code = isBadOnionCode(why.failureCode) ? why.failureCode : FAILURE_CODES.invalid_onion_hmac;
    local = malformedToFailure(code, why.sha256OfOnion);
  }
  if (local !== undefined) {
    const packet = authenticateFailure(prev.sharedSecret, buildFailurePayload(encodeFailureMessage(local), options.paddedLength));
    return { kind: 'fail', reason: obfuscateFailure(prev.sharedSecret, packet), attributionData: addAttributionData(prev.sharedSecret, packet, holdTime) };
  }
  const downstream = why as Extract<HtlcFailReason, { kind: 'downstream' }>;
  const attr = downstream.attributionData !== undefined && downstream.attributionData.length === ATTRIBUTION_DATA_LENGTH ? downstream.attributionData : new Uint8Array(ATTRIBUTION_DATA_LENGTH);
  return {
    kind: 'fail',
    reason: obfuscateFailure(prev.sharedSecret, downstream.reason),
    attributionData: addAttributionData(prev.sharedSecret, downstream.reason, holdTime, attr),
  };
}

/**
 * Attribution data for an update_fulfill_htlc we send upstream (hold times
 * for successful payments), or undefined inside a blinded route.
 */
export function fulfillAttribution(prev: PrevHop, holdTime = 0, downstream?: Uint8Array): Uint8Array | undefined {
  if (prev.blinded === 'inside') return undefined;
  const d = downstream !== undefined && downstream.length === ATTRIBUTION_DATA_LENGTH ? downstream : undefined;
  return addAttributionData(prev.sharedSecret, new Uint8Array(0), holdTime, d);
}
