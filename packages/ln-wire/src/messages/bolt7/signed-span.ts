import type { Reader } from '../../codec/reader.js';

/**
 * The exact bytes a gossip signature covers, recorded while decoding: a view
 * into the input from the end of the signature(s) to the end of the message
 * (unknown trailing data included, as the spec requires). Kept off the message
 * object (in a WeakMap) so decoded messages stay plain data that compare equal
 * to constructed ones.
 */
const spans = new WeakMap<object, Uint8Array>();

/** Records the span from `start` to the end of `r` for `message`. */
export function recordSignedSpan(message: object, r: Reader, start: number, end: number): void {
  spans.set(message, r.source.subarray(start, end));
}

/** The recorded span of a decoded message, if it was decoded (not constructed). */
export function recordedSignedSpan(message: object): Uint8Array | undefined {
  return spans.get(message);
}
