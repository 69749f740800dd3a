// Two harness nodes (LDK 0.1 in WebAssembly) over TCP loopback on the
// script-validating test chain: an anchor channel one way and a
// static_remotekey channel the other, payments both ways (invoices, keysend,
// probes), a zero-conf channel, a restart in the middle of a payment, and
// cooperative closes whose transactions the chain accepts and whose outputs
// land in the wallets.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { equalBytes, toHex } from 'ln-types';
import { type ChannelInfo, LdkNode, RegtestChain, decodeInvoice, fundNode, openConfirmedChannel } from '../src/index.js';

const chain = RegtestChain.create();
let a: LdkNode;
let b: LdkNode;
let anchor: ChannelInfo;
let legacy: ChannelInfo;

const seed = (n: number) => new Uint8Array(32).fill(n);
const sameChannel = (id: Uint8Array) => (c: ChannelInfo) => equalBytes(c.channelId, id);
const outbound = (node: LdkNode) => node.listChannels().reduce((s, c) => s + c.outboundMsat, 0n);

beforeAll(async () => {
  a = await LdkNode.create({ name: 'A', chain, seed: seed(1) });
  b = await LdkNode.create({ name: 'B', chain, seed: seed(2), zeroConfPeers: [a.nodeId] });
  await fundNode(chain, a, 3_000_000n);
  await fundNode(chain, b, 2_000_000n);
  const listener = await b.listen();
  await a.connect(b.nodeId, { port: listener.port });
});

afterAll(async () => {
  await a?.stop();
  await b?.stop();
});

