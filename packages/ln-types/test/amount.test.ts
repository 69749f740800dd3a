import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { satToMsat, msatToSatFloor, msatToSatCeil, formatMsat, btcToMsat, assertAmount, MAX_MONEY_MSAT, TypesError } from '../src/index.js';

describe('amounts', () => {
  it('convert between sat and msat with explicit rounding', () => {
    expect(satToMsat(5n)).toBe(5000n);
    expect(msatToSatFloor(5999n)).toBe(5n);
    expect(msatToSatCeil(5001n)).toBe(6n);
    expect(msatToSatCeil(5000n)).toBe(5n);
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: MAX_MONEY_MSAT }), (m) => {
        expect(msatToSatFloor(m) * 1000n <= m).toBe(true);
        expect(msatToSatCeil(m) * 1000n >= m).toBe(true);
        expect(msatToSatCeil(m) - msatToSatFloor(m) <= 1n).toBe(true);
      }),
    );
  });

  it('format', () => {
    expect(formatMsat(1234500n)).toBe('1234.5 sat');
    expect(formatMsat(1000n)).toBe('1 sat');
    expect(formatMsat(1n)).toBe('0.001 sat');
    expect(formatMsat(-2500n)).toBe('-2.5 sat');
  });

  it('parse bitcoin amounts exactly', () => {
    expect(btcToMsat('0.0015')).toBe(150_000_000n);
    expect(btcToMsat('21000000')).toBe(MAX_MONEY_MSAT);
    expect(btcToMsat('0.00000000001')).toBe(1n);
    for (const bad of ['', '1.', '.1', '1e3', '0.000000000001', '21000000.00000000001', '-1']) {
      expect(() => btcToMsat(bad)).toThrow(TypesError);
    }
  });

  it('assert ranges', () => {
    expect(assertAmount(5n)).toBe(5n);
    expect(() => assertAmount(-1n)).toThrow(TypesError);
    expect(() => assertAmount(1n << 64n)).toThrow(TypesError);
    expect(() => assertAmount(5 as unknown as bigint)).toThrow(TypesError);
  });
});
