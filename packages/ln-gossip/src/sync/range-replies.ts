import type { ShortChannelId } from 'ln-types';
import { channelUpdateChecksum, decodeMessage, QUERY_OPTION, type ChannelUpdateMessage, type QueryChannelRangeMessage, type ReplyChannelRangeMessage } from 'ln-wire';
import type { NetworkGraph } from '../network-graph.js';

/** Target ids per reply_channel_range (24 bytes each with timestamps and checksums). */
export const REPLY_TARGET_IDS = 2000;
/** Hard bound per reply so the message stays under 65535 bytes. */
export const REPLY_MAX_IDS = 2600;

const blockOf = (scid: bigint) => Number(scid >> 40n);

/**
 * The reply_channel_range messages answering a query (BOLT 7): our channels
 * whose funding block is in the range, in ascending order, split on block
 * boundaries; the first reply starts at the query's first block, each next one
 * where the previous ended, and the last one ends where the query ends.
 * Timestamps and checksums are added when the query asks for them.
 */
export function channelRangeReplies(graph: NetworkGraph, q: QueryChannelRangeMessage): ReplyChannelRangeMessage[] {
  const first = q.firstBlocknum;
  const end = Math.min(first + q.numberOfBlocks, 0x100000000);
  const scids: bigint[] = [];
  for (let c = 0; c < graph.channelCount; c++) {
    if (!graph.hasChannel(c)) continue;
    const b = blockOf(graph.channelScid(c));
    if (b >= first && b < end) scids.push(graph.channelScid(c));
  }
  scids.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const options = q.tlvs?.queryOption ?? 0n;
  const wantTimestamps = (options & QUERY_OPTION.wantTimestamps) !== 0n;
  const wantChecksums = (options & QUERY_OPTION.wantChecksums) !== 0n;

  const replies: ReplyChannelRangeMessage[] = [];
  let start = first;
  let i = 0;
  do {
    let j = Math.min(scids.length, i + REPLY_TARGET_IDS);
    // Keep a block's channels in one reply (within the hard bound).
    while (j < scids.length && j - i < REPLY_MAX_IDS && j > i && blockOf(scids[j]!) === blockOf(scids[j - 1]!)) j++;
    const ids = scids.slice(i, j) as ShortChannelId[];
    const last = j >= scids.length;
    const stop = last ? end : blockOf(scids[j - 1]!) + 1;
    const tlvs: NonNullable<ReplyChannelRangeMessage['tlvs']> = {};
    if (wantTimestamps || wantChecksums) {
      const ts: { timestamp1: number; timestamp2: number }[] = [];
      const cs: { checksum1: number; checksum2: number }[] = [];
      for (const id of ids) {
        const c = graph.channelIndex(id);
        ts.push({ timestamp1: graph.policyLastUpdate(c, 0), timestamp2: graph.policyLastUpdate(c, 1) });
        if (wantChecksums) cs.push({ checksum1: checksumOf(graph, c, 0), checksum2: checksumOf(graph, c, 1) });
      }
      if (wantTimestamps) tlvs.timestamps = ts;
      if (wantChecksums) tlvs.checksums = cs;
    }
    const reply: ReplyChannelRangeMessage = {
      type: 'reply_channel_range',
      chainHash: graph.chainHash,
      firstBlocknum: start,
      numberOfBlocks: Math.max(0, stop - start),
      syncComplete: 1,
      shortChannelIds: ids,
    };
    replies.push(Object.keys(tlvs).length === 0 ? reply : { ...reply, tlvs });
    start = stop;
    i = j;
  } while (i < scids.length);
  return replies;
}

function checksumOf(graph: NetworkGraph, c: number, d: 0 | 1): number {
  const raw = graph.channelUpdate(c, d);
  return raw === undefined ? 0 : channelUpdateChecksum(decodeMessage(raw) as ChannelUpdateMessage);
}
