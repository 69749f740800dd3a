// Pending events as bytes: a small self-describing encoding of plain values,
// checked on the way back in against a schema of every Event kind (so stored
// bytes can never hand the application a malformed event).

import { ChannelError } from '../errors.js';
import type { Event } from '../events.js';
import { decodeFailureChannelUpdate, decodeFailureMessage, encodeFailureMessage, type FailureMessage } from 'ln-onion';
import type { Path } from 'ln-router-api';
import { encodeMessage, type ChannelUpdateMessage } from 'ln-wire';
import { readPath, writePath } from '../payments/binary.js';
import { Reader, Writer } from './primitives.js';

type Schema =
  | 'bigint'
  | 'number'
  | 'string'
  | 'bytes'
  | 'boolean'
  | { readonly opt: Schema }
  | { readonly arr: Schema }
  | { readonly obj: Readonly<Record<string, Schema>> }
  | { readonly union: Readonly<Record<string, Readonly<Record<string, Schema>>>> }
  /** A value with its own codec (the payments layer's paths, failure messages, channel updates). */
  | { readonly custom: { readonly write: (w: Writer, v: unknown) => void; readonly read: (r: Reader) => unknown } };

const opt = (s: Schema): Schema => ({ opt: s });
const outpoint: Schema = { obj: { txid: 'bytes', index: 'number' } };
const closureReason: Schema = {
  union: {
    counterparty_force_closed: { peerMessage: 'string' },
    holder_force_closed: { broadcastedLatestTxn: 'boolean' },
    locally_initiated_cooperative_closure: {},
    counterparty_initiated_cooperative_closure: {},
    commitment_tx_confirmed: {},
    funding_timed_out: {},
    processing_error: { error: 'string' },
    disconnected_peer: {},
    outdated_channel_manager: {},
    counterparty_coop_closed_unfunded_channel: {},
    funding_batch_closure: {},
    htlcs_timed_out: {},
    peer_feerate_too_low: { peerFeeratePerKw: 'number', requiredFeeratePerKw: 'number' },
    data_loss_detected: { message: 'string' },
  },
};
const purpose: Schema = {
  union: {
    bolt11_invoice_payment: { paymentPreimage: opt('bytes'), paymentSecret: 'bytes' },
    spontaneous_payment: { paymentPreimage: 'bytes' },
  },
};
const path: Schema = { custom: { write: (w, v) => writePath(w, v as Path), read: (r) => readPath(r) } };
const failureMessage: Schema = {
  custom: {
    write: (w, v) => w.u16Bytes(encodeFailureMessage(v as FailureMessage), 'failure'),
    read: (r) => decodeFailureMessage(r.u16Bytes('failure')),
  },
};
const channelUpdate: Schema = {
  custom: {
    write: (w, v) => w.u16Bytes(encodeMessage(v as ChannelUpdateMessage), 'channel_update'),
    read: (r) => decodeFailureChannelUpdate(r.u16Bytes('channel_update')),
  },
};
const tlvRecord: Schema = { obj: { type: 'bigint', value: 'bytes' } };
const pathFailure: Schema = {
  union: {
    initial_send: { error: 'string' },
    on_path: {
      failureCode: opt('number'),
      erringNodeId: opt('bytes'),
      erringHopIndex: opt('number'),
      shortChannelId: opt('bigint'),
      failure: opt(failureMessage),
      channelUpdate: opt(channelUpdate),
      holdTimes: { arr: 'number' },
    },
  },
};
const destination: Schema = {
  union: {
    next_hop_channel: { nodeId: opt('bytes'), channelId: 'bytes' },
    unknown_next_hop: { requestedForwardScid: 'bigint' },
    invalid_forward: { requestedForwardScid: 'bigint' },
    invalid_onion: {},
    failed_payment: { paymentHash: 'bytes' },
  },
};

