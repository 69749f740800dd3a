import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  currencyOfNetwork,
  DEFAULT_EXPIRY_SECONDS,
  encodeInvoiceSync,
  featureBitsSet,
  featuresFromBits,
  formatHrpAmount,
  hasFeatureBit,
  invoiceExpiresAt,
  invoiceExpirySeconds,
  invoiceMinFinalCltvExpiryDelta,
  InvoiceError,
  KNOWN_INVOICE_FEATURE_BITS,
  descriptionMatches,
  missingInvoiceFeatureDependencies,
  isInvoiceExpired,
  networkOfCurrency,
  parseHrpAmount,
  privateKeySigner,
  secondsUntilExpiry,
  unknownRequiredFeatureBits,
  type InvoiceData,
} from '../src/index.js';

describe('hrp amounts', () => {
  it.each([
    ['1', 100_000_000_000n],
    ['20m', 2_000_000_000n],
    ['2500u', 250_000_000n],
    ['10n', 1_000n],
    ['9678785340p', 967_878_534n],
    ['10p', 1n],
  ])('%s = %s msat', (text, msat) => {
    expect(parseHrpAmount(text)).toBe(msat);
  });
  it('empty means no amount', () => expect(parseHrpAmount('')).toBeUndefined());
  it.each([
    ['2500x', 'invalid_amount'],
    ['m', 'invalid_amount'],
    ['0', 'invalid_amount'],
    ['1.5m', 'invalid_amount'],
    ['-1m', 'invalid_amount'],
    ['1p', 'sub_msat_precision'],
    ['2500000001p', 'sub_msat_precision'],
    ['999999999999999999999', 'invalid_amount'],
  ])('%s is refused (%s)', (text, code) => {
    expect(() => parseHrpAmount(text)).toThrow(expect.objectContaining({ code }));
  });
  it('formats with the largest exact multiplier and parses back', () => {
    expect(formatHrpAmount(250_000_000n)).toBe('2500u');
    expect(formatHrpAmount(100_000_000_000n)).toBe('1');
    expect(formatHrpAmount(1n)).toBe('10p');
    expect(formatHrpAmount(1000n)).toBe('10n');
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: (1n << 64n) - 1n }), (msat) => {
        expect(parseHrpAmount(formatHrpAmount(msat))).toBe(msat);
      }),
    );
    expect(() => formatHrpAmount(0n)).toThrow(InvoiceError);
  });
});

describe('networks', () => {
  it('maps every prefix both ways', () => {
    expect(networkOfCurrency('bc')).toBe('bitcoin');
    expect(networkOfCurrency('tb')).toBe('testnet');
    expect(networkOfCurrency('tbs')).toBe('signet');
    expect(networkOfCurrency('bcrt')).toBe('regtest');
    expect(currencyOfNetwork('testnet4')).toBe('tb');
    for (const c of ['bc', 'tb', 'tbs', 'bcrt'] as const) expect(currencyOfNetwork(networkOfCurrency(c))).toBe(c);
  });
});

describe('expiry helpers', () => {
  const inv = { timestamp: 1000, expirySeconds: 60, minFinalCltvExpiryDelta: 40 };
  it('uses x and c when present', () => {
    expect(invoiceExpiresAt(inv)).toBe(1060);
    expect(isInvoiceExpired(inv, 1059)).toBe(false);
    expect(isInvoiceExpired(inv, 1060)).toBe(true);
    expect(secondsUntilExpiry(inv, 1010)).toBe(50);
    expect(secondsUntilExpiry(inv, 5000)).toBe(0);
    expect(invoiceMinFinalCltvExpiryDelta(inv)).toBe(40);
  });
  it('defaults to 3600 s and 18 blocks', () => {
    expect(invoiceExpirySeconds({})).toBe(DEFAULT_EXPIRY_SECONDS);
    expect(invoiceExpiresAt({ timestamp: 0 })).toBe(3600);
    expect(invoiceMinFinalCltvExpiryDelta({})).toBe(18);
  });
});

