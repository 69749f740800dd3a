// The persisted state codec: round trips of random states, and truncated,
// altered and random bytes give a typed error (never a crash or a wrong state).
import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { blockHash, outPoint, txid } from 'ln-types';
import { type Tx, encodeTx, txidOf } from 'ln-tx';
import { type WalletState, WalletError, decodeTipRecord, decodeWalletState, encodeTipRecord, encodeWalletState } from '../src/index.js';

const LONG = process.env.LN_LONG_TESTS === '1';
const RUNS = LONG ? 2000 : 200;

const bytes = (n: number) => fc.uint8Array({ minLength: n, maxLength: n });
const txArb: fc.Arbitrary<Tx> = fc.record({
  version: fc.constant(2),
  locktime: fc.integer({ min: 0, max: 0xffffffff }),
  inputs: fc.array(
    fc.record({
      previousOutput: fc.record({ txid: bytes(32).map(txid), index: fc.integer({ min: 0, max: 0xffffffff }) }),
      sequence: fc.integer({ min: 0, max: 0xffffffff }),
      witness: fc.array(fc.uint8Array({ maxLength: 80 }), { minLength: 1, maxLength: 3 }),
    }),
    { minLength: 1, maxLength: 3 },
  ),
  outputs: fc.array(fc.record({ script: fc.uint8Array({ minLength: 1, maxLength: 40 }), amount: fc.bigInt({ min: 0n, max: 2_100_000_000_000_000n }) }), { minLength: 1, maxLength: 3 }),
});

const stateArb: fc.Arbitrary<WalletState> = fc
  .record({
    network: fc.constantFrom('bitcoin', 'testnet', 'testnet4', 'signet', 'regtest' as const),
    account: fc.integer({ min: 0, max: 0x7fffffff }),
    fingerprint: bytes(20),
    generation: fc.integer({ min: 0, max: 0xffffffff }),
    tip: fc.option(fc.record({ height: fc.integer({ min: 0, max: 0xffffffff }), blockHash: bytes(32).map(blockHash) }), { nil: undefined }),
    revealed: fc.tuple(fc.integer({ min: 0, max: 0x7fffffff }), fc.integer({ min: 0, max: 0x7fffffff })),
    nextSeq: fc.integer({ min: 0, max: 0xffffffff }),
    txs: fc.uniqueArray(
      fc.record({
        tx: txArb,
        origin: fc.constantFrom('external', 'send', 'drain', 'funding' as const),
        status: fc.oneof(
          fc.record({ kind: fc.constant('pending' as const), seq: fc.integer({ min: 0, max: 0xffffffff }) }),
          fc.record({ kind: fc.constant('confirmed' as const), height: fc.integer({ min: 0, max: 0xffffffff }), blockHash: bytes(32).map(blockHash), position: fc.integer({ min: 0, max: 0xffffffff }) }),
        ),
      }),
      { maxLength: 4, selector: (t) => encodeTx(t.tx).join(',') },
    ),
    reservations: fc.array(
      fc.record({ outpoint: fc.record({ txid: bytes(32).map(txid), index: fc.integer({ min: 0, max: 0xffffffff }) }).map((o) => outPoint(o.txid, o.index)), spender: bytes(32).map(txid), expiresAt: fc.integer({ min: 0, max: 0xffffffff }) }),
      { maxLength: 3 },
    ),
  })
  .map((s) => ({ ...s, txs: s.txs.map((t) => ({ ...t, txid: txidOf(t.tx), raw: encodeTx(t.tx) })) }));

function expectTyped(f: () => unknown): void {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(WalletError);
    expect(['malformed', 'unsupported_version']).toContain((error as WalletError).code);
    return;
  }
}

describe('wallet state codec', () => {
  test('round trips', () => {
    fc.assert(
      fc.property(stateArb, (state) => {
        const decoded = decodeWalletState(encodeWalletState(state));
        expect(decoded).toEqual(state);
      }),
      { numRuns: RUNS },
    );
  });

  test('every truncation is refused', () => {
    fc.assert(
      fc.property(stateArb, (state) => {
        const bytes = encodeWalletState(state);
        for (let n = 0; n < bytes.length; n += Math.max(1, bytes.length >> 6)) expect(() => decodeWalletState(bytes.subarray(0, n))).toThrow(WalletError);
        expect(() => decodeWalletState(Uint8Array.of(...bytes, 0))).toThrow(/trailing/);
      }),
      { numRuns: RUNS / 4 },
    );
  });

  test('altered and random bytes give a typed error or a state, never a crash', () => {
    fc.assert(
      fc.property(stateArb, fc.integer({ min: 0 }), fc.integer({ min: 0, max: 255 }), (state, at, value) => {
        const bytes = encodeWalletState(state);
        bytes[at % bytes.length] = value;
        expectTyped(() => decodeWalletState(bytes));
      }),
      { numRuns: RUNS },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (random) => {
        expectTyped(() => decodeWalletState(random));
        expectTyped(() => decodeWalletState(Uint8Array.of(0x4c, 0x4e, 0x57, 0x53, 1, ...random)));
        expectTyped(() => decodeTipRecord(random));
      }),
      { numRuns: RUNS },
    );
  });

  test('a huge declared count does not allocate before failing', () => {
    const state: WalletState = { network: 'regtest', account: 0, fingerprint: new Uint8Array(20), generation: 1, tip: undefined, revealed: [0, 0], nextSeq: 0, txs: [], reservations: [] };
    const bytes = encodeWalletState(state);
    // The transaction count sits just before the reservation count (the last 8 bytes).
    bytes.set([0xff, 0xff, 0xff, 0xff], bytes.length - 8);
    expect(() => decodeWalletState(bytes)).toThrow(/implausible/);
  });

  test('an unknown version is refused as such', () => {
    const state: WalletState = { network: 'regtest', account: 0, fingerprint: new Uint8Array(20), generation: 1, tip: undefined, revealed: [0, 0], nextSeq: 0, txs: [], reservations: [] };
    const bytes = encodeWalletState(state);
    bytes[4] = 2;
    expect(() => decodeWalletState(bytes)).toThrow(expect.objectContaining({ code: 'unsupported_version' }));
    const tip = encodeTipRecord({ generation: 3, tip: { height: 5, blockHash: blockHash(new Uint8Array(32)) } });
    expect(decodeTipRecord(tip)).toEqual({ generation: 3, tip: { height: 5, blockHash: blockHash(new Uint8Array(32)) } });
    tip[4] = 9;
    expect(() => decodeTipRecord(tip)).toThrow(expect.objectContaining({ code: 'unsupported_version' }));
  });
});