const EVENT: Schema = {
  union: {
    funding_generation_ready: { temporaryChannelId: 'bytes', counterpartyNodeId: 'bytes', channelValueSat: 'bigint', outputScript: 'bytes', userChannelId: 'bigint' },
    channel_pending: { channelId: 'bytes', userChannelId: 'bigint', formerTemporaryChannelId: 'bytes', counterpartyNodeId: 'bytes', fundingTxo: outpoint, channelType: 'bytes' },
    channel_ready: { channelId: 'bytes', userChannelId: 'bigint', counterpartyNodeId: 'bytes', channelType: 'bytes' },
    channel_closed: {
      channelId: 'bytes',
      userChannelId: 'bigint',
      reason: closureReason,
      counterpartyNodeId: 'bytes',
      channelCapacitySat: 'bigint',
      channelFundingTxo: opt(outpoint),
      lastLocalBalanceMsat: opt('bigint'),
    },
    discard_funding: { channelId: 'bytes', fundingTx: 'bytes' },
    open_channel_request: { temporaryChannelId: 'bytes', counterpartyNodeId: 'bytes', fundingSatoshis: 'bigint', pushMsat: 'bigint', channelType: 'bytes', isAnnounced: 'boolean' },
    payment_claimable: {
      paymentHash: 'bytes',
      amountMsat: 'bigint',
      purpose,
      onionFields: { obj: { paymentSecret: opt('bytes'), paymentMetadata: opt('bytes'), customRecords: { arr: tlvRecord } } },
      receiverNodeId: 'bytes',
      viaChannelId: 'bytes',
      viaChannelIds: { arr: 'bytes' },
      claimDeadline: 'number',
    },
    payment_claimed: {
      paymentHash: 'bytes',
      amountMsat: 'bigint',
      purpose,
      receiverNodeId: 'bytes',
      htlcs: { arr: { obj: { channelId: 'bytes', htlcId: 'bigint', amountMsat: 'bigint', cltvExpiry: 'number' } } },
      senderIntendedTotalMsat: 'bigint',
    },
    payment_sent: { paymentId: 'bytes', paymentHash: 'bytes', paymentPreimage: 'bytes', feePaidMsat: 'bigint' },
    payment_path_successful: { paymentId: 'bytes', paymentHash: 'bytes', path },
    payment_path_failed: { paymentId: 'bytes', paymentHash: 'bytes', paymentFailedPermanently: 'boolean', failure: pathFailure, path, shortChannelId: opt('bigint') },
    payment_failed: { paymentId: 'bytes', paymentHash: 'bytes', reason: 'string' },
    probe_successful: { paymentId: 'bytes', paymentHash: 'bytes', path },
    probe_failed: { paymentId: 'bytes', paymentHash: 'bytes', path, shortChannelId: opt('bigint') },
    payment_forwarded: {
      prevChannelId: 'bytes',
      nextChannelId: 'bytes',
      prevNodeId: 'bytes',
      nextNodeId: 'bytes',
      totalFeeEarnedMsat: 'bigint',
      outboundAmountForwardedMsat: 'bigint',
      claimFromOnchainTx: 'boolean',
    },
    htlc_handling_failed: { prevChannelId: 'bytes', failedNextDestination: destination, failure: opt(failureMessage) },
    htlc_intercepted: { interceptId: 'bytes', requestedNextHopScid: 'bigint', paymentHash: 'bytes', inboundAmountMsat: 'bigint', expectedOutboundAmountMsat: 'bigint' },
  },
};

function encodeValue(w: Writer, v: unknown, schema: Schema): void {
  if (typeof schema === 'string') {
    switch (schema) {
      case 'bigint': {
        const b = v as bigint;
        const neg = b < 0n;
        const text = (neg ? -b : b).toString(16);
        w.u8(neg ? 1 : 0).u16Bytes(new TextEncoder().encode(text), 'bigint');
        return;
      }
      case 'number':
        w.bytes(f64(v as number));
        return;
      case 'string':
        w.u16Bytes(new TextEncoder().encode((v as string).slice(0, 16_000)), 'string');
        return;
      case 'bytes': {
        const b = v as Uint8Array;
        w.u32(b.length).bytes(b);
        return;
      }
      case 'boolean':
        w.u8(v ? 1 : 0);
        return;
    }
  }
  if ('opt' in schema) {
    if (v === undefined) w.u8(0);
    else {
      w.u8(1);
      encodeValue(w, v, schema.opt);
    }
    return;
  }
  if ('arr' in schema) {
    const a = v as readonly unknown[];
    w.u32(a.length);
    for (const item of a) encodeValue(w, item, schema.arr);
    return;
  }
  if ('obj' in schema) {
    for (const [k, s] of Object.entries(schema.obj)) encodeValue(w, (v as Record<string, unknown>)[k], s);
    return;
  }
  if ('custom' in schema) {
    schema.custom.write(w, v);
    return;
  }
  const kind = (v as { kind: string }).kind;
  const fields = schema.union[kind];
  if (fields === undefined) throw new ChannelError('internal', `no schema for kind ${kind}`);
  w.u16Bytes(new TextEncoder().encode(kind), 'kind');
  for (const [k, s] of Object.entries(fields)) encodeValue(w, (v as Record<string, unknown>)[k], s);
}

