// Stage 2: HTLCs both ways through the commitment dance, with real signatures
// and onions, update_fee, and monitor updates persisted before every message.
import { describe, expect, test } from '@jest/globals';
import native from 'secp256k1';
import { createNativeSecp256k1Backend } from 'ln-crypto';
import { toHex } from 'ln-types';
import { pay } from './helpers/pay.js';
import { ofKind, openChannel, pair, userConfig } from './helpers/scenario.js';

const backend = createNativeSecp256k1Backend(native);


describe('HTLCs over the commitment dance', () => {
  for (const anchors of [true, false]) {
    test(`payments both ways, several commitments (${anchors ? 'anchors' : 'static_remotekey'})`, async () => {
      const config = userConfig({ channelHandshakeConfig: { negotiateAnchorsZeroFeeHtlcTx: anchors, minimumDepth: 1 } });
      const p = pair({ a: { config, backend }, b: { config, backend } });
      const id = await openChannel(p, { valueSat: 1_000_000n, pushMsat: 100_000_000n });
      await pay(p.pipe, p.a, p.b, 5_000_000n);
      await pay(p.pipe, p.b, p.a, 2_000_000n);
      await pay(p.pipe, p.a, p.b, 700_000n);
      const a = p.a.manager.listChannels().find((c) => toHex(c.channelId) === toHex(id))!;
      const b = p.b.manager.listChannels().find((c) => toHex(c.channelId) === toHex(id))!;
      expect(a.balanceMsat).toBe(1_000_000_000n - 100_000_000n - 5_000_000n + 2_000_000n - 700_000n);
      expect(b.balanceMsat).toBe(100_000_000n + 5_000_000n - 2_000_000n + 700_000n);
      expect(a.pendingHtlcs).toBe(0);
      for (const n of [p.a, p.b]) {
        expect(n.watch.violations).toEqual([]);
        expect(n.manager.internalErrors).toEqual([]);
      }
      // Each payment: two commitments each way.
      const mon = [...p.a.watch.monitors.values()][0]!;
      expect(mon.holder.data.commitmentNumber).toBe(6n);
    });
  }

  test('several HTLCs in flight at once use the holding cell', async () => {
    const config = userConfig({ channelHandshakeConfig: { minimumDepth: 1 } });
    const p = pair({ a: { config, backend }, b: { config, backend } });
    await openChannel(p, { valueSat: 2_000_000n });
    const invs = Array.from({ length: 5 }, () => p.b.manager.createInboundPayment({ amountMsat: 1_000_000n, expirySeconds: 3600 }));
    invs.forEach((inv, i) => {
      const paymentId = new Uint8Array(32).fill(100 + i);
      p.a.manager.payDirect({ paymentId, payee: p.b.nodeId, paymentHash: inv.paymentHash, paymentSecret: inv.paymentSecret, amountMsat: 1_000_000n, minFinalCltvExpiryDelta: 24 });
    });
    await p.pipe.settle();
    const claimable = ofKind(await p.b.drainEvents(), 'payment_claimable');
    expect(claimable).toHaveLength(5);
    for (const inv of invs) p.b.manager.claimFunds(inv.preimage!);
    await p.pipe.settle();
    expect(ofKind(await p.a.drainEvents(), 'payment_sent')).toHaveLength(5);
    expect(p.a.manager.listChannels()[0]!.balanceMsat).toBe(2_000_000_000n - 5_000_000n);
  });

  test('update_fee from the opener', async () => {
    const config = userConfig({ channelHandshakeConfig: { negotiateAnchorsZeroFeeHtlcTx: false, minimumDepth: 1 } });
    const p = pair({ a: { config, backend }, b: { config, backend } });
    const id = await openChannel(p, { valueSat: 1_000_000n });
    p.a.manager.updateChannelFeerate(id, p.b.nodeId, 3000);
    await p.pipe.settle();
    expect(p.pipe.sent('update_fee', 'a')).toHaveLength(1);
    expect(p.a.manager.listChannels()[0]!.feeratePerKw).toBe(3000);
    expect(p.b.manager.listChannels()[0]!.feeratePerKw).toBe(3000);
    await pay(p.pipe, p.a, p.b, 1_000_000n);
    // The timer follows the estimator (a rise is always sent).
    p.a.fees.rates.set('non_anchor_channel_fee', 4000);
    p.a.manager.timerTickOccurred();
    await p.pipe.settle();
    expect(p.b.manager.listChannels()[0]!.feeratePerKw).toBe(4000);
    expect(() => p.b.manager.updateChannelFeerate(id, p.a.nodeId, 5000)).toThrow();
  });

  test('asynchronous monitor persistence holds messages back until completed', async () => {
    const config = userConfig({ channelHandshakeConfig: { minimumDepth: 1 } });
    const p = pair({ a: { config, backend }, b: { config, backend } });
    await openChannel(p, { valueSat: 1_000_000n });
    p.a.watch.mode = 'async';
    p.b.watch.mode = 'async';
    const inv = p.b.manager.createInboundPayment({ amountMsat: 1_000_000n, expirySeconds: 3600 });
    p.a.manager.payDirect({ paymentId: new Uint8Array(32).fill(9), payee: p.b.nodeId, paymentHash: inv.paymentHash, paymentSecret: inv.paymentSecret, amountMsat: 1_000_000n, minFinalCltvExpiryDelta: 24 });
    await p.pipe.settle();
    // a's commitment_signed waits for its monitor update.
    expect(p.pipe.sent('commitment_signed')).toHaveLength(0);
    expect(p.a.watch.pending).toBe(1);
    let rounds = 0;
    while (ofKind(p.b.events, 'payment_claimable').length === 0 && rounds++ < 20) {
      p.a.watch.completeAll();
      p.b.watch.completeAll();
      await p.pipe.settle();
      await p.b.drainEvents();
    }
    expect(ofKind(p.b.events, 'payment_claimable')).toHaveLength(1);
  });
});
