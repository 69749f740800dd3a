import type { Path } from 'ln-router-api';
import type { ChannelId, NodeId, ShortChannelId } from 'ln-types';
import { decoding, invalid, readBool, readFixed, readNodeId, readPath, readScid, readVersion, Reader, writePath, writer, type Writer } from './binary.js';
import type { BlindedRole } from './peel.js';

/**
 * The incoming HTLC a forwarded or received HTLC came in as: what is needed
 * to fulfill or fail it later (after a restart too), kept with the outgoing
 * HTLC in the channel and in its monitor.
 */
export interface PrevHop {
  readonly channelId: ChannelId;
  readonly counterpartyNodeId: NodeId;
  /** The incoming HTLC's id in its channel. */
  readonly htlcId: bigint;
  /** The incoming channel's scid (for events), when it has one. */
  readonly shortChannelId?: ShortChannelId;
  readonly amountMsat: bigint;
  readonly cltvExpiry: number;
  /** Our onion layer's shared secret: encrypts failures and attribution data back to the sender. */
  readonly sharedSecret: Uint8Array;
  readonly blinded: BlindedRole;
  /** SHA-256 of the onion we received (the data of invalid_onion_blinding). */
  readonly sha256OfOnion: Uint8Array;
}

/**
 * Where an HTLC we offered came from (LDK's HTLCSource): an HTLC we forward
 * (with its upstream HTLC), or a part of one of our payments (with what is
 * needed to read its failure and to settle the payment). The manager stores
 * it with the outgoing HTLC; its bytes are the monitor's opaque `source`.
 */
export type HtlcSource =
  | { readonly kind: 'forward'; readonly prev: PrevHop; readonly outgoingAmountMsat: bigint }
  | {
      readonly kind: 'outbound';
      readonly paymentId: Uint8Array;
      /** The onion session key of this part (its id within the payment, and the key to its failure). */
      readonly sessionKey: Uint8Array;
      readonly path: Path;
      /** The height the onion was built at (cltv values are relative to it). */
      readonly startHeight: number;
      readonly isProbe: boolean;
    };

const ROLES: readonly BlindedRole[] = ['none', 'introduction', 'inside'];
const VERSION = 1;

export function writePrevHop(w: Writer, p: PrevHop): void {
  w.fixed(p.channelId, 32, 'channel id').fixed(p.counterpartyNodeId, 33, 'node id').u64(p.htlcId);
  if (p.shortChannelId === undefined) w.u8(0);
  else w.u8(1).u64(p.shortChannelId);
  w.u64(p.amountMsat).u32(p.cltvExpiry).fixed(p.sharedSecret, 32, 'shared secret').u8(ROLES.indexOf(p.blinded)).fixed(p.sha256OfOnion, 32, 'onion hash');
}

export function readPrevHop(r: Reader): PrevHop {
  const channelId = readFixed(r, 32, 'channel id') as ChannelId;
  const counterpartyNodeId = readNodeId(r, 'counterparty');
  const htlcId = r.u64('htlc id');
  const hasScid = readBool(r, 'scid flag');
  const shortChannelId = hasScid ? readScid(r, 'scid') : undefined;
  const amountMsat = r.u64('amount');
  const cltvExpiry = r.u32('cltv');
  const sharedSecret = readFixed(r, 32, 'shared secret');
  const role = ROLES[r.u8('blinded role')] ?? invalid('unknown blinded role');
  const sha256OfOnion = readFixed(r, 32, 'onion hash');
  return {
    channelId,
    counterpartyNodeId,
    htlcId,
    ...(shortChannelId !== undefined && { shortChannelId }),
    amountMsat,
    cltvExpiry,
    sharedSecret,
    blinded: role,
    sha256OfOnion,
  };
}

/** The bytes of an HTLC source (versioned): what the monitor keeps as `source`. */
export function encodeHtlcSource(source: HtlcSource): Uint8Array {
  const w = writer().u8(VERSION);
  if (source.kind === 'forward') {
    w.u8(0);
    writePrevHop(w, source.prev);
    w.u64(source.outgoingAmountMsat);
  } else {
    w.u8(1).fixed(source.paymentId, 32, 'payment id').fixed(source.sessionKey, 32, 'session key');
    writePath(w, source.path);
    w.u32(source.startHeight).u8(source.isProbe ? 1 : 0);
  }
  return w.finish().slice();
}

/** Reads {@link encodeHtlcSource}'s bytes. @throws PaymentError `invalid_data`, `unsupported_version` */
export function decodeHtlcSource(bytes: Uint8Array): HtlcSource {
  return decoding('htlc source', () => {
    const r = new Reader(bytes);
    readVersion(r, VERSION, 'htlc source');
    const kind = r.u8('kind');
    let source: HtlcSource;
    if (kind === 0) {
      source = { kind: 'forward', prev: readPrevHop(r), outgoingAmountMsat: r.u64('outgoing amount') };
    } else if (kind === 1) {
      source = {
        kind: 'outbound',
        paymentId: readFixed(r, 32, 'payment id'),
        sessionKey: readFixed(r, 32, 'session key'),
        path: readPath(r),
        startHeight: r.u32('start height'),
        isProbe: readBool(r, 'probe'),
      };
    } else {
      return invalid(`unknown htlc source kind ${kind}`);
    }
    r.end('htlc source');
    return source;
  });
}
