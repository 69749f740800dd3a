import { TestChain, makeTx, randomOutPoint, P2WPKH } from './test/helpers/chain.ts';
import { checkedBlock } from './src/verify/checked.ts';
const N = 300;
const chain = new TestChain();
chain.mine(N, (h) => Array.from({ length: 99 }, (_, i) => makeTx({ inputs: [randomOutPoint()], outputs: [{ script: P2WPKH(i), amount: 1000n }, { script: P2WPKH(i+1), amount: 2000n }], witness: true })));
for (let r = 0; r < 5; r++) for (const b of chain.best.slice(1)) checkedBlock(b.raw, b.hash);
