// ChainMonitor block processing and monitor-update persistence.
//
// 1. Blocks per second through a ChainMonitor holding 1,000 monitors: a block of
//    2,000 transactions none of which concerns them; and the same block carrying
//    a revoked commitment of one of them (justice built, signed and broadcast;
//    the block is then disconnected so the next run punishes again).
// 2. Monitor updates persisted per second with the filesystem store (fsync):
//    updateChannel until the update is durable (update_completed), through the
//    KVStore persister (updates written alone, the monitor rewritten every 100).
//
// The 999 other monitors are copies of one channel's monitor state under other
// funding outpoints (ChannelMonitor.fromState), so setting them up costs no
// signatures. LDK-WASM is not measured: its ChainMonitor only holds monitors
// made by its own ChannelManager from real channels with a peer, and 1,000 such
// channels cannot be opened in a benchmark run.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import native from 'secp256k1';
import { measureAsync, quick, reportMeasurement, reportValue } from 'ln-bench';
import type { ChannelMonitorUpdate, MonitorEvent } from 'ln-chain-api';
import { createNativeSecp256k1Backend, sha256 } from 'ln-crypto';
import { FilesystemStore } from 'ln-store';
import { MemoryKVStore, type Txid, channelIdFromFunding, outPoint, toHex } from 'ln-types';
import { type Block, type BlockTransaction, type Tx, blockHeaderHash, encodeTx, merkleRoot, txidOf } from 'ln-tx';
import { ChainMonitor, ChannelMonitor, KVStorePersister, decodeMonitorState } from '../src/index.js';
import { ChannelSim } from '../test/support/channel-sim.js';
import { RegtestChain } from '../test/support/regtest-chain.js';

const PKG = 'ln-monitor';
const backend = createNativeSecp256k1Backend(native);
const MONITORS = 1000;
const BLOCK_TXS = 2000;
const fees = { getEstSatPer1000Weight: () => 1000 };
const silentBroadcaster = { broadcastTransactions: () => undefined };

function randomTx(i: number): Tx {
  const seed = sha256(Uint8Array.of(i & 0xff, (i >> 8) & 0xff, (i >> 16) & 0xff, 0x42));
  return {
    version: 2,
    locktime: 0,
    inputs: [{ previousOutput: outPoint(seed as Txid, i % 3), sequence: 0xfffffffd, witness: [new Uint8Array(72), new Uint8Array(33)] }],
    outputs: [
      { script: Uint8Array.of(0x00, 0x14, ...seed.subarray(0, 20)), amount: 50_000n },
      { script: Uint8Array.of(0x00, 0x14, ...seed.subarray(12, 32)), amount: 12_345n },
    ],
  };
}

function blockOf(txs: Tx[], prev: Block['hash']): Block {
  const transactions: BlockTransaction[] = txs.map((tx, index) => {
    const raw = encodeTx(tx);
    return { index, txid: txidOf(tx), wtxid: sha256(raw), tx, raw };
  });
  const header = { version: 0x20000000, prevBlockHash: prev, merkleRoot: merkleRoot(transactions.map((t) => t.txid)), time: 1_700_000_000, bits: 0x207fffff, nonce: 0 };
  return { header, hash: blockHeaderHash(header), transactions };
}

// ---------- one real channel, with revoked commitments ----------
const chain = new RegtestChain();
const sim = await ChannelSim.open(chain, { format: 'anchors' });
const h1 = sim.htlc('A', 9_000_000n, 500_000);
const h2 = sim.htlc('B', 8_000_000n, 500_010);
const setupUpdates: ChannelMonitorUpdate[] = [...(await sim.advance(sim.withHtlcs(h1, h2))).forA];
setupUpdates.push(...(await sim.advance({ ...sim.state, aMsat: sim.state.aMsat - 1000n, bMsat: sim.state.bMsat + 1000n })).forA);
const cheat = await sim.signedCommitment('B', 1n);

let justiceTxs = 0;
const counting = { broadcastTransactions: (txs: readonly Tx[]) => (justiceTxs += txs.length) };
const chainMonitor = new ChainMonitor({ signerProvider: sim.a, broadcaster: counting, feeEstimator: fees, persister: new KVStorePersister(new MemoryKVStore()), backend });
const destination = await sim.a.getDestinationScript(sim.keysIdA);
chainMonitor.watchChannel(sim.newMonitor('A', { blockHash: chain.tip.hash, height: chain.height }, destination));
for (const u of setupUpdates) chainMonitor.updateChannel(u);
const template = chainMonitor.getMonitor(sim.channelId)!.serialize();