function decodeValue(r: Reader, schema: Schema, depth: number): unknown {
  if (depth > 8) throw new ChannelError('invalid_data', 'event nesting too deep');
  if (typeof schema === 'string') {
    switch (schema) {
      case 'bigint': {
        const neg = r.u8('sign');
        if (neg > 1) throw new ChannelError('invalid_data', 'bad bigint sign');
        const text = new TextDecoder().decode(r.u16Bytes('bigint'));
        if (!/^[0-9a-f]{1,64}$/.test(text)) throw new ChannelError('invalid_data', 'bad bigint');
        const b = BigInt(`0x${text}`);
        return neg === 1 ? -b : b;
      }
      case 'number': {
        const n = new DataView(r.bytes(8, 'number').slice().buffer).getFloat64(0);
        if (!Number.isFinite(n)) throw new ChannelError('invalid_data', 'bad number');
        return n;
      }
      case 'string':
        return new TextDecoder().decode(r.u16Bytes('string'));
      case 'bytes':
        return r.bytes(r.u32('bytes length'), 'bytes').slice();
      case 'boolean': {
        const b = r.u8('boolean');
        if (b > 1) throw new ChannelError('invalid_data', 'bad boolean');
        return b === 1;
      }
    }
  }
  if ('opt' in schema) {
    const f = r.u8('presence');
    if (f > 1) throw new ChannelError('invalid_data', 'bad presence flag');
    return f === 1 ? decodeValue(r, schema.opt, depth + 1) : undefined;
  }
  if ('arr' in schema) {
    const n = r.u32('array length');
    if (n > r.remaining) throw new ChannelError('invalid_data', 'array longer than the input');
    const out: unknown[] = [];
    for (let i = 0; i < n; i++) out.push(decodeValue(r, schema.arr, depth + 1));
    return out;
  }
  if ('obj' in schema) return decodeFields(r, schema.obj, depth);
  if ('custom' in schema) {
    try {
      return schema.custom.read(r);
    } catch (cause) {
      throw new ChannelError('invalid_data', 'malformed event field', { cause });
    }
  }
  const kind = new TextDecoder().decode(r.u16Bytes('kind'));
  const fields = Object.prototype.hasOwnProperty.call(schema.union, kind) ? schema.union[kind] : undefined;
  if (fields === undefined) throw new ChannelError('invalid_data', `unknown kind ${kind}`);
  return { kind, ...decodeFields(r, fields, depth) };
}

function decodeFields(r: Reader, fields: Readonly<Record<string, Schema>>, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, s] of Object.entries(fields)) {
    const v = decodeValue(r, s, depth + 1);
    if (v !== undefined) out[k] = v;
  }
  return out;
}

function f64(n: number): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setFloat64(0, n);
  return b;
}

/** Encodes an event. */
export function encodeEvent(e: Event): Uint8Array {
  const w = new Writer(128);
  encodeValue(w, e, EVENT);
  return w.finish().slice();
}

/**
 * Decodes an event, checking it against the Event schema.
 * @throws ChannelError `invalid_data`
 */
export function decodeEvent(bytes: Uint8Array): Event {
  try {
    const r = new Reader(bytes);
    const e = decodeValue(r, EVENT, 0) as Event;
    r.end('event');
    return e;
  } catch (cause) {
    if (cause instanceof ChannelError) throw cause;
    throw new ChannelError('invalid_data', 'malformed event', { cause });
  }
}
