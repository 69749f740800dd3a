import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { createJsonLogger, CHAIN_HASHES, toHex, publicKey, type KVStore, type Logger, type NodeId } from 'ln-types';
import { createNativeSecp256k1Backend, createTinySecp256k1Backend, nobleSecp256k1, randomBytes, type Secp256k1Backend } from 'ln-crypto';
import { GossipIngest, NetworkGraph, P2PGossipSync, backendVerifier, loadGraph, saveGraph, type GossipVerifier } from 'ln-gossip';
import { WorkerPoolVerifier, type WorkerBackend } from 'ln-gossip/node';
import { localEcdh } from 'ln-noise';
import { PeerManager } from 'ln-peer';
import { connect, scheduleProcessEvents, startTimers } from 'ln-peer/net';
import { persistScorer, readScorer } from 'ln-router';
import { FilesystemStore } from 'ln-store';
import type { FastifyInstance } from 'fastify';
import type { PeerConfig, ServerConfig } from './config.js';
import { GraphRoutingService } from './graph-service.js';
import { rgsNodesFromGraph } from './rgs-nodes-from-graph.js';
import { createHttpApp } from './http/app.js';
import type { SyncStatus } from './service.js';

const MODULE = 'ln-routing-server';
const PRUNE_INTERVAL_MS = 3_600_000;
const NODE_KEY = { primary: 'node', secondary: '', key: 'secret' } as const;

/** A running routing server. */
export interface RoutingNode {
  readonly nodeId: NodeId;
  readonly service: GraphRoutingService;
  readonly graph: NetworkGraph;
  readonly sync: P2PGossipSync;
  readonly peers: PeerManager;
  readonly http: FastifyInstance;
  /** The HTTP port actually bound. */
  readonly httpPort: number;
  /** Saves the graph and the scores now. */
  persist(): Promise<void>;
  /** Saves, disconnects, stops timers and the HTTP server. */
  close(): Promise<void>;
}

async function loadBackend(kind: ServerConfig['secp256k1'], logger: Logger): Promise<{ backend: Secp256k1Backend; worker: WorkerBackend }> {
  const require = createRequire(import.meta.url);
  try {
    if (kind === 'native') {
      const path = require.resolve('secp256k1');
      const mod = (await import(pathToFileURL(path).href)) as { default: Parameters<typeof createNativeSecp256k1Backend>[0] };
      return { backend: createNativeSecp256k1Backend(mod.default), worker: { kind: 'secp256k1', moduleUrl: pathToFileURL(path).href } };
    }
    if (kind === 'wasm') {
      const path = require.resolve('tiny-secp256k1');
      const mod = (await import(pathToFileURL(path).href)) as Parameters<typeof createTinySecp256k1Backend>[0];
      return { backend: createTinySecp256k1Backend(mod), worker: { kind: 'tiny-secp256k1', moduleUrl: pathToFileURL(path).href } };
    }
  } catch (e) {
    logger.log({ level: 'warn', module: MODULE, message: `secp256k1 backend ${kind} unavailable, using noble`, fields: { error: String(e) } });
  }
  return { backend: nobleSecp256k1, worker: { kind: 'noble' } };
}

async function nodeSecret(store: KVStore): Promise<Uint8Array> {
  const existing = await store.read(NODE_KEY.primary, NODE_KEY.secondary, NODE_KEY.key);
  if (existing !== undefined && existing.length === 32) return existing;
  const secret = randomBytes(32);
  await store.write(NODE_KEY.primary, NODE_KEY.secondary, NODE_KEY.key, secret);
  return secret;
}

/**
 * Starts the routing server: loads the saved graph and scores, connects to the
 * configured gossip peers over BOLT 8 and keeps the graph current through
 * gossip queries (reconnecting when a peer drops), serves the HTTP API, and
 * saves graph and scores periodically and on close. Channel announcements are
 * accepted on their signatures (no chain source: capacities are unknown).
 */
