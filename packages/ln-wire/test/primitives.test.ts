import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { fromHex, toHex } from 'ln-types';
import { Reader, Writer, WireError, encodeBigSize, bigSizeLength } from '../src/index.js';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));
const bigsize = fixture('bolt01-bigsize.json') as {
  decoding: { name: string; value: string; bytes: string; exp_error?: string }[];
  encoding: { name: string; value: string; bytes: string }[];
};
const signed = fixture('bolt01-signed-integers.json') as { vectors: { value: string; bytes: string; width_bits: number }[] };

describe('BigSize (BOLT 1 Appendix A)', () => {
  it.each(bigsize.decoding.map((v) => [v.name, v] as const))('decodes: %s', (_name, v) => {
    const r = new Reader(fromHex(v.bytes));
    if (v.exp_error === undefined) {
      expect(r.bigSize()).toBe(BigInt(v.value));
      expect(r.atEnd).toBe(true);
    } else {
      const code = v.exp_error.includes('canonical') ? 'non_minimal' : 'truncated';
      expect(() => r.bigSize()).toThrow(expect.objectContaining({ code }));
    }
  });

  it.each(bigsize.encoding.map((v) => [v.name, v] as const))('encodes: %s', (_name, v) => {
    expect(toHex(encodeBigSize(BigInt(v.value)))).toBe(v.bytes);
    expect(bigSizeLength(BigInt(v.value))).toBe(v.bytes.length / 2);
  });

  it('round-trips any u64', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), (v) => {
        const bytes = encodeBigSize(v);
        const r = new Reader(bytes);
        expect(r.bigSize()).toBe(v);
        expect(r.atEnd).toBe(true);
      }),
    );
  });

  it('bigSizeNumber refuses values beyond 2^53', () => {
    expect(new Reader(fromHex('fc')).bigSizeNumber()).toBe(252);
    expect(new Reader(fromHex('fdffff')).bigSizeNumber()).toBe(65535);
    expect(() => new Reader(fromHex('ffffffffffffffffff')).bigSizeNumber()).toThrow(expect.objectContaining({ code: 'too_large' }));
    expect(() => new Reader(fromHex('fc'), 0, 0).bigSizeNumber()).toThrow(expect.objectContaining({ code: 'truncated' }));
  });
});

describe('signed integers (BOLT 1 Appendix D)', () => {
  it.each(signed.vectors.map((v) => [v.value, v] as const))('%s', (_value, v) => {
    const w = new Writer();
    const r = new Reader(fromHex(v.bytes));
    switch (v.width_bits) {
      case 8:
        w.s8(Number(v.value));
        expect(r.s8()).toBe(Number(v.value));
        break;
      case 16:
        w.s16(Number(v.value));
        expect(r.s16()).toBe(Number(v.value));
        break;
      case 32:
        w.s32(Number(v.value));
        expect(r.s32()).toBe(Number(v.value));
        break;
      default:
        w.s64(BigInt(v.value));
        expect(r.s64()).toBe(BigInt(v.value));
    }
    expect(toHex(w.finish())).toBe(v.bytes);
  });

  it('refuses out-of-range values', () => {
    expect(() => new Writer().s8(128)).toThrow(WireError);
    expect(() => new Writer().s16(-32769)).toThrow(WireError);
    expect(() => new Writer().s32(2 ** 31)).toThrow(WireError);
    expect(() => new Writer().s64(1n << 63n)).toThrow(WireError);
  });
});

describe('Reader and Writer', () => {
  it('Writer.copy is an exact independent copy and reset starts over on the same buffer', () => {
    const w = new Writer(2);
    w.u32(0x01020304);
    const copy = w.copy();
    expect(toHex(copy)).toBe('01020304');
    expect(copy.buffer.byteLength).toBe(4);
    w.reset().u8(9);
    expect(toHex(copy)).toBe('01020304');
    expect(toHex(w.finish())).toBe('09');
    expect(w.length).toBe(1);
  });

  it('round-trip a mix of fields', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 255 }),
        fc.integer({ min: 0, max: 65535 }),
        fc.nat(),
        fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
        fc.uint8Array({ maxLength: 100 }),
        fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
        fc.integer({ min: 0, max: 0xffffffff }),
        (a, b, c, d, e, f, g) => {
          const w = new Writer(1);
          w.u8(a).u16(b).u32(c).u64(d).u16Bytes(e).bigSize(f);
          const tu = new Writer().truncated(g, 4).finish();
          const r = new Reader(w.finish());
          expect([r.u8(), r.u16(), r.u32(), r.u64(), r.u16Bytes(), r.bigSize()]).toEqual([a, b, c, d, e, f]);
          expect(r.atEnd).toBe(true);
          expect(new Reader(tu).truncatedNumber(4, 'tu32')).toBe(g);
          expect(tu.length === 0 || tu[0] !== 0).toBe(true);
        },
      ),
    );
  });

  it('truncated integers: minimal encoding only', () => {
    expect(toHex(new Writer().truncated(0n, 8).finish())).toBe('');
    expect(toHex(new Writer().truncated(256, 2).finish())).toBe('0100');
    expect(() => new Reader(fromHex('0001')).truncatedNumber(2, 'tu16')).toThrow(expect.objectContaining({ code: 'non_minimal' }));
    expect(() => new Reader(fromHex('010203')).truncatedNumber(2, 'tu16')).toThrow(expect.objectContaining({ code: 'invalid_value' }));
    expect(() => new Reader(fromHex('000000000000000001')).tu64()).toThrow(WireError);
    expect(() => new Writer().truncated(65536, 2)).toThrow(WireError);
  });

  it('never reads past the end, whatever a length prefix claims', () => {
    expect(() => new Reader(fromHex('ffff00')).u16Bytes()).toThrow(expect.objectContaining({ code: 'truncated' }));
    expect(() => new Reader(fromHex('01020304'), 0, 2).u32()).toThrow(WireError);
    const r = new Reader(fromHex('0102030405'));
    const sub = r.sub(2, 'x');
    expect(sub.remaining).toBe(2);
    expect(r.u8()).toBe(3);
    expect(() => sub.u32()).toThrow(WireError);
    expect(() => r.end('x')).toThrow(expect.objectContaining({ code: 'trailing_bytes' }));
  });

  it('refuses out-of-range unsigned values', () => {
    expect(() => new Writer().u8(256)).toThrow(WireError);
    expect(() => new Writer().u16(-1)).toThrow(WireError);
    expect(() => new Writer().u32(1.5)).toThrow(WireError);
    expect(() => new Writer().u64(-1n)).toThrow(WireError);
    expect(() => new Writer().fixed(new Uint8Array(3), 4, 'key')).toThrow(WireError);
    expect(() => new Writer().u16Bytes(new Uint8Array(65536))).toThrow(expect.objectContaining({ code: 'too_large' }));
  });
});
