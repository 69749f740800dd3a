import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { Path } from 'ln-router-api';
import { nodeId, shortChannelId, type ChannelId } from 'ln-types';
import { ClaimablePayments, decodeHtlcSource, encodeHtlcSource, NO_RETRY, OutboundPayments, PaymentEngine, PaymentError, type HtlcSource, type PrevHop } from '../../src/payments/index.js';
import { SimNetwork } from './sim.js';

const runs = process.env.LN_LONG_TESTS === '1' ? 2000 : 150;

const bytes = (n: number) => fc.uint8Array({ minLength: n, maxLength: n });
const point = bytes(32).map((b) => nodeId(Uint8Array.of(2, ...b)));
const hopArb = fc.record({
  nodeId: point,
  nodeFeatures: fc.uint8Array({ maxLength: 8 }),
  shortChannelId: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }).map(shortChannelId),
  channelFeatures: fc.uint8Array({ maxLength: 8 }),
  amountMsat: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
  feeMsat: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
  cltvExpiryDelta: fc.integer({ min: 0, max: 0xffffffff }),
  announced: fc.boolean(),
});
const pathArb: fc.Arbitrary<Path> = fc.record(
  {
    hops: fc.array(hopArb, { minLength: 1, maxLength: 6 }),
    blindedTail: fc.record({
      hops: fc.array(fc.record({ blindedNodeId: point, encryptedPayload: fc.uint8Array({ maxLength: 60 }) }), { maxLength: 3 }),
      blindingPoint: point,
      excessFinalCltvExpiryDelta: fc.integer({ min: 0, max: 0xffffffff }),
      finalValueMsat: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
    }),
  },
  { requiredKeys: ['hops'] },
);
const prevArb: fc.Arbitrary<PrevHop> = fc.record(
  {
    channelId: bytes(32).map((b) => b as ChannelId),
    counterpartyNodeId: point,
    htlcId: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
    shortChannelId: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }).map(shortChannelId),
    amountMsat: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
    cltvExpiry: fc.integer({ min: 0, max: 0xffffffff }),
    sharedSecret: bytes(32),
    blinded: fc.constantFrom('none' as const, 'introduction' as const, 'inside' as const),
    sha256OfOnion: bytes(32),
  },
  { requiredKeys: ['channelId', 'counterpartyNodeId', 'htlcId', 'amountMsat', 'cltvExpiry', 'sharedSecret', 'blinded', 'sha256OfOnion'] },
);
const sourceArb: fc.Arbitrary<HtlcSource> = fc.oneof(
  fc.record({ kind: fc.constant('forward' as const), prev: prevArb, outgoingAmountMsat: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }) }),
  fc.record({ kind: fc.constant('outbound' as const), paymentId: bytes(32), sessionKey: bytes(32), path: pathArb, startHeight: fc.integer({ min: 0, max: 0xffffffff }), isProbe: fc.boolean() }),
);

/** Every strict prefix fails with a typed error; random flips never crash. */
function robust(encoded: Uint8Array, decode: (b: Uint8Array) => unknown): void {
  for (let n = 0; n < encoded.length; n++) expect(() => decode(encoded.subarray(0, n))).toThrow(PaymentError);
  expect(() => decode(Uint8Array.of(...encoded, 0))).toThrow(PaymentError);
  fc.assert(
    fc.property(fc.nat(encoded.length - 1), fc.integer({ min: 1, max: 255 }), (at, x) => {
      const b = encoded.slice();
      b[at]! ^= x;
      try {
        decode(b);
      } catch (e) {
        expect(e).toBeInstanceOf(PaymentError);
      }
    }),
    { numRuns: Math.min(runs, 300) },
  );
}

