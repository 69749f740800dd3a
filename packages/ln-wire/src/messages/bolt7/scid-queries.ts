import type { ChainHash, ShortChannelId } from 'ln-types';
import { defineTlvStream, emptyTlvStream, tlvField, type TlvStreamValue } from '../../codec/tlv.js';
import { Writer } from '../../codec/writer.js';
import type { MessageCodec } from '../codec.js';
import { readExtension, writeExtension } from '../extension.js';
import { readEncodedQueryFlags, readEncodedShortIds, writeEncodedQueryFlags, writeEncodedShortIds } from './encoded-list.js';

/** query_flags bits (query_short_channel_ids): which messages of each channel to send. */
export const QUERY_FLAG = {
  channelAnnouncement: 1n,
  channelUpdate1: 2n,
  channelUpdate2: 4n,
  nodeAnnouncement1: 8n,
  nodeAnnouncement2: 16n,
} as const;

/** query_short_channel_ids' TLV namespace: one query flag per queried id (decoded from either encoding). */
export const queryShortChannelIdsTlvStream = defineTlvStream({
  queryFlags: tlvField(
    1,
    (r) => readEncodedQueryFlags(r, 'encoded_query_flags').flags,
    (v: bigint[], w) => writeEncodedQueryFlags(w, v),
  ),
});

export type QueryShortChannelIdsTlvs = TlvStreamValue<typeof queryShortChannelIdsTlvStream.fields>;

/**
 * `query_short_channel_ids` (type 261): asks for the announcements and updates
 * of these channels. Lists are decoded from either encoding and always encoded
 * uncompressed (zlib is deprecated and never sent).
 */
export interface QueryShortChannelIdsMessage {
  readonly type: 'query_short_channel_ids';
  readonly chainHash: ChainHash;
  readonly shortChannelIds: readonly ShortChannelId[];
  readonly tlvs?: QueryShortChannelIdsTlvs;
}

export const queryShortChannelIdsCodec: MessageCodec<QueryShortChannelIdsMessage> = {
  typeId: 261,
  name: 'query_short_channel_ids',
  decode(r) {
    const chainHash = r.bytes(32, 'chain_hash') as ChainHash;
    const shortChannelIds = readEncodedShortIds(r.sub(r.u16('len'), 'encoded_short_ids')).ids;
    const tlvs = readExtension(r, queryShortChannelIdsTlvStream, 'query_short_channel_ids');
    const base = { type: 'query_short_channel_ids' as const, chainHash, shortChannelIds };
    return tlvs === undefined ? base : { ...base, tlvs };
  },
  encode(m, w) {
    const ids = new Writer(1 + 8 * m.shortChannelIds.length);
    writeEncodedShortIds(ids, m.shortChannelIds);
    w.fixed(m.chainHash, 32, 'chain_hash').u16Bytes(ids.finish(), 'encoded_short_ids');
    writeExtension(w, queryShortChannelIdsTlvStream, m.tlvs);
  },
};

type Extension = TlvStreamValue<typeof emptyTlvStream.fields>;

/** `reply_short_channel_ids_end` (type 262): ends the answer to a query_short_channel_ids. */
export interface ReplyShortChannelIdsEndMessage {
  readonly type: 'reply_short_channel_ids_end';
  readonly chainHash: ChainHash;
  /** 0 when the replier lacks up-to-date information for this chain. */
  readonly fullInformation: number;
  readonly tlvs?: Extension;
}

export const replyShortChannelIdsEndCodec: MessageCodec<ReplyShortChannelIdsEndMessage> = {
  typeId: 262,
  name: 'reply_short_channel_ids_end',
  decode(r) {
    const chainHash = r.bytes(32, 'chain_hash') as ChainHash;
    const fullInformation = r.u8('full_information');
    const tlvs = readExtension(r, emptyTlvStream, 'reply_short_channel_ids_end');
    const base = { type: 'reply_short_channel_ids_end' as const, chainHash, fullInformation };
    return tlvs === undefined ? base : { ...base, tlvs };
  },
  encode(m, w) {
    w.fixed(m.chainHash, 32, 'chain_hash').u8(m.fullInformation);
    writeExtension(w, emptyTlvStream, m.tlvs);
  },
};
