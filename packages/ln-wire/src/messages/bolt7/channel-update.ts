import type { ChainHash, ShortChannelId } from 'ln-types';
import type { MessageCodec } from '../codec.js';
import { recordSignedSpan } from './signed-span.js';

/** `channel_update` (type 258): one direction's forwarding policy, signed by that direction's node. */
export interface ChannelUpdateMessage {
  readonly type: 'channel_update';
  readonly signature: Uint8Array;
  readonly chainHash: ChainHash;
  readonly shortChannelId: ShortChannelId;
  readonly timestamp: number;
  /** Bit 0 `must_be_one` (htlc_maximum_msat present), bit 1 `dont_forward`. */
  readonly messageFlags: number;
  /** Bit 0 `direction` (0: sent by node_id_1), bit 1 `disable`. */
  readonly channelFlags: number;
  readonly cltvExpiryDelta: number;
  readonly htlcMinimumMsat: bigint;
  readonly feeBaseMsat: number;
  readonly feeProportionalMillionths: number;
  readonly htlcMaximumMsat: bigint;
  /** Bytes after the known fields: signed, kept verbatim. */
  readonly extra?: Uint8Array;
}

/** message_flags bit 0: htlc_maximum_msat is present (the spec now requires it). */
export const MESSAGE_FLAG_MUST_BE_ONE = 1;
/** message_flags bit 1: the channel is private, do not forward this update. */
export const MESSAGE_FLAG_DONT_FORWARD = 2;
/** channel_flags bit 0: direction (set when node_id_2 is the origin). */
export const CHANNEL_FLAG_DIRECTION = 1;
/** channel_flags bit 1: the direction is disabled. */
export const CHANNEL_FLAG_DISABLE = 2;

/** Offset in the payload where the signed bytes start (after the signature). */
export const CHANNEL_UPDATE_SIGNED_OFFSET = 64;

export const channelUpdateCodec: MessageCodec<ChannelUpdateMessage> = {
  typeId: 258,
  name: 'channel_update',
  decode(r) {
    const signature = r.bytes(64, 'signature');
    const signedStart = r.position;
    const chainHash = r.bytes(32, 'chain_hash') as ChainHash;
    const shortChannelId = r.shortChannelId();
    const timestamp = r.u32('timestamp');
    const messageFlags = r.u8('message_flags');
    const channelFlags = r.u8('channel_flags');
    const cltvExpiryDelta = r.u16('cltv_expiry_delta');
    const htlcMinimumMsat = r.u64('htlc_minimum_msat');
    const feeBaseMsat = r.u32('fee_base_msat');
    const feeProportionalMillionths = r.u32('fee_proportional_millionths');
    const htlcMaximumMsat = r.u64('htlc_maximum_msat');
    const extra = r.rest();
    const base = {
      type: 'channel_update' as const,
      signature,
      chainHash,
      shortChannelId,
      timestamp,
      messageFlags,
      channelFlags,
      cltvExpiryDelta,
      htlcMinimumMsat,
      feeBaseMsat,
      feeProportionalMillionths,
      htlcMaximumMsat,
    };
    const m: ChannelUpdateMessage = extra.length === 0 ? base : { ...base, extra };
    recordSignedSpan(m, r, signedStart, r.position);
    return m;
  },
  encode(m, w) {
    w.fixed(m.signature, 64, 'signature')
      .fixed(m.chainHash, 32, 'chain_hash')
      .u64(m.shortChannelId)
      .u32(m.timestamp)
      .u8(m.messageFlags)
      .u8(m.channelFlags)
      .u16(m.cltvExpiryDelta)
      .u64(m.htlcMinimumMsat)
      .u32(m.feeBaseMsat)
      .u32(m.feeProportionalMillionths)
      .u64(m.htlcMaximumMsat);
    if (m.extra !== undefined) w.bytes(m.extra);
  },
};
