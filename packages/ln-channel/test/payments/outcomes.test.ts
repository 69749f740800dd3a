// What a payment's outcome tells the rest of the node: the scorer (path and
// probe results), the fee and cltv limits, and the events as persisted.
import { describe, expect, it } from '@jest/globals';
import { DefaultRouter } from 'ln-router';
import { NO_IN_FLIGHT_HTLCS, paymentParametersForNode, type Path, type ScoreUpdate } from 'ln-router-api';
import { decodeEvent, encodeEvent } from '../../src/serialization/event-codec.js';
import { directPeerRouter, NO_RETRY, OutboundPayments, planInvoicePayment, type PaymentEvent, type RetryStrategy } from '../../src/payments/index.js';
import { nodeId, shortChannelId } from 'ln-types';
import { DEFAULT_POLICY, SimNetwork } from './sim.js';

const id = (n: number) => new Uint8Array(32).fill(n);

class SpyScorer implements ScoreUpdate {
  readonly calls: string[] = [];
  paymentPathFailed(_p: Path, scid: bigint): void {
    this.calls.push(`failed ${scid}`);
  }
  paymentPathSuccessful(p: Path): void {
    this.calls.push(`succeeded ${p.hops.length}`);
  }
  probeFailed(_p: Path, scid: bigint): void {
    this.calls.push(`probe failed ${scid}`);
  }
  probeSuccessful(p: Path): void {
    this.calls.push(`probe succeeded ${p.hops.length}`);
  }
  timePassed(): void {
    this.calls.push('time');
  }
}

async function line(scorer?: ScoreUpdate): Promise<SimNetwork> {
  const net = new SimNetwork(3);
  net.open(0, 1, 1_000_000n, 0n);
  net.open(1, 2, 1_000_000n, 0n, { ...DEFAULT_POLICY, feeBaseMsat: 5000, cltvExpiryDelta: 144 });
  net.start(scorer === undefined ? {} : { scorer });
  await net.run();
  return net;
}

describe('payment outcomes', () => {
  it('the scorer learns each path outcome: failure at the blamed channel, success, probes, time', async () => {
    const scorer = new SpyScorer();
    const net = await line(scorer);
    const { invoice } = await net.nodes[2]!.engine.createInvoice({ amountMsat: 1000n, description: 'x', nowSeconds: net.timestamp });
    await net.nodes[0]!.engine.payInvoice(invoice, id(1), NO_RETRY);
    await net.run();
    net.channels[1]!.usable = false;
    const { invoice: second } = await net.nodes[2]!.engine.createInvoice({ amountMsat: 1000n, description: 'y', nowSeconds: net.timestamp });
    await net.nodes[0]!.engine.payInvoice(second, id(2), NO_RETRY);
    await net.run();
    const path = new DefaultRouter(net.graph!, net.scorer!).findRoute(net.nodes[0]!.nodeId, { paymentParams: paymentParametersForNode(net.nodes[2]!.nodeId, 42), finalValueMsat: 500n }, net.nodes[0]!.engine.firstHops(), NO_IN_FLIGHT_HTLCS).paths[0]!;
    await net.nodes[0]!.engine.sendProbe(path);
    await net.run();
    net.channels[1]!.usable = true;
    await net.nodes[0]!.engine.sendProbe(path);
    await net.run();
    await net.nodes[0]!.engine.timerTickOccurred();
    expect(scorer.calls).toEqual(['succeeded 2', `failed ${net.channels[1]!.scid}`, `probe failed ${net.channels[1]!.scid}`, 'probe succeeded 2', 'time']);
    // Probe events go through the event codec too.
    const probes = net.nodes[0]!.events.filter((e) => e.kind === 'probe_successful' || e.kind === 'probe_failed');
    expect(probes).toHaveLength(2);
    for (const e of probes) expect(decodeEvent(encodeEvent(e))).toEqual(e);
  });

  it('the fee limit and the cltv limit refuse routes that exceed them (nothing is sent, the id stays free)', async () => {
    const net = await line();
    const { invoice } = await net.nodes[2]!.engine.createInvoice({ amountMsat: 100_000n, description: 'x', nowSeconds: net.timestamp });
    const payer = net.nodes[0]!.engine;
    await expect(payer.payInvoice(invoice, id(3), NO_RETRY, { maxTotalRoutingFeeMsat: 4999n })).rejects.toThrow(expect.objectContaining({ code: 'route_not_found' }));
    await expect(payer.payInvoice(invoice, id(3), NO_RETRY, { maxTotalCltvExpiryDelta: 144 })).rejects.toThrow(expect.objectContaining({ code: 'route_not_found' }));
    const plan = planInvoicePayment(invoice, { nowSeconds: net.timestamp, maxTotalRoutingFeeMsat: 5010n });
    expect(plan.routeParams.maxTotalRoutingFeeMsat).toBe(5010n);
    await payer.payInvoice(invoice, id(3), NO_RETRY, { maxTotalRoutingFeeMsat: 5010n, maxTotalCltvExpiryDelta: 300 });
    await net.run();
    expect(net.eventsOf(0, 'payment_sent')).toHaveLength(1);
  });

  it('every payment event survives the manager\'s event codec', async () => {
    const net = await line();
    const { invoice } = await net.nodes[2]!.engine.createInvoice({ amountMsat: 1000n, description: 'x', nowSeconds: net.timestamp, paymentMetadata: Uint8Array.of(1) });
    await net.nodes[0]!.engine.payInvoice(invoice, id(4), NO_RETRY);
    await net.run();
    net.channels[1]!.usable = false;
    const { invoice: second } = await net.nodes[2]!.engine.createInvoice({ amountMsat: 1000n, description: 'y', nowSeconds: net.timestamp });
    await net.nodes[0]!.engine.payInvoice(second, id(5), NO_RETRY);
    await net.nodes[0]!.engine.sendSpontaneousPayment({ paymentId: id(6), payee: net.nodes[1]!.nodeId, amountMsat: 10n, retry: NO_RETRY, customRecords: [{ type: 70_001n, value: Uint8Array.of(5) }] });
    await net.run();
    const all: PaymentEvent[] = net.nodes.flatMap((n) => n.events);
    const kinds = new Set(all.map((e) => e.kind));
    for (const k of ['payment_claimable', 'payment_claimed', 'payment_sent', 'payment_path_successful', 'payment_path_failed', 'payment_failed', 'payment_forwarded', 'htlc_handling_failed']) expect(kinds).toContain(k);
    for (const e of all) expect(decodeEvent(encodeEvent(e))).toEqual(e);
  });
});

