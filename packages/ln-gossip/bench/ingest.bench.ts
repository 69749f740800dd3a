// Ingest of mainnet-size signed gossip (generated from the 2026-02-03 mainnet
// topology with fresh keys): (a) noble in this thread, (b) noble on 2 worker
// threads, (c) native libsecp256k1 on 2 workers, plus native in this thread to
// show the share of time outside signature checks; heap of the loaded graph;
// save and load time. BENCH_QUICK=1 runs a 300-channel subset;
// GOSSIP_BENCH_CHANNELS=n picks any size (default: the whole graph);
// GOSSIP_BENCH_MODES=c,d runs only some modes (noble on the whole graph takes minutes).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { measure, quick, reportMeasurement, reportValue, timeRuns, type Measurement } from 'ln-bench';
import { utxoFound, utxoMissing, type UtxoLookup } from 'ln-chain-api';
import { nobleSecp256k1 } from 'ln-crypto';
import { allMessages, fastestBackend, generateGossip, packMessages, subgraph, unpackMessages } from 'ln-gossip-generator';
import { loadMainnetGraph } from 'ln-mainnet-graph';
import { CHAIN_HASHES } from 'ln-types';
import { decodeMessage, type ChannelAnnouncementMessage } from 'ln-wire';
import { backendVerifier, deserializeGraph, fundingScript, GossipIngest, NetworkGraph, serializeGraph, type GossipVerifier } from '../src/index.js';
import { WorkerPoolVerifier } from '../src/node/index.js';

const PKG = 'ln-gossip';
const mainnet = loadMainnetGraph();
const channels = Number(process.env.GOSSIP_BENCH_CHANNELS ?? (quick ? 300 : mainnet.channels.length));
const topology = channels >= mainnet.channels.length ? mainnet : subgraph(mainnet, channels);
const TIMESTAMP = 1_770_076_800;

// Generating signs ~322,000 messages for the whole graph: cache the result.
const cache = join(tmpdir(), `ln-gossip-bench-${topology.channels.length}-v1.bin`);
let messages: Uint8Array[];
if (existsSync(cache)) {
  messages = unpackMessages(new Uint8Array(readFileSync(cache)));
} else {
  const t = performance.now();
  messages = allMessages(generateGossip(topology, { backend: fastestBackend(), timestamp: TIMESTAMP }));
  console.error(`generated ${messages.length} messages in ${((performance.now() - t) / 1000).toFixed(1)} s (cached in ${cache})`);
  writeFileSync(cache, packMessages(messages));
}
const announcements = messages.filter((m) => m[0] === 1 && m[1] === 0).map((m) => decodeMessage(m) as ChannelAnnouncementMessage);
const capacityByScid = new Map(topology.channels.map((c) => [c.shortChannelId as bigint, c.capacitySat]));
const outputs = new Map(announcements.map((a) => [a.shortChannelId as bigint, { script: fundingScript(a.bitcoinKey1, a.bitcoinKey2), valueSat: capacityByScid.get(a.shortChannelId)! }]));
const utxoLookup: UtxoLookup = { getUtxo: (_c, scid) => (outputs.has(scid) ? utxoFound(outputs.get(scid)!) : utxoMissing('unknown_tx')) };
const signatures = announcements.length * 4 + (messages.length - announcements.length);
reportValue(PKG, `generated gossip: messages (${topology.channels.length} channels)`, messages.length, 'msgs');
reportValue(PKG, 'generated gossip: signatures', signatures, 'sigs');

/** Wraps a verifier to add up the time spent inside it (in-thread verifiers only). */
function timed(v: GossipVerifier): { verifier: GossipVerifier; spent: () => number } {
  let spent = 0;
  return {
    verifier: {
      verify(batch) {
        const t = performance.now();
        const out = v.verify(batch);
        spent += performance.now() - t;
        return out;
      },
    },
    spent: () => spent,
  };
}

let lastGraph: NetworkGraph | undefined;
async function ingestOnce(verifier: GossipVerifier): Promise<void> {
  const ingest = new GossipIngest(new NetworkGraph(CHAIN_HASHES.bitcoin), { clock: () => TIMESTAMP, verifier, utxoLookup });
  const outcomes = await ingest.ingest(messages);
  const bad = outcomes.filter((o) => o.status !== 'applied').length;
  if (bad > 0) throw new Error(`${bad} messages not applied`);
  lastGraph = ingest.graph;
}

