import { describe, expect, it } from '@jest/globals';
import { sha256 } from 'ln-crypto';
import { DefaultRouter } from 'ln-router';
import { NO_IN_FLIGHT_HTLCS, paymentParametersForBlinded, paymentParametersForNode } from 'ln-router-api';
import { NO_RETRY, PaymentEngine, planInvoicePayment, type PaymentEvent } from '../../src/payments/index.js';
import { SimNetwork, DEFAULT_POLICY } from './sim.js';

const id = (n: number) => new Uint8Array(32).fill(n);
const of = <K extends PaymentEvent['kind']>(events: PaymentEvent[], kind: K) => events.filter((e): e is Extract<PaymentEvent, { kind: K }> => e.kind === kind);

async function invoice(net: SimNetwork, payee: number, amountMsat?: bigint): Promise<string> {
  const { invoice } = await net.nodes[payee]!.engine.createInvoice({ ...(amountMsat !== undefined && { amountMsat }), description: 'test', nowSeconds: net.timestamp });
  return invoice;
}

describe('payment engine over simulated channels', () => {
  it('pays a direct peer: claimable, claimed, sent; balances move by the amount', async () => {
    const net = new SimNetwork(2);
    net.open(0, 1, 1_000_000n, 0n);
    net.start();
    const total = net.totalMsat();
    const hash = await net.nodes[0]!.engine.payInvoice(await invoice(net, 1, 50_000n), id(1), NO_RETRY);
    await net.run();
    const [claimable] = of(net.nodes[1]!.events, 'payment_claimable');
    expect(claimable).toMatchObject({ paymentHash: hash, amountMsat: 50_000n, purpose: { kind: 'bolt11_invoice_payment' }, receiverNodeId: net.nodes[1]!.nodeId });
    expect(of(net.nodes[1]!.events, 'payment_claimed')).toHaveLength(1);
    const [sent] = of(net.nodes[0]!.events, 'payment_sent');
    expect(sent).toMatchObject({ paymentId: id(1), paymentHash: hash, feePaidMsat: 0n });
    expect(sha256(sent!.paymentPreimage)).toEqual(hash);
    expect(of(net.nodes[0]!.events, 'payment_path_successful')).toHaveLength(1);
    expect(net.balanceOf(1)).toBe(50_000n);
    expect(net.totalMsat()).toBe(total);
  });

  it('forwards over three hops: the forwarders earn exactly the fees the sender pays', async () => {
    const net = new SimNetwork(4);
    net.open(0, 1, 10_000_000n, 0n);
    net.open(1, 2, 10_000_000n, 0n, { ...DEFAULT_POLICY, feeBaseMsat: 2000, feeProportionalMillionths: 1000 });
    net.open(2, 3, 10_000_000n, 0n, { ...DEFAULT_POLICY, feeBaseMsat: 500, feeProportionalMillionths: 10 });
    net.start();
    await net.nodes[0]!.engine.payInvoice(await invoice(net, 3, 1_000_000n), id(2), NO_RETRY);
    await net.run();
    const [sent] = of(net.nodes[0]!.events, 'payment_sent');
    const fees = [1, 2].map((i) => of(net.nodes[i]!.events, 'payment_forwarded')[0]!.totalFeeEarnedMsat);
    // C charges 500 + 1e6 * 10 / 1e6 = 510; B charges 2000 + 1000510 * 1000 / 1e6 = 3000.
    expect(fees).toEqual([3000n, 510n]);
    expect(sent!.feePaidMsat).toBe(3510n);
    expect(net.balanceOf(3)).toBe(1_000_000n);
    expect(net.balanceOf(1)).toBe(10_000_000n + 3000n);
    expect(of(net.nodes[1]!.events, 'payment_forwarded')[0]).toMatchObject({ outboundAmountForwardedMsat: 1_000_510n, claimFromOnchainTx: false });
  });

  it('a failure in the middle is attributed to the right channel, scored, and retried on another path', async () => {
    const net = new SimNetwork(4);
    net.open(0, 1, 10_000_000n, 0n);
    const broken = net.open(1, 3, 10_000_000n, 0n);
    net.open(0, 2, 10_000_000n, 0n);
    net.open(2, 3, 10_000_000n, 0n, { ...DEFAULT_POLICY, feeBaseMsat: 5000 });
    net.start();
    broken.usable = false;
    await net.nodes[0]!.engine.payInvoice(await invoice(net, 3, 100_000n), id(3), { kind: 'attempts', count: 3 });
    await net.run();
    const [failed] = of(net.nodes[0]!.events, 'payment_path_failed');
    expect(failed).toMatchObject({ paymentFailedPermanently: false, shortChannelId: broken.scid, failure: { kind: 'on_path', erringNodeId: net.nodes[1]!.nodeId, erringHopIndex: 0, failure: { name: 'temporary_channel_failure' } } });
    expect(of(net.nodes[1]!.events, 'htlc_handling_failed')[0]).toMatchObject({ failedNextDestination: { kind: 'next_hop_channel', channelId: broken.channelId } });
    expect(of(net.nodes[0]!.events, 'payment_sent')).toHaveLength(1);
    expect(of(net.nodes[0]!.events, 'payment_failed')).toHaveLength(0);
    expect(net.balanceOf(3)).toBe(100_000n);
  });

  it('without retries the payment fails once every part is back', async () => {
    const net = new SimNetwork(3);
    net.open(0, 1, 10_000_000n, 0n);
    const broken = net.open(1, 2, 10_000_000n, 0n);
    net.start();
    broken.usable = false;
    await net.nodes[0]!.engine.payInvoice(await invoice(net, 2, 1000n), id(4), NO_RETRY);
    await net.run();
    expect(of(net.nodes[0]!.events, 'payment_failed')).toEqual([{ kind: 'payment_failed', paymentId: id(4), paymentHash: expect.any(Uint8Array), reason: 'retries_exhausted' }]);
    expect(net.balanceOf(0)).toBe(10_000_000n);
  });

  it('the payee refusing (unknown payment) ends the payment: recipient_rejected, no retry', async () => {
    const net = new SimNetwork(2);
    net.open(0, 1, 1_000_000n, 0n);
    net.start();
    const text = await invoice(net, 1, 1000n);
    // Another node's invoice for node 1's id cannot exist; a wrong secret is what a payee sees from a stale invoice.
    await net.nodes[0]!.engine.sendPayment({
      paymentId: id(5),
      paymentHash: new Uint8Array(32).fill(3),
      recipient: { paymentSecret: new Uint8Array(32).fill(4) },
      routeParams: planInvoicePayment(text, { nowSeconds: net.timestamp }).routeParams,
      retry: { kind: 'attempts', count: 5 },
    });
    await net.run();
    const [pf] = of(net.nodes[0]!.events, 'payment_path_failed');
    expect(pf).toMatchObject({ paymentFailedPermanently: true, failure: { failure: { name: 'incorrect_or_unknown_payment_details', htlcMsat: 1000n, height: net.height } } });
    expect(of(net.nodes[0]!.events, 'payment_failed')[0]).toMatchObject({ reason: 'recipient_rejected' });
    expect(of(net.nodes[1]!.events, 'htlc_handling_failed')[0]).toMatchObject({ failedNextDestination: { kind: 'failed_payment' } });
  });

  it('refuses an invoice of another network, an expired one, or one without an amount when none is given', async () => {
    const net = new SimNetwork(2);
    net.open(0, 1, 1_000_000n, 0n);
    net.start();
    const payer = net.nodes[0]!.engine;
    const { invoice: mainnet } = await net.nodes[1]!.engine.createInvoice({ currency: 'bc', amountMsat: 1000n, description: 'x', nowSeconds: net.timestamp });
    await expect(payer.payInvoice(mainnet, id(30), NO_RETRY)).rejects.toThrow(expect.objectContaining({ code: 'invalid_invoice' }));
    const { invoice: old } = await net.nodes[1]!.engine.createInvoice({ amountMsat: 1000n, description: 'x', nowSeconds: net.timestamp - 7200, expirySeconds: 3600 });
    await expect(payer.payInvoice(old, id(31), NO_RETRY)).rejects.toThrow(expect.objectContaining({ code: 'invalid_invoice' }));
    const anyAmount = await invoice(net, 1);
    await expect(payer.payInvoice(anyAmount, id(32), NO_RETRY)).rejects.toThrow(expect.objectContaining({ code: 'invalid_amount' }));
    await payer.payInvoice(anyAmount, id(32), NO_RETRY, { amountMsat: 777n });
    await net.run();
    expect(of(net.nodes[1]!.events, 'payment_claimed')[0]!.amountMsat).toBe(777n);
    expect(payer.listRecentPayments().map((p) => p.paymentId)).toEqual([id(32)]);
  });

  it('the same payment id never pays twice', async () => {
    const net = new SimNetwork(2);
    net.open(0, 1, 1_000_000n, 0n);
    net.start();
    await net.nodes[0]!.engine.payInvoice(await invoice(net, 1, 1000n), id(6), NO_RETRY);
    await expect(net.nodes[0]!.engine.payInvoice(await invoice(net, 1, 1000n), id(6), NO_RETRY)).rejects.toThrow(expect.objectContaining({ code: 'duplicate_payment' }));
    await net.run();
    await expect(net.nodes[0]!.engine.payInvoice(await invoice(net, 1, 1000n), id(6), NO_RETRY)).rejects.toThrow(expect.objectContaining({ code: 'duplicate_payment' }));
    // The id is released IDEMPOTENCY_TIMEOUT_TICKS after the payment finished.
    for (let i = 0; i < 8; i++) await net.tick();
    await net.nodes[0]!.engine.payInvoice(await invoice(net, 1, 1000n), id(6), NO_RETRY);
    await net.run();
    expect(of(net.nodes[0]!.events, 'payment_sent')).toHaveLength(2);
    expect(net.balanceOf(1)).toBe(2000n);
  });

  it('multi-part: a payment no single channel can carry goes over two paths and is claimed once', async () => {
    const net = new SimNetwork(4);
    net.open(0, 1, 600_000n, 0n);
    net.open(0, 2, 600_000n, 0n);
    net.open(1, 3, 600_000n, 0n);
    net.open(2, 3, 600_000n, 0n);
    net.start();
    await net.nodes[0]!.engine.payInvoice(await invoice(net, 3, 1_000_000n), id(7), NO_RETRY);
    await net.run();
    const [claimable] = of(net.nodes[3]!.events, 'payment_claimable');
    expect(claimable!.viaChannelIds).toHaveLength(2);
    expect(claimable!.amountMsat).toBe(1_000_000n);
    expect(of(net.nodes[3]!.events, 'payment_claimed')[0]!.htlcs).toHaveLength(2);
    expect(of(net.nodes[0]!.events, 'payment_sent')).toHaveLength(1);
    expect(of(net.nodes[0]!.events, 'payment_path_successful')).toHaveLength(2);
    expect(net.balanceOf(3)).toBe(1_000_000n);
  });

  it('an incomplete multi-part payment times out with mpp_timeout after three ticks', async () => {
    const net = new SimNetwork(3);
    net.open(0, 1, 150_000n, 0n);
    net.open(0, 2, 150_000n, 0n);
    const broken = net.open(2, 1, 150_000n, 0n);
    net.start();
    broken.usable = false;
    // 200k needs both paths; the one through node 2 fails, the other waits at the payee.
    await net.nodes[0]!.engine.payInvoice(await invoice(net, 1, 200_000n), id(8), NO_RETRY);
    await net.run();
    expect(of(net.nodes[0]!.events, 'payment_path_failed')).toHaveLength(1);
    expect(of(net.nodes[1]!.events, 'payment_claimable')).toHaveLength(0);
    await net.tick();
    await net.tick();
    expect(of(net.nodes[0]!.events, 'payment_failed')).toHaveLength(0);
    await net.tick();
    expect(of(net.nodes[0]!.events, 'payment_path_failed')[1]).toMatchObject({ paymentFailedPermanently: false, failure: { failure: { name: 'mpp_timeout' } } });
    expect(of(net.nodes[0]!.events, 'payment_failed')).toHaveLength(1);
    expect(net.balanceOf(1)).toBe(0n);
    expect(net.balanceOf(0)).toBe(300_000n);
  });

  it('keysend: the preimage travels in the onion; custom records arrive', async () => {
    const net = new SimNetwork(3);
    net.open(0, 1, 1_000_000n, 0n);
    net.open(1, 2, 1_000_000n, 0n);
    net.start();
    const hash = await net.nodes[0]!.engine.sendSpontaneousPayment({ paymentId: id(9), payee: net.nodes[2]!.nodeId, amountMsat: 12_345n, retry: NO_RETRY, customRecords: [{ type: 70001n, value: Uint8Array.of(9) }] });
    await net.run();
    const [c] = of(net.nodes[2]!.events, 'payment_claimable');
    expect(c).toMatchObject({ paymentHash: hash, purpose: { kind: 'spontaneous_payment' }, onionFields: { customRecords: [{ type: 70001n, value: Uint8Array.of(9) }] } });
    expect(of(net.nodes[0]!.events, 'payment_sent')).toHaveLength(1);
    expect(net.balanceOf(2)).toBe(12_345n);
  });

  it('probes: successful to the destination, failed at a broken channel; neither moves money', async () => {
    const net = new SimNetwork(3);
    net.open(0, 1, 1_000_000n, 0n);
    const c12 = net.open(1, 2, 1_000_000n, 0n);
    net.start();
    const router = new DefaultRouter(net.graph!, net.scorer!);
    const params = { paymentParams: paymentParametersForNode(net.nodes[2]!.nodeId, 40), finalValueMsat: 5000n };
    const path = router.findRoute(net.nodes[0]!.nodeId, params, net.nodes[0]!.engine.firstHops(), NO_IN_FLIGHT_HTLCS).paths[0]!;
    const ok = await net.nodes[0]!.engine.sendProbe(path);
    await net.run();
    expect(of(net.nodes[0]!.events, 'probe_successful')).toEqual([{ kind: 'probe_successful', paymentId: ok.paymentId, paymentHash: ok.paymentHash, path }]);
    c12.usable = false;
    const bad = await net.nodes[0]!.engine.sendProbe(path);
    await net.run();
    expect(of(net.nodes[0]!.events, 'probe_failed')).toEqual([{ kind: 'probe_failed', paymentId: bad.paymentId, paymentHash: bad.paymentHash, path, shortChannelId: c12.scid }]);
    expect(net.balanceOf(0)).toBe(1_000_000n);
    expect(of(net.nodes[0]!.events, 'payment_sent')).toHaveLength(0);
  });

  it('an unclaimed payment is failed back before its HTLCs expire', async () => {
    const net = new SimNetwork(2, { autoClaim: false });
    net.open(0, 1, 1_000_000n, 0n);
    net.start();
    await net.nodes[0]!.engine.payInvoice(await invoice(net, 1, 1000n), id(10), NO_RETRY);
    await net.run();
    const [c] = of(net.nodes[1]!.events, 'payment_claimable');
    expect(c).toBeDefined();
    await net.mine(c!.claimDeadline - net.height - 1);
    expect(of(net.nodes[0]!.events, 'payment_failed')).toHaveLength(0);
    await net.mine(1);
    expect(of(net.nodes[0]!.events, 'payment_failed')).toHaveLength(1);
    expect(net.balanceOf(0)).toBe(1_000_000n);
  });

  it('claimFunds with the user preimage; failHtlcBackwards refuses a payment', async () => {
    const net = new SimNetwork(2, { autoClaim: false });
    net.open(0, 1, 1_000_000n, 0n);
    net.start();
    const preimage = new Uint8Array(32).fill(0x55);
    const { invoice: text } = await net.nodes[1]!.engine.createInvoice({ amountMsat: 1000n, description: 'x', nowSeconds: net.timestamp, paymentPreimage: preimage });
    await net.nodes[0]!.engine.payInvoice(text, id(11), NO_RETRY);
    await net.run();
    expect(of(net.nodes[1]!.events, 'payment_claimable')[0]!.purpose).toEqual({ kind: 'bolt11_invoice_payment', paymentSecret: expect.any(Uint8Array) });
    expect(() => net.nodes[1]!.engine.claimFunds(new Uint8Array(32))).toThrow(expect.objectContaining({ code: 'unknown_payment' }));
    net.nodes[1]!.engine.claimFunds(preimage);
    await net.run();
    expect(of(net.nodes[0]!.events, 'payment_sent')[0]!.paymentPreimage).toEqual(preimage);
    await net.nodes[0]!.engine.payInvoice(await invoice(net, 1, 2000n), id(12), NO_RETRY);
    await net.run();
    await net.nodes[1]!.engine.failHtlcBackwards(of(net.nodes[1]!.events, 'payment_claimable')[1]!.paymentHash);
    await net.run();
    expect(of(net.nodes[0]!.events, 'payment_failed')[0]).toMatchObject({ paymentId: id(12), reason: 'recipient_rejected' });
  });

  it('intercepts an HTLC to an intercept scid and forwards it over a channel opened just in time', async () => {
    const net = new SimNetwork(3);
    net.open(0, 1, 1_000_000n, 0n);
    net.start({ acceptInterceptHtlcs: true });
    const lsp = net.nodes[1]!;
    const scid = lsp.engine.getInterceptScid();
    const { invoice: text } = await net.nodes[2]!.engine.createInvoice({
      amountMsat: 50_000n,
      description: 'jit',
      nowSeconds: net.timestamp,
      extraRouteHints: [[{ nodeId: lsp.nodeId, shortChannelId: scid, feeBaseMsat: 0, feeProportionalMillionths: 0, cltvExpiryDelta: 48 }]],
    });
    await net.nodes[0]!.engine.payInvoice(text, id(13), NO_RETRY);
    await net.run();
    const [held] = of(lsp.events, 'htlc_intercepted');
    expect(held).toMatchObject({ requestedNextHopScid: scid, expectedOutboundAmountMsat: 50_000n });
    const jit = net.open(1, 2, 100_000n, 0n);
    await lsp.engine.forwardInterceptedHtlc(held!.interceptId, jit.channelId, net.nodes[2]!.nodeId, held!.expectedOutboundAmountMsat);
    await net.run();
    expect(of(net.nodes[2]!.events, 'payment_claimed')).toHaveLength(1);
    expect(of(net.nodes[0]!.events, 'payment_sent')).toHaveLength(1);
    await expect(lsp.engine.failInterceptedHtlc(held!.interceptId)).rejects.toThrow(expect.objectContaining({ code: 'unknown_payment' }));
  });

  it('an intercepted HTLC is failed back when refused, or before it expires', async () => {
    const net = new SimNetwork(3);
    net.open(0, 1, 1_000_000n, 0n);
    net.start({ acceptInterceptHtlcs: true });
    const lsp = net.nodes[1]!;
    const hint = (scid: ReturnType<typeof lsp.engine.getInterceptScid>) => [[{ nodeId: lsp.nodeId, shortChannelId: scid, feeBaseMsat: 0, feeProportionalMillionths: 0, cltvExpiryDelta: 48 }]];
    const pay = async (n: number) => {
      const { invoice: text } = await net.nodes[2]!.engine.createInvoice({ amountMsat: 1000n, description: 'x', nowSeconds: net.timestamp, extraRouteHints: hint(lsp.engine.getInterceptScid()) });
      await net.nodes[0]!.engine.payInvoice(text, id(n), NO_RETRY);
      await net.run();
    };
    await pay(40);
    const [first] = of(lsp.events, 'htlc_intercepted');
    await lsp.engine.failInterceptedHtlc(first!.interceptId);
    await net.run();
    expect(of(net.nodes[0]!.events, 'payment_path_failed')[0]).toMatchObject({ failure: { failure: { name: 'unknown_next_peer' } } });
    await pay(41);
    const before = of(net.nodes[0]!.events, 'payment_failed').length;
    // No decision: the HTLC is failed back before its expiry comes within HTLC_FAIL_BACK_BUFFER.
    await net.mine(100);
    expect(of(net.nodes[0]!.events, 'payment_failed').length).toBe(before + 1);
    expect(of(net.nodes[0]!.events, 'payment_path_failed').at(-1)).toMatchObject({ failure: { failure: { name: 'temporary_node_failure' } } });
    expect(net.balanceOf(0)).toBe(1_000_000n);
  });

  it('an HTLC to a scid that is neither a channel nor an intercept scid fails unknown_next_peer', async () => {
    const net = new SimNetwork(3);
    net.open(0, 1, 1_000_000n, 0n);
    net.start({ acceptInterceptHtlcs: true });
    const { invoice: text } = await net.nodes[2]!.engine.createInvoice({
      amountMsat: 1000n,
      description: 'x',
      nowSeconds: net.timestamp,
      extraRouteHints: [[{ nodeId: net.nodes[1]!.nodeId, shortChannelId: (net.channels[0]!.scid + 99n) as never, feeBaseMsat: 0, feeProportionalMillionths: 0, cltvExpiryDelta: 48 }]],
    });
    await net.nodes[0]!.engine.payInvoice(text, id(14), NO_RETRY);
    await net.run();
    expect(of(net.nodes[0]!.events, 'payment_path_failed')[0]).toMatchObject({ failure: { failure: { name: 'unknown_next_peer' } } });
    expect(of(net.nodes[1]!.events, 'htlc_handling_failed')[0]).toMatchObject({ failedNextDestination: { kind: 'unknown_next_hop' } });
  });

  it('receives through a blinded path it built: the payer routes to it with a blinded tail, the introduction node forwards blindly', async () => {
    const net = new SimNetwork(3);
    net.open(0, 1, 1_000_000n, 0n);
    const bc = net.open(1, 2, 1_000_000n, 0n, { ...DEFAULT_POLICY, feeBaseMsat: 1000, feeProportionalMillionths: 100, cltvExpiryDelta: 48 });
    net.start();
    const payee = net.nodes[2]!.engine;
    const payment = payee.createInboundPayment({ minAmountMsat: 50_000n, expirySeconds: 600, nowSeconds: net.timestamp });
    const path = payee.createBlindedReceivePath(payment, [{ nodeId: net.nodes[1]!.nodeId, shortChannelId: bc.scid, relay: { feeBaseMsat: 1000, feeProportionalMillionths: 100, cltvExpiryDelta: 48 } }]);
    await net.nodes[0]!.engine.sendPayment({
      paymentId: id(16),
      paymentHash: payment.paymentHash,
      recipient: {},
      routeParams: { paymentParams: paymentParametersForBlinded([path]), finalValueMsat: 50_000n },
      retry: NO_RETRY,
    });
    await net.run();
    const [claimed] = of(net.nodes[2]!.events, 'payment_claimed');
    expect(claimed).toMatchObject({ paymentHash: payment.paymentHash, purpose: { kind: 'bolt11_invoice_payment' } });
    expect(claimed!.amountMsat).toBeGreaterThanOrEqual(50_000n);
    expect(of(net.nodes[0]!.events, 'payment_sent')).toHaveLength(1);
    expect(of(net.nodes[1]!.events, 'payment_forwarded')[0]!.totalFeeEarnedMsat).toBeGreaterThanOrEqual(1005n);
    // A wrong amount inside the blinded route is refused without saying where.
    const tooSmall = payee.createInboundPayment({ minAmountMsat: 50_000n, expirySeconds: 600, nowSeconds: net.timestamp });
    const path2 = payee.createBlindedReceivePath(tooSmall, [{ nodeId: net.nodes[1]!.nodeId, shortChannelId: bc.scid, relay: { feeBaseMsat: 1000, feeProportionalMillionths: 100, cltvExpiryDelta: 48 } }]);
    await net.nodes[0]!.engine.sendPayment({ paymentId: id(17), paymentHash: tooSmall.paymentHash, recipient: {}, routeParams: { paymentParams: paymentParametersForBlinded([path2]), finalValueMsat: 40_000n }, retry: NO_RETRY });
    await net.run();
    const [pf] = of(net.nodes[0]!.events, 'payment_path_failed');
    expect(pf).toMatchObject({ failure: { failure: { name: 'invalid_onion_blinding' } } });
    expect(of(net.nodes[0]!.events, 'payment_failed')).toHaveLength(1);
  });

  it('every role restarts mid-payment from its bytes and the payment completes once', async () => {
    const net = new SimNetwork(3);
    net.open(0, 1, 1_000_000n, 0n);
    net.open(1, 2, 1_000_000n, 0n);
    net.start();
    await net.nodes[0]!.engine.payInvoice(await invoice(net, 2, 7000n), id(15), NO_RETRY);
    // Deliver hop by hop, restarting every node between steps.
    while (net.tasks.length > 0) {
      const task = net.tasks.shift()!;
      await task();
      for (const n of net.nodes) {
        await n.engine.idle();
        const bytes = n.engine.write();
        const host = net.host(n);
        n.engine = PaymentEngine.read(bytes, { nodeSigner: n.keys, entropy: n.keys, router: { findRoute: () => { throw new Error('no route'); } }, host, currency: 'bcrt' });
        await n.engine.replayPendingClaims();
      }
    }
    await net.run();
    expect(of(net.nodes[0]!.events, 'payment_sent')).toHaveLength(1);
    expect(of(net.nodes[2]!.events, 'payment_claimed')).toHaveLength(1);
    expect(net.balanceOf(2)).toBe(7000n);
    await expect(net.nodes[0]!.engine.payInvoice(await invoice(net, 2, 7000n), id(15), NO_RETRY)).rejects.toThrow(expect.objectContaining({ code: 'duplicate_payment' }));
  });
});

