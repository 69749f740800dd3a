import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { randomBytes } from 'ln-crypto';
import { toHex } from 'ln-types';
import {
  type CommitmentDescription,
  type CommitmentFormat,
  CounterpartySecrets,
  MAX_SHACHAIN_INDEX,
  TxError,
  buildCommitment,
  commitmentNumberFromTx,
  decodeObscuredCommitmentNumber,
  decodeTx,
  encodeObscuredCommitmentNumber,
  encodeTx,
  isHtlcTrimmed,
  matchHtlcScript,
  offeredHtlcScript,
  receivedHtlcScript,
  shachainFromSeed,
  tokenizeScript,
} from '../src/index.js';
import { appendixC, appendixDescription } from './helpers.js';

const RUNS = process.env['LN_LONG_TESTS'] === '1' ? 1000 : 60;
const base = appendixDescription('static_remotekey', 7_000_000_000n, 3_000_000_000n, 0, 546n);

const htlcArb = fc.record({
  offered: fc.boolean(),
  amountMsat: fc.bigInt({ min: 1n, max: 200_000_000n }),
  cltvExpiry: fc.integer({ min: 0, max: 1_000_000 }),
  paymentHash: fc.constantFrom(...appendixC.htlcs.map((h) => h.htlc.paymentHash)),
});

const descriptionArb = fc
  .record({
    format: fc.constantFrom<CommitmentFormat>('static_remotekey', 'anchors'),
    htlcs: fc.array(htlcArb, { maxLength: 12 }),
    localShare: fc.bigInt({ min: 0n, max: 1000n }),
    feeratePerKw: fc.integer({ min: 0, max: 100_000 }),
    dustLimitSat: fc.bigInt({ min: 0n, max: 5_000n }),
    opener: fc.boolean(),
  })
  .map(({ format, htlcs, localShare, feeratePerKw, dustLimitSat, opener }): CommitmentDescription => {
    const totalMsat = base.fundingAmountSat * 1000n;
    const htlcSum = htlcs.reduce((s, h) => s + h.amountMsat, 0n);
    const rest = totalMsat - htlcSum;
    const toLocal = (rest * localShare) / 1000n;
    return { ...base, format, htlcs, feeratePerKw, dustLimitSat, broadcasterIsOpener: opener, toBroadcasterMsat: toLocal, toCountersignatoryMsat: rest - toLocal };
  });

function maxFeeMsat(d: CommitmentDescription): bigint {
  return BigInt(d.feeratePerKw) * BigInt(1124 + 172 * d.htlcs.length);
}

/** Builds, or undefined when refused for the one legitimate reason (opener cannot pay the anchors). */
function buildOrRefuse(d: CommitmentDescription) {
  try {
    return buildCommitment(d);
  } catch (e) {
    if (e instanceof TxError && e.code === 'insufficient_funds') return undefined;
    throw e;
  }
}

