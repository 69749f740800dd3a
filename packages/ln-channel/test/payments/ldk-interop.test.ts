// Interop with LDK (rust-lightning 0.1 in WebAssembly) over BOLT 8 TCP:
// invoices both ways, keysend both ways, forwarding through LDK and through
// us, multi-part payments over two channels, and a failure in the middle
// decoded to the right node.
import { afterAll, describe, expect, it } from '@jest/globals';
import { sha256 } from 'ln-crypto';
import type { LdkNode } from 'ln-ldk-node';
import { equalBytes, type NodeId } from 'ln-types';
import { NO_RETRY } from '../../src/payments/index.js';
import { TestChain } from '../helpers/chain.js';
import { OurPeer, TestGraph, ldkNode, ldkPolicy, teachLdk, until } from './ldk.js';

const OURS = { feeBaseMsat: 1000, feePpm: 0, cltvDelta: 72 };
const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

let idCounter = 0;
const freshId = () => {
  const id = new Uint8Array(32);
  new DataView(id.buffer).setUint32(0, ++idCounter);
  id[31] = 0xee;
  return id;
};

async function outcome(ldk: LdkNode, paymentId: Uint8Array) {
  return ldk.paymentOutcome(paymentId, 30_000);
}

function ldkErrors(n: LdkNode): string[] {
  return n.log.lines.filter((l) => l.level === 'ERROR').map((l) => `${l.module}: ${l.message}`);
}