describe('HTLC sources', () => {
  it('property: decode(encode(s)) == s', () => {
    fc.assert(
      fc.property(sourceArb, (s) => {
        expect(decodeHtlcSource(encodeHtlcSource(s))).toEqual(s);
      }),
      { numRuns: runs },
    );
  });

  it('truncated, extended, flipped and random bytes give PaymentError', () => {
    fc.assert(
      fc.property(sourceArb, (s) => {
        const e = encodeHtlcSource(s);
        expect(() => decodeHtlcSource(e.subarray(0, e.length - 1))).toThrow(PaymentError);
      }),
      { numRuns: 50 },
    );
    const sample = fc.sample(sourceArb, { numRuns: 1, seed: 7 })[0]!;
    expect(decodeHtlcSource(encodeHtlcSource(sample))).toEqual(sample);
    robust(encodeHtlcSource(sample), (b) => decodeHtlcSource(b));
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (b) => {
        try {
          decodeHtlcSource(b);
        } catch (e) {
          expect(e).toBeInstanceOf(PaymentError);
        }
      }),
      { numRuns: runs },
    );
    expect(() => decodeHtlcSource(Uint8Array.of(2, 0))).toThrow(expect.objectContaining({ code: 'unsupported_version' }));
  });
});

describe('payment state bytes', () => {
  async function midPayment(): Promise<SimNetwork> {
    const net = new SimNetwork(4, { autoClaim: false });
    net.open(0, 1, 600_000n, 0n);
    net.open(0, 2, 600_000n, 0n);
    net.open(1, 3, 600_000n, 0n);
    net.open(2, 3, 600_000n, 0n);
    net.start({ acceptInterceptHtlcs: true });
    const { invoice } = await net.nodes[3]!.engine.createInvoice({ amountMsat: 1_000_000n, description: 'x', nowSeconds: net.timestamp, paymentMetadata: Uint8Array.of(1, 2) });
    await net.nodes[0]!.engine.payInvoice(invoice, new Uint8Array(32).fill(1), { kind: 'timeout', ticks: 5 });
    const keysend = await net.nodes[0]!.engine.sendSpontaneousPayment({ paymentId: new Uint8Array(32).fill(2), payee: net.nodes[3]!.nodeId, amountMsat: 1000n, retry: NO_RETRY, customRecords: [{ type: 65541n, value: Uint8Array.of(4) }] });
    expect(keysend).toHaveLength(32);
    await net.run();
    return net;
  }

  it('engines round-trip byte for byte mid-payment (claimable parts, pending parts, keysend)', async () => {
    const net = await midPayment();
    for (const n of net.nodes) {
      const b = n.engine.write();
      const again = PaymentEngine.read(b, { nodeSigner: n.keys, entropy: n.keys, router: { findRoute: () => ({ paths: [] }) }, host: net.host(n), currency: 'bcrt' });
      expect(again.write()).toEqual(b);
    }
    expect(net.nodes[3]!.events.filter((e) => e.kind === 'payment_claimable')).toHaveLength(2);
  });

  it('every truncation of an engine state, and flipped bytes, give PaymentError (never a crash)', async () => {
    const net = await midPayment();
    const n = net.nodes[0]!;
    const b = n.engine.write();
    const opts = { nodeSigner: n.keys, entropy: n.keys, router: { findRoute: () => ({ paths: [] }) }, host: net.host(n), currency: 'bcrt' as const };
    robust(b, (x) => PaymentEngine.read(x, opts));
    const receiver = net.nodes[3]!;
    robust(receiver.engine.write(), (x) => PaymentEngine.read(x, { ...opts, nodeSigner: receiver.keys, entropy: receiver.keys, host: net.host(receiver) }));
  });

  it('outbound and claimable states alone, and random bytes', () => {
    const o = new OutboundPayments({ entropy: { getSecureRandomBytes: () => new Uint8Array(32).fill(5) } });
    expect(OutboundPayments.decode(o.encode(), { entropy: { getSecureRandomBytes: () => new Uint8Array(32) } }).probingCookie).toEqual(new Uint8Array(32).fill(5));
    const me = nodeId(Uint8Array.of(2, ...new Uint8Array(32).fill(1)));
    const c = new ClaimablePayments(me);
    expect(ClaimablePayments.decode(c.encode(), me).size).toBe(0);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (b) => {
        for (const decode of [() => OutboundPayments.decode(b, { entropy: { getSecureRandomBytes: () => new Uint8Array(32) } }), () => ClaimablePayments.decode(b, nodeId(Uint8Array.of(2, ...new Uint8Array(32))))]) {
          try {
            decode();
          } catch (e) {
            expect(e).toBeInstanceOf(PaymentError);
          }
        }
      }),
      { numRuns: runs },
    );
  });
});