describe('feature bits', () => {
  it('round-trips bit lists', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.nat({ max: 500 })), (bits) => {
        const f = featuresFromBits(bits);
        expect(featureBitsSet(f)).toEqual([...bits].sort((a, b) => a - b));
        for (const b of bits) expect(hasFeatureBit(f, b)).toBe(true);
      }),
    );
  });
  it('knows the invoice features of BOLT 9 (from ln-wire\'s table)', () => {
    expect(KNOWN_INVOICE_FEATURE_BITS).toEqual([8, 9, 14, 15, 16, 17, 24, 25, 36, 37, 48, 49]);
  });
  it('reports unknown even bits only', () => {
    expect(unknownRequiredFeatureBits(featuresFromBits([8, 14, 99, 100]))).toEqual([100]);
  });
});

describe('encoder refusals', () => {
  const sign = privateKeySigner(new Uint8Array(32).fill(3));
  const base: InvoiceData = { currency: 'bc', timestamp: 1, paymentHash: new Uint8Array(32), paymentSecret: new Uint8Array(32), description: 'x' };
  const cases: [string, InvoiceData, string][] = [
    ['short payment hash', { ...base, paymentHash: new Uint8Array(31) }, 'invalid_field'],
    ['timestamp beyond 35 bits', { ...base, timestamp: 2 ** 35 }, 'invalid_timestamp'],
    ['negative expiry', { ...base, expirySeconds: -1 }, 'invalid_field'],
    ['zero amount', { ...base, amountMsat: 0n }, 'invalid_amount'],
    ['unknown currency', { ...base, currency: 'xx' as 'bc' }, 'unknown_prefix'],
    ['description over 639 bytes', { ...base, description: 'a'.repeat(640) }, 'field_too_long'],
    ['P2PKH fallback of 21 bytes', { ...base, fallbacks: [{ version: 17, program: new Uint8Array(21) }] }, 'invalid_field'],
    ['fallback version 19', { ...base, fallbacks: [{ version: 19, program: new Uint8Array(20) }] }, 'invalid_field'],
    ['empty route hint', { ...base, routeHints: [[]] }, 'invalid_field'],
    ['raw field word above 31', { ...base, extraFields: [{ type: 2, words: Uint8Array.of(32) }] }, 'invalid_field'],
  ];
  it.each(cases)('%s', (_n, data, code) => {
    expect(() => encodeInvoiceSync(data, sign)).toThrow(expect.objectContaining({ code }));
  });
  it('refuses a malformed signature from the signer', () => {
    expect(() => encodeInvoiceSync(base, () => ({ signature: new Uint8Array(63), recoveryId: 0 }))).toThrow(expect.objectContaining({ code: 'invalid_signature' }));
  });
});

describe('payer checks', () => {
  it('checks a description against h (or d)', () => {
    const text = 'One piece of chocolate cake, one icecream cone, one pickle, one slice of swiss cheese, one slice of salami, one lollypop, one piece of cherry pie, one sausage, one cupcake, and one slice of watermelon';
    // The spec's hashed-description examples commit to this text.
    const h = Uint8Array.from(Buffer.from('3925b6f67e2c340036ed12093dd44e0368df1b6ea26c53dbe4811f58fd5db8c1', 'hex'));
    expect(descriptionMatches({ descriptionHash: h }, text)).toBe(true);
    expect(descriptionMatches({ descriptionHash: h }, text + '.')).toBe(false);
    expect(descriptionMatches({ description: 'coffee' }, 'coffee')).toBe(true);
    expect(descriptionMatches({ description: 'coffee' }, 'tea')).toBe(false);
  });
  it('reports features set without their dependencies', () => {
    expect(missingInvoiceFeatureDependencies({ features: featuresFromBits([8, 14, 17]) })).toEqual([]);
    expect(missingInvoiceFeatureDependencies({ features: featuresFromBits([8, 17]) })).toEqual([{ feature: 'basic_mpp', missing: 'payment_secret' }]);
    expect(missingInvoiceFeatureDependencies({})).toEqual([]);
  });
});
