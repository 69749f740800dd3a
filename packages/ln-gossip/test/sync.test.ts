import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { allMessages } from 'ln-gossip-generator';
import type { MessageSendEvent } from 'ln-peer-api';
import { equalBytes, shortChannelIdFromParts, toHex, type NodeId, type ShortChannelId } from 'ln-types';
import { sha256d } from 'ln-crypto';
import { decodeMessage, encodeMessage, featuresFromBits, gossipSignedBytes, QUERY_FLAG, type ChannelAnnouncementMessage, type ChannelUpdateMessage, type Message, type ReplyChannelRangeMessage } from 'ln-wire';
import { channelRangeReplies, P2PGossipSync, REPLY_MAX_IDS } from '../src/index.js';
import { freshIngest, gossipFixture, signer } from './helpers.js';

const g = gossipFixture(120);
const peer = Uint8Array.of(2, ...new Uint8Array(32).fill(9)) as NodeId;
const other = Uint8Array.of(3, ...new Uint8Array(32).fill(9)) as NodeId;
const withQueries = { features: featuresFromBits([7]) };
const sent = (events: MessageSendEvent[]): Message[] => events.flatMap((e) => (e.kind === 'send' ? [e.message] : []));

async function fullGraph() {
  const ingest = freshIngest(g);
  await ingest.ingest(allMessages(g));
  return ingest;
}

