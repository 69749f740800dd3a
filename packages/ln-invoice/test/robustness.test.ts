import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { bech32Decode, bech32Encode, decodeInvoice, InvoiceError } from '../src/index.js';
import { bolt11 } from './vectors.js';

const runs = process.env.LN_LONG_TESTS === '1' ? 20_000 : 400;

function outcome(text: string): 'ok' | 'typed' {
  try {
    decodeInvoice(text);
    return 'ok';
  } catch (e) {
    if (!(e instanceof InvoiceError)) throw e;
    return 'typed';
  }
}

describe('decoder robustness: only InvoiceError, never another exception', () => {
  it('random strings', () => {
    fc.assert(fc.property(fc.string({ maxLength: 400 }), (s) => void outcome(s)), { numRuns: runs });
  });

  it('random words under a valid checksum and a valid prefix', () => {
    fc.assert(
      fc.property(fc.constantFrom('lnbc', 'lntb', 'lntbs', 'lnbcrt', 'lnbc2500u', 'lnbc1p', 'lnxx'), fc.uint8Array({ maxLength: 700, max: 31 }), (hrp, words) => {
        void outcome(bech32Encode(hrp, words));
      }),
      { numRuns: runs },
    );
  });

  it('truncated and mutated spec invoices (re-checksummed so the parser is reached)', () => {
    const valid = bolt11.valid.map((v) => bech32Decode(v.invoice));
    fc.assert(
      fc.property(fc.nat(valid.length - 1), fc.nat(), fc.nat({ max: 31 }), fc.boolean(), (k, at, w, truncate) => {
        const { hrp, words } = valid[k]!;
        const i = at % words.length;
        const mutated = truncate ? words.slice(0, i) : Uint8Array.from(words, (x, j) => (j === i ? w : x));
        void outcome(bech32Encode(hrp, mutated));
      }),
      { numRuns: runs },
    );
  });

  it('an oversized field length is refused as field_too_long', () => {
    const { hrp, words } = bech32Decode(bolt11.valid[0]!.invoice);
    const w = words.slice();
    // First field header after the timestamp: set data_length to 1023.
    w[8] = 31;
    w[9] = 31;
    expect(() => decodeInvoice(bech32Encode(hrp, w))).toThrow(expect.objectContaining({ code: 'field_too_long' }));
  });

  it('a bad recovery id is refused', () => {
    const { hrp, words } = bech32Decode(bolt11.valid[0]!.invoice);
    const w = words.slice();
    // The recovery id is the last 8 bits of the 520-bit signature: words[-2] low bits and words[-1].
    w[w.length - 1] = 31;
    w[w.length - 2] = 31;
    expect(() => decodeInvoice(bech32Encode(hrp, w))).toThrow(expect.objectContaining({ code: 'invalid_recovery_id' }));
  });

  it('a lightning: URI prefix is accepted', () => {
    expect(outcome(`lightning:${bolt11.valid[1]!.invoice}`)).toBe('ok');
    expect(outcome(`LIGHTNING:${bolt11.valid[12]!.invoice}`)).toBe('ok');
  });

  it('unknown prefix', () => {
    const { words } = bech32Decode(bolt11.valid[0]!.invoice);
    expect(() => decodeInvoice(bech32Encode('lnxy', words))).toThrow(expect.objectContaining({ code: 'unknown_prefix' }));
    expect(() => decodeInvoice(bech32Encode('lnbcrtx', words))).toThrow(expect.objectContaining({ code: 'unknown_prefix' }));
  });
});