const msgsPerSec = (m: Measurement): Measurement => {
  const rates = m.opsPerSec.map((ms) => (messages.length * 1000) / ms);
  return { ...m, opsPerSec: rates, median: (messages.length * 1000) / m.median, min: Math.min(...rates), max: Math.max(...rates) };
};

const modes = new Set((process.env.GOSSIP_BENCH_MODES ?? 'a,b,c,d').split(','));
const require = createRequire(import.meta.url);
const nativeUrl = pathToFileURL(require.resolve('secp256k1')).href;

let timeA: Measurement | undefined;
const vsA = () => (timeA === undefined ? undefined : { name: '(a) noble 1 thread', measurement: timeA, higherIsBetter: false });

if (modes.has('a')) {
  // (a) noble, one thread (the default).
  const a = timed(backendVerifier(nobleSecp256k1));
  timeA = await timeRuns(() => ingestOnce(a.verifier), 1);
  reportMeasurement(PKG, '(a) ingest, noble, 1 thread', timeA, 'ms');
  reportMeasurement(PKG, '(a) ingest rate, noble, 1 thread', msgsPerSec(timeA), 'msg/s');
  reportValue(PKG, '(a) share of time outside signature checks', (1 - a.spent() / timeA.median) * 100, '%');
}

if (modes.has('b')) {
  // (b) noble on two worker threads.
  const pool = new WorkerPoolVerifier({ threads: 2, backend: { kind: 'noble' } });
  await pool.ready();
  const t = await timeRuns(() => ingestOnce(pool), 1);
  await pool.close();
  reportMeasurement(PKG, '(b) ingest, noble, 2 workers', t, 'ms', vsA());
  reportMeasurement(PKG, '(b) ingest rate, noble, 2 workers', msgsPerSec(t), 'msg/s');
}

if (modes.has('c')) {
  // (c) native libsecp256k1 on two worker threads.
  const pool = new WorkerPoolVerifier({ threads: 2, backend: { kind: 'secp256k1', moduleUrl: nativeUrl } });
  await pool.ready();
  const t = await timeRuns(() => ingestOnce(pool));
  await pool.close();
  reportMeasurement(PKG, '(c) ingest, native secp256k1, 2 workers', t, 'ms', vsA());
  reportMeasurement(PKG, '(c) ingest rate, native secp256k1, 2 workers', msgsPerSec(t), 'msg/s');
}

if (modes.has('d') || lastGraph === undefined) {
  // Native in this thread: where the time goes when verification is fast.
  const d = timed(backendVerifier(fastestBackend()));
  const t = await timeRuns(() => ingestOnce(d.verifier), 1);
  reportMeasurement(PKG, '(d) ingest, native secp256k1, 1 thread', t, 'ms');
  reportValue(PKG, '(d) share of time outside signature checks', (1 - d.spent() / t.median) * 100, '%');
}

// Heap of the loaded graph, save and load.
const bytes = serializeGraph(lastGraph!);
lastGraph = undefined;
reportValue(PKG, 'serialized graph size', bytes.length, 'bytes');
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const settle = async () => {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 20));
  }
};
// Measured as what is freed when the loaded graph is dropped (robust to unrelated garbage).
let loaded: NetworkGraph | undefined = deserializeGraph(bytes);
await settle();
const held = process.memoryUsage();
const channelsLoaded = loaded.liveChannelCount;
loaded = undefined;
await settle();
const freed = process.memoryUsage();
reportValue(PKG, 'loaded graph: JS heap', held.heapUsed - freed.heapUsed, 'bytes');
reportValue(PKG, 'loaded graph: heap + array buffers', held.heapUsed - freed.heapUsed + (held.arrayBuffers - freed.arrayBuffers), 'bytes');
reportValue(PKG, 'loaded graph: channels', channelsLoaded, 'channels');
const save = measure(() => serializeGraph(deserializeGraph(bytes)), { runs: quick ? 3 : 5 });
const load = measure(() => deserializeGraph(bytes), { runs: quick ? 3 : 5 });
reportValue(PKG, 'load saved graph', 1000 / load.median, 'ms');
reportValue(PKG, 'load + save graph', 1000 / save.median, 'ms');