describe('reply_channel_range answers (BOLT 7 rules)', () => {
  it('cover the query range contiguously, in order, with every channel once, for any range', async () => {
    const { graph } = await fullGraph();
    const blocks = [...new Set(Array.from({ length: graph.channelCount }, (_, c) => Number(graph.channelScid(c) >> 40n)))];
    const lo = Math.min(...blocks);
    const hi = Math.max(...blocks);
    fc.assert(
      fc.property(fc.integer({ min: lo - 2, max: hi + 2 }), fc.integer({ min: 0, max: hi - lo + 5 }), fc.constantFrom(0n, 1n, 2n, 3n), (first, count, option) => {
        const q = { type: 'query_channel_range' as const, chainHash: g.chainHash, firstBlocknum: first, numberOfBlocks: count, tlvs: { queryOption: option } };
        const replies = channelRangeReplies(graph, q);
        expect(replies.length).toBeGreaterThan(0);
        expect(replies[0]!.firstBlocknum).toBeLessThanOrEqual(first);
        const last = replies.at(-1)!;
        expect(last.firstBlocknum + last.numberOfBlocks).toBeGreaterThanOrEqual(first + count);
        const ids: bigint[] = [];
        replies.forEach((r, i) => {
          if (i > 0) expect(r.firstBlocknum).toBe(replies[i - 1]!.firstBlocknum + replies[i - 1]!.numberOfBlocks);
          for (const id of r.shortChannelIds) {
            const b = Number(id >> 40n);
            expect(b >= r.firstBlocknum && b < r.firstBlocknum + r.numberOfBlocks).toBe(true);
          }
          ids.push(...r.shortChannelIds);
          expect((r.tlvs?.timestamps?.length ?? r.shortChannelIds.length) === r.shortChannelIds.length).toBe(true);
          expect(r.tlvs?.timestamps !== undefined).toBe((option & 1n) !== 0n);
          expect(r.tlvs?.checksums !== undefined).toBe((option & 2n) !== 0n);
          expect(r.shortChannelIds.length).toBeLessThanOrEqual(REPLY_MAX_IDS);
          expect(encodeMessage(r).length).toBeLessThanOrEqual(65535);
        });
        const expected = Array.from({ length: graph.channelCount }, (_, c) => graph.channelScid(c) as bigint)
          .filter((s) => Number(s >> 40n) >= first && Number(s >> 40n) < first + count)
          .sort((a, b) => (a < b ? -1 : 1));
        expect(ids).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });
});

describe('P2PGossipSync', () => {
  it('answers query_short_channel_ids with the requested messages (flags honoured) and an end marker', async () => {
    const ingest = await fullGraph();
    const sync = new P2PGossipSync(ingest, { replyBurst: 10 });
    sync.peerConnected(peer, { features: new Uint8Array(0) }, true);
    const c = 0;
    const scid = ingest.graph.channelScid(c);
    sync.handleMessage(peer, { type: 'query_short_channel_ids', chainHash: g.chainHash, shortChannelIds: [scid, shortChannelIdFromParts(1, 1, 1)], tlvs: { queryFlags: [QUERY_FLAG.channelUpdate2 | QUERY_FLAG.nodeAnnouncement1, QUERY_FLAG.channelAnnouncement] } });
    const out = sent(sync.getAndClearPendingMsgEvents());
    expect(out.map((m) => m.type)).toEqual(['channel_update', 'node_announcement', 'reply_short_channel_ids_end']);
    expect(encodeMessage(out[0]!)).toEqual(ingest.graph.channelUpdate(c, 1));
    expect(encodeMessage(out[1]!)).toEqual(ingest.graph.nodeAnnouncement(ingest.graph.channelNode1(c)));
    // Without flags: everything, node announcements once, paced by replyBurst.
    const ids = Array.from({ length: 30 }, (_, k) => ingest.graph.channelScid(k));
    sync.handleMessage(peer, { type: 'query_short_channel_ids', chainHash: g.chainHash, shortChannelIds: ids });
    const batches: Message[][] = [];
    for (let i = 0; i < 50; i++) {
      const b = sent(sync.getAndClearPendingMsgEvents());
      if (b.length === 0) break;
      batches.push(b);
    }
    expect(batches.length).toBeGreaterThan(1);
    const all = batches.flat();
    expect(all.at(-1)!.type).toBe('reply_short_channel_ids_end');
    expect(all.filter((m) => m.type === 'channel_announcement').length).toBe(30);
    expect(all.filter((m) => m.type === 'channel_update').length).toBe(60);
    const nodes = all.filter((m) => m.type === 'node_announcement').map((m) => encodeMessage(m).toString());
    expect(new Set(nodes).size).toBe(nodes.length);
  });

  it('pauses answers while the peer has no room and resumes later', async () => {
    const ingest = await fullGraph();
    let room = false;
    const sync = new P2PGossipSync(ingest, { canSendMore: () => room });
    sync.peerConnected(peer, { features: new Uint8Array(0) }, true);
    sync.handleMessage(peer, { type: 'query_short_channel_ids', chainHash: g.chainHash, shortChannelIds: [ingest.graph.channelScid(3)] });
    expect(sent(sync.getAndClearPendingMsgEvents())).toEqual([]);
    room = true;
    expect(sent(sync.getAndClearPendingMsgEvents()).map((m) => m.type)).toContain('reply_short_channel_ids_end');
  });

  it('syncs from a peer: range query, then id queries for what it lacks, progress to done', async () => {
    const server = await fullGraph();
    const client = freshIngest(g);
    const a = new P2PGossipSync(server);
    const b = new P2PGossipSync(client);
    a.peerConnected(other, withQueries, true);
    b.peerConnected(peer, withQueries, false);
    const first = sent(b.getAndClearPendingMsgEvents());
    expect(first.map((m) => m.type)).toEqual(['gossip_timestamp_filter', 'query_channel_range']);
    // Shuttle messages until quiet.
    let inFlight = first;
    for (let round = 0; round < 500; round++) {
      for (const m of inFlight) a.handleMessage(other, m as never);
      const back = sent(a.getAndClearPendingMsgEvents());
      for (const m of back) b.handleMessage(peer, m as never);
      await b.idle();
      inFlight = sent(b.getAndClearPendingMsgEvents());
      if (inFlight.length === 0 && back.length === 0) break;
    }
    expect(client.graph.liveChannelCount).toBe(120);
    expect(b.progress()).toMatchObject({ channelsKnown: 120, queriesPending: 0, syncing: false, messagesPending: 0, syncsCompleted: 1 });
  });

  it('ignores unsolicited and huge reply ranges within bounded memory', async () => {
    const ingest = freshIngest(g);
    const sync = new P2PGossipSync(ingest, { maxPendingQueries: 5000 });
    sync.peerConnected(peer, { features: new Uint8Array(0) }, true); // no gossip_queries: we never asked it
    const huge: ReplyChannelRangeMessage = { type: 'reply_channel_range', chainHash: g.chainHash, firstBlocknum: 0, numberOfBlocks: 0xffffffff, syncComplete: 1, shortChannelIds: Array.from({ length: 8000 }, (_, i) => BigInt(i + 1) as ShortChannelId) };
    for (let i = 0; i < 20; i++) sync.handleMessage(peer, huge);
    expect(sync.progress().queriesPending).toBe(0);
    // Solicited: at most maxPendingQueries kept however many ids arrive.
    const s2 = new P2PGossipSync(ingest, { maxPendingQueries: 5000, queryBatch: 1000 });
    s2.peerConnected(peer, withQueries, false);
    s2.getAndClearPendingMsgEvents();
    for (let i = 0; i < 20; i++) s2.handleMessage(peer, { ...huge, numberOfBlocks: 10 + i, firstBlocknum: 0 });
    expect(s2.progress().queriesPending).toBeLessThanOrEqual(5000);
    const queries = sent(s2.getAndClearPendingMsgEvents()).filter((m) => m.type === 'query_short_channel_ids');
    expect(queries.length).toBe(1);
  });

  it('forwards accepted gossip on ticks, rate-limited, never back to its origin', async () => {
    const ingest = freshIngest(g);
    const sync = new P2PGossipSync(ingest, { maxForwardPerTick: 50 });
    sync.peerConnected(peer, { features: new Uint8Array(0) }, true);
    sync.peerConnected(other, { features: new Uint8Array(0) }, true);
    for (const raw of allMessages(g).slice(0, 130)) sync.handleMessage(peer, decodeMessage(raw) as never);
    await sync.idle();
    expect(sync.getAndClearPendingMsgEvents()).toEqual([]);
    sync.timerTickOccurred();
    const events = sync.getAndClearPendingMsgEvents();
    expect(events.length).toBe(50);
    for (const e of events) {
      expect(e.kind).toBe('send');
      if (e.kind === 'send') expect(e.nodeId).toEqual(other);
    }
    sync.timerTickOccurred();
    sync.timerTickOccurred();
    expect(sync.getAndClearPendingMsgEvents().length).toBe(130 - 50);
  });

  it('forwards to a gossip_queries peer only inside its timestamp filter', async () => {
    const ingest = freshIngest(g);
    const sync = new P2PGossipSync(ingest, { maxSyncPeers: 0 });
    const third = Uint8Array.of(2, ...new Uint8Array(32).fill(7)) as NodeId;
    sync.peerConnected(peer, { features: new Uint8Array(0) }, true);
    sync.peerConnected(other, withQueries, true);
    sync.peerConnected(third, withQueries, true);
    sync.getAndClearPendingMsgEvents();
    const updates = g.channelUpdates.slice(0, 40).map((r) => decodeMessage(r) as ChannelUpdateMessage);
    const cut = [...updates.map((u) => u.timestamp)].sort((a, b) => a - b)[20]!;
    // `other` wants only updates from `cut` on; `third` sent no filter: it gets nothing.
    sync.handleMessage(other, { type: 'gossip_timestamp_filter', chainHash: g.chainHash, firstTimestamp: cut, timestampRange: 0xffffffff - cut });
    expect(sync.getAndClearPendingMsgEvents()).toEqual([]); // our graph is empty: nothing to dump
    for (const raw of [...g.channelAnnouncements, ...g.channelUpdates.slice(0, 40)]) sync.handleMessage(peer, decodeMessage(raw) as never);
    await sync.idle();
    sync.timerTickOccurred();
    const events = sync.getAndClearPendingMsgEvents();
    expect(events.every((e) => e.kind === 'send' && equalBytes(e.nodeId, other))).toBe(true);
    const forwardedUpdates = events.flatMap((e) => (e.kind === 'send' && e.message.type === 'channel_update' ? [e.message] : []));
    expect(forwardedUpdates.length).toBe(updates.filter((u) => u.timestamp >= cut).length);
    expect(forwardedUpdates.every((u) => u.timestamp >= cut)).toBe(true);
  });

  it('does not forward a channel_update marked dont_forward', async () => {
    const ingest = freshIngest(g);
    const sync = new P2PGossipSync(ingest);
    sync.peerConnected(peer, { features: new Uint8Array(0) }, true);
    sync.peerConnected(other, { features: new Uint8Array(0) }, true);
    await ingest.ingest(g.channelAnnouncements.slice(0, 1));
    const u = decodeMessage(g.channelUpdates[0]!) as ChannelUpdateMessage;
    const ann = decodeMessage(g.channelAnnouncements[0]!) as ChannelAnnouncementMessage;
    const privByNode = new Map(g.nodeKeys.map((k) => [toHex(signer.publicKeyCreate(k)), k]));
    const priv = privByNode.get(toHex((u.channelFlags & 1) === 0 ? ann.nodeId1 : ann.nodeId2))!;
    const unsigned: ChannelUpdateMessage = { ...u, messageFlags: 3, timestamp: u.timestamp + 1, signature: new Uint8Array(64) };
    const privateUpdate: ChannelUpdateMessage = { ...unsigned, signature: signer.ecdsaSign(sha256d(gossipSignedBytes(unsigned)), priv) };
    sync.handleMessage(peer, privateUpdate);
    sync.handleMessage(peer, decodeMessage(g.channelUpdates[1]!) as ChannelUpdateMessage);
    await sync.idle();
    const c = ingest.graph.channelIndex(u.shortChannelId);
    expect(ingest.graph.policyLastUpdate(c, (u.channelFlags & 1) as 0 | 1)).toBe(u.timestamp + 1);
    sync.timerTickOccurred();
    const forwarded = sync.getAndClearPendingMsgEvents().flatMap((e) => (e.kind === 'send' ? [e.message] : []));
    expect(forwarded.length).toBe(1);
    expect(encodeMessage(forwarded[0]!)).toEqual(g.channelUpdates[1]);
  });
});