describe('retry budgets', () => {
  const payer = nodeId(Uint8Array.of(2, ...new Uint8Array(32).fill(1)));
  const payee = nodeId(Uint8Array.of(3, ...new Uint8Array(32).fill(2)));
  const firstHop = { counterpartyNodeId: payee, shortChannelId: shortChannelId(1n << 40n), nextOutboundHtlcLimitMsat: 10n ** 9n, nextOutboundHtlcMinimumMsat: 1n, counterpartyFeatures: new Uint8Array(0), channelFeatures: new Uint8Array(0) };
  const env = { payer, router: directPeerRouter, firstHops: [firstHop], height: 800_000 };
  const request = (retry: RetryStrategy) => ({
    paymentId: id(9),
    paymentHash: new Uint8Array(32).fill(9),
    recipient: { paymentSecret: new Uint8Array(32) },
    routeParams: { paymentParams: paymentParametersForNode(payee, 42), finalValueMsat: 1000n },
    retry,
  });
  let n = 0;
  const outbound = () => new OutboundPayments({ entropy: { getSecureRandomBytes: () => new Uint8Array(32).fill(++n % 200 + 1) } });

  it('attempts: one retry per failure until the count is spent, then payment_failed (retries_exhausted)', async () => {
    const o = outbound();
    let [h] = await o.send(request({ kind: 'attempts', count: 2 }), env);
    for (let i = 0; i < 2; i++) {
      o.htlcSendFailed(h!.source, 'refused');
      const r = await o.processPendingRetries(env);
      expect(r.htlcs).toHaveLength(1);
      h = r.htlcs[0];
    }
    const events = o.htlcSendFailed(h!.source, 'refused');
    expect(events.map((e) => e.kind)).toEqual(['payment_path_failed']);
    expect((await o.processPendingRetries(env)).events).toEqual([expect.objectContaining({ kind: 'payment_failed', reason: 'retries_exhausted' })]);
  });

  it('timeout: retries while fewer ticks than the budget have passed', async () => {
    const o = outbound();
    const [h] = await o.send(request({ kind: 'timeout', ticks: 2 }), env);
    o.htlcSendFailed(h!.source, 'refused');
    o.timerTick();
    const r = await o.processPendingRetries(env);
    expect(r.htlcs).toHaveLength(1);
    o.htlcSendFailed(r.htlcs[0]!.source, 'refused');
    o.timerTick();
    expect((await o.processPendingRetries(env)).events).toEqual([expect.objectContaining({ kind: 'payment_failed', reason: 'retries_exhausted' })]);
    expect(o.has(id(9))).toBe(true);
  });

  it('an expired invoice stops retries (payment_expired)', async () => {
    const o = outbound();
    const [h] = await o.send({ ...request({ kind: 'attempts', count: 5 }), expiresAt: 1000 }, env);
    o.htlcSendFailed(h!.source, 'refused');
    expect((await o.processPendingRetries({ ...env, nowSeconds: 1001 })).events).toEqual([expect.objectContaining({ kind: 'payment_failed', reason: 'payment_expired' })]);
  });
});
