// Blocks connected per second through BlockSync from the ln-regtest server
// (in this process), 1,000 blocks of 100 transactions each (100 with
// BENCH_QUICK=1), over bitcoind JSON-RPC, REST and Esplora. The peer, measured
// in the same run over the same server: the poller a JavaScript developer
// would write with bitcoinjs-lib (hash by height, then the block, decoded and
// checked with Block.fromBuffer, checkTxRoots and checkProofOfWork, linked to
// the previous one). Also the checking of one block alone, ours against
// bitcoinjs-lib's.
import { Block as BitcoinjsBlock } from 'bitcoinjs-lib';
import type { Listen } from 'ln-chain-api';
import { type Measurement, measure, median, quick, reportMeasurement } from 'ln-bench';
import { startRegtest } from 'ln-regtest';
import { blockHashFromHex, toHex } from 'ln-types';
import { BitcoindRestClient, BitcoindRpcClient, BlockSync, EsploraClient, checkedBlock } from '../src/index.js';
import { buildChain } from './chain-fixture.js';

const PKG = 'ln-chain-source';
const BLOCKS = Number(process.env.BENCH_SYNC_BLOCKS ?? (quick ? 100 : 1000));
const TXS = 99; // plus the coinbase: 100 transactions a block
const RUNS = quick ? 1 : 3;

const rt = await startRegtest({ port: 0 });
const setupStart = performance.now();
const start = buildChain(rt, BLOCKS, TXS);
const tip = rt.node.height;
console.error(`chain: ${tip - start} blocks of ${TXS + 1} transactions built through ln-regtest in ${((performance.now() - setupStart) / 1000).toFixed(1)} s`);
const startHash = blockHashFromHex(rt.node.chain.atHeight(start)!.hashHex);
const auth = `Basic ${btoa(`${rt.credentials.user}:${rt.credentials.password}`)}`;
const base = rt.rpcUrl.replace(/\/$/, '');

function rates(ms: number[], blocks: number): Measurement {
  const opsPerSec = ms.map((t) => (blocks * 1000) / t);
  return { opsPerSec, median: median(opsPerSec), min: Math.min(...opsPerSec), max: Math.max(...opsPerSec), n: blocks * ms.length };
}

// Ours and the peer's runs alternate, so a change of load on a shared machine
// falls on both alike.
async function timedPair(a: () => Promise<number>, b: () => Promise<number>): Promise<[number[], number[]]> {
  await a(); // warm-up runs: JIT, connections
  await b();
  const ta: number[] = [];
  const tb: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    for (const [fn, out] of [
      [a, ta],
      [b, tb],
    ] as const) {
      const t0 = performance.now();
      const connected = await fn();
      out.push(performance.now() - t0);
      if (connected !== tip - start) throw new Error(`connected ${connected} blocks, expected ${tip - start}`);
    }
  }
  return [ta, tb];
}

// ---- ours ----

const sources = {
  rpc: () => new BitcoindRpcClient({ url: rt.rpcUrl, auth: rt.credentials }),
  rest: () => new BitcoindRestClient({ url: base }),
  esplora: () => new EsploraClient({ url: rt.esploraUrl }),
};

async function ourSync(kind: keyof typeof sources): Promise<number> {
  let connected = 0;
  let transactions = 0;
  const listener: Listen = {
    blockConnected: (block) => {
      connected++;
      transactions += block.transactions.length;
    },
    blockDisconnected: () => {},
  };
  const sync = new BlockSync(sources[kind](), { network: 'regtest' });
  sync.addListener(listener, { blockHash: startHash, height: start });
  await sync.poll();
  if (transactions !== connected * (TXS + 1)) throw new Error('transactions missing');
  return connected;
}

// ---- the peer: a bitcoinjs-lib poller ----

async function rpcCall(method: string, params: unknown[]): Promise<unknown> {
  const res = await fetch(base, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '1.0', id: 1, method, params }) });
  const json = (await res.json()) as { result: unknown; error: unknown };
  if (json.error !== null) throw new Error(JSON.stringify(json.error));
  return json.result;
}

const peerFetch = {
  rpc: async (height: number) => {
    const hash = (await rpcCall('getblockhash', [height])) as string;
    return BitcoinjsBlock.fromHex((await rpcCall('getblock', [hash, 0])) as string);
  },
  rest: async (height: number) => {
    const { blockhash } = (await (await fetch(`${base}/rest/blockhashbyheight/${height}.json`)).json()) as { blockhash: string };
    return BitcoinjsBlock.fromBuffer(Buffer.from(await (await fetch(`${base}/rest/block/${blockhash}.bin`)).arrayBuffer()));
  },
  esplora: async (height: number) => {
    const hash = await (await fetch(`${rt.esploraUrl}/block-height/${height}`)).text();
    return BitcoinjsBlock.fromBuffer(Buffer.from(await (await fetch(`${rt.esploraUrl}/block/${hash}/raw`)).arrayBuffer()));
  },
};

async function peerSync(kind: keyof typeof peerFetch): Promise<number> {
  let prev: Buffer = Buffer.from(startHash);
  let connected = 0;
  for (let h = start + 1; h <= tip; h++) {
    const block = await peerFetch[kind](h);
    if (!block.checkTxRoots() || !block.checkProofOfWork() || !block.prevHash!.equals(prev)) throw new Error(`bad block at ${h}`);
    prev = block.getHash();
    connected++;
  }
  return connected;
}

for (const kind of ['rpc', 'rest', 'esplora'] as const) {
  const [oursMs, peerMs] = await timedPair(
    () => ourSync(kind),
    () => peerSync(kind),
  );
  const ours = rates(oursMs, tip - start);
  const peer = rates(peerMs, tip - start);
  const label = { rpc: 'bitcoind JSON-RPC', rest: 'bitcoind REST', esplora: 'Esplora' }[kind];
  reportMeasurement(PKG, `blocks connected/s through BlockSync over ${label} (ln-regtest, ${tip - start} blocks of ${TXS + 1} txs)`, ours, 'blocks/s', { name: `bitcoinjs-lib poller over ${label}`, measurement: peer });
}

// ---- checking one block, without the network ----

const sample = rt.node.chain.atHeight(tip)!;
const raw = sample.raw;
const hash = blockHashFromHex(sample.hashHex);
const oursCheck = measure(() => checkedBlock(raw, hash));
const rawBuffer = Buffer.from(raw);
const peerCheck = measure(() => {
  const b = BitcoinjsBlock.fromBuffer(rawBuffer);
  if (!b.checkTxRoots() || !b.checkProofOfWork()) throw new Error('bad block');
});
reportMeasurement(PKG, `block decoded and checked (${TXS + 1} txs, ${raw.length} bytes)`, oursCheck, 'blocks/s', { name: 'bitcoinjs-lib Block.fromBuffer + checkTxRoots + checkProofOfWork', measurement: peerCheck });
console.error(`sample block ${toHex(hash.slice().reverse())}`);

await rt.close();
