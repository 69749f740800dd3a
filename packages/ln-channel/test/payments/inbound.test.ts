import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { sha256 } from 'ln-crypto';
import { decodeInvoice, hasFeatureBit } from 'ln-invoice';
import { KeysManager } from 'ln-signer';
import { nodeId, shortChannelId } from 'ln-types';
import {
  createInboundPayment,
  createInboundPaymentForHash,
  createInvoice,
  expandInboundPaymentKeys,
  inboundPaymentPreimage,
  MIN_FINAL_CLTV_EXPIRY_DELTA,
  PaymentError,
  selectRouteHints,
  verifyInboundPayment,
  type InvoiceChannel,
} from '../../src/payments/index.js';

const runs = process.env.LN_LONG_TESTS === '1' ? 1000 : 100;
const keys = expandInboundPaymentKeys(new Uint8Array(32).fill(7));
const otherKeys = expandInboundPaymentKeys(new Uint8Array(32).fill(8));
const NOW = 1_700_000_000;

describe('stateless inbound payments', () => {
  it('a node-made payment verifies and gives back its preimage and terms', () => {
    const p = createInboundPayment(keys, { minAmountMsat: 50_000n, expirySeconds: 600, nowSeconds: NOW }, new Uint8Array(32).fill(1));
    expect(sha256(p.paymentPreimage!)).toEqual(p.paymentHash);
    const v = verifyInboundPayment(keys, p.paymentHash, p.paymentSecret, 50_000n, NOW + 600);
    expect(v).toEqual({ ok: true, payment: { method: 'node', paymentPreimage: p.paymentPreimage, minAmountMsat: 50_000n, minFinalCltvExpiryDelta: MIN_FINAL_CLTV_EXPIRY_DELTA, expiresAt: NOW + 600 } });
    expect(inboundPaymentPreimage(keys, p.paymentHash, p.paymentSecret)).toEqual(p.paymentPreimage);
  });

  it('refuses too little, too late, another node, a changed secret or hash', () => {
    const p = createInboundPayment(keys, { minAmountMsat: 50_000n, expirySeconds: 600, nowSeconds: NOW }, new Uint8Array(32).fill(1));
    expect(verifyInboundPayment(keys, p.paymentHash, p.paymentSecret, 49_999n, NOW)).toEqual({ ok: false, reason: 'amount_too_low' });
    expect(verifyInboundPayment(keys, p.paymentHash, p.paymentSecret, 50_000n, NOW + 601)).toEqual({ ok: false, reason: 'expired' });
    expect(verifyInboundPayment(otherKeys, p.paymentHash, p.paymentSecret, 50_000n, NOW).ok).toBe(false);
    for (let i = 0; i < 32; i++) {
      const s = p.paymentSecret.slice();
      s[i]! ^= 0x10;
      expect(verifyInboundPayment(keys, p.paymentHash, s, 50_000n, NOW).ok).toBe(false);
      const h = p.paymentHash.slice();
      h[i]! ^= 1;
      expect(verifyInboundPayment(keys, h, p.paymentSecret, 50_000n, NOW).ok).toBe(false);
    }
  });

  it('a user hash is authenticated with its terms; the node has no preimage for it', () => {
    const preimage = new Uint8Array(32).fill(3);
    const p = createInboundPaymentForHash(keys, sha256(preimage), { expirySeconds: 60, nowSeconds: NOW, minFinalCltvExpiryDelta: 144 });
    expect(p.paymentPreimage).toBeUndefined();
    const v = verifyInboundPayment(keys, sha256(preimage), p.paymentSecret, 1n, NOW);
    expect(v).toEqual({ ok: true, payment: { method: 'user', minAmountMsat: 0n, minFinalCltvExpiryDelta: 144, expiresAt: NOW + 60 } });
    expect(verifyInboundPayment(keys, new Uint8Array(32), p.paymentSecret, 1n, NOW).ok).toBe(false);
    expect(inboundPaymentPreimage(keys, sha256(preimage), p.paymentSecret)).toBeUndefined();
  });

  it('payment metadata is authenticated: absent or changed, the payment is refused', () => {
    const metadata = Uint8Array.of(1, 2, 3);
    const p = createInboundPayment(keys, { expirySeconds: 60, nowSeconds: NOW, paymentMetadata: metadata }, new Uint8Array(32).fill(9));
    expect(verifyInboundPayment(keys, p.paymentHash, p.paymentSecret, 1n, NOW, metadata).ok).toBe(true);
    expect(verifyInboundPayment(keys, p.paymentHash, p.paymentSecret, 1n, NOW).ok).toBe(false);
    expect(verifyInboundPayment(keys, p.paymentHash, p.paymentSecret, 1n, NOW, Uint8Array.of(1, 2, 4)).ok).toBe(false);
  });

  it('property: any terms round trip through the secret; random secrets never verify', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: (1n << 61n) - 1n }),
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.integer({ min: 0, max: 2 ** 40 }),
        fc.integer({ min: MIN_FINAL_CLTV_EXPIRY_DELTA, max: 0xffff }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.boolean(),
        (min, expiry, now, delta, random, user) => {
          const terms = { minAmountMsat: min, expirySeconds: expiry, nowSeconds: now, minFinalCltvExpiryDelta: delta };
          const p = user ? createInboundPaymentForHash(keys, sha256(random), terms) : createInboundPayment(keys, terms, random);
          const v = verifyInboundPayment(keys, p.paymentHash, p.paymentSecret, min, now + expiry);
          expect(v.ok).toBe(true);
          if (v.ok) {
            expect(v.payment.minAmountMsat).toBe(min);
            expect(v.payment.expiresAt).toBe(now + expiry);
            expect(v.payment.minFinalCltvExpiryDelta).toBe(delta);
            expect(v.payment.method).toBe(user ? 'user' : 'node');
          }
          expect(verifyInboundPayment(keys, p.paymentHash, random, 0n, 0).ok).toBe(false);
        },
      ),
      { numRuns: runs },
    );
  });

  it('refuses terms it cannot encode', () => {
    const r = new Uint8Array(32);
    expect(() => createInboundPayment(keys, { minAmountMsat: 1n << 61n, expirySeconds: 1, nowSeconds: NOW }, r)).toThrow(PaymentError);
    expect(() => createInboundPayment(keys, { expirySeconds: 0, nowSeconds: NOW }, r)).toThrow(expect.objectContaining({ code: 'invalid_expiry' }));
    expect(() => createInboundPayment(keys, { expirySeconds: 1, nowSeconds: NOW, minFinalCltvExpiryDelta: 10 }, r)).toThrow(expect.objectContaining({ code: 'invalid_expiry' }));
    expect(() => createInboundPayment(keys, { expirySeconds: 1, nowSeconds: 2 ** 48 }, r)).toThrow(PaymentError);
    expect(() => expandInboundPaymentKeys(new Uint8Array(31))).toThrow(expect.objectContaining({ code: 'invalid_length' }));
  });
});

