// The same block processing measured against LDK-WASM's ChainMonitor in the same
// run, at a monitor count LDK can be given here: its ChainMonitor only holds
// monitors its own ChannelManager made for real channels, so two LDK nodes open
// LDK_CHANNELS channels (default 40, 10 quick) on the in-process regtest chain,
// and our ChainMonitor holds the same number of monitors. The block: 2,000
// transactions, none relevant. LDK_PEER=0 skips it.
import native from 'secp256k1';
import { measure, measureAsync, quick, reportMeasurement, reportValue } from 'ln-bench';
import type { ChannelMonitorUpdate } from 'ln-chain-api';
import { createNativeSecp256k1Backend, sha256 } from 'ln-crypto';
import { LdkNode, RegtestChain as LdkChain, openConfirmedChannel } from 'ln-ldk-node';
import { MemoryKVStore, type Txid, channelIdFromFunding, outPoint } from 'ln-types';
import { type Block, type BlockTransaction, type Tx, blockHeaderHash, decodeBlock, encodeBlock, encodeTx, merkleRoot, txidOf } from 'ln-tx';
import { ChainMonitor, ChannelMonitor, KVStorePersister, decodeMonitorState } from '../src/index.js';
import { ChannelSim } from '../test/support/channel-sim.js';
import { RegtestChain } from '../test/support/regtest-chain.js';

if (process.env.LDK_PEER === '0') process.exit(0);

const PKG = 'ln-monitor';
const K = Number(process.env.LDK_CHANNELS ?? (quick ? 10 : 40));
const BLOCK_TXS = 2000;
const backend = createNativeSecp256k1Backend(native);

function randomTx(i: number): Tx {
  const seed = sha256(Uint8Array.of(i & 0xff, (i >> 8) & 0xff, (i >> 16) & 0xff, 0x43));
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
const txs = Array.from({ length: BLOCK_TXS }, (_, i) => randomTx(i));
const transactions: BlockTransaction[] = txs.map((tx, index) => {
  const raw = encodeTx(tx);
  return { index, txid: txidOf(tx), wtxid: sha256(raw), tx, raw };
});

// ---------- LDK: two nodes, K channels ----------
const setup = performance.now();
const lchain = LdkChain.create({ blocks: 101 });
const alice = await LdkNode.create({ name: 'alice', chain: lchain, log: { minLevel: 'WARN' } });
const bob = await LdkNode.create({ name: 'bob', chain: lchain, log: { minLevel: 'WARN' } });
for (let i = 0; i < K; i++) lchain.fund(alice.wallet.newScript(), 300_000n);
lchain.mine(1);
await alice.waitUntil(() => alice.bestBlock.height === lchain.height, 20_000, 'the funding block');
await alice.connectInProcess(bob);
// one at a time (LDK refuses a peer's channels piling up unfunded)
for (let i = 0; i < K; i++) await openConfirmedChannel(lchain, alice, bob, 200_000n, { timeoutMs: 60_000 });
reportValue(PKG, `LDK-WASM: open ${K} channels for the comparison`, performance.now() - setup, 'ms');

const prev = lchain.tip;
const header = { version: 0x20000000, prevBlockHash: new Uint8Array(32) as Block['hash'], merkleRoot: merkleRoot(transactions.map((t) => t.txid)), time: 1_700_000_000, bits: 0x207fffff, nonce: 0 };
const raw = encodeBlock(header, transactions.map((t) => t.raw));
let ldkHeight = prev.height + 10;
const listen = alice.chainMonitor.as_Listen();
const options = quick ? { runs: 3, minRunMs: 300, warmupMs: 100 } : { runs: 5, minRunMs: 1500, warmupMs: 500 };
const ldk = measure(() => listen.block_connected(raw, ++ldkHeight), options);

// ---------- ours: K monitors ----------
const chain = new RegtestChain();
const sim = await ChannelSim.open(chain, { format: 'anchors' });
const updates: ChannelMonitorUpdate[] = [...(await sim.advance({ ...sim.state, aMsat: sim.state.aMsat - 1000n, bMsat: sim.state.bMsat + 1000n })).forA];
const fees = { getEstSatPer1000Weight: () => 1000 };
const ours = new ChainMonitor({ signerProvider: sim.a, broadcaster: { broadcastTransactions: () => undefined }, feeEstimator: fees, persister: new KVStorePersister(new MemoryKVStore()), backend });
ours.watchChannel(sim.newMonitor('A', { blockHash: chain.tip.hash, height: chain.height }, await sim.a.getDestinationScript(sim.keysIdA)));
for (const u of updates) ours.updateChannel(u);
const template = ours.getMonitor(sim.channelId)!.serialize();
for (let i = 1; i < K; i++) {
  const state = decodeMonitorState(template);
  const funding = outPoint(sha256(Uint8Array.of(i & 0xff, i >> 8, 0x78)) as Txid, 0);
  ours.loadMonitor(ChannelMonitor.fromState({ ...state, channelId: channelIdFromFunding(funding), parameters: { ...state.parameters, fundingOutpoint: funding } }, ours.channelMonitorOptions));
}
const block: Block = { header: { ...header, prevBlockHash: chain.tip.hash }, hash: blockHeaderHash({ ...header, prevBlockHash: chain.tip.hash }), transactions };
let height = chain.height;
// LDK parses the block's bytes itself: ours decodes them too here (txids included)
const rawOurs = encodeBlock(block.header, transactions.map((t) => t.raw));
const ourRate = await measureAsync(async () => {
  height++;
  await ours.blockConnected(decodeBlock(rawOurs), height);
}, options);
reportMeasurement(PKG, `ChainMonitor: ${BLOCK_TXS}-tx block from bytes, none relevant, ${K} monitors`, ourRate, 'blocks/s', { name: 'ldk-wasm', measurement: ldk });
// and from a block already decoded (a sync driver decodes it once for all its listeners)
const decodedRate = await measureAsync(async () => {
  height++;
  await ours.blockConnected(block, height);
}, options);
reportMeasurement(PKG, `ChainMonitor: ${BLOCK_TXS}-tx block decoded once, none relevant, ${K} monitors`, decodedRate, 'blocks/s', { name: 'ldk-wasm', measurement: ldk });
reportMeasurement(PKG, `LDK-WASM ChainMonitor: ${BLOCK_TXS}-tx block, none relevant, ${K} monitors`, ldk, 'blocks/s');
await alice.stop();
await bob.stop();
