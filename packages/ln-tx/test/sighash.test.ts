import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { toHex, txid } from 'ln-types';
import { type Tx, segwitSighash, segwitSighashScure } from '../src/index.js';

const RUNS = process.env['LN_LONG_TESTS'] === '1' ? 2000 : 150;

const txArb: fc.Arbitrary<Tx> = fc.record({
  version: fc.constantFrom(1, 2),
  locktime: fc.nat({ max: 0xffffffff }),
  inputs: fc.array(
    fc.record({
      previousOutput: fc.record({ txid: fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => txid(b)), index: fc.nat({ max: 0xffffffff }) }),
      sequence: fc.nat({ max: 0xffffffff }),
    }),
    { minLength: 1, maxLength: 4 },
  ),
  outputs: fc.array(fc.record({ script: fc.uint8Array({ maxLength: 300 }), amount: fc.bigInt({ min: 0n, max: 2_100_000_000_000_000n }) }), { maxLength: 5 }),
});

describe('BIP 143 sighash', () => {
  it('equals @scure/btc-signer for every sighash type, input and script', () => {
    fc.assert(
      fc.property(
        txArb,
        fc.nat(),
        fc.uint8Array({ maxLength: 260 }),
        fc.bigInt({ min: 0n, max: 2_100_000_000_000_000n }),
        fc.constantFrom(0x01, 0x02, 0x03, 0x81, 0x82, 0x83),
        (tx, i, script, amount, type) => {
          const index = i % tx.inputs.length;
          // twice: the second call uses the cached midstates
          expect(toHex(segwitSighash(tx, index, script, amount, type))).toBe(toHex(segwitSighashScure(tx, index, script, amount, type)));
          expect(toHex(segwitSighash(tx, index, script, amount, type))).toBe(toHex(segwitSighashScure(tx, index, script, amount, type)));
        },
      ),
      { numRuns: RUNS },
    );
  });
  it('refuses a missing input', () => {
    const tx: Tx = { version: 2, locktime: 0, inputs: [], outputs: [] };
    expect(() => segwitSighash(tx, 0, new Uint8Array(0), 0n)).toThrow(expect.objectContaining({ code: 'invalid_index' }));
  });
});
