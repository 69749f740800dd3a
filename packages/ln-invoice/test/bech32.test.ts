import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { bech32 as scure } from '@scure/base';
import { Bech32Error, bech32Decode, bech32Encode, bytesToWords, wordsToBytes } from '../src/index.js';

const hrpArb = fc.stringMatching(/^[a-z0-9]{1,12}$/);
const wordsArb = fc.uint8Array({ minLength: 0, maxLength: 1200, max: 31 });

describe('bech32 against @scure/base', () => {
  it('encodes exactly as @scure/base, long strings included', () => {
    fc.assert(
      fc.property(hrpArb, wordsArb, (hrp, words) => {
        expect(bech32Encode(hrp, words)).toBe(scure.encode(hrp, words, false));
      }),
      { numRuns: 300 },
    );
  });

  it('decodes what @scure/base encodes, in either case', () => {
    fc.assert(
      fc.property(hrpArb, wordsArb, fc.boolean(), (hrp, words, upper) => {
        const text = scure.encode(hrp, words, false);
        const d = bech32Decode(upper ? text.toUpperCase() : text);
        expect(d.hrp).toBe(hrp);
        expect(d.words).toEqual(words);
      }),
      { numRuns: 300 },
    );
  });

  it('accepts and refuses the same mutated strings as @scure/base', () => {
    fc.assert(
      fc.property(hrpArb, fc.uint8Array({ minLength: 1, maxLength: 120, max: 31 }), fc.nat(), fc.integer({ min: 0, max: 127 }), (hrp, words, at, code) => {
        const good = scure.encode(hrp, words, false);
        const i = at % good.length;
        const bad = good.slice(0, i) + String.fromCharCode(code) + good.slice(i + 1);
        let ours = true;
        let theirs = true;
        try {
          bech32Decode(bad);
        } catch (e) {
          expect(e).toBeInstanceOf(Bech32Error);
          ours = false;
        }
        try {
          scure.decode(bad as `${string}1${string}`, false);
        } catch {
          theirs = false;
        }
        expect(ours).toBe(theirs);
      }),
      { numRuns: 500 },
    );
  });

  it('converts bytes and words as @scure/base does', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const words = bytesToWords(bytes);
        expect(Array.from(words)).toEqual(scure.toWords(bytes));
        expect(wordsToBytes(words, true)).toEqual(bytes);
      }),
    );
  });
});

describe('bech32 without checksum (BOLT 12 strings)', () => {
  it('round-trips', () => {
    fc.assert(
      fc.property(hrpArb, wordsArb, (hrp, words) => {
        const text = bech32Encode(hrp, words, { checksum: false });
        expect(text.length).toBe(hrp.length + 1 + words.length);
        const d = bech32Decode(text, { checksum: false });
        expect(d).toEqual({ hrp, words });
      }),
    );
  });
});

describe('bech32 refusals', () => {
  const cases: [string, string][] = [
    ['abcdef', 'no_separator'],
    ['Ab1qqqqqq', 'mixed_case'],
    ['1qqqqqq', 'invalid_hrp'],
    ['ab1qq', 'too_short'],
    ['ab1qqqqqb', 'invalid_character'],
    ['ab 1qqqqqq', 'invalid_character'],
    ['ab1qqqqqq', 'bad_checksum'],
  ];
  it.each(cases)('%s -> %s', (text, code) => {
    expect(() => bech32Decode(text)).toThrow(expect.objectContaining({ code }));
  });
  it('strict word conversion refuses non-zero padding', () => {
    expect(() => wordsToBytes(Uint8Array.of(31, 31), true)).toThrow(Bech32Error);
    expect(wordsToBytes(Uint8Array.of(31, 31))).toEqual(Uint8Array.of(0xff));
  });
  it('refuses words above 31 when encoding', () => {
    expect(() => bech32Encode('ab', Uint8Array.of(32))).toThrow(Bech32Error);
  });
});
