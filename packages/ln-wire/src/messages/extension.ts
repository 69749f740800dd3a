import type { Reader } from '../codec/reader.js';
import type { TlvField, TlvStream, TlvStreamValue } from '../codec/tlv.js';
import type { Writer } from '../codec/writer.js';

/**
 * Reads a message's trailing TLV extension with its namespace. Returns
 * `undefined` for no extension, so messages without one decode to objects
 * without a `tlvs` key and re-encode to the same bytes.
 */
export function readExtension<F extends Record<string, TlvField<unknown>>>(r: Reader, stream: TlvStream<F>, what: string): TlvStreamValue<F> | undefined {
  if (r.atEnd) return undefined;
  return stream.decode(r, `${what} tlvs`);
}

/** Writes a message's TLV extension when present. */
export function writeExtension<F extends Record<string, TlvField<unknown>>>(w: Writer, stream: TlvStream<F>, tlvs: TlvStreamValue<F> | undefined): void {
  if (tlvs !== undefined) stream.encode(tlvs, w);
}

/**
 * Attaches a decoded extension to a freshly built message only when present,
 * so messages without one have no `tlvs` key (and compare equal to what the
 * caller built). `m` must be a new object owned by the decoder.
 */
export function withExtension<M extends { readonly tlvs?: unknown }>(m: Omit<M, 'tlvs'>, tlvs: M['tlvs'] | undefined): M {
  if (tlvs !== undefined) (m as { tlvs?: unknown }).tlvs = tlvs;
  return m as M;
}
