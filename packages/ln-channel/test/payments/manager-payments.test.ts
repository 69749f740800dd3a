// Payments through real ChannelManagers (commitment dance, monitors, real
// signatures and onions) on a small network.
import { describe, expect, it } from '@jest/globals';
import { sha256 } from 'ln-crypto';
import { userConfig } from '../../src/index.js';
import { NO_RETRY } from '../../src/payments/index.js';
import { nativeSecp } from './helpers.js';
import { Mesh, ofKind } from './mesh.js';

const id = (n: number) => new Uint8Array(32).fill(n);

async function line(n: number): Promise<Mesh> {
  const mesh = new Mesh(n, { backend: nativeSecp });
  for (let i = 0; i + 1 < n; i++) await mesh.open(i, i + 1, 2_000_000n);
  await mesh.mine(1);
  for (let i = 0; i < n; i++) await mesh.drain(i);
  mesh.refreshGraph();
  return mesh;
}

describe('payments through ChannelManagers', () => {
  it('pays an invoice over two hops: the forwarder earns its fee, the payee claims, balances add up', async () => {
    const mesh = await line(3);
    const { invoice } = await mesh.nodes[2]!.manager.createInvoice({ amountMsat: 100_000_000n, description: 'two hops' });
    const hash = await mesh.nodes[0]!.manager.payInvoice(invoice, id(1));
    await mesh.settle();
    const claimable = ofKind(await mesh.drain(2), 'payment_claimable');
    expect(claimable).toHaveLength(1);
    expect(claimable[0]).toMatchObject({ paymentHash: hash, amountMsat: 100_000_000n });
    // Node-made hashes come with their preimage: the user claims with it.
    mesh.nodes[2]!.manager.claimFunds(claimable[0]!.purpose.paymentPreimage!);
    await mesh.settle();
    expect(ofKind(await mesh.drain(2), 'payment_claimed')).toHaveLength(1);
    const sent = ofKind(await mesh.drain(0), 'payment_sent');
    expect(sent).toHaveLength(1);
    expect(sha256(sent[0]!.paymentPreimage)).toEqual(hash);
    const fwd = ofKind(await mesh.drain(1), 'payment_forwarded');
    expect(fwd).toHaveLength(1);
    expect(fwd[0]!.totalFeeEarnedMsat).toBe(sent[0]!.feePaidMsat);
    expect(sent[0]!.feePaidMsat).toBe(1000n);
    expect(mesh.balance(2)).toBe(100_000_000n);
    expect(mesh.balance(1)).toBe(2_000_000_000n - 100_000_000n + 100_001_000n);
    for (const n of mesh.nodes) {
      expect(n.manager.internalErrors).toEqual([]);
      expect(n.watch.violations).toEqual([]);
    }
  });

  it('keysend over two hops', async () => {
    const mesh = await line(3);
    const hash = await mesh.nodes[0]!.manager.sendSpontaneousPayment({ paymentId: id(2), payee: mesh.nodeId(2), amountMsat: 5_000_000n });
    await mesh.settle();
    const c = ofKind(await mesh.drain(2), 'payment_claimable');
    expect(c[0]).toMatchObject({ paymentHash: hash, purpose: { kind: 'spontaneous_payment' } });
    mesh.nodes[2]!.manager.claimFunds(c[0]!.purpose.paymentPreimage!);
    await mesh.settle();
    expect(ofKind(await mesh.drain(0), 'payment_sent')).toHaveLength(1);
  });

  it('a next hop gone offline: the forwarder fails back, the payer learns which channel, no retry left: payment_failed', async () => {
    const mesh = await line(3);
    const { invoice } = await mesh.nodes[2]!.manager.createInvoice({ amountMsat: 1_000_000n, description: 'x' });
    mesh.disconnect(1, 2);
    await mesh.nodes[0]!.manager.payInvoice(invoice, id(3), NO_RETRY);
    await mesh.settle();
    const events = await mesh.drain(0);
    const failed = ofKind(events, 'payment_path_failed');
    expect(failed[0]).toMatchObject({ paymentFailedPermanently: false, failure: { kind: 'on_path', erringNodeId: mesh.nodeId(1), failure: { name: 'temporary_channel_failure' } } });
    expect(failed[0]!.shortChannelId).toBe(mesh.nodes[1]!.manager.listChannels().find((c) => c.counterpartyNodeId.every((b, i) => b === mesh.nodeId(2)[i]))!.shortChannelId);
    expect(ofKind(events, 'payment_failed')).toHaveLength(1);
    expect(mesh.balance(0)).toBe(2_000_000_000n);
    for (const n of mesh.nodes) expect(n.manager.listChannels().every((c) => c.pendingHtlcs === 0 || !c.isUsable)).toBe(true);
  });

  it('an LSP intercepts an HTLC to its intercept scid, opens a channel just in time and forwards it', async () => {
    const mesh = new Mesh(3, { backend: nativeSecp, config: userConfig({ channelHandshakeConfig: { minimumDepth: 1 }, acceptForwardsToPrivChannels: true, acceptInterceptHtlcs: true }) });
    await mesh.open(0, 1, 2_000_000n);
    await mesh.mine(1);
    for (let i = 0; i < 3; i++) await mesh.drain(i);
    mesh.refreshGraph();
    const lsp = mesh.nodes[1]!.manager;
    const scid = lsp.getInterceptScid();
    const { invoice } = await mesh.nodes[2]!.manager.createInvoice({
      amountMsat: 40_000_000n,
      description: 'jit',
      extraRouteHints: [[{ nodeId: mesh.nodeId(1), shortChannelId: scid, feeBaseMsat: 1000, feeProportionalMillionths: 0, cltvExpiryDelta: 72 }]],
    });
    await mesh.nodes[0]!.manager.payInvoice(invoice, id(9), NO_RETRY);
    await mesh.settle();
    const [held] = ofKind(await mesh.drain(1), 'htlc_intercepted');
    expect(held).toMatchObject({ requestedNextHopScid: scid, expectedOutboundAmountMsat: 40_000_000n, inboundAmountMsat: 40_001_000n });
    // The LSP opens a channel to the client and forwards over it.
    const jit = await mesh.open(1, 2, 1_000_000n);
    await mesh.mine(1);
    await mesh.drain(1);
    await lsp.forwardInterceptedHtlc(held!.interceptId, jit, mesh.nodeId(2), held!.expectedOutboundAmountMsat);
    await mesh.settle();
    const c = ofKind(await mesh.drain(2), 'payment_claimable');
    expect(c).toHaveLength(1);
    mesh.nodes[2]!.manager.claimFunds(c[0]!.purpose.paymentPreimage!);
    await mesh.settle();
    expect(ofKind(await mesh.drain(0), 'payment_sent')).toHaveLength(1);
    expect(ofKind(await mesh.drain(1), 'payment_forwarded')[0]).toMatchObject({ totalFeeEarnedMsat: 1000n, nextChannelId: jit });
  });

  it('probes: successful to the destination, with no money moved', async () => {
    const mesh = await line(3);
    const route = mesh.router.findRoute(mesh.nodeId(0), { paymentParams: (await import('ln-router-api')).paymentParametersForNode(mesh.nodeId(2), 42), finalValueMsat: 10_000n }, mesh.nodes[0]!.manager.payments.firstHops(), { entries: [] });
    const probe = await mesh.nodes[0]!.manager.sendProbe(route.paths[0]!);
    await mesh.settle();
    expect(ofKind(await mesh.drain(0), 'probe_successful')).toEqual([{ kind: 'probe_successful', paymentId: probe.paymentId, paymentHash: probe.paymentHash, path: route.paths[0] }]);
    expect(mesh.balance(0)).toBe(2_000_000_000n);
  });
});