describe('two LDK nodes over TCP', () => {
  test('an anchor channel A to B and a static_remotekey channel B to A open and confirm on the chain', async () => {
    ({ ours: anchor } = await openConfirmedChannel(chain, a, b, 1_000_000n, { pushMsat: 100_000_000n }));
    ({ ours: legacy } = await openConfirmedChannel(chain, b, a, 600_000n, { anchors: false }));
    expect(anchor.channelType).toEqual({ anchors: true, staticRemoteKey: true, scidPrivacy: false, zeroConf: false });
    expect(legacy.channelType).toEqual({ anchors: false, staticRemoteKey: true, scidPrivacy: false, zeroConf: false });
    const seenByB = b.listChannels().find(sameChannel(anchor.channelId))!;
    expect(seenByB.isOutbound).toBe(false);
    expect(seenByB.outboundMsat).toBe(100_000_000n - 1_000_000n * 10n); // push minus B's reserve (1% of the channel)
    expect(anchor.capacitySat).toBe(1_000_000n);
    expect(anchor.shortChannelId).toBeDefined();
    expect(chain.confirmations(anchor.fundingTxo!.txid)).toBe(2);
    expect(chain.confirmations(legacy.fundingTxo!.txid)).toBe(1);
    expect(a.eventsOf('ChannelReady').length).toBe(2);
  });

  test('invoices both ways, any-amount invoices and keysend both ways', async () => {
    const before = outbound(a);
    const invoice = b.createInvoice({ amountMsat: 12_345_000n, description: 'from A to B' });
    const decoded = decodeInvoice(invoice);
    expect(decoded.amountMsat).toBe(12_345_000n);
    expect(equalBytes(decoded.payee, b.nodeId)).toBe(true);
    const p1 = a.payInvoice(invoice);
    const sent1 = await a.paymentOutcome(p1.paymentId);
    expect(sent1.kind).toBe('PaymentSent');
    const claimed = await b.waitFor('PaymentClaimed', (e) => equalBytes(e.paymentHash, p1.paymentHash));
    expect(claimed.amountMsat).toBe(12_345_000n);
    expect(claimed.purpose).toBe('bolt11');

    const p2 = b.payInvoice(a.createInvoice({ description: 'any amount' }), { amountMsat: 2_000_000n });
    expect((await b.paymentOutcome(p2.paymentId)).kind).toBe('PaymentSent');

    const k1 = a.keysend(b.nodeId, 3_000_000n);
    expect((await a.paymentOutcome(k1.paymentId)).kind).toBe('PaymentSent');
    expect((await b.waitFor('PaymentClaimed', (e) => equalBytes(e.paymentHash, k1.paymentHash))).purpose).toBe('spontaneous');
    const k2 = b.keysend(a.nodeId, 1_000_000n);
    expect((await b.paymentOutcome(k2.paymentId)).kind).toBe('PaymentSent');

    // Direct channels: no routing fees, so the balances move by exactly the amounts.
    await a.waitUntil(() => outbound(a) === before - 12_345_000n + 2_000_000n - 3_000_000n + 1_000_000n, 10_000, 'balances to settle');
  });

  test('a zero-conf channel from a trusted peer, with option_scid_alias, is usable before its funding confirms', async () => {
    const { userChannelId } = a.openChannel(b.nodeId, 400_000n, { scidPrivacy: true });
    const ready = await a.waitFor('ChannelReady', (e) => e.userChannelId === userChannelId);
    expect(ready.channelType.scidPrivacy).toBe(true);
    const channel = a.channel(ready.channelId)!;
    expect(channel.confirmations ?? 0).toBe(0);
    expect(chain.inMempool(channel.fundingTxo!.txid)).toBe(true);
    expect(channel.outboundScidAlias).toBeDefined();
    // Pay over it: the other channels cannot carry this much from A (B's outbound there is small).
    const p = a.keysend(b.nodeId, 250_000_000n);
    expect((await a.paymentOutcome(p.paymentId)).kind).toBe('PaymentSent');
    chain.mine(1);
  });

  test('manual inbound acceptance and handshake limits: refused over the limit, by the test, then accepted', async () => {
    const c = await LdkNode.create({ name: 'C', chain, inbound: 'manual', channelOptions: { limits: { maxFundingSat: 300_000n } } });
    try {
      await a.connectInProcess(c);
      // LDK checks the limits when the request is accepted. After an error the opener tries
      // again with a downgraded channel type (anchors, then static_remotekey), then gives up.
      const tooBig = a.openChannel(c.nodeId, 400_000n);
      for (const anchors of [true, false]) {
        const request = await c.waitFor('OpenChannelRequest', (e) => e.fundingSat === 400_000n);
        expect(request.channelType.anchors).toBe(anchors);
        expect(c.pendingChannelRequests().length).toBe(1);
        expect(() => c.acceptChannel(request.temporaryChannelId)).toThrow(/funding must be at most 300000/);
      }
      expect(c.pendingChannelRequests()).toEqual([]);
      expect((await a.waitFor('ChannelClosed', (e) => e.userChannelId === tooBig.userChannelId)).reason).toBe('CounterpartyForceClosed');

      const refused = a.openChannel(c.nodeId, 200_000n);
      for (let attempt = 0; attempt < 2; attempt++) c.rejectChannel((await c.waitFor('OpenChannelRequest', (e) => e.fundingSat === 200_000n)).temporaryChannelId);
      await a.waitFor('ChannelClosed', (e) => e.userChannelId === refused.userChannelId);

      const accepted = a.openChannel(c.nodeId, 250_000n);
      const request = await c.waitFor('OpenChannelRequest', (e) => e.fundingSat === 250_000n);
      expect(request.channelType.anchors).toBe(true);
      c.acceptChannel(request.temporaryChannelId);
      await a.waitFor('ChannelPending', (e) => e.userChannelId === accepted.userChannelId);
    } finally {
      await c.stop();
    }
  });

  test('a restart of B (from what it had persisted) with a payment held: it reconnects and claims', async () => {
    // B comes back as a new object from its snapshot, now holding payments for the test.
    const state = b.snapshot();
    await b.stop();
    await a.waitUntil(() => a.peers().length === 0, 10_000, 'A to see B gone');
    b = await LdkNode.restore(state, { name: 'B', chain, claim: 'hold' });
    const listener = await b.listen();
    await a.connect(b.nodeId, { port: listener.port });
    const p = a.payInvoice(b.createInvoice({ amountMsat: 7_000_000n }));
    const claimable = await b.waitFor('PaymentClaimable', (e) => equalBytes(e.paymentHash, p.paymentHash));
    expect(b.heldPayments().map((h) => toHex(h.paymentHash))).toEqual([toHex(p.paymentHash)]);

    await b.restart({ crash: true });
    expect(b.peers()).toEqual([]);
    await a.waitUntil(() => a.peers().length === 0, 10_000, 'A to see B gone');
    chain.mine(1);
    const again = await b.listen();
    await a.connect(b.nodeId, { port: again.port });
    await b.waitUntil(() => b.listChannels().every((c) => c.usable), 15_000, 'channels usable after the restart');
    b.claimPayment(claimable.preimage!);
    expect((await a.paymentOutcome(p.paymentId)).kind).toBe('PaymentSent');
    await b.waitFor('PaymentClaimed', (e) => equalBytes(e.paymentHash, p.paymentHash));
  });

  test('cooperative closes initiated by each side pay both wallets', async () => {
    const walletA = a.wallet.balance().spendableSat;
    const walletB = b.wallet.balance().spendableSat;
    const aShare = a.channel(anchor.channelId)!.outboundMsat / 1000n;
    a.closeChannel(anchor.channelId, b.nodeId);
    b.closeChannel(legacy.channelId, a.nodeId);
    const closedA = await a.waitFor('ChannelClosed', (e) => equalBytes(e.channelId, anchor.channelId));
    const closedB = await b.waitFor('ChannelClosed', (e) => equalBytes(e.channelId, anchor.channelId));
    expect(closedA.reason).toBe('LocallyInitiatedCooperativeClosure');
    expect(closedB.reason).toBe('CounterpartyInitiatedCooperativeClosure');
    expect((await a.waitFor('ChannelClosed', (e) => equalBytes(e.channelId, legacy.channelId))).reason).toBe('CounterpartyInitiatedCooperativeClosure');
    await a.waitUntil(() => chain.mempoolTxids().length >= 2, 10_000, 'both closing transactions in the mempool');
    chain.mine(1);
    await a.waitUntil(() => a.wallet.balance().spendableSat > walletA && b.wallet.balance().spendableSat > walletB, 10_000, 'closing outputs in the wallets');
    // The closer (funder) pays the closing fee out of its share.
    const gainedA = a.wallet.balance().spendableSat - walletA;
    expect(gainedA).toBeGreaterThan(aShare - 2_000n);
    expect(a.channel(anchor.channelId)).toBeUndefined();
    expect(a.channel(legacy.channelId)).toBeUndefined();
    expect(chain.refused.filter((r) => r.reason.includes('script'))).toEqual([]);
    expect(a.errors).toEqual([]);
    expect(b.errors).toEqual([]);
  });
});
