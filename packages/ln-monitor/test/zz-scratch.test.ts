import { outPoint, toHex } from 'ln-types';
import { txidOf, type Tx } from 'ln-tx';
import type { OutPoint } from 'ln-types';
import { MonitorNode } from './support/harness.js';
function spends(tx: Tx, o: OutPoint): boolean {
  return tx.inputs.some((i) => i.previousOutput.index === o.index && toHex(i.previousOutput.txid) === toHex(o.txid));
}
let t = performance.now();

import { it } from '@jest/globals';
it('scratch', async () => {
let t = performance.now();
const lap = (what: string) => { const n = performance.now(); console.log(what, (n - t).toFixed(0)); t = n; };
const node = await MonitorNode.start({ format: 'static_remotekey' });
lap('start');
const { sim, chain } = node;
const a = sim.htlc('A', 9_000_000n, chain.height + 200);
const b = sim.htlc('B', 8_000_000n, chain.height + 210);
await node.apply((await sim.advance(sim.withHtlcs(a, b))).forA);
await node.apply((await sim.advance({ ...sim.state, aMsat: sim.state.aMsat - 1000n, bMsat: sim.state.bMsat + 1000n })).forA);
lap('updates');
const cheat = await sim.signedCommitment('B', 1n);
chain.submit([cheat]);
lap('submit cheat');
await node.mine(1);
lap('mine1');
await node.mine(1);
lap('mine2');
const toLocal = outPoint(txidOf(cheat), sim.built('B', 1n).outputs.findIndex((o) => o.kind === 'to_local'));
for (let i = 0; i < 3; i++) { await node.mine(1); lap('mine'); }
await chain.reorg(2, (tx) => spends(tx, toLocal));
lap('reorg2');
await node.settle();
lap('settle');
await node.mine(1);
lap('mine after');
});
