// Stage 4: cooperative close initiated by either side (closing_signed with
// fee_range), force close by either side (the monitor broadcasts our latest
// commitment), an `error` from the peer; every transaction accepted by the
// script-validating chain.
import { describe, expect, test } from '@jest/globals';
import native from 'secp256k1';
import { createNativeSecp256k1Backend } from 'ln-crypto';
import { encodeTx, txidOf } from 'ln-tx';
import { toHex } from 'ln-types';
import { pay } from './helpers/pay.js';
import { ofKind, openChannel, pair, userConfig } from './helpers/scenario.js';

const backend = createNativeSecp256k1Backend(native);


describe('closing', () => {
  for (const anchors of [true, false]) {
    for (const initiator of ['a', 'b'] as const) {
      test(`cooperative close initiated by ${initiator === 'a' ? 'the opener' : 'the acceptor'} (${anchors ? 'anchors' : 'static_remotekey'})`, async () => {
        const config = userConfig({ channelHandshakeConfig: { negotiateAnchorsZeroFeeHtlcTx: anchors, minimumDepth: 1 } });
        const p = pair({ a: { config, backend }, b: { config, backend } });
        const id = await openChannel(p, { valueSat: 1_000_000n, pushMsat: 200_000_000n });
        await pay(p.pipe, p.a, p.b, 30_000_000n);
        const closer = initiator === 'a' ? p.a : p.b;
        const other = initiator === 'a' ? p.b : p.a;
        closer.manager.closeChannel(id, other.nodeId);
        await p.pipe.settle();
        expect(p.pipe.sent('shutdown')).toHaveLength(2);
        expect(p.pipe.sent('closing_signed').length).toBeGreaterThanOrEqual(2);
        const closedA = ofKind(await p.a.drainEvents(), 'channel_closed');
        const closedB = ofKind(await p.b.drainEvents(), 'channel_closed');
        expect(closedA).toHaveLength(1);
        expect(closedB).toHaveLength(1);
        expect((initiator === 'a' ? closedA : closedB)[0]!.reason.kind).toBe('locally_initiated_cooperative_closure');
        expect((initiator === 'a' ? closedB : closedA)[0]!.reason.kind).toBe('counterparty_initiated_cooperative_closure');
        // Both broadcast the same closing transaction; the chain accepts it.
        const txA = p.a.broadcasts.at(-1)!;
        const txB = p.b.broadcasts.at(-1)!;
        expect(toHex(txidOf(txA))).toBe(toHex(txidOf(txB)));
        expect(p.a.broadcastErrors).toEqual([]);
        expect(p.b.broadcastErrors).toEqual([]);
        p.chain.mine(1);
        expect(p.chain.confirmations(txidOf(txA))).toBe(1);
        // The opener paid the fee; b got its balance exactly.
        const toB = txA.outputs.find((o) => o.amount === 230_000n);
        expect(toB).toBeDefined();
        expect(p.a.manager.listChannels()).toHaveLength(0);
        for (const n of [p.a, p.b]) {
          expect(n.manager.internalErrors).toEqual([]);
          expect(n.watch.violations).toEqual([]);
        }
      });
    }
  }

  for (const anchors of [true, false]) {
    for (const closer of ['a', 'b'] as const) {
      test(`force close by ${closer === 'a' ? 'the opener' : 'the acceptor'} with HTLCs in flight (${anchors ? 'anchors' : 'static_remotekey'})`, async () => {
        const config = userConfig({ channelHandshakeConfig: { negotiateAnchorsZeroFeeHtlcTx: anchors, minimumDepth: 1 } });
        const p = pair({ a: { config, backend }, b: { config, backend } });
        const id = await openChannel(p, { valueSat: 1_000_000n, pushMsat: 300_000_000n });
        await pay(p.pipe, p.a, p.b, 20_000_000n, { claim: false });
        await pay(p.pipe, p.b, p.a, 10_000_000n, { claim: false });
        const c = closer === 'a' ? p.a : p.b;
        const o = closer === 'a' ? p.b : p.a;
        c.manager.forceCloseBroadcastingLatestTxn(id, o.nodeId);
        await p.pipe.settle();
        await new Promise((r) => setTimeout(r, 10));
        const closedC = ofKind(await c.drainEvents(), 'channel_closed');
        expect(closedC[0]!.reason).toEqual({ kind: 'holder_force_closed', broadcastedLatestTxn: true });
        // The peer got our error and failed the channel too (it broadcasts its own commitment, which conflicts).
        expect(ofKind(await o.drainEvents(), 'channel_closed')[0]!.reason.kind).toBe('counterparty_force_closed');
        const commitment = c.watch.broadcasts.at(-1)!;
        expect(c.broadcastErrors).toEqual([]);
        // Our commitment has both HTLCs as outputs.
        expect(commitment.outputs.length).toBe(anchors ? 6 : 4);
        p.chain.mine(1);
        expect(p.chain.confirmations(txidOf(commitment))).toBe(1);
        expect(encodeTx(commitment).length).toBeGreaterThan(0);
      });
    }
  }

  test('an error from the peer fails the channel and our commitment goes on chain', async () => {
    const config = userConfig({ channelHandshakeConfig: { minimumDepth: 1 } });
    const p = pair({ a: { config, backend }, b: { config, backend } });
    const id = await openChannel(p, { valueSat: 500_000n });
    p.a.manager.handleError(p.b.nodeId, { type: 'error', channelId: id, data: new TextEncoder().encode('boom') });
    await p.a.manager.idle();
    const closed = ofKind(await p.a.drainEvents(), 'channel_closed');
    expect(closed[0]!.reason).toEqual({ kind: 'counterparty_force_closed', peerMessage: 'boom' });
    await new Promise((r) => setTimeout(r, 10));
    expect(p.a.watch.broadcasts).toHaveLength(1);
    expect(p.a.broadcastErrors).toEqual([]);
  });

  test('shutdown while HTLCs are pending: they drain first', async () => {
    const config = userConfig({ channelHandshakeConfig: { minimumDepth: 1 } });
    const p = pair({ a: { config, backend }, b: { config, backend } });
    const id = await openChannel(p, { valueSat: 800_000n });
    const inv = p.b.manager.createInboundPayment({ amountMsat: 5_000_000n, expirySeconds: 3600 });
    p.a.manager.payDirect({ paymentId: new Uint8Array(32).fill(5), payee: p.b.nodeId, paymentHash: inv.paymentHash, paymentSecret: inv.paymentSecret, amountMsat: 5_000_000n, minFinalCltvExpiryDelta: 24 });
    await p.pipe.settle();
    p.b.manager.closeChannel(id, p.a.nodeId);
    await p.pipe.settle();
    expect(p.pipe.sent('closing_signed')).toHaveLength(0);
    // New payments are refused while shutting down.
    const inv2 = p.b.manager.createInboundPayment({ amountMsat: 1_000_000n, expirySeconds: 3600 });
    expect(() => p.a.manager.payDirect({ paymentId: new Uint8Array(32).fill(6), payee: p.b.nodeId, paymentHash: inv2.paymentHash, paymentSecret: inv2.paymentSecret, amountMsat: 1_000_000n, minFinalCltvExpiryDelta: 24 })).toThrow();
    await p.b.drainEvents();
    p.b.manager.claimFunds(inv.preimage!);
    await p.pipe.settle();
    expect(ofKind(await p.a.drainEvents(), 'channel_closed')).toHaveLength(1);
    expect(p.a.broadcasts.at(-1)!.outputs.some((o) => o.amount === 5_000n)).toBe(true);
  });
});