export async function startRoutingNode(config: ServerConfig, options: { logger?: Logger; store?: KVStore } = {}): Promise<RoutingNode> {
  const logger = options.logger ?? createJsonLogger({ level: config.logLevel, write: (line) => process.stdout.write(line + '\n') });
  const store = options.store ?? new FilesystemStore(config.dataDir);
  const chainHash = CHAIN_HASHES[config.network];
  const { backend, worker } = await loadBackend(config.secp256k1, logger);
  const verifier: GossipVerifier & { close?: () => Promise<void> } =
    config.verifyWorkers > 0 ? new WorkerPoolVerifier({ threads: config.verifyWorkers, backend: worker }) : backendVerifier(backend);

  const started = Date.now();
  const graph = (await loadGraph(store, chainHash)) ?? new NetworkGraph(chainHash);
  // BOLT 7: channels with no update for two weeks are pruned, at start (a saved graph
  // may be old) and every hour; a later update brings a live channel back.
  const prune = () => {
    const removed = graph.pruneStale(Math.floor(Date.now() / 1000));
    if (removed > 0) logger.log({ level: 'info', module: MODULE, message: 'pruned stale channels', fields: { channels: removed } });
  };
  prune();
  const loadedChannels = graph.liveChannelCount;
  logger.log({ level: 'info', module: MODULE, message: 'graph loaded', fields: { channels: loadedChannels, nodes: graph.liveNodeCount, ms: Date.now() - started } });
  const ingest = new GossipIngest(graph, { clock: () => Math.floor(Date.now() / 1000), verifier });
  const scorer = await readScorer(store, graph, {});

  const secret = await nodeSecret(store);
  const holder: { pm?: PeerManager } = {};
  const sync = new P2PGossipSync(ingest, {
    onEventsPending: () => scheduleProcessEvents(holder.pm!),
    canSendMore: (peer) => holder.pm!.outboundBytes(peer) < 256 * 1024,
  });
  const peers = (holder.pm = new PeerManager({
    localPublicKey: publicKey(backend.publicKeyCreate(secret)),
    ecdh: localEcdh(secret, backend),
    secp256k1: backend,
    chains: [chainHash],
    handlers: { routing: sync },
    logger,
    // Gossip peers over the Internet (or a loaded machine) can stall for seconds: 10 ticks of patience.
    limits: { handshakeTimeoutTicks: 10, pingTimeoutTicks: 10 },
  }));
  // The sync forwards accepted gossip to the other peers on each tick (rate-limited per tick).
  const timers = startTimers(peers, { tickMs: 1000, alsoTick: [sync] });

  // Ready once a first sync finished (or a saved graph was loaded): routes are served from then on.
  // A sync that starts and ends between two polls still counts (syncsCompleted is a counter, not a sample).
  let synced = loadedChannels > 0;
  const syncStatus = (): SyncStatus => {
    const p = sync.progress();
    if (p.syncsCompleted > 0 && !p.syncing && p.messagesPending === 0) synced = true;
    const state = synced ? 'synced' : p.syncing || p.syncsCompleted > 0 ? 'syncing' : 'starting';
    return { state, peers: peers.listPeers().length, channelsKnown: p.channelsKnown, pendingMessages: p.messagesPending };
  };
  const service = new GraphRoutingService(graph, { chainHash, scorer, syncStatus, nodes: () => rgsNodesFromGraph(graph) });
  // Statistics and RGS snapshots are cached per graph state: drop them when gossip changes it.
  let invalidateQueued = false;
  graph.onChange(() => {
    if (invalidateQueued) return;
    invalidateQueued = true;
    setTimeout(() => {
      invalidateQueued = false;
      service.invalidate();
    }, 1000).unref();
  });

  const stopped = { value: false };
  const dial = async (peer: PeerConfig, attempt = 0): Promise<void> => {
    if (stopped.value) return;
    try {
      await connect(peers, { host: peer.host, port: peer.port, theirNodeId: peer.nodeId });
      logger.log({ level: 'info', module: MODULE, message: 'connected to gossip peer', peer: toHex(peer.nodeId), fields: { host: peer.host, port: peer.port } });
    } catch (e) {
      const delay = Math.min(60_000, 1000 * 2 ** attempt);
      logger.log({ level: 'warn', module: MODULE, message: 'cannot reach gossip peer, retrying', peer: toHex(peer.nodeId), fields: { error: String(e), retryMs: delay } });
      setTimeout(() => void dial(peer, attempt + 1), delay).unref();
    }
  };
  // Reconnect configured peers that dropped.
  const reconnect = setInterval(() => {
    const connected = new Set(peers.listPeers().map((p) => toHex(p.nodeId)));
    for (const peer of config.peers) if (!connected.has(toHex(peer.nodeId)) && peers.connectionCount < config.peers.length) void dial(peer);
  }, 15_000);
  reconnect.unref();
  for (const peer of config.peers) void dial(peer);

  const persist = async () => {
    const t = Date.now();
    await saveGraph(store, graph);
    await persistScorer(store, scorer);
    logger.log({ level: 'debug', module: MODULE, message: 'graph and scores saved', fields: { ms: Date.now() - t, channels: graph.liveChannelCount } });
  };
  const persistTimer = setInterval(() => void persist().catch((e) => logger.log({ level: 'error', module: MODULE, message: 'save failed', fields: { error: String(e) } })), config.persistIntervalSeconds * 1000);
  persistTimer.unref();
  const pruneTimer = setInterval(prune, PRUNE_INTERVAL_MS);
  pruneTimer.unref();

  const { app } = createHttpApp(service, { bodyLimit: config.bodyLimit, logger });
  await app.listen({ host: config.httpHost, port: config.httpPort });
  const address = app.server.address();
  const httpPort = typeof address === 'object' && address !== null ? address.port : config.httpPort;
  logger.log({ level: 'info', module: MODULE, message: 'serving', fields: { http: `http://${config.httpHost}:${httpPort}`, nodeId: toHex(peers.nodeId) } });

  return {
    nodeId: peers.nodeId,
    service,
    graph,
    sync,
    peers,
    http: app,
    httpPort,
    persist,
    async close() {
      stopped.value = true;
      clearInterval(reconnect);
      clearInterval(persistTimer);
      clearInterval(pruneTimer);
      timers.stop();
      await app.close();
      peers.disconnectAllPeers();
      await persist();
      await verifier.close?.();
    },
  };
}
