import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { shortChannelId } from 'ln-types';
import {
  customRecords,
  decodeEncryptedData,
  decodeHopPayload,
  encodeEncryptedData,
  encodeHopPayload,
  KEYSEND_PREIMAGE_TYPE,
  OnionError,
  validateHopPayload,
  validateBlindedPaymentData,
  type EncryptedData,
  type HopPayload,
} from '../src/index.js';
import { pubOf } from './fixtures.js';

const tu64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
const oddCustom = fc.uniqueArray(fc.bigInt({ min: 32768n, max: 1n << 40n }).map((t) => 2n * t + 1n), { maxLength: 3 });

const hopPayloadArb: fc.Arbitrary<HopPayload> = fc
  .record(
    {
      amtToForward: tu64,
      outgoingCltvValue: fc.nat({ max: 0xffffffff }),
      shortChannelId: tu64.map(shortChannelId),
      paymentData: fc.record({ paymentSecret: fc.uint8Array({ minLength: 32, maxLength: 32 }), totalMsat: tu64 }),
      encryptedRecipientData: fc.uint8Array({ maxLength: 80 }),
      currentPathKey: fc.integer({ min: 1, max: 50 }).map(pubOf),
      paymentMetadata: fc.uint8Array({ maxLength: 60 }),
      totalAmountMsat: tu64,
      keysendPreimage: fc.uint8Array({ minLength: 32, maxLength: 32 }),
      custom: oddCustom,
    },
    { requiredKeys: ['custom'] },
  )
  .map(({ custom, ...p }) => {
    const unknown = [...custom].sort((a, b) => (a < b ? -1 : 1)).map((type) => ({ type, value: Uint8Array.of(1, 2, 3) }));
    return (unknown.length > 0 ? { ...p, unknown } : p) as HopPayload;
  });