const peer = (i: number) => nodeId(Uint8Array.of(2, ...new Uint8Array(31).fill(i), i));
const fwd = { feeBaseMsat: 1000, feeProportionalMillionths: 10, cltvExpiryDelta: 72 };
const channel = (i: number, capacity: bigint, extra: Partial<InvoiceChannel> = {}): InvoiceChannel => ({
  counterpartyNodeId: peer(i),
  inboundScid: shortChannelId(BigInt(i) << 40n),
  isPublic: false,
  isUsable: true,
  inboundCapacityMsat: capacity,
  counterpartyForwarding: fwd,
  ...extra,
});

describe('route hints', () => {
  it('private channels: one per peer, the largest inbound first, at most three, able to carry the amount first', () => {
    const hints = selectRouteHints([channel(1, 10n), channel(1, 50n), channel(2, 30n), channel(3, 5n), channel(4, 40n), channel(5, 1000n, { isUsable: false })], 35n);
    expect(hints.map((h) => h[0]!.nodeId[1])).toEqual([1, 4, 2]);
    expect(hints[0]![0]).toEqual({ nodeId: peer(1), shortChannelId: shortChannelId(1n << 40n), ...fwd });
  });

  it('no hints when a usable public channel exists, or for channels without the peer policy or an scid', () => {
    expect(selectRouteHints([channel(1, 10n), channel(2, 10n, { isPublic: true })])).toEqual([]);
    expect(selectRouteHints([{ counterpartyNodeId: peer(1), isPublic: false, isUsable: true, inboundCapacityMsat: 1n, counterpartyForwarding: fwd }, channel(2, 1n, { counterpartyForwarding: undefined as never })])).toEqual([]);
  });
});

