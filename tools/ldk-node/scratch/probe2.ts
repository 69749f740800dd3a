import { LdkNode, RegtestChain, fundNode, openConfirmedChannel } from '../src/index.js';
for (let run = 0; run < 3; run++) {
const chain = RegtestChain.create();
const a = await LdkNode.create({ name: 'A', chain });
const b = await LdkNode.create({ name: 'B', chain });
const c = await LdkNode.create({ name: 'C', chain });
await fundNode(chain, a, 2_000_000n); await fundNode(chain, b, 2_000_000n);
await a.connectInProcess(b); await b.connectInProcess(c); await a.connectInProcess(c);
await openConfirmedChannel(chain, a, b, 1_000_000n, { pushMsat: 200_000_000n });
const { ours } = await openConfirmedChannel(chain, b, c, 1_000_000n, { announce: true, pushMsat: 200_000_000n });
const t = Date.now();
try {
  await a.waitUntil(() => { const g = a.graphChannel(ours.shortChannelId!); return g !== undefined && g.oneToTwo && g.twoToOne; }, 15_000, 'both directions');
  console.log('both after', Date.now() - t);
} catch { const s = (g: any) => g === undefined ? 'none' : [g.oneToTwo, g.twoToOne].join('/'); const n1 = a.graphChannel(ours.shortChannelId!)!.nodeOne[1] === b.nodeId[1] ? 'B' : 'C'; console.log('missing: node_one', n1, 'A', s(a.graphChannel(ours.shortChannelId!)), 'B', s(b.graphChannel(ours.shortChannelId!)), 'C', s(c.graphChannel(ours.shortChannelId!))); }
await a.stop(); await b.stop(); await c.stop();
}
