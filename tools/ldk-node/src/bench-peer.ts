import * as ldk from 'lightningdevkit';
import { randomBytes } from 'ln-crypto';
import { LdkNodeError } from './errors.js';
import { LdkNode } from './ldk-node.js';
import { expectOk } from './result.js';
import { fundNode, openConfirmedChannel } from './scenario.js';
import { RegtestChain } from './regtest-chain.js';

/** Options of {@link createLdkPaymentPeer}. */
export interface LdkPaymentPeerOptions {
  /** Channel capacity (default 10,000,000 sat: room for many payments in flight). */
  readonly channelSat?: bigint;
  /** Negotiate anchors (default true). */
  readonly anchors?: boolean;
  /** Amount of each payment (default 1,000 msat). */
  readonly amountMsat?: bigint;
}

/**
 * Two LDK nodes in this process joined by an in-process pipe with one
 * confirmed channel, for benchmarks: the figures our ChannelManager is compared
 * with. Logging is reduced to warnings and the ChannelManager is not
 * re-serialized after each change (the comparison is of protocol work).
 */
export interface LdkPaymentPeer {
  readonly payer: LdkNode;
  readonly payee: LdkNode;
  /**
   * One BOLT 11 payment: the payee makes an invoice, the payer decodes it,
   * routes, builds the onion and sends; add and commitment dance both ways,
   * claim, fulfill and dance both ways; resolves at PaymentSent.
   */
  payInvoice(): Promise<void>;
  /**
   * One commitment round trip: an HTLC added to a hash the payee registered
   * (no invoice encoding), committed both ways, fulfilled, committed both ways.
   * LDK cannot add an HTLC without an onion and a (one-hop) route: those are included.
   */
  commitmentRoundTrip(): Promise<void>;
  /** Runs `count` of `op` with `inFlight` at a time; resolves with the elapsed milliseconds. */
  runConcurrently(op: () => Promise<void>, count: number, inFlight: number): Promise<number>;
  close(): Promise<void>;
}

/** Builds the two-node LDK pair (about a second: two nodes, a funded wallet, one confirmed channel). */
export async function createLdkPaymentPeer(options: LdkPaymentPeerOptions = {}): Promise<LdkPaymentPeer> {
  const chain = RegtestChain.create();
  const common = { chain, log: { minLevel: 'WARN' as const }, persistManager: false };
  const payer = await LdkNode.create({ name: 'ldk-payer', ...common });
  const payee = await LdkNode.create({ name: 'ldk-payee', ...common });
  const channelSat = options.channelSat ?? 10_000_000n;
  const amountMsat = options.amountMsat ?? 1_000n;
  try {
    await fundNode(chain, payer, channelSat + 1_000_000n);
    await payer.connectInProcess(payee);
    await openConfirmedChannel(chain, payer, payee, channelSat, { ...(options.anchors === undefined ? {} : { anchors: options.anchors }) });
  } catch (e) {
    await payer.stop();
    await payee.stop();
    throw e;
  }

  const waitSent = async (paymentId: Uint8Array): Promise<void> => {
    const outcome = await payer.paymentOutcome(paymentId, 60_000);
    if (outcome.kind !== 'PaymentSent') throw new LdkNodeError('ldk_refused', `benchmark payment failed: ${outcome.reason ?? 'unknown reason'}`);
  };

  return {
    payer,
    payee,
    async payInvoice() {
      const invoice = payee.createInvoice({ amountMsat });
      await waitSent(payer.payInvoice(invoice).paymentId);
    },
    async commitmentRoundTrip() {
      const cm = payee.channelManager;
      const inbound = expectOk(cm.create_inbound_payment(ldk.Option_u64Z.constructor_some(amountMsat), 3600, ldk.Option_u16Z.constructor_none()), ldk.Result_C2Tuple_ThirtyTwoBytesThirtyTwoBytesZNoneZ_OK, 'inbound payment').res;
      const paymentHash = inbound.get_a();
      const route = ldk.RouteParameters.constructor_from_payment_params_and_value(ldk.PaymentParameters.constructor_from_node_id(payee.nodeId, 40), amountMsat);
      const paymentId = randomBytes(32);
      const r = payer.channelManager.send_payment(paymentHash, ldk.RecipientOnionFields.constructor_secret_only(inbound.get_b()), paymentId, route, ldk.Retry.constructor_attempts(0));
      expectOk(r, ldk.Result_NoneRetryableSendFailureZ_OK, 'sending the HTLC');
      payer.wake();
      await waitSent(paymentId);
    },
    async runConcurrently(op, count, inFlight) {
      const start = performance.now();
      let started = 0;
      const lane = async () => {
        while (started < count) {
          started++;
          await op();
        }
      };
      await Promise.all(Array.from({ length: Math.min(inFlight, count) }, lane));
      return performance.now() - start;
    },
    async close() {
      await payer.stop();
      await payee.stop();
    },
  };
}

/** A throughput figure: operations per second over one timed run. */
export interface PeerRate {
  readonly perSecond: number;
  readonly count: number;
  readonly elapsedMs: number;
}

/**
 * LDK-to-LDK BOLT 11 payments per second (sequential with `inFlight` 1, or
 * that many at once), after `warmup` payments; runs for at least `minMs`.
 */
export async function ldkPaymentsPerSecond(peer: LdkPaymentPeer, options: { inFlight?: number; minMs?: number; warmup?: number } = {}): Promise<PeerRate> {
  return rate(peer, () => peer.payInvoice(), options);
}

/** LDK-to-LDK commitment round trips per second (see {@link LdkPaymentPeer.commitmentRoundTrip}). */
export async function ldkCommitmentUpdatesPerSecond(peer: LdkPaymentPeer, options: { inFlight?: number; minMs?: number; warmup?: number } = {}): Promise<PeerRate> {
  return rate(peer, () => peer.commitmentRoundTrip(), options);
}

async function rate(peer: LdkPaymentPeer, op: () => Promise<void>, options: { inFlight?: number; minMs?: number; warmup?: number }): Promise<PeerRate> {
  const inFlight = options.inFlight ?? 1;
  const minMs = options.minMs ?? 2_000;
  await peer.runConcurrently(op, options.warmup ?? 10, inFlight);
  let count = 0;
  let elapsedMs = 0;
  // Batches of a few rounds of `inFlight` until the time is reached.
  while (elapsedMs < minMs) {
    const batch = inFlight * 5;
    elapsedMs += await peer.runConcurrently(op, batch, inFlight);
    count += batch;
  }
  return { perSecond: (count * 1000) / elapsedMs, count, elapsedMs };
}