describe('payments against LDK', () => {
  it('invoices both ways and keysend both ways over one channel', async () => {
    const chain = new TestChain({ now: () => 1_700_000_000 });
    const graph = new TestGraph();
    const ours = new OurPeer(chain, 0x51, graph);
    const ldk = await ldkNode(chain, 'ldk-a');
    cleanups.push(() => ours.stop(), () => ldk.stop());
    await ours.connectTo(ldk);
    const { channelId, scid } = await ours.openTo(ldk, 1_000_000n, 400_000_000n);
    const pol = ldkPolicy(ldk, channelId);
    graph.add({ scid, a: ours.nodeId, b: ldk.nodeId as NodeId, capacitySat: 1_000_000n, feeBaseMsat: [OURS.feeBaseMsat, pol.feeBaseMsat], feePpm: [OURS.feePpm, pol.feePpm], cltvDelta: [OURS.cltvDelta, pol.cltvDelta] });

    // LDK pays our invoice.
    const { invoice, payment } = await ours.manager.createInvoice({ amountMsat: 12_345_000n, description: 'ours' });
    const sent = ldk.payInvoice(invoice);
    const done = await outcome(ldk, sent.paymentId);
    expect(done.kind).toBe('PaymentSent');
    await until('payment_claimed', () => ours.events('payment_claimed').length === 1);
    expect(ours.events('payment_claimed')[0]).toMatchObject({ paymentHash: payment.paymentHash, amountMsat: 12_345_000n });

    // We pay LDK's invoice.
    const theirs = ldk.createInvoice({ amountMsat: 7_000_000n, description: 'ldk' });
    const hash = await ours.manager.payInvoice(theirs, freshId(), NO_RETRY);
    await until('payment_sent', () => ours.events('payment_sent').length === 1);
    expect(sha256(ours.events('payment_sent')[0]!.paymentPreimage)).toEqual(hash);
    await until('LDK claimed', () => ldk.events.of('PaymentClaimed').length > 0);

    // Keysend both ways.
    const k = ldk.keysend(ours.nodeId, 3_000_000n);
    expect((await outcome(ldk, k.paymentId)).kind).toBe('PaymentSent');
    await until('keysend claimed', () => ours.events('payment_claimed').some((e) => e.purpose.kind === 'spontaneous_payment'));
    await ours.manager.sendSpontaneousPayment({ paymentId: freshId(), payee: ldk.nodeId as NodeId, amountMsat: 2_000_000n });
    await until('our keysend sent', () => ours.events('payment_sent').length === 2);

    await ours.settle();
    const mine = ours.manager.listChannels()[0]!;
    const lch = ldk.listChannels()[0]!;
    expect(mine.pendingHtlcs).toBe(0);
    // Balances agree: ours = what we had - pushed + received - paid.
    expect(mine.balanceMsat).toBe(1_000_000_000n - 400_000_000n + 12_345_000n - 7_000_000n + 3_000_000n - 2_000_000n);
    expect(lch.outboundMsat + lch.inboundMsat).toBeGreaterThan(0n);
    ours.assertHealthy();
    expect(ldkErrors(ldk)).toEqual([]);
  });

  it('forwarding both ways: ours -> LDK -> ours, and LDK -> ours -> LDK; a failure in the middle is decoded to LDK', async () => {
    const chain = new TestChain({ now: () => 1_700_000_000 });
    const graph = new TestGraph();
    const alice = new OurPeer(chain, 0x61, graph);
    const carol = new OurPeer(chain, 0x63, graph);
    const bob = await ldkNode(chain, 'ldk-bob');
    cleanups.push(() => alice.stop(), () => carol.stop(), () => bob.stop());
    await alice.connectTo(bob);
    await carol.connectTo(bob);
    const ab = await alice.openTo(bob, 1_000_000n);
    const cb = await carol.openTo(bob, 1_000_000n, 500_000_000n);
    const pab = ldkPolicy(bob, ab.channelId);
    const pcb = ldkPolicy(bob, cb.channelId);
    graph.add({ scid: ab.scid, a: alice.nodeId, b: bob.nodeId as NodeId, capacitySat: 1_000_000n, feeBaseMsat: [1000, pab.feeBaseMsat], feePpm: [0, pab.feePpm], cltvDelta: [72, pab.cltvDelta] });
    graph.add({ scid: cb.scid, a: carol.nodeId, b: bob.nodeId as NodeId, capacitySat: 1_000_000n, feeBaseMsat: [1000, pcb.feeBaseMsat], feePpm: [0, pcb.feePpm], cltvDelta: [72, pcb.cltvDelta] });

    // ours -> LDK -> ours
    const { invoice } = await carol.manager.createInvoice({ amountMsat: 50_000_000n, description: 'via ldk' });
    await alice.manager.payInvoice(invoice, freshId());
    await until('alice payment_sent', () => alice.events('payment_sent').length === 1);
    await until('carol payment_claimed', () => carol.events('payment_claimed').length === 1);
    expect(alice.events('payment_sent')[0]!.feePaidMsat).toBe(BigInt(pcb.feeBaseMsat) + (50_000_000n * BigInt(pcb.feePpm)) / 1_000_000n);

    // A failure in the middle: carol is offline, LDK cannot forward.
    carol.disconnect(bob);
    await until('bob sees carol gone', () => !bob.isConnected(carol.nodeId));
    const { invoice: second } = await carol.manager.createInvoice({ amountMsat: 1_000_000n, description: 'offline' });
    await alice.manager.payInvoice(second, freshId(), NO_RETRY);
    await until('alice payment_failed', () => alice.events('payment_failed').length === 1);
    const pf = alice.events('payment_path_failed')[0]!;
    expect(pf.paymentFailedPermanently).toBe(false);
    expect(pf.failure.kind).toBe('on_path');
    if (pf.failure.kind === 'on_path') {
      expect(equalBytes(pf.failure.erringNodeId!, bob.nodeId)).toBe(true);
      expect(pf.failure.erringHopIndex).toBe(0);
      expect(pf.failure.failure?.name).toMatch(/temporary_channel_failure|channel_disabled|unknown_next_peer/);
    }
    expect(pf.shortChannelId).toBe(cb.scid);
    await carol.connectTo(bob);

    // LDK -> ours -> LDK: LDK learns our channel to the second LDK node as gossip would tell it.
    const dave = await ldkNode(chain, 'ldk-dave');
    cleanups.push(() => dave.stop());
    await carol.connectTo(dave);
    const cd = await carol.openTo(dave, 1_000_000n);
    teachLdk(bob, { scid: cd.scid, a: carol.nodeId, b: dave.nodeId as NodeId, capacitySat: 1_000_000n, feeBaseMsat: [1000, 1000], feePpm: [0, 0], cltvDelta: [72, 72] });
    const toDave = dave.createInvoice({ amountMsat: 20_000_000n, description: 'via ours' });
    const paid = bob.payInvoice(toDave);
    expect((await outcome(bob, paid.paymentId)).kind).toBe('PaymentSent');
    await until('carol forwarded', () => carol.events('payment_forwarded').length === 1);
    expect(carol.events('payment_forwarded')[0]).toMatchObject({ totalFeeEarnedMsat: 1000n, outboundAmountForwardedMsat: 20_000_000n });

    for (const p of [alice, carol]) {
      await p.settle();
      p.assertHealthy();
    }
    for (const n of [bob, dave]) expect(ldkErrors(n)).toEqual([]);
  });

  it('multi-part payments over two channels, both ways', async () => {
    const chain = new TestChain({ now: () => 1_700_000_000 });
    const graph = new TestGraph();
    const ours = new OurPeer(chain, 0x71, graph);
    const ldk = await ldkNode(chain, 'ldk-mpp');
    cleanups.push(() => ours.stop(), () => ldk.stop());
    await ours.connectTo(ldk);
    const c1 = await ours.openTo(ldk, 500_000n, 250_000_000n);
    const c2 = await ours.openTo(ldk, 500_000n, 250_000_000n);
    for (const c of [c1, c2]) {
      const pol = ldkPolicy(ldk, c.channelId);
      graph.add({ scid: c.scid, a: ours.nodeId, b: ldk.nodeId as NodeId, capacitySat: 500_000n, feeBaseMsat: [1000, pol.feeBaseMsat], feePpm: [0, pol.feePpm], cltvDelta: [72, pol.cltvDelta] });
    }
    // LDK pays 300k sat: more than either channel can carry towards us.
    const { invoice } = await ours.manager.createInvoice({ amountMsat: 300_000_000n, description: 'mpp in' });
    const s = ldk.payInvoice(invoice);
    expect((await outcome(ldk, s.paymentId)).kind).toBe('PaymentSent');
    await until('claimed', () => ours.events('payment_claimed').length === 1);
    expect(ours.events('payment_claimed')[0]!.htlcs.length).toBeGreaterThanOrEqual(2);

    // We pay LDK 600k sat: more than either channel holds for us.
    const theirs = ldk.createInvoice({ amountMsat: 600_000_000n, description: 'mpp out' });
    await ours.manager.payInvoice(theirs, freshId(), NO_RETRY);
    await until('sent', () => ours.events('payment_sent').length === 1);
    await until('both paths settled', () => ours.events('payment_path_successful').length === 2);
    await until('LDK claimed', () => ldk.events.of('PaymentClaimed').length > 0);
    await ours.settle();
    ours.assertHealthy();
    expect(ldkErrors(ldk)).toEqual([]);
  });
});
