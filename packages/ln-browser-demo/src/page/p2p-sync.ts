// P2P gossip sync in the page: a PeerManager (noble, no WebAssembly) over a
// WebSocket through ln-ws-proxy to the gossip source, P2PGossipSync asking it
// for the whole graph with BOLT 7 queries.
import { nobleSecp256k1 } from 'ln-crypto';
import { GossipIngest, NetworkGraph, P2PGossipSync, type SyncProgress } from 'ln-gossip';
import { localEcdh } from 'ln-noise';
import { PeerManager, connectWebSocket, scheduleProcessEvents, startTimers } from 'ln-peer';
import { chainHash, fromHex, nodeIdFromHex, publicKey, type NodeId } from 'ln-types';
import type { DemoConfig } from '../config.js';

/** Syncs the source's graph over BOLT 8; `onProgress` is called about every 100 ms. */
export async function syncOverP2P(config: DemoConfig, onProgress: (p: SyncProgress) => void): Promise<NetworkGraph> {
  const graph = new NetworkGraph(chainHash(fromHex(config.chainHash)));
  // No UtxoLookup in a page: channels are accepted on their four signatures, capacities unknown.
  const ingest = new GossipIngest(graph, { clock: () => config.clockSeconds });
  const secret = crypto.getRandomValues(new Uint8Array(32));
  const holder: { pm?: PeerManager } = {};
  const roomFor = (peer: NodeId) => holder.pm!.outboundBytes(peer) < 128 * 1024;
  const sync = new P2PGossipSync(ingest, { onEventsPending: () => scheduleProcessEvents(holder.pm!), canSendMore: roomFor });
  const manager = (holder.pm = new PeerManager({
    localPublicKey: publicKey(nobleSecp256k1.publicKeyCreate(secret)),
    ecdh: localEcdh(secret, nobleSecp256k1),
    secp256k1: nobleSecp256k1,
    chains: [graph.chainHash],
    handlers: { routing: sync },
    // Verifying gossip with noble blocks this thread for a second or more at a time (longer on a
    // busy machine): 20 ticks of 500 ms before a silent peer or a slow handshake counts as dead.
    limits: { handshakeTimeoutTicks: 20, pingTimeoutTicks: 20 },
  }));
  const timers = startTimers(manager, { tickMs: 500, alsoTick: [sync] });
  try {
    await connectWebSocket(manager, { url: `${config.proxyUrl}/${config.sourceTarget}`, theirNodeId: nodeIdFromHex(config.sourceNodeId) });
    await new Promise<void>((resolve, reject) => {
      const started = Date.now();
      let wasConnected = false;
      const poll = setInterval(() => {
        const p = sync.progress();
        onProgress(p);
        const connected = manager.listPeers().length > 0;
        wasConnected ||= connected;
        if (connected && !p.syncing && p.messagesPending === 0 && p.channelsKnown >= config.expectedChannels) {
          clearInterval(poll);
          resolve();
        } else if (wasConnected && !connected && manager.connectionCount === 0) {
          // Say so at once rather than wait for the timeout: nothing will arrive any more.
          clearInterval(poll);
          reject(new Error(`the gossip peer disconnected at ${p.channelsKnown} of ${config.expectedChannels} channels`));
        } else if (Date.now() - started > 120_000) {
          clearInterval(poll);
          reject(new Error(`sync timed out at ${p.channelsKnown} of ${config.expectedChannels} channels`));
        }
      }, 100);
    });
    await sync.idle();
    onProgress(sync.progress());
    return graph;
  } finally {
    timers.stop();
    manager.disconnectAllPeers();
  }
}
