import { describe, expect, it } from '@jest/globals';
import { allMessages } from 'ln-gossip-generator';
import { localEcdh } from 'ln-noise';
import { PeerManager } from 'ln-peer';
import { connect, listen, scheduleProcessEvents, startTimers } from 'ln-peer/net';
import { publicKey, type NodeId } from 'ln-types';
import { P2PGossipSync, type GossipVerifier, type SyncProgress } from '../src/index.js';
import { canonicalDump, fastVerifier, freshIngest, gossipFixture, signer } from './helpers.js';

const CHANNELS = Number(process.env.LN_LONG_TESTS === '1' ? 5000 : 400);

async function until(condition: () => boolean, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

function node(seed: number, sync: (pm: () => PeerManager) => P2PGossipSync, chain: Uint8Array): { pm: PeerManager; sync: P2PGossipSync } {
  const secret = new Uint8Array(32).fill(seed);
  const holder: { pm?: PeerManager } = {};
  const s = sync(() => holder.pm!);
  const pm = (holder.pm = new PeerManager({ localPublicKey: publicKey(signer.publicKeyCreate(secret)), ecdh: localEcdh(secret, signer), secp256k1: signer, chains: [chain as never], handlers: { routing: s }, limits: { handshakeTimeoutTicks: 100, pingTimeoutTicks: 100 } }));
  return { pm, sync: s };
}

const roomFor = (pm: () => PeerManager) => (peer: NodeId) => pm().outboundBytes(peer) < 128 * 1024;

describe('two-node gossip sync over ln-peer on TCP loopback', () => {
  it(`a new node learns the whole generated graph (${CHANNELS} channels) from its peer through queries`, async () => {
    const g = gossipFixture(CHANNELS);
    const full = freshIngest(g);
    expect((await full.ingest(allMessages(g))).every((o) => o.status === 'applied')).toBe(true);
    const empty = freshIngest(g);
    const alice = node(1, (pm) => new P2PGossipSync(full, { onEventsPending: () => scheduleProcessEvents(pm()), canSendMore: roomFor(pm) }), g.chainHash);
    const progress: SyncProgress[] = [];
    const bob = node(2, (pm) => new P2PGossipSync(empty, { onEventsPending: () => scheduleProcessEvents(pm()), canSendMore: roomFor(pm) }), g.chainHash);
    const timers = [startTimers(alice.pm, { tickMs: 100 }), startTimers(bob.pm, { tickMs: 100 })];
    const listener = await listen(alice.pm, { port: 0 });
    try {
      await connect(bob.pm, { host: '127.0.0.1', port: listener.port, theirNodeId: alice.pm.nodeId });
      await until(() => {
        progress.push(bob.sync.progress());
        return empty.graph.liveChannelCount === CHANNELS && empty.graph.liveNodeCount === full.graph.liveNodeCount && !bob.sync.progress().syncing;
      });
      await bob.sync.idle();
      await until(() => canonicalDump(empty.graph) === canonicalDump(full.graph), 20_000);
      expect(canonicalDump(empty.graph)).toBe(canonicalDump(full.graph));
      // Progress went up and ended with nothing pending.
      expect(progress.at(-1)!.channelsKnown).toBe(CHANNELS);
      expect(bob.sync.progress().messagesPending).toBe(0);
      expect(bob.pm.listPeers().length).toBe(1);
    } finally {
      for (const t of timers) t.stop();
      bob.pm.disconnectAllPeers();
      alice.pm.disconnectAllPeers();
      await listener.close();
    }
  });

  it('with a slow verifier and a small validation queue, asks for more only as the backlog drains, and misses nothing', async () => {
    const g = gossipFixture(CHANNELS);
    const full = freshIngest(g);
    await full.ingest(allMessages(g));
    // Each batch of signatures takes 15 ms to verify; the peer answers far faster than that.
    const slowVerifier: GossipVerifier = {
      verify: (batch) => new Promise((resolve) => setTimeout(() => resolve(fastVerifier.verify(batch) as Uint8Array), 15)),
    };
    const empty = freshIngest(g, { verifier: slowVerifier, chunkSize: 32 });
    const alice = node(3, (pm) => new P2PGossipSync(full, { onEventsPending: () => scheduleProcessEvents(pm()), canSendMore: roomFor(pm) }), g.chainHash);
    // 40 ids per query (about 200 messages in answer) against a queue of 300.
    const bob = node(4, (pm) => new P2PGossipSync(empty, { onEventsPending: () => scheduleProcessEvents(pm()), canSendMore: roomFor(pm), queryBatch: 40, maxIncoming: 300 }), g.chainHash);
    const timers = [startTimers(alice.pm, { tickMs: 100 }), startTimers(bob.pm, { tickMs: 100 })];
    const listener = await listen(alice.pm, { port: 0 });
    let peak = 0;
    try {
      await connect(bob.pm, { host: '127.0.0.1', port: listener.port, theirNodeId: alice.pm.nodeId });
      await until(() => {
        peak = Math.max(peak, bob.sync.progress().messagesPending);
        return bob.sync.progress().syncsCompleted === 1 && bob.sync.progress().messagesPending === 0;
      }, 90_000);
      await bob.sync.idle();
      expect(empty.graph.liveChannelCount).toBe(CHANNELS);
      expect(canonicalDump(empty.graph)).toBe(canonicalDump(full.graph));
      expect(peak).toBeGreaterThan(0);
    } finally {
      for (const t of timers) t.stop();
      bob.pm.disconnectAllPeers();
      alice.pm.disconnectAllPeers();
      await listener.close();
    }
  }, 120_000);
});
