// What the chain tells the payment logic: a preimage a monitor learned on
// chain (htlc_resolved) is claimed upstream, an HTLC resolved on chain
// without one is failed upstream, and a payment held unclaimed is failed
// back before its HTLCs' expiry.
import { describe, expect, it } from '@jest/globals';
import { sha256 } from 'ln-crypto';
import { equalBytes } from 'ln-types';
import { NO_RETRY } from '../../src/payments/index.js';
import { nativeSecp } from './helpers.js';
import { Mesh, ofKind } from './mesh.js';

async function line(): Promise<Mesh> {
  const mesh = new Mesh(3, { backend: nativeSecp });
  await mesh.open(0, 1, 2_000_000n);
  await mesh.open(1, 2, 2_000_000n);
  await mesh.mine(1);
  for (let i = 0; i < 3; i++) await mesh.drain(i);
  mesh.refreshGraph();
  return mesh;
}

describe('HTLCs resolved by the chain', () => {
  it('a preimage learned from the downstream monitor (htlc_resolved) is claimed upstream: PaymentForwarded, PaymentSent', async () => {
    const mesh = await line();
    const { invoice } = await mesh.nodes[2]!.manager.createInvoice({ amountMsat: 3_000_000n, description: 'on chain' });
    const hash = await mesh.nodes[0]!.manager.payInvoice(invoice, new Uint8Array(32).fill(1), NO_RETRY);
    await mesh.settle();
    const claimable = ofKind(await mesh.drain(2), 'payment_claimable')[0]!;
    // The payee does not claim over the channel: pretend it claimed on chain, as B's monitor would report.
    const b = mesh.nodes[1]!;
    const bc = b.manager.listChannels().find((c) => equalBytes(c.counterpartyNodeId, mesh.nodeId(2)))!;
    const offered = b.watch.view(bc.channelId).outboundHtlcs.find((h) => equalBytes(h.paymentHash, hash))!;
    expect(offered).toBeDefined();
    b.watch.pushEvent({ kind: 'htlc_resolved', channelId: bc.channelId, counterpartyNodeId: mesh.nodeId(2), source: offered.source, paymentHash: hash, amountMsat: offered.amountMsat, preimage: claimable.purpose.paymentPreimage! });
    b.manager.timerTickOccurred();
    await mesh.settle();
    const fwd = ofKind(await mesh.drain(1), 'payment_forwarded');
    expect(fwd).toHaveLength(1);
    expect(fwd[0]!.claimFromOnchainTx).toBe(true);
    const sent = ofKind(await mesh.drain(0), 'payment_sent');
    expect(sent).toHaveLength(1);
    expect(sha256(sent[0]!.paymentPreimage)).toEqual(hash);
    // The same resolution reported again (a replay after a restart): nothing happens twice.
    b.watch.pushEvent({ kind: 'htlc_resolved', channelId: bc.channelId, counterpartyNodeId: mesh.nodeId(2), source: offered.source, paymentHash: hash, amountMsat: offered.amountMsat, preimage: claimable.purpose.paymentPreimage! });
    b.manager.timerTickOccurred();
    await mesh.settle();
    expect(ofKind(await mesh.drain(1), 'payment_forwarded')).toHaveLength(0);
    expect(ofKind(await mesh.drain(0), 'payment_sent')).toHaveLength(0);
    expect(b.manager.internalErrors).toEqual([]);
  });

  it('an HTLC the downstream monitor timed out on chain is failed upstream (permanent_channel_failure)', async () => {
    const mesh = await line();
    const { invoice } = await mesh.nodes[2]!.manager.createInvoice({ amountMsat: 3_000_000n, description: 'timeout' });
    const hash = await mesh.nodes[0]!.manager.payInvoice(invoice, new Uint8Array(32).fill(2), NO_RETRY);
    // Deliver until the HTLC sits in B's outgoing channel, then cut C away.
    for (let i = 0; i < 40 && mesh.nodes[1]!.watch.views().every((v) => !v.outboundHtlcs.some((h) => equalBytes(h.paymentHash, hash))); i++) {
      await mesh.idle();
      mesh.pull();
      mesh.deliver();
    }
    mesh.disconnect(1, 2);
    const b = mesh.nodes[1]!;
    const bc = b.manager.listChannels().find((c) => equalBytes(c.counterpartyNodeId, mesh.nodeId(2)))!;
    const offered = b.watch.view(bc.channelId).outboundHtlcs.find((h) => equalBytes(h.paymentHash, hash))!;
    b.watch.pushEvent({ kind: 'htlc_resolved', channelId: bc.channelId, counterpartyNodeId: mesh.nodeId(2), source: offered.source, paymentHash: hash, amountMsat: offered.amountMsat });
    b.manager.timerTickOccurred();
    await mesh.settle();
    const failed = ofKind(await mesh.drain(0), 'payment_path_failed');
    expect(failed[0]).toMatchObject({ failure: { kind: 'on_path', erringNodeId: mesh.nodeId(1), failure: { name: 'permanent_channel_failure' } } });
  });

  it('a payment left unclaimed is failed back before its HTLCs expire', async () => {
    const mesh = await line();
    const { invoice } = await mesh.nodes[2]!.manager.createInvoice({ amountMsat: 1_000_000n, description: 'held' });
    await mesh.nodes[0]!.manager.payInvoice(invoice, new Uint8Array(32).fill(3), NO_RETRY);
    await mesh.settle();
    const held = ofKind(await mesh.drain(2), 'payment_claimable')[0]!;
    const blocks = held.claimDeadline - mesh.chain.height;
    expect(blocks).toBeGreaterThan(0);
    await mesh.mine(blocks - 1);
    expect(ofKind(await mesh.drain(0), 'payment_failed')).toHaveLength(0);
    await mesh.mine(1);
    expect(ofKind(await mesh.drain(0), 'payment_failed')).toEqual([expect.objectContaining({ reason: 'recipient_rejected' })]);
    expect(mesh.balance(0)).toBe(2_000_000_000n);
  });
});
