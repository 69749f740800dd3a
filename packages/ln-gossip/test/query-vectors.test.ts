import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { generateGossip, subgraph } from 'ln-gossip-generator';
import { loadMainnetGraph } from 'ln-mainnet-graph';
import { fromHex, shortChannelIdFromParts, type ChainHash, type NodeId } from 'ln-types';
import { decodeMessage, encodeMessage, featuresFromBits, type Message, type QueryChannelRangeMessage, type ReplyChannelRangeMessage } from 'ln-wire';
import { GossipIngest, NetworkGraph, P2PGossipSync } from '../src/index.js';
import { fastVerifier, signer } from './helpers.js';

const fixture = JSON.parse(readFileSync(new URL('./fixtures/bolt07-extended-queries.json', import.meta.url), 'utf8')) as { vectors: { hex: string; msg: { type: string } }[] };
const vectors = fixture.vectors.map((v) => decodeMessage(fromHex(v.hex)) as Message);
const chainHash = (vectors[0] as QueryChannelRangeMessage).chainHash as ChainHash;
const peer = Uint8Array.of(2, ...new Uint8Array(32).fill(5)) as NodeId;
const sent = (sync: P2PGossipSync) => sync.getAndClearPendingMsgEvents().flatMap((e) => (e.kind === 'send' ? [e.message] : []));

describe('gossip queries driven by the BOLT 7 extended-queries vectors', () => {
  it('asks for exactly the channels the spec replies list (plain and zlib), each once', () => {
    const graph = new NetworkGraph(chainHash);
    const sync = new P2PGossipSync(new GossipIngest(graph, { clock: () => 1_000_000, verifier: fastVerifier }), { queryBatch: 100 });
    sync.peerConnected(peer, { features: featuresFromBits([7]) }, false);
    expect(sent(sync).map((m) => m.type)).toEqual(['gossip_timestamp_filter', 'query_channel_range']);
    const replies = vectors.filter((m): m is ReplyChannelRangeMessage => m.type === 'reply_channel_range');
    expect(replies.length).toBe(4);
    // Feed them in the order of their ranges (each must not go backwards).
    const ordered = [...replies].sort((a, b) => a.firstBlocknum - b.firstBlocknum);
    for (const r of ordered) sync.handleMessage(peer, r);
    // Queries go out one at a time; answering each with reply_short_channel_ids_end releases the next.
    const asked: bigint[] = [];
    for (let round = 0; round < 10; round++) {
      const queries = sent(sync).filter((m) => m.type === 'query_short_channel_ids');
      if (queries.length === 0) break;
      expect(queries.length).toBe(1);
      if (queries[0]!.type === 'query_short_channel_ids') asked.push(...queries[0]!.shortChannelIds);
      sync.handleMessage(peer, { type: 'reply_short_channel_ids_end', chainHash, fullInformation: 1 });
    }
    // Each id once, though two of the replies repeat the same ids.
    const expected = [...new Set(ordered.flatMap((r) => r.shortChannelIds))];
    expect([...asked].sort((a, b) => (a < b ? -1 : 1))).toEqual(expected.sort((a, b) => (a < b ? -1 : 1)));
    // The replies stop at block 757,730 while we asked up to the last block: the range is still open.
    expect(sync.progress()).toMatchObject({ queriesPending: 0, syncing: true, syncsCompleted: 0 });
    sync.handleMessage(peer, { type: 'reply_channel_range', chainHash, firstBlocknum: 757_730, numberOfBlocks: 0xffffffff - 757_730, syncComplete: 1, shortChannelIds: [] });
    expect(sync.progress()).toMatchObject({ queriesPending: 0, syncing: false, syncsCompleted: 1 });
  });

  it('answers the spec query_channel_range (35000 + 100 blocks, timestamps and checksums) with encodable replies', async () => {
    const q = vectors[1] as QueryChannelRangeMessage;
    expect(q.tlvs?.queryOption).toBe(3n);
    // Three channels in the queried blocks and one outside, on the vectors' chain.
    const topology = subgraph(loadMainnetGraph(), 4);
    const blocks = [35_000, 35_050, 35_099, 35_100];
    const moved = { ...topology, channels: topology.channels.map((c, i) => ({ ...c, shortChannelId: shortChannelIdFromParts(blocks[i]!, i, 0) })) };
    const g = generateGossip(moved, { backend: signer, chainHash });
    const ingest = new GossipIngest(new NetworkGraph(chainHash), { clock: () => g.timestamp, verifier: fastVerifier });
    await ingest.ingest([...g.channelAnnouncements, ...g.channelUpdates]);
    const sync = new P2PGossipSync(ingest);
    sync.peerConnected(peer, { features: new Uint8Array(0) }, true);
    sync.handleMessage(peer, q);
    const replies = sent(sync).filter((m): m is ReplyChannelRangeMessage => m.type === 'reply_channel_range');
    expect(replies.length).toBe(1);
    const r = replies[0]!;
    expect(r.firstBlocknum).toBe(35_000);
    expect(r.numberOfBlocks).toBe(100);
    expect(r.shortChannelIds.map((s) => Number(s >> 40n))).toEqual([35_000, 35_050, 35_099]);
    expect(r.tlvs?.timestamps?.every((t) => t.timestamp1 > 0 && t.timestamp2 > 0)).toBe(true);
    expect(r.tlvs?.checksums?.length).toBe(3);
    expect(decodeMessage(encodeMessage(r))).toEqual(r);
  });
});