// ---------- 999 more monitors from the same state under other funding outpoints ----------
const setupStart = performance.now();
for (let i = 1; i < MONITORS; i++) {
  const state = decodeMonitorState(template);
  const funding = outPoint(sha256(Uint8Array.of(i & 0xff, i >> 8, 0x77)) as Txid, i % 4);
  const copy = { ...state, channelId: channelIdFromFunding(funding), parameters: { ...state.parameters, fundingOutpoint: funding } };
  chainMonitor.loadMonitor(ChannelMonitor.fromState(copy, chainMonitor.channelMonitorOptions));
}
reportValue(PKG, `load ${MONITORS} monitors from state`, performance.now() - setupStart, 'ms');

const irrelevant = Array.from({ length: BLOCK_TXS }, (_, i) => randomTx(i));
let height = chain.height;
let prev = chain.tip.hash;
const plain = blockOf(irrelevant, prev);
const measureOptions = quick ? { runs: 3, minRunMs: 300, warmupMs: 100 } : { runs: 5, minRunMs: 1500, warmupMs: 500 };
const irrelevantRate = await measureAsync(async () => {
  height++;
  await chainMonitor.blockConnected(plain, height);
}, measureOptions);
reportMeasurement(PKG, `ChainMonitor: ${BLOCK_TXS}-tx block, none relevant, ${MONITORS} monitors`, irrelevantRate, 'blocks/s');

const withCheat = blockOf([...irrelevant.slice(0, BLOCK_TXS - 1), cheat], prev);
justiceTxs = 0;
const cheatRate = await measureAsync(async () => {
  height++;
  await chainMonitor.blockConnected(withCheat, height);
  await chainMonitor.whenIdle();
  await chainMonitor.blockDisconnected(withCheat.header, height);
  height--;
}, measureOptions);
reportMeasurement(PKG, `ChainMonitor: ${BLOCK_TXS}-tx block with a revoked commitment, ${MONITORS} monitors (justice signed)`, cheatRate, 'blocks/s');
if (justiceTxs === 0) throw new Error('no justice transaction was broadcast');
void prev;
prev = withCheat.hash;

// ---------- monitor updates persisted per second, filesystem store ----------
const updatesNeeded = quick ? 60 : 300;
const psim = await ChannelSim.open(chain, { format: 'anchors', seed: 9 });
const updates: ChannelMonitorUpdate[] = [];
while (updates.length < updatesNeeded) {
  const h = psim.htlc(updates.length % 2 === 0 ? 'A' : 'B', 1_000_000n, 600_000 + updates.length);
  updates.push(...(await psim.advance(psim.withHtlcs(h))).forA);
  updates.push(...(await psim.advance(psim.settled(h, true))).forA);
}
for (const durable of [true, false]) {
  const store = new FilesystemStore(mkdtempSync(join(tmpdir(), 'ln-monitor-bench-')), { durable });
  const persisted = new ChainMonitor({ signerProvider: psim.a, broadcaster: silentBroadcaster, feeEstimator: fees, persister: new KVStorePersister(store), backend });
  let completed: (e: MonitorEvent) => void = () => undefined;
  persisted.notifier.subscribe(() => {
    for (const e of persisted.releasePendingMonitorEvents()) completed(e);
  });
  const done = (id: bigint) => new Promise<void>((resolve) => (completed = (e) => e.kind === 'update_completed' && e.updateId >= id && resolve()));
  let wait = done(0n);
  persisted.watchChannel(psim.newMonitor('A', { blockHash: chain.tip.hash, height: chain.height }, destination));
  await wait;
  const start = performance.now();
  for (const u of updates) {
    wait = done(u.updateId);
    const status = persisted.updateChannel(u);
    if (status !== 'in_progress' && status !== 'completed') throw new Error(`update refused: ${persisted.lastError?.message}`);
    if (status === 'in_progress') await wait;
  }
  const seconds = (performance.now() - start) / 1000;
  const rate = updates.length / seconds;
  reportMeasurement(PKG, `monitor updates persisted (FilesystemStore, ${durable ? 'fsync' : 'no fsync'}, signatures checked)`, { opsPerSec: [rate], median: rate, min: rate, max: rate, n: updates.length }, 'updates/s');
}
console.error(`justice transactions broadcast: ${justiceTxs}; last block ${toHex(prev).slice(0, 16)}`);