describe('commitment building properties', () => {
  it('never emits an output below the dust limit (anchors excepted) and conserves value', () => {
    fc.assert(
      fc.property(descriptionArb, (d) => {
        let built;
        try {
          built = buildCommitment(d);
        } catch (e) {
          // refused only when the opener cannot pay the anchors (a state BOLT 2 forbids)
          expect(e).toEqual(expect.objectContaining({ code: 'insufficient_funds' }));
          expect(d.format).toBe('anchors');
          expect((d.broadcasterIsOpener ? d.toBroadcasterMsat : d.toCountersignatoryMsat) < 660_000n + maxFeeMsat(d)).toBe(true);
          return;
        }
        const outSum = built.tx.outputs.reduce((s, o) => s + o.amount, 0n);
        // value: inputs = outputs + fee
        expect(outSum + built.actualFeeSat).toBe(d.fundingAmountSat);
        expect(built.actualFeeSat).toBeGreaterThanOrEqual(0n);
        for (const o of built.outputs) {
          if (o.kind === 'local_anchor' || o.kind === 'remote_anchor') expect(o.amountSat).toBe(330n);
          else expect(o.amountSat).toBeGreaterThanOrEqual(d.dustLimitSat);
          expect(o.amountSat).toBeGreaterThan(0n);
        }
        // every HTLC is either an output or trimmed, never both
        expect(built.htlcOutputs.length + built.trimmedHtlcs.length).toBe(d.htlcs.length);
        for (const i of built.trimmedHtlcs) expect(isHtlcTrimmed(d.htlcs[i]!, d.format, d.feeratePerKw, d.dustLimitSat)).toBe(true);
        // the fee is never below what BOLT 3 asks, unless the opener could not pay it all
        return true;
      }),
      { numRuns: RUNS },
    );
  });
  it('orders outputs by BIP 69 + cltv, and the order does not depend on the HTLC input order', () => {
    fc.assert(
      fc.property(descriptionArb, fc.integer(), (d, seed) => {
        const built = buildOrRefuse(d);
        if (built === undefined) return;
        const outs = built.outputs;
        for (let i = 1; i < outs.length; i++) {
          const a = outs[i - 1]!;
          const b = outs[i]!;
          expect(a.amountSat <= b.amountSat).toBe(true);
          if (a.amountSat === b.amountSat) {
            const cmp = toHex(a.script) <= toHex(b.script);
            expect(cmp).toBe(true);
            if (toHex(a.script) === toHex(b.script) && a.htlcIndex !== undefined && b.htlcIndex !== undefined) {
              expect(d.htlcs[a.htlcIndex]!.cltvExpiry <= d.htlcs[b.htlcIndex]!.cltvExpiry).toBe(true);
            }
          }
        }
        const shuffled = [...d.htlcs].sort((x, y) => ((x.cltvExpiry ^ seed) - (y.cltvExpiry ^ seed)) || 0);
        const again = buildCommitment({ ...d, htlcs: shuffled });
        expect(toHex(encodeTx(again.tx))).toBe(toHex(encodeTx(built.tx)));
        expect(toHex(encodeTx(buildCommitment(d).tx))).toBe(toHex(encodeTx(built.tx)));
      }),
      { numRuns: RUNS },
    );
  });
  it('refuses balances that do not add up to the funding amount', () => {
    expect(() => buildCommitment({ ...base, toBroadcasterMsat: base.toBroadcasterMsat + 1n })).toThrow(TxError);
  });
});

describe('encoders and decoders round-trip', () => {
  it('obscured commitment numbers', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: MAX_SHACHAIN_INDEX }), fc.bigInt({ min: 0n, max: MAX_SHACHAIN_INDEX }), (n, factor) => {
        const { locktime, sequence } = encodeObscuredCommitmentNumber(n, factor);
        expect(decodeObscuredCommitmentNumber(locktime, sequence, factor)).toBe(n);
      }),
      { numRuns: RUNS * 5 },
    );
  });
  it('commitment transactions decode back to their commitment number', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: MAX_SHACHAIN_INDEX }), (n) => {
        const built = buildCommitment({ ...base, commitmentNumber: n });
        const decoded = decodeTx(encodeTx(built.tx));
        expect(commitmentNumberFromTx(decoded, base.obscuringFactor)).toBe(n);
        expect(toHex(encodeTx(decoded))).toBe(toHex(encodeTx(built.tx)));
      }),
      { numRuns: RUNS },
    );
    expect(commitmentNumberFromTx({ version: 2, locktime: 0, inputs: [{ previousOutput: base.fundingOutpoint, sequence: 0 }], outputs: [] }, 0n)).toBeUndefined();
  });
  it('HTLC scripts are recognised with their fields', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.boolean(), fc.integer({ min: 0, max: 499_999_999 }), (offered, anchors, cltv) => {
        const hash = appendixC.htlcs[0]!.htlc.paymentHash;
        const s = offered ? offeredHtlcScript(base.keys, hash, anchors) : receivedHtlcScript(base.keys, hash, cltv, anchors);
        const m = matchHtlcScript(s)!;
        expect(m.kind).toBe(offered ? 'offered' : 'received');
        expect(m.anchors).toBe(anchors);
        expect(toHex(m.broadcasterHtlcPubkey)).toBe(toHex(base.keys.broadcasterHtlcPubkey));
        if (!offered) expect(m.cltvExpiry).toBe(cltv);
        // any single-byte change breaks the match or changes a field
        const copy = s.slice();
        copy[s.length - 1] = copy[s.length - 1]! ^ 1;
        expect(matchHtlcScript(copy)).toBeUndefined();
      }),
      { numRuns: RUNS },
    );
  });
  it('shachain store serializes and restores', () => {
    const seed = new Uint8Array(32).fill(7);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 70 }), (count) => {
        const store = new CounterpartySecrets();
        for (let i = 0n; i < BigInt(count); i++) store.insert(shachainFromSeed(seed, MAX_SHACHAIN_INDEX - i), MAX_SHACHAIN_INDEX - i);
        const again = CounterpartySecrets.deserialize(store.serialize());
        for (let i = 0n; i < BigInt(count); i++) expect(toHex(again.get(MAX_SHACHAIN_INDEX - i)!)).toBe(toHex(shachainFromSeed(seed, MAX_SHACHAIN_INDEX - i)));
        expect(again.get(MAX_SHACHAIN_INDEX - BigInt(count))).toBeUndefined();
        expect(again.nextIndex).toBe(MAX_SHACHAIN_INDEX - BigInt(count));
      }),
      { numRuns: Math.min(RUNS, 30) },
    );
  });
});

