import { BitcoindRestClient, BlockSync } from './src/index.ts';
import { TestChain, makeTx, randomOutPoint, P2WPKH } from './test/helpers/chain.ts';
import { FakeServer } from './test/helpers/fake-server.ts';
const N = 300;
const chain = new TestChain();
chain.mine(N, (h) => Array.from({ length: 99 }, (_, i) => makeTx({ inputs: [randomOutPoint()], outputs: [{ script: P2WPKH(i), amount: 1000n }, { script: P2WPKH(i+1), amount: 2000n }], witness: true })));
const s = await FakeServer.start(chain);
console.profile?.();
for (let r = 0; r < 3; r++) {
  const sync = new BlockSync(new BitcoindRestClient({ url: s.url }), { network: 'regtest' });
  sync.addListener({ blockConnected: () => {}, blockDisconnected: () => {} }, { blockHash: chain.genesis.hash, height: 0 });
  const t0 = performance.now(); await sync.poll(); console.log((N / (performance.now() - t0) * 1000).toFixed(0), 'blocks/s');
}
await s.close();
