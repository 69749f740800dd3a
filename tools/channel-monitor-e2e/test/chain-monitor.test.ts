// ln-channel's ChannelManager with ln-monitor's ChainMonitor as its Watch (the
// contract between the two packages, end to end), through ln-channel's test
// nodes: the KVStorePersister answers every
// monitor change `in_progress` and reports `update_completed` once the write is
// done, so every message that depends on a monitor update waits for a real
// asynchronous persistence. Restarts read the monitors back from their store
// and hand their views to ChannelManager.read. Every transaction goes on
// ln-regtest.
import { describe, expect, test } from '@jest/globals';
import native from 'secp256k1';
import { createNativeSecp256k1Backend } from 'ln-crypto';
import { txidOf } from 'ln-tx';
import { toHex } from 'ln-types';
import { pay } from '../../../packages/ln-channel/test/helpers/pay.js';
import { ofKind, openChannel, pair, userConfig } from '../../../packages/ln-channel/test/helpers/scenario.js';
import type { TestNode } from '../../../packages/ln-channel/test/helpers/node.js';
import { ChainMonitors } from './chain-monitors.js';

const backend = createNativeSecp256k1Backend(native);

function setup(anchors: boolean) {
  const config = userConfig({ channelHandshakeConfig: { negotiateAnchorsZeroFeeHtlcTx: anchors, minimumDepth: 1 } });
  return pair({ a: { config, backend, monitors: ChainMonitors.create }, b: { config, backend, monitors: ChainMonitors.create } });
}

/** A node's ChainMonitor and its store. */
function cm(n: TestNode): ChainMonitors {
  return n.monitors as ChainMonitors;
}

