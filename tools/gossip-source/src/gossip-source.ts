import type { Secp256k1Backend } from 'ln-crypto';
import { utxoFound, utxoMissing, type UtxoLookup } from 'ln-chain-api';
import { GossipIngest, NetworkGraph, P2PGossipSync, backendVerifier, type GossipVerifier } from 'ln-gossip';
import { localEcdh } from 'ln-noise';
import { PeerManager } from 'ln-peer';
import { listen, scheduleProcessEvents, startTimers } from 'ln-peer/net';
import { publicKey, type NodeId } from 'ln-types';
import { allMessages, fastestBackend, type GeneratedGossip } from 'ln-gossip-generator';

/** A running gossip source. */
export interface GossipSource {
  readonly nodeId: NodeId;
  readonly host: string;
  readonly port: number;
  readonly graph: NetworkGraph;
  readonly manager: PeerManager;
  close(): Promise<void>;
}

/** Options of {@link startGossipSource}. */
export interface GossipSourceOptions {
  readonly gossip: GeneratedGossip;
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port?: number;
  /** One byte repeated into the node's 32-byte key (default 0x42). */
  readonly keyByte?: number;
  readonly backend?: Secp256k1Backend;
  readonly tickMs?: number;
  /**
   * Check the signatures of the gossip on load (default true). The source
   * generated and signed this gossip itself, so a demo may skip the check to
   * start faster; the nodes that sync from it always verify.
   */
  readonly verifySignatures?: boolean;
}

/** Approves every signature: only for gossip this process signed itself. */
const selfSignedVerifier: GossipVerifier = { verify: (batch) => new Uint8Array(batch.count).fill(1) };

/**
 * A Lightning node of ours holding signed gossip (from generateGossip) and
 * serving it over BOLT 8 on TCP: it answers gossip queries
 * (query_channel_range, query_short_channel_ids, gossip_timestamp_filter) as
 * any BOLT 7 node does. Used by the demos and end-to-end tests as the network
 * a routing server or a browser syncs from.
 */
export async function startGossipSource(options: GossipSourceOptions): Promise<GossipSource> {
  const backend = options.backend ?? fastestBackend();
  const g = options.gossip;
  const utxoLookup: UtxoLookup = {
    getUtxo: (_chain, scid) => {
      const out = g.fundingOutputs.get(scid);
      return out === undefined ? utxoMissing('unknown_tx') : utxoFound(out);
    },
  };
  const ingest = new GossipIngest(new NetworkGraph(g.chainHash), { clock: () => g.timestamp, verifier: options.verifySignatures === false ? selfSignedVerifier : backendVerifier(backend), utxoLookup });
  await ingest.ingest(allMessages(g));
  const secret = new Uint8Array(32).fill(options.keyByte ?? 0x42);
  const holder: { pm?: PeerManager } = {};
  const sync = new P2PGossipSync(ingest, {
    onEventsPending: () => scheduleProcessEvents(holder.pm!),
    canSendMore: (peer) => holder.pm!.outboundBytes(peer) < 256 * 1024,
  });
  const manager = (holder.pm = new PeerManager({
    localPublicKey: publicKey(backend.publicKeyCreate(secret)),
    ecdh: localEcdh(secret, backend),
    secp256k1: backend,
    chains: [g.chainHash],
    handlers: { routing: sync },
    // A loaded machine can stall a handshake or a pong for seconds: be patient (10 ticks).
    limits: { handshakeTimeoutTicks: 10, pingTimeoutTicks: 10 },
  }));
  const timers = startTimers(manager, { tickMs: options.tickMs ?? 1000, alsoTick: [sync] });
  const listener = await listen(manager, { host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
  return {
    nodeId: manager.nodeId,
    host: listener.host,
    port: listener.port,
    graph: ingest.graph,
    manager,
    async close() {
      timers.stop();
      manager.disconnectAllPeers();
      await listener.close();
    },
  };
}