describe('hop payloads (ln-wire TLV)', () => {
  it('decode(encode(p)) == p', () => {
    fc.assert(
      fc.property(hopPayloadArb, (p) => {
        expect(decodeHopPayload(encodeHopPayload(p))).toEqual(p);
      }),
      { numRuns: 300 },
    );
  });

  it('reads the keysend preimage (even type 5482373484) and keeps odd custom records', () => {
    const preimage = new Uint8Array(32).fill(9);
    const bytes = encodeHopPayload({ amtToForward: 1000n, outgoingCltvValue: 800000, keysendPreimage: preimage, unknown: [{ type: 65537n, value: Uint8Array.of(1) }] });
    // type 5482373484 is written as a 9-byte BigSize (0xff prefix), after the odd custom record 65537.
    expect(bytes.indexOf(0xff)).toBeGreaterThan(0);
    const p = decodeHopPayload(bytes);
    expect(p.keysendPreimage).toEqual(preimage);
    expect(customRecords(p)).toEqual([{ type: 65537n, value: Uint8Array.of(1) }]);
    expect(KEYSEND_PREIMAGE_TYPE % 2n).toBe(0n);
  });

  it('refuses malformed streams with a typed error', () => {
    const bad: [string, Uint8Array][] = [
      ['out of order', Uint8Array.of(4, 1, 1, 2, 1, 1)],
      ['unknown even type', Uint8Array.of(20, 0)],
      ['non-minimal tu64', Uint8Array.of(2, 2, 0, 1)],
      ['truncated', Uint8Array.of(2, 5, 1)],
      ['short scid', Uint8Array.of(6, 7, 0, 0, 0, 0, 0, 0, 0)],
      ['bad point', Uint8Array.of(12, 33, ...new Uint8Array(33).fill(5))],
    ];
    for (const [, b] of bad) expect(() => decodeHopPayload(b)).toThrow(expect.objectContaining({ code: 'invalid_hop_payload' }));
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (b) => {
        try {
          decodeHopPayload(b);
        } catch (e) {
          expect(e).toBeInstanceOf(OnionError);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('hop payload rules (BOLT 4 reader)', () => {
  const fwd: HopPayload = { amtToForward: 1000n, outgoingCltvValue: 500, shortChannelId: shortChannelId(1n) };
  const fin: HopPayload = { amtToForward: 1000n, outgoingCltvValue: 500, paymentData: { paymentSecret: new Uint8Array(32), totalMsat: 1000n } };
  const blind: HopPayload = { encryptedRecipientData: Uint8Array.of(1), currentPathKey: pubOf(1) };
  const ok: [string, HopPayload, boolean, boolean][] = [
    ['intermediate', fwd, false, false],
    ['final with payment_data', fin, true, false],
    ['final keysend', { amtToForward: 1n, outgoingCltvValue: 1, keysendPreimage: new Uint8Array(32) }, true, false],
    ['blinded introduction', blind, false, false],
    ['blinded intermediate (key in update_add)', { encryptedRecipientData: Uint8Array.of(1) }, false, true],
    ['blinded final', { encryptedRecipientData: Uint8Array.of(1), amtToForward: 1n, outgoingCltvValue: 1, totalAmountMsat: 1n }, true, true],
  ];
  it.each(ok)('accepts %s', (_n, p, isFinal, pathKeyInUpdateAdd) => {
    expect(() => validateHopPayload(p, { isFinal, pathKeyInUpdateAdd })).not.toThrow();
  });
  const bad: [string, HopPayload, boolean, boolean][] = [
    ['intermediate without scid', { amtToForward: 1n, outgoingCltvValue: 1 }, false, false],
    ['intermediate with payment_data', { ...fwd, paymentData: fin.paymentData! }, false, false],
    ['final with scid', { ...fin, shortChannelId: shortChannelId(1n) }, true, false],
    ['missing amount', { outgoingCltvValue: 1, shortChannelId: shortChannelId(1n) }, false, false],
    ['missing cltv', { amtToForward: 1n }, true, false],
    ['path key outside a blinded route', { ...fwd, currentPathKey: pubOf(1) }, false, false],
    ['path key in update_add outside a blinded route', fwd, false, true],
    ['blinded with both path keys', blind, false, true],
    ['blinded without any path key', { encryptedRecipientData: Uint8Array.of(1) }, false, false],
    ['blinded intermediate with an amount', { ...blind, amtToForward: 1n }, false, false],
    ['blinded final without total', { encryptedRecipientData: Uint8Array.of(1), amtToForward: 1n, outgoingCltvValue: 1 }, true, true],
    ['blinded final with payment_data', { encryptedRecipientData: Uint8Array.of(1), amtToForward: 1n, outgoingCltvValue: 1, totalAmountMsat: 1n, paymentData: fin.paymentData! }, true, true],
  ];
  it.each(bad)('refuses %s', (_n, p, isFinal, pathKeyInUpdateAdd) => {
    expect(() => validateHopPayload(p, { isFinal, pathKeyInUpdateAdd })).toThrow(expect.objectContaining({ code: 'invalid_hop_payload' }));
  });
});

describe('encrypted_data_tlv', () => {
  const arb: fc.Arbitrary<EncryptedData> = fc.record(
    {
      padding: fc.uint8Array({ maxLength: 40 }),
      shortChannelId: tu64.map(shortChannelId),
      nextNodeId: fc.integer({ min: 1, max: 50 }).map(pubOf),
      pathId: fc.uint8Array({ maxLength: 40 }),
      nextPathKeyOverride: fc.integer({ min: 1, max: 50 }).map(pubOf),
      paymentRelay: fc.record({ cltvExpiryDelta: fc.nat({ max: 0xffff }), feeProportionalMillionths: fc.nat({ max: 0xffffffff }), feeBaseMsat: fc.nat({ max: 0xffffffff }) }),
      paymentConstraints: fc.record({ maxCltvExpiry: fc.nat({ max: 0xffffffff }), htlcMinimumMsat: tu64 }),
      allowedFeatures: fc.uint8Array({ maxLength: 8 }),
    },
    { requiredKeys: [] },
  );
  it('decode(encode(d)) == d', () => {
    fc.assert(fc.property(arb, (d) => expect(decodeEncryptedData(encodeEncryptedData(d))).toEqual(d)), { numRuns: 300 });
  });
  it('refuses unknown even fields and random bytes with typed errors', () => {
    expect(() => decodeEncryptedData(Uint8Array.of(16, 0))).toThrow(expect.objectContaining({ code: 'invalid_blinded_data' }));
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (b) => {
        try {
          decodeEncryptedData(b);
        } catch (e) {
          expect(e).toBeInstanceOf(OnionError);
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe('blinded payment data rules (BOLT 4 reader)', () => {
  const relay = { cltvExpiryDelta: 40, feeProportionalMillionths: 100, feeBaseMsat: 1000 };
  const constraints = { maxCltvExpiry: 800_000, htlcMinimumMsat: 1000n };
  const hop: EncryptedData = { shortChannelId: shortChannelId(5n), paymentRelay: relay, paymentConstraints: constraints, allowedFeatures: new Uint8Array(0) };
  const htlc = { isFinal: false, amountMsat: 5000n, cltvExpiry: 799_000 };
  it('accepts a well-formed intermediate and final hop', () => {
    expect(() => validateBlindedPaymentData(hop, htlc)).not.toThrow();
    expect(() => validateBlindedPaymentData({ pathId: Uint8Array.of(1), paymentConstraints: constraints }, { ...htlc, isFinal: true })).not.toThrow();
    expect(() => validateBlindedPaymentData({ nextNodeId: pubOf(3), paymentRelay: relay }, htlc)).not.toThrow();
  });
  const bad: [string, EncryptedData, typeof htlc][] = [
    ['expiry above max_cltv_expiry', hop, { ...htlc, cltvExpiry: 800_001 }],
    ['amount below htlc_minimum_msat', hop, { ...htlc, amountMsat: 999n }],
    ['a feature in allowed_features', { ...hop, allowedFeatures: Uint8Array.of(1) }, htlc],
    ['both scid and next_node_id', { ...hop, nextNodeId: pubOf(3) }, htlc],
    ['no next hop', { paymentRelay: relay }, htlc],
    ['no payment_relay', { shortChannelId: shortChannelId(5n) }, htlc],
  ];
  it.each(bad)('refuses %s', (_n, data, h) => {
    expect(() => validateBlindedPaymentData(data, h)).toThrow(expect.objectContaining({ code: 'invalid_blinded_data' }));
  });
});
