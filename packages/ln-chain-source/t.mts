import { TestChain, makeTx, randomOutPoint, P2WPKH } from './test/helpers/chain.ts';
import { checkedBlock } from './src/verify/checked.ts';
import { decodeTx, txidOfRaw } from 'ln-tx';
import { sha256d } from 'ln-crypto';
const chain = new TestChain();
chain.mine(50, (h) => Array.from({ length: 99 }, (_, i) => makeTx({ inputs: [randomOutPoint()], outputs: [{ script: P2WPKH(i), amount: 1000n }], witness: true })));
const blocks = chain.best.slice(1);
const raws = blocks.flatMap(b => b.block.transactions.map(t => t.raw));
for (let r = 0; r < 3; r++) {
  let t = performance.now(); for (const b of blocks) checkedBlock(b.raw, b.hash); const a = performance.now() - t;
  t = performance.now(); for (const x of raws) decodeTx(x); const d = performance.now() - t;
  t = performance.now(); for (const x of raws) { sha256d(x); txidOfRaw(x); } const h = performance.now() - t;
  console.log('per block ms: checkedBlock', (a / 50).toFixed(2), 'decodeTx x100', (d / 50).toFixed(2), 'wtxid+txid x100', (h / 50).toFixed(2));
}