describe('with ln-monitor ChainMonitor as the Watch', () => {
  test('open, payments both ways with update_fee, both nodes restarted from their stores, cooperative close (anchors)', async () => {
    const p = setup(true);
    const id = await openChannel(p, { valueSat: 1_000_000n, pushMsat: 100_000_000n });
    // Every monitor the manager created is in the ChainMonitor, every update persisted.
    expect(cm(p.a).chainMonitor.getMonitor(id)).toBeDefined();
    expect(cm(p.b).chainMonitor.getMonitor(id)).toBeDefined();
    for (let i = 0; i < 3; i++) {
      await pay(p.pipe, p.a, p.b, 5_000_000n);
      await pay(p.pipe, p.b, p.a, 2_000_000n);
    }
    p.a.fees.rates.set('anchor_channel_fee', 400);
    p.a.manager.timerTickOccurred();
    await p.pipe.settle();
    expect(p.pipe.sent('update_fee', 'a')).toHaveLength(1);
    expect(p.a.manager.listChannels()[0]!.feeratePerKw).toBe(400);

    // Restart both: manager bytes + monitors as the persister stored them.
    for (const n of [p.a, p.b]) n.persist();
    p.pipe.disconnect();
    await p.a.restart();
    await p.b.restart();
    p.pipe.connect();
    await p.pipe.settle();
    expect(p.a.manager.listUsableChannels()).toHaveLength(1);
    expect(p.b.manager.listUsableChannels()).toHaveLength(1);
    await pay(p.pipe, p.a, p.b, 1_000_000n);

    // The monitors agree with the managers on the commitment numbers.
    const viewA = cm(p.a).chainMonitor.monitorViews().find((v) => toHex(v.channelId) === toHex(id))!;
    expect(viewA.latestUpdateId).toBeGreaterThan(10n);
    p.a.manager.closeChannel(id, p.b.nodeId);
    await p.pipe.settle();
    expect(ofKind(await p.a.drainEvents(), 'channel_closed')).toHaveLength(1);
    expect(ofKind(await p.b.drainEvents(), 'channel_closed')).toHaveLength(1);
    const closing = p.a.broadcasts.at(-1)!;
    p.chain.mine(1);
    expect(p.chain.confirmations(txidOf(closing))).toBe(1);
    expect(p.a.broadcastErrors).toEqual([]);
    expect(p.chain.refused).toEqual([]);
    // The monitors saw the cooperative close.
    p.chain.mine(6);
    await p.a.flushMonitors();
    const monitor = cm(p.a).chainMonitor.getMonitor(id)!;
    expect(monitor.view().latestUpdateId).toBeGreaterThan(viewA.latestUpdateId);
  });

  test('force close with a received HTLC claimed after the close: the monitors settle it on chain (static_remotekey)', async () => {
    const p = setup(false);
    const id = await openChannel(p, { valueSat: 1_000_000n, pushMsat: 100_000_000n });
    await pay(p.pipe, p.a, p.b, 3_000_000n);
    const { preimage } = await pay(p.pipe, p.a, p.b, 40_000_000n, { claim: false });

    // B closes before claiming; its ChainMonitor broadcasts its commitment.
    p.b.manager.forceCloseBroadcastingLatestTxn(id, p.a.nodeId);
    await p.pipe.settle();
    await p.b.flushMonitors();
    expect(ofKind(await p.b.drainEvents(), 'channel_closed')[0]!.reason).toEqual({ kind: 'holder_force_closed', broadcastedLatestTxn: true });
    expect(ofKind(await p.a.drainEvents(), 'channel_closed')[0]!.reason.kind).toBe('counterparty_force_closed');
    const commitment = p.b.broadcasts.at(-1)!;
    expect(p.b.broadcastErrors).toEqual([]);
    p.chain.mine(1);
    expect(p.chain.confirmations(txidOf(commitment))).toBe(1);

    // The preimage reaches B's monitor through a post-close update; it claims the HTLC on chain.
    p.b.manager.claimFunds(preimage);
    await p.pipe.settle();
    for (let i = 0; i < 8; i++) {
      p.chain.mine(1);
      await p.a.flushMonitors();
      await p.b.flushMonitors();
    }
    expect(ofKind(await p.b.drainEvents(), 'payment_claimed')).toHaveLength(1);
    // A's monitor learned the preimage from B's HTLC-success transaction: the payment is sent.
    const sent = ofKind(await p.a.drainEvents(), 'payment_sent');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.paymentPreimage).toEqual(preimage);
    expect(p.b.broadcastErrors).toEqual([]);
    // B's claim spends its commitment's HTLC output.
    const claim = p.b.broadcasts.find((tx) => tx.inputs.some((i) => toHex(i.previousOutput.txid) === toHex(txidOf(commitment))));
    expect(claim).toBeDefined();
    expect(p.chain.confirmations(txidOf(claim!))).toBeGreaterThan(0);
  });

  for (const who of ['sender', 'receiver'] as const) {
    test(`the ${who} crashes with a monitor update in flight: read() replays it to the ChainMonitor that lacks it (LDK's in_flight_monitor_updates)`, async () => {
      const p = setup(true);
      const id = await openChannel(p, { valueSat: 1_000_000n, pushMsat: 0n });
      await pay(p.pipe, p.a, p.b, 10_000_000n);
      const node = who === 'sender' ? p.a : p.b;
      const before = cm(node).chainMonitor.getMonitor(id)!.view().latestUpdateId;
      // The node's monitor writes hang from now on.
      cm(node).store.hold = true;
      const logged = p.pipe.log.length;
      const inv = p.b.manager.createInboundPayment({ amountMsat: 4_000_000n, expirySeconds: 3600 });
      p.a.manager.payDirect({ paymentId: new Uint8Array(32).fill(9), payee: p.b.nodeId, paymentHash: inv.paymentHash, paymentSecret: inv.paymentSecret, amountMsat: 4_000_000n, minFinalCltvExpiryDelta: 24 });
      await p.pipe.settle();
      expect(cm(node).store.heldWrites).toBeGreaterThan(0);
      // Nothing that depends on the held update left the node: the sender's
      // commitment_signed (a new counterparty commitment), the receiver's
      // revoke_and_ack (a new holder commitment).
      const after = p.pipe.log.slice(logged).map((d) => `${d.from}:${d.message.type}`);
      expect(after).not.toContain(who === 'sender' ? 'a:commitment_signed' : 'b:revoke_and_ack');
      if (who === 'receiver') expect(after).toContain('a:commitment_signed');
      node.persist();
      p.pipe.disconnect();
      await node.crash();
      // The restarted ChainMonitor lacks the update; the manager replayed it on read.
      await node.flushMonitors();
      expect(cm(node).chainMonitor.getMonitor(id)!.view().latestUpdateId).toBeGreaterThan(before);
      p.pipe.connect();
      await p.pipe.settle();
      expect(ofKind(await p.b.drainEvents(), 'payment_claimable')).toHaveLength(1);
      p.b.manager.claimFunds(inv.preimage!);
      await p.pipe.settle();
      expect(ofKind(await p.a.drainEvents(), 'payment_sent')).toHaveLength(1);
      expect(ofKind(await p.a.drainEvents(), 'channel_closed')).toHaveLength(0);
      expect(ofKind(await p.b.drainEvents(), 'channel_closed')).toHaveLength(0);
      // Both monitors and managers agree: another payment goes through.
      await pay(p.pipe, p.b, p.a, 1_000_000n);
      expect(p.chain.refused).toEqual([]);
    });
  }
});
