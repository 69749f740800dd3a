import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  toHex,
  fromHex,
  equalBytes,
  equalBytesConstantTime,
  compareBytes,
  concatBytes,
  reverseBytes,
  utf8ToBytes,
  bytesToUtf8,
  assertLength,
  u64ToBytes,
  bytesToU64,
  TypesError,
} from '../src/index.js';

describe('hex', () => {
  it('encodes and decodes known values', () => {
    expect(toHex(Uint8Array.of(0, 1, 0xab, 0xff))).toBe('0001abff');
    expect(fromHex('0001ABff')).toEqual(Uint8Array.of(0, 1, 0xab, 0xff));
    expect(fromHex('')).toEqual(new Uint8Array(0));
  });

  it('round-trips any bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (b) => expect(fromHex(toHex(b))).toEqual(b)));
  });

  it('agrees with Node for any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
        expect(toHex(b)).toBe(globalThis.Buffer.from(b).toString('hex'));
      }),
    );
  });

  it.each(['0', 'abc', 'zz', '0g', ' 00', '\u00e900', '0\u0100'])('rejects %j with a typed error', (bad) => {
    expect(() => fromHex(bad)).toThrow(TypesError);
  });

  it('rejects any string with a non-hex character', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 20 }), (s) => {
        const text = s.length % 2 === 0 ? s : s + '0';
        if (/^[0-9a-fA-F]*$/.test(text)) expect(fromHex(text).length).toBe(text.length / 2);
        else expect(() => fromHex(text)).toThrow(TypesError);
      }),
    );
  });
});

describe('byte helpers', () => {
  it('compare like lexicographic order', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 8 }), fc.uint8Array({ maxLength: 8 }), (a, b) => {
        const expected = Math.sign(globalThis.Buffer.compare(a, b));
        expect(Math.sign(compareBytes(a, b))).toBe(expected);
        expect(equalBytes(a, b)).toBe(expected === 0);
        expect(equalBytesConstantTime(a, b)).toBe(expected === 0);
      }),
    );
  });

  it('concatenate and reverse', () => {
    expect(concatBytes(Uint8Array.of(1), new Uint8Array(0), Uint8Array.of(2, 3))).toEqual(Uint8Array.of(1, 2, 3));
    expect(reverseBytes(Uint8Array.of(1, 2, 3))).toEqual(Uint8Array.of(3, 2, 1));
  });

  it('decode UTF-8 strictly', () => {
    expect(bytesToUtf8(utf8ToBytes('héllo ⚡'))).toBe('héllo ⚡');
    expect(bytesToUtf8(Uint8Array.of(0xc3, 0x28))).toBeUndefined();
  });

  it('check lengths with a typed error', () => {
    expect(assertLength(new Uint8Array(3), 3, 'x').length).toBe(3);
    expect(() => assertLength(new Uint8Array(2), 3, 'x')).toThrow(/x must be 3 bytes, got 2/);
    expect(() => assertLength([1, 2, 3] as unknown as Uint8Array, 3, 'x')).toThrow(TypesError);
  });

  it('round-trip u64', () => {
    fc.assert(fc.property(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), (v) => expect(bytesToU64(u64ToBytes(v))).toBe(v)));
    expect(toHex(u64ToBytes(0x0102030405060708n))).toBe('0102030405060708');
    expect(bytesToU64(Uint8Array.of(9, 0, 0, 0, 0, 0, 0, 0, 1), 1)).toBe(1n);
  });
});
