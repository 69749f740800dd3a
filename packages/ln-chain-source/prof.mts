import { BitcoindRpcClient, BitcoindRestClient, EsploraClient, BlockSync } from './src/index.ts';
import { TestChain, makeTx, randomOutPoint, P2WPKH } from './test/helpers/chain.ts';
import { FakeServer } from './test/helpers/fake-server.ts';
import { blockHash } from 'ln-types';
const N = Number(process.env.N ?? 300);
const chain = new TestChain();
let t0 = performance.now();
chain.mine(N, (h) => Array.from({ length: 99 }, (_, i) => makeTx({ inputs: [randomOutPoint()], outputs: [{ script: P2WPKH(i), amount: 1000n }, { script: P2WPKH(i+1), amount: 2000n }], witness: true })));
console.log('built', performance.now() - t0, 'bytes/block', chain.tip.raw.length);
const s = await FakeServer.start(chain);
for (const [name, src] of [['rpc', new BitcoindRpcClient({ url: s.url })], ['rest', new BitcoindRestClient({ url: s.url })], ['esplora', new EsploraClient({ url: s.esploraUrl })]] as const) {
  const sync = new BlockSync(src, { network: 'regtest' });
  let n = 0;
  sync.addListener({ blockConnected: () => { n++; }, blockDisconnected: () => {} }, { blockHash: chain.genesis.hash, height: 0 });
  t0 = performance.now();
  await sync.poll();
  const ms = performance.now() - t0;
  console.log(name, n, 'blocks', ms.toFixed(0), 'ms', (n / ms * 1000).toFixed(0), 'blocks/s');
}
await s.close();
