import fc from 'fast-check';
import { publicKey, shortChannelId } from 'ln-types';
import { publicKeyFromPrivate } from 'ln-crypto';
import { featuresFromBits, type InvoiceData, type RouteHintHop, type Fallback } from '../src/index.js';

const key32 = fc.uint8Array({ minLength: 32, maxLength: 32 });
// Valid public keys: derived from small private keys (a random 33-byte string is rarely on the curve).
export const pubkeyArb = fc.integer({ min: 1, max: 1_000_000 }).map((n) => {
  const priv = new Uint8Array(32);
  new DataView(priv.buffer).setUint32(28, n);
  return publicKey(publicKeyFromPrivate(priv));
});

const hopArb: fc.Arbitrary<RouteHintHop> = fc.record({
  nodeId: pubkeyArb,
  shortChannelId: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }).map(shortChannelId),
  feeBaseMsat: fc.nat({ max: 0xffffffff }),
  feeProportionalMillionths: fc.nat({ max: 0xffffffff }),
  cltvExpiryDelta: fc.nat({ max: 0xffff }),
});

const fallbackArb: fc.Arbitrary<Fallback> = fc.oneof(
  fc.record({ version: fc.constantFrom(17, 18), program: fc.uint8Array({ minLength: 20, maxLength: 20 }) }),
  fc.record({ version: fc.constant(0), program: fc.oneof(fc.uint8Array({ minLength: 20, maxLength: 20 }), key32) }),
  fc.record({ version: fc.integer({ min: 1, max: 16 }), program: fc.uint8Array({ minLength: 2, maxLength: 40 }) }),
);

// Known bits (any) plus unknown odd bits (which readers ignore); never an unknown even bit.
const featureBitArb = fc.oneof(fc.constantFrom(8, 9, 14, 15, 16, 17, 24, 25, 36, 37, 48, 49), fc.integer({ min: 0, max: 300 }).map((n) => 2 * n + 1));

/** Random invoice content the encoder accepts (one description form, a payment secret). */
export const invoiceDataArb: fc.Arbitrary<InvoiceData> = fc
  .record(
    {
      currency: fc.constantFrom('bc', 'tb', 'tbs', 'bcrt' as const),
      amountMsat: fc.oneof(fc.bigInt({ min: 1n, max: 2_100_000_000_000_000_000n }), fc.constantFrom(1000n, 250_000_000n, 10n, 1n)),
      timestamp: fc.integer({ min: 0, max: 2 ** 35 - 1 }),
      paymentHash: key32,
      paymentSecret: key32,
      description: fc.string({ unit: 'grapheme', maxLength: 100 }),
      descriptionHash: key32,
      payeeNodeId: pubkeyArb,
      expirySeconds: fc.nat({ max: 2 ** 40 }),
      minFinalCltvExpiryDelta: fc.nat({ max: 100_000 }),
      metadata: fc.uint8Array({ minLength: 0, maxLength: 100 }),
      features: fc.uniqueArray(featureBitArb, { minLength: 1, maxLength: 8 }).map(featuresFromBits),
      fallbacks: fc.array(fallbackArb, { maxLength: 3 }),
      routeHints: fc.array(fc.array(hopArb, { minLength: 1, maxLength: 3 }), { maxLength: 3 }),
      extraFields: fc.array(
        fc.record({ type: fc.constantFrom(0, 2, 4, 7, 8, 10, 11, 12, 14, 15, 17, 18, 20, 21, 22, 25, 26, 28, 29, 30, 31), words: fc.uint8Array({ maxLength: 40, max: 31 }) }),
        { maxLength: 3 },
      ),
      useHash: fc.boolean(),
    },
    { requiredKeys: ['currency', 'timestamp', 'paymentHash', 'paymentSecret', 'description', 'descriptionHash', 'useHash', 'fallbacks', 'routeHints', 'extraFields'] },
  )
  .map(({ useHash, description, descriptionHash, ...rest }) => ({ ...rest, ...(useHash ? { descriptionHash } : { description }) }) as InvoiceData);
