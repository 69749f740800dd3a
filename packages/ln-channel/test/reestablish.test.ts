// channel_reestablish and option_data_loss_protect both ways: a node restored
// from an old backup learns from its peer that it is behind, does not broadcast
// its (revoked) commitment and tells its user; the peer, seeing the other side
// behind, fails the channel with its own (current) commitment.
import { describe, expect, test } from '@jest/globals';
import native from 'secp256k1';
import { createNativeSecp256k1Backend } from 'ln-crypto';
import { toHex } from 'ln-types';
import { pay } from './helpers/pay.js';
import { ofKind, openChannel, pair, userConfig } from './helpers/scenario.js';

const backend = createNativeSecp256k1Backend(native);
const config = userConfig({ channelHandshakeConfig: { minimumDepth: 1 } });

describe('channel_reestablish', () => {
  test('a node restored from an old backup does not broadcast; its peer fails the channel with its own commitment', async () => {
    const p = pair({ a: { config, backend }, b: { config, backend } });
    const id = await openChannel(p, { valueSat: 1_000_000n, pushMsat: 100_000_000n });
    await pay(p.pipe, p.a, p.b, 5_000_000n);
    const old = p.a.backup();
    await pay(p.pipe, p.a, p.b, 7_000_000n);
    await pay(p.pipe, p.b, p.a, 1_000_000n);
    p.pipe.disconnect();
    await p.a.restoreBackup(old);
    p.pipe.connect();
    await p.pipe.settle();
    // a: behind, proven by b's your_last_per_commitment_secret.
    const aClosed = ofKind(await p.a.drainEvents(), 'channel_closed');
    expect(aClosed).toHaveLength(1);
    expect(aClosed[0]!.reason.kind).toBe('data_loss_detected');
    const aMonitor = p.a.watch.monitors.get(toHex(id))!;
    expect(aMonitor.closed).toBe(true);
    expect(aMonitor.broadcastOnClose).toBe(false);
    expect(p.a.watch.broadcasts).toHaveLength(0);
    // b: sees a behind (and gets a's error): fails the channel, broadcasting its latest commitment.
    const bClosed = ofKind(await p.b.drainEvents(), 'channel_closed');
    expect(bClosed).toHaveLength(1);
    expect(['processing_error', 'counterparty_force_closed']).toContain(bClosed[0]!.reason.kind);
    await new Promise((r) => setTimeout(r, 10));
    expect(p.b.watch.broadcasts).toHaveLength(1);
    expect(p.b.broadcastErrors).toEqual([]);
    for (const n of [p.a, p.b]) expect(n.manager.internalErrors).toEqual([]);
  });

  test('a restart from the latest state resumes the channel and retransmits what was lost', async () => {
    const p = pair({ a: { config, backend }, b: { config, backend } });
    await openChannel(p, { valueSat: 1_000_000n });
    const inv = p.b.manager.createInboundPayment({ amountMsat: 3_000_000n, expirySeconds: 3600 });
    p.a.manager.payDirect({ paymentId: new Uint8Array(32).fill(3), payee: p.b.nodeId, paymentHash: inv.paymentHash, paymentSecret: inv.paymentSecret, amountMsat: 3_000_000n, minFinalCltvExpiryDelta: 24 });
    // Deliver a's update_add + commitment_signed; b answers; cut before a gets b's messages.
    await p.a.manager.idle();
    p.pipe.pull();
    while (p.pipe.deliverOne('a'));
    await p.b.manager.idle();
    p.pipe.disconnect();
    p.a.persist();
    p.b.persist();
    await p.a.restart();
    await p.b.restart();
    p.pipe.connect();
    await p.pipe.settle();
    expect(ofKind(await p.b.drainEvents(), 'payment_claimable')).toHaveLength(1);
    p.b.manager.claimFunds(inv.preimage!);
    await p.pipe.settle();
    expect(ofKind(await p.a.drainEvents(), 'payment_sent')).toHaveLength(1);
    expect(p.pipe.sent('channel_reestablish')).toHaveLength(2);
  });
});
