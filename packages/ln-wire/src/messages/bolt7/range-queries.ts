import type { ChainHash, ShortChannelId } from 'ln-types';
import { WireError } from '../../errors.js';
import { defineTlvStream, tlvField, type TlvStreamValue } from '../../codec/tlv.js';
import { Writer } from '../../codec/writer.js';
import type { MessageCodec } from '../codec.js';
import { readExtension, writeExtension } from '../extension.js';
import { readEncodedShortIds, readEncodedTimestamps, writeEncodedShortIds, writeEncodedTimestamps, type TimestampPair } from './encoded-list.js';

/** query_option bits of query_channel_range. */
export const QUERY_OPTION = { wantTimestamps: 1n, wantChecksums: 2n } as const;

/** query_channel_range's TLV namespace. */
export const queryChannelRangeTlvStream = defineTlvStream({
  /** BigSize bit field: {@link QUERY_OPTION}. */
  queryOption: tlvField(
    1,
    (r) => r.bigSize('query_option_flags'),
    (v: bigint, w) => w.bigSize(v),
  ),
});

export type QueryChannelRangeTlvs = TlvStreamValue<typeof queryChannelRangeTlvStream.fields>;

/** `query_channel_range` (type 263): asks for the channels whose funding is in a block range. */
export interface QueryChannelRangeMessage {
  readonly type: 'query_channel_range';
  readonly chainHash: ChainHash;
  readonly firstBlocknum: number;
  readonly numberOfBlocks: number;
  readonly tlvs?: QueryChannelRangeTlvs;
}

export const queryChannelRangeCodec: MessageCodec<QueryChannelRangeMessage> = {
  typeId: 263,
  name: 'query_channel_range',
  decode(r) {
    const chainHash = r.bytes(32, 'chain_hash') as ChainHash;
    const firstBlocknum = r.u32('first_blocknum');
    const numberOfBlocks = r.u32('number_of_blocks');
    const tlvs = readExtension(r, queryChannelRangeTlvStream, 'query_channel_range');
    const base = { type: 'query_channel_range' as const, chainHash, firstBlocknum, numberOfBlocks };
    return tlvs === undefined ? base : { ...base, tlvs };
  },
  encode(m, w) {
    w.fixed(m.chainHash, 32, 'chain_hash').u32(m.firstBlocknum).u32(m.numberOfBlocks);
    writeExtension(w, queryChannelRangeTlvStream, m.tlvs);
  },
};

/** The two update checksums of a channel (CRC32C of the update without signature and timestamp; 0 when absent). */
export interface ChecksumPair {
  readonly checksum1: number;
  readonly checksum2: number;
}

/** reply_channel_range's TLV namespace: per-id update timestamps and checksums. */
export const replyChannelRangeTlvStream = defineTlvStream({
  timestamps: tlvField(
    1,
    (r) => readEncodedTimestamps(r, 'encoded_timestamps').timestamps,
    (v: TimestampPair[], w) => writeEncodedTimestamps(w, v),
  ),
  checksums: tlvField(
    3,
    (r) => {
      if (r.remaining % 8 !== 0) throw new WireError('invalid_value', 'checksums: not a whole number of pairs');
      const out: ChecksumPair[] = [];
      while (!r.atEnd) out.push({ checksum1: r.u32('checksum_1'), checksum2: r.u32('checksum_2') });
      return out;
    },
    (v: ChecksumPair[], w) => {
      for (const c of v) w.u32(c.checksum1).u32(c.checksum2);
    },
  ),
});

export type ReplyChannelRangeTlvs = TlvStreamValue<typeof replyChannelRangeTlvStream.fields>;

/** `reply_channel_range` (type 264): one part of the answer to a query_channel_range. */
export interface ReplyChannelRangeMessage {
  readonly type: 'reply_channel_range';
  readonly chainHash: ChainHash;
  readonly firstBlocknum: number;
  readonly numberOfBlocks: number;
  /** 0 when the replier lacks up-to-date information for this chain (no longer marks the last reply). */
  readonly syncComplete: number;
  readonly shortChannelIds: readonly ShortChannelId[];
  readonly tlvs?: ReplyChannelRangeTlvs;
}

export const replyChannelRangeCodec: MessageCodec<ReplyChannelRangeMessage> = {
  typeId: 264,
  name: 'reply_channel_range',
  decode(r) {
    const chainHash = r.bytes(32, 'chain_hash') as ChainHash;
    const firstBlocknum = r.u32('first_blocknum');
    const numberOfBlocks = r.u32('number_of_blocks');
    const syncComplete = r.u8('sync_complete');
    const shortChannelIds = readEncodedShortIds(r.sub(r.u16('len'), 'encoded_short_ids')).ids;
    const tlvs = readExtension(r, replyChannelRangeTlvStream, 'reply_channel_range');
    const base = { type: 'reply_channel_range' as const, chainHash, firstBlocknum, numberOfBlocks, syncComplete, shortChannelIds };
    return tlvs === undefined ? base : { ...base, tlvs };
  },
  encode(m, w) {
    const ids = new Writer(1 + 8 * m.shortChannelIds.length);
    writeEncodedShortIds(ids, m.shortChannelIds);
    w.fixed(m.chainHash, 32, 'chain_hash').u32(m.firstBlocknum).u32(m.numberOfBlocks).u8(m.syncComplete).u16Bytes(ids.finish(), 'encoded_short_ids');
    writeExtension(w, replyChannelRangeTlvStream, m.tlvs);
  },
};
