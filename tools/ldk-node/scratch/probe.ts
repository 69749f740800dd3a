import { equalBytes, toHex } from 'ln-types';
import { LdkNode, RegtestChain, fundNode, openConfirmedChannel } from '../src/index.js';
const chain = RegtestChain.create();
const a = await LdkNode.create({ name: 'A', chain, log: { gossip: true } });
const b = await LdkNode.create({ name: 'B', chain, channelOptions: { forwardingFeeBaseMsat: 1_000, forwardingFeeProportionalMillionths: 100 } });
const c = await LdkNode.create({ name: 'C', chain });
await fundNode(chain, a, 2_000_000n); await fundNode(chain, b, 2_000_000n);
await a.connectInProcess(b); await b.connectInProcess(c);
await openConfirmedChannel(chain, a, b, 1_000_000n, { pushMsat: 200_000_000n });
await openConfirmedChannel(chain, b, c, 1_000_000n, { announce: true, pushMsat: 200_000_000n });
await a.waitUntil(() => a.graphChannels().length > 0, 20_000, 'gossip');
c.broadcastNodeAnnouncement(); b.broadcastNodeAnnouncement();
await a.waitUntil(() => a.knowsNodeAnnouncement(c.nodeId), 20_000, 'C announcement');
{
  const view = a.networkGraph.read_only();
  const scid = view.list_channels()[0]!;
  const ch = view.channel(scid);
  const d1 = ch.get_one_to_two(); const d2 = ch.get_two_to_one();
  console.log('node_one is', toHex(ch.get_node_one().as_slice()) === toHex(b.nodeId) ? 'B' : 'C');
  console.log('dirs', d1 === null || (d1 as any).ptr === 0n ? 'none' : 'one_to_two', d2 === null || (d2 as any).ptr === 0n ? 'none' : 'two_to_one');
  view.free();
}
try { const k = a.keysend(c.nodeId, 1_000_000n); console.log('keysend', (await a.paymentOutcome(k.paymentId)).kind); } catch (e) { console.log('keysend failed', (e as Error).message); }
for (let i = 0; i < 3; i++) {
  try { const probes = a.sendProbe(c.nodeId, 1_000_000n); console.log('probe ok', probes.length); await a.waitFor('ProbeSuccessful'); }
  catch (e) { console.log('probe failed', (e as Error).message); console.log(a.log.lines.slice(-15).filter(l => !l.message.startsWith('Enqueueing')).map(l => l.level + ' ' + l.message.slice(0, 300)).join('\n')); }
}
console.log('UPD', a.log.lines.filter(l => /ChannelUpdate|channel_update|ChannelAnnouncement/i.test(l.message)).map(l => l.level + ' ' + l.message.slice(0, 220)).join('\n'));
console.log('BUPD', b.log.lines.filter(l => /Broadcast|channel_update/i.test(l.message)).map(l => l.level + ' ' + l.message.slice(0, 220)).join('\n'));
await a.stop(); await b.stop(); await c.stop();
