// Where an HTLC we offered came from (LDK's HTLCSource): a payment of ours or an
// HTLC we forward. Stored with the HTLC, handed to the monitor as opaque bytes
// (MonitorHtlc.source) and handed back in htlc_resolved events, so it is encoded
// here, versioned.

import type { ChannelId, NodeId } from 'ln-types';
import { Reader, Writer } from 'ln-wire';
import { ChannelError } from '../errors.js';

/** An HTLC of a payment we sent. */
export interface OutboundPaymentSource {
  readonly kind: 'outbound_payment';
  /** The payment id the user chose (32 bytes). */
  readonly paymentId: Uint8Array;
  readonly paymentHash: Uint8Array;
  /** The onion session key: with the path it decrypts failures (32 bytes). */
  readonly sessionKey: Uint8Array;
  /** Node ids of the path, first hop first (for failure attribution). */
  readonly pathNodeIds: readonly Uint8Array[];
  /** What the path delivers to the payee, and what it costs in total (amount + fees). */
  readonly finalAmountMsat: bigint;
  readonly totalAmountMsat: bigint;
}

/** An HTLC we forward: the incoming HTLC it settles. */
export interface ForwardSource {
  readonly kind: 'forward';
  readonly prevChannelId: ChannelId;
  readonly prevCounterpartyNodeId: NodeId;
  readonly prevHtlcId: bigint;
  readonly incomingAmountMsat: bigint;
  /** The shared secret of the incoming onion: failures are wrapped with it on the way back. */
  readonly sharedSecret: Uint8Array;
}

/** Any HTLC source. */
export type HtlcSource = OutboundPaymentSource | ForwardSource;

const VERSION = 1;

/** Encodes a source to the opaque bytes kept with the HTLC and in monitors. */
export function encodeHtlcSource(s: HtlcSource): Uint8Array {
  const w = new Writer(128).u8(VERSION);
  if (s.kind === 'outbound_payment') {
    w.u8(0).fixed(s.paymentId, 32, 'payment_id').fixed(s.paymentHash, 32, 'payment_hash').fixed(s.sessionKey, 32, 'session_key');
    w.u16(s.pathNodeIds.length);
    for (const n of s.pathNodeIds) w.fixed(n, 33, 'node_id');
    w.u64(s.finalAmountMsat).u64(s.totalAmountMsat);
  } else {
    w.u8(1).fixed(s.prevChannelId, 32, 'channel_id').fixed(s.prevCounterpartyNodeId, 33, 'node_id').u64(s.prevHtlcId).u64(s.incomingAmountMsat).fixed(s.sharedSecret, 32, 'shared_secret');
  }
  return w.finish().slice();
}

/**
 * Decodes source bytes.
 * @throws ChannelError `invalid_data`
 */
export function decodeHtlcSource(bytes: Uint8Array): HtlcSource {
  try {
    const r = new Reader(bytes);
    const version = r.u8('version');
    if (version !== VERSION) throw new ChannelError('invalid_data', `unknown HTLC source version ${version}`);
    const kind = r.u8('kind');
    if (kind === 0) {
      const paymentId = r.bytes(32).slice();
      const paymentHash = r.bytes(32).slice();
      const sessionKey = r.bytes(32).slice();
      const n = r.u16('path length');
      const pathNodeIds: Uint8Array[] = [];
      for (let i = 0; i < n; i++) pathNodeIds.push(r.bytes(33).slice());
      const finalAmountMsat = r.u64();
      const totalAmountMsat = r.u64();
      r.end('htlc source');
      return { kind: 'outbound_payment', paymentId, paymentHash, sessionKey, pathNodeIds, finalAmountMsat, totalAmountMsat };
    }
    if (kind === 1) {
      const prevChannelId = r.bytes(32).slice() as ChannelId;
      const prevCounterpartyNodeId = r.bytes(33).slice() as NodeId;
      const prevHtlcId = r.u64();
      const incomingAmountMsat = r.u64();
      const sharedSecret = r.bytes(32).slice();
      r.end('htlc source');
      return { kind: 'forward', prevChannelId, prevCounterpartyNodeId, prevHtlcId, incomingAmountMsat, sharedSecret };
    }
    throw new ChannelError('invalid_data', `unknown HTLC source kind ${kind}`);
  } catch (cause) {
    if (cause instanceof ChannelError) throw cause;
    throw new ChannelError('invalid_data', 'malformed HTLC source', { cause });
  }
}