describe('robustness: malformed input gives typed errors', () => {
  const typed = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(TxError);
    }
  };
  it('random and truncated transactions', () => {
    const good = encodeTx(buildCommitment(base).tx);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), fc.nat(good.length), (junk, cut) => {
        typed(() => decodeTx(junk));
        typed(() => decodeTx(good.subarray(0, cut)));
      }),
      { numRuns: RUNS * 5 },
    );
    expect(() => decodeTx(new Uint8Array([...good, 0]))).toThrow(TxError);
  });
  it('random scripts never match as HTLCs and never throw', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (s) => {
        expect(matchHtlcScript(s)).toBeUndefined();
        tokenizeScript(s);
      }),
      { numRuns: RUNS * 5 },
    );
  });
  it('shachain store: bad bytes, indexes and secrets', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 49 * 40, maxLength: 49 * 40 }), (b) => typed(() => CounterpartySecrets.deserialize(b))),
      { numRuns: RUNS },
    );
    expect(() => CounterpartySecrets.deserialize(new Uint8Array(10))).toThrow(TxError);
    const store = new CounterpartySecrets();
    expect(() => store.insert(randomBytes(32), 5n)).toThrow(TxError);
    expect(() => store.insert(new Uint8Array(31), MAX_SHACHAIN_INDEX)).toThrow(TxError);
    expect(() => shachainFromSeed(new Uint8Array(32), MAX_SHACHAIN_INDEX + 1n)).toThrow(TxError);
  });
  it('bad keys and parameters', () => {
    expect(() => offeredHtlcScript({ ...base.keys, revocationPubkey: new Uint8Array(33) }, new Uint8Array(32), false)).toThrow(TxError);
    expect(() => receivedHtlcScript(base.keys, new Uint8Array(32), 600_000_000, false)).toThrow(TxError);
    expect(() => buildCommitment({ ...base, feeratePerKw: -1 })).toThrow(TxError);
  });
});

describe('deriveCommitmentKeys cache', () => {
  it('a cached derivation equals a fresh one, and callers get independent copies', async () => {
    const { deriveCommitmentKeys, derivePublicKey, deriveRevocationPublicKey, perCommitmentPoint } = await import('../src/index.js');
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), (n) => {
        const secret = new Uint8Array(32);
        secret[0] = 7;
        new DataView(secret.buffer).setUint32(28, n);
        const point = perCommitmentPoint(secret);
        const first = deriveCommitmentKeys(point, appendixC.local, appendixC.remote);
        const again = deriveCommitmentKeys(point, appendixC.local, appendixC.remote);
        expect(again).toEqual(first);
        expect(first.revocationPubkey).toEqual(deriveRevocationPublicKey(appendixC.remote.revocationBasepoint, point));
        expect(first.broadcasterHtlcPubkey).toEqual(derivePublicKey(appendixC.local.htlcBasepoint, point));
        first.revocationPubkey.fill(0);
        expect(deriveCommitmentKeys(point, appendixC.local, appendixC.remote)).toEqual(again);
        // The other side's commitment at the same point is another entry.
        expect(deriveCommitmentKeys(point, appendixC.remote, appendixC.local).broadcasterHtlcPubkey).toEqual(derivePublicKey(appendixC.remote.htlcBasepoint, point));
      }),
      { numRuns: 30 },
    );
  });
});
