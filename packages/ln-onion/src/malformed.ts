import { sha256 } from 'ln-crypto';
import { OnionError } from './errors.js';
import { FAILURE_CODES, isBadOnionCode } from './failure-message.js';

/** The content of `update_fail_malformed_htlc`: the hash of the onion received and a BADONION failure code. */
export interface MalformedHtlcFailure {
  readonly sha256OfOnion: Uint8Array;
  readonly failureCode: number;
}

/**
 * The `update_fail_malformed_htlc` a node sends when it cannot peel an onion:
 * maps the peel error to its BOLT 4 code (version, key, HMAC; `invalid_onion_blinding`
 * inside a blinded route). Returns undefined for errors that are reported with
 * an ordinary `update_fail_htlc` instead (e.g. a malformed payload).
 */
export function malformedHtlcFailure(onionBytes: Uint8Array, error: OnionError, insideBlindedRoute = false): MalformedHtlcFailure | undefined {
  const sha256OfOnion = sha256(onionBytes);
  if (insideBlindedRoute) return { sha256OfOnion, failureCode: FAILURE_CODES.invalid_onion_blinding };
  switch (error.code) {
    case 'invalid_version':
      return { sha256OfOnion, failureCode: FAILURE_CODES.invalid_onion_version };
    case 'invalid_public_key':
      return { sha256OfOnion, failureCode: FAILURE_CODES.invalid_onion_key };
    case 'invalid_hmac':
      return { sha256OfOnion, failureCode: FAILURE_CODES.invalid_onion_hmac };
    default:
      return undefined;
  }
}

/**
 * Checks a received `update_fail_malformed_htlc` code: BOLT 2 requires the
 * BADONION bit.
 * @throws OnionError `invalid_failure_message`
 */
export function checkMalformedFailureCode(code: number): void {
  if (!Number.isInteger(code) || code < 0 || code > 0xffff || !isBadOnionCode(code)) {
    throw new OnionError('invalid_failure_message', `update_fail_malformed_htlc code ${code} lacks the BADONION bit`);
  }
}