describe('invoices', () => {
  const signer = new KeysManager(new Uint8Array(32).fill(0x11));
  const ctx = { signer, entropy: signer, keys: expandInboundPaymentKeys(signer.getInboundPaymentKeyMaterial()) };

  it('an invoice signed by the node: fields, features, hints, and its payment verifies', async () => {
    const { invoice, payment } = await createInvoice(
      { currency: 'bcrt', amountMsat: 123_000n, description: 'coffee', expirySeconds: 900, nowSeconds: NOW, channels: [channel(1, 1_000_000n)], paymentMetadata: Uint8Array.of(5) },
      ctx,
    );
    const d = decodeInvoice(invoice);
    expect(d.payee).toEqual(signer.getNodeId());
    expect(d.amountMsat).toBe(123_000n);
    expect(d.description).toBe('coffee');
    expect(d.expirySeconds).toBe(900);
    expect(d.minFinalCltvExpiryDelta).toBe(MIN_FINAL_CLTV_EXPIRY_DELTA);
    expect(d.paymentHash).toEqual(payment.paymentHash);
    expect(d.paymentSecret).toEqual(payment.paymentSecret);
    expect(d.metadata).toEqual(Uint8Array.of(5));
    expect(d.routeHints).toEqual([[{ nodeId: peer(1), shortChannelId: shortChannelId(1n << 40n), ...fwd }]]);
    for (const bit of [8, 14, 17, 49]) expect(hasFeatureBit(d.features, bit)).toBe(true);
    expect(verifyInboundPayment(ctx.keys, d.paymentHash, d.paymentSecret!, 123_000n, NOW + 10, Uint8Array.of(5)).ok).toBe(true);
  });

  it('any-amount invoices, description hashes and the user preimage', async () => {
    const preimage = new Uint8Array(32).fill(4);
    const { invoice, payment } = await createInvoice({ currency: 'bc', descriptionHash: new Uint8Array(32).fill(1), nowSeconds: NOW, paymentPreimage: preimage }, ctx);
    const d = decodeInvoice(invoice);
    expect(d.amountMsat).toBeUndefined();
    expect(d.paymentHash).toEqual(sha256(preimage));
    expect(payment.paymentPreimage).toBeUndefined();
    expect(verifyInboundPayment(ctx.keys, d.paymentHash, d.paymentSecret!, 1n, NOW).ok).toBe(true);
    await expect(createInvoice({ currency: 'bc', nowSeconds: NOW }, ctx)).rejects.toThrow(expect.objectContaining({ code: 'invalid_params' }));
    await expect(createInvoice({ currency: 'bc', description: 'x', amountMsat: 0n, nowSeconds: NOW }, ctx)).rejects.toThrow(expect.objectContaining({ code: 'invalid_amount' }));
  });

  it('refuses a signer that signs with another key', async () => {
    const other = new KeysManager(new Uint8Array(32).fill(0x12));
    const liar = { ...ctx, signer: { getNodeId: () => signer.getNodeId(), signInvoice: other.signInvoice.bind(other), ecdh: other.ecdh.bind(other), signGossipMessage: other.signGossipMessage.bind(other), getInboundPaymentKeyMaterial: () => new Uint8Array(32) } };
    await expect(createInvoice({ currency: 'bc', description: 'x', nowSeconds: NOW }, liar)).rejects.toThrow(expect.objectContaining({ code: 'invalid_invoice' }));
  });
});
