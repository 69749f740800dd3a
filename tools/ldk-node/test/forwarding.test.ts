// Three harness nodes A - B - C: A-B private, B-C announced (so A learns it
// through gossip); A pays C through B, C pays A through B using the route hint
// in A's invoice, a probe, and a failure at C reported back to A.
//
// A also keeps a gossip-only connection to C: LDK never sends its own
// channel_update of an announced channel to the channel's counterparty, so B
// may never relay C's direction, and LDK's router skips a channel until it has
// an update for both directions.
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { equalBytes } from 'ln-types';
import { LdkNode, RegtestChain, fundNode, openConfirmedChannel } from '../src/index.js';

const chain = RegtestChain.create();
let a: LdkNode;
let b: LdkNode;
let c: LdkNode;

beforeAll(async () => {
  a = await LdkNode.create({ name: 'A', chain });
  b = await LdkNode.create({ name: 'B', chain, channelOptions: { forwardingFeeBaseMsat: 1_000, forwardingFeeProportionalMillionths: 100 } });
  c = await LdkNode.create({ name: 'C', chain, claim: 'hold' });
  await fundNode(chain, a, 2_000_000n);
  await fundNode(chain, b, 2_000_000n);
  await a.connectInProcess(b);
  await b.connectInProcess(c);
  await a.connectInProcess(c);
  await openConfirmedChannel(chain, a, b, 1_000_000n, { pushMsat: 200_000_000n });
  const { ours: bc } = await openConfirmedChannel(chain, b, c, 1_000_000n, { announce: true, pushMsat: 200_000_000n });
  // Announcement signatures go out at 6 confirmations; A hears of the channel and both directions through gossip.
  await a.waitUntil(() => {
    const known = a.graphChannel(bc.shortChannelId!);
    return known !== undefined && known.oneToTwo && known.twoToOne;
  }, 20_000, 'A to learn the B-C channel in both directions');
  expect(a.listChannels().length).toBe(1);
});

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop(), c?.stop()]);
});

test('A pays C through B: B forwards and earns its fee', async () => {
  const p = a.payInvoice(c.createInvoice({ amountMsat: 10_000_000n, description: 'two hops' }));
  const claimable = await c.waitFor('PaymentClaimable', (e) => equalBytes(e.paymentHash, p.paymentHash));
  expect(claimable.amountMsat).toBe(10_000_000n);
  c.claimPayment(claimable.preimage!);
  const sent = await a.paymentOutcome(p.paymentId);
  expect(sent.kind).toBe('PaymentSent');
  const fee = sent.kind === 'PaymentSent' ? sent.feePaidMsat : undefined;
  expect(fee).toBe(1_000n + 1_000n); // base 1,000 msat + 100 ppm of 10,000,000 msat
  const forwarded = await b.waitFor('PaymentForwarded');
  expect(forwarded.feeEarnedMsat).toBe(fee);
  expect(forwarded.outboundAmountMsat).toBe(10_000_000n);
});

test('C pays A through B using the route hint of A private channel', async () => {
  const invoice = a.createInvoice({ amountMsat: 3_000_000n });
  const p = c.payInvoice(invoice);
  expect((await c.paymentOutcome(p.paymentId)).kind).toBe('PaymentSent');
  await a.waitFor('PaymentClaimed', (e) => equalBytes(e.paymentHash, p.paymentHash));
});

test('a probe from A across B to C succeeds', async () => {
  // Probes route like payments: let the previous payment's commitment dance finish first.
  const settled = (n: LdkNode) => n.listChannels().every((c) => c.usable && c.pendingInboundHtlcs + c.pendingOutboundHtlcs === 0);
  await a.waitUntil(() => settled(a) && settled(b) && settled(c), 10_000, 'channels without HTLCs');
  const probes = a.sendProbe(c.nodeId, 1_000_000n);
  expect(probes.length).toBe(1);
  await a.waitFor('ProbeSuccessful', (e) => equalBytes(e.paymentId, probes[0]!.paymentId));
});

test('a payment C refuses fails back to A, reported on the path', async () => {
  const p = a.payInvoice(c.createInvoice({ amountMsat: 2_000_000n }), { retries: 0 });
  await c.waitFor('PaymentClaimable', (e) => equalBytes(e.paymentHash, p.paymentHash));
  c.failPayment(p.paymentHash);
  const outcome = await a.paymentOutcome(p.paymentId);
  expect(outcome.kind).toBe('PaymentFailed');
  const failed = await a.waitFor('PaymentPathFailed', (e) => equalBytes(e.paymentHash, p.paymentHash));
  expect(failed.failure).toBe('OnPath');
  expect(failed.permanently).toBe(true);
  expect(failed.path.map((n) => equalBytes(n, c.nodeId))).toEqual([false, true]);
  await c.waitFor('HTLCHandlingFailed');
  expect([a.errors, b.errors, c.errors]).toEqual([[], [], []]);
});
