// Every transaction built here is checked with bitcore-lib's interpreter (test/interpreter.ts),
// not only against our own builder.
import { describe, expect, it } from '@jest/globals';
import { publicKeyFromPrivate } from 'ln-crypto';
import { fromHex, outPoint } from 'ln-types';
import {
  type BuiltCommitment,
  type CommitmentFormat,
  type Tx,
  anchorWitness,
  buildClosingTx,
  buildCommitment,
  buildHtlcTransactions,
  buildSimpleCloseTx,
  buildSweepTx,
  derivePrivateKey,
  deriveRevocationPrivateKey,
  finalizeClosingTx,
  finalizeCommitment,
  finalizeHtlcTx,
  htlcRevocationWitness,
  offeredHtlcPreimageWitness,
  p2wpkh,
  p2wpkhWitness,
  p2wsh,
  receivedHtlcTimeoutWitness,
  signClosingTx,
  signCommitment,
  signHtlcAsBroadcaster,
  signHtlcAsCountersignatory,
  signSegwitInput,
  toLocalDelayedWitness,
  toLocalRevocationWitness,
  toLocalScript,
  toRemoteAnchorsWitness,
  txidOf,
  withWitness,
} from '../src/index.js';
import { appendixC, appendixDescription, fixture, localHtlcPriv, preimageFor, remoteHtlcPriv } from './helpers.js';
import { verifySpend } from './interpreter.js';

const iv = appendixC.raw.internal_values;
const delayedPriv = derivePrivateKey(fromHex(iv.local_delayed_payment_basepoint_secret.slice(0, 64)), appendixC.perCommitmentPoint);
const revocationPriv = deriveRevocationPrivateKey(fromHex(iv.remote_revocation_basepoint_secret.slice(0, 64)), appendixC.perCommitmentSecret);
const sweepScript = p2wpkh(publicKeyFromPrivate(fromHex('55'.repeat(32))));

function expectValid(tx: Tx, index: number, prevScript: Uint8Array, amount: bigint): void {
  expect(verifySpend(tx, index, prevScript, amount)).toEqual({ ok: true, error: '' });
}

/** A one-input spend of output `vout` of `parent`, signed with `key` over `witnessScript`. */
function spend(parent: Tx, vout: number, opts: { sequence?: number; locktime?: number }): Tx {
  const amount = parent.outputs[vout]!.amount;
  return {
    version: 2,
    locktime: opts.locktime ?? 0,
    inputs: [{ previousOutput: outPoint(txidOf(parent), vout), sequence: opts.sequence ?? 0xffffffff }],
    outputs: [{ script: sweepScript, amount: amount - 200n }],
  };
}

function checkEverySpend(built: BuiltCommitment, format: CommitmentFormat): number {
  const d = built.description;
  let checked = 0;
  const commitment = finalizeCommitment(built, signCommitment(built, appendixC.localFundingPriv), signCommitment(built, appendixC.remoteFundingPriv));
  expectValid(commitment, 0, p2wsh(built.fundingWitnessScript), d.fundingAmountSat);
  checked++;
  const csv = format === 'anchors' ? 1 : 0;
  built.outputs.forEach((o, vout) => {
    const prev = o.script;
    const amount = o.amountSat;
    const ws = o.witnessScript;
    const sign = (tx: Tx, key: Uint8Array, script: Uint8Array) => signSegwitInput(tx, 0, script, amount, key);
    if (o.kind === 'to_local') {
      const delayed = spend(commitment, vout, { sequence: d.toSelfDelay });
      expectValid(withWitness(delayed, 0, toLocalDelayedWitness(sign(delayed, delayedPriv, ws!), ws!)), 0, prev, amount);
      // one block too early: CSV must refuse it
      const early = spend(commitment, vout, { sequence: d.toSelfDelay - 1 });
      expect(verifySpend(withWitness(early, 0, toLocalDelayedWitness(sign(early, delayedPriv, ws!), ws!)), 0, prev, amount).ok).toBe(false);
      const justice = spend(commitment, vout, {});
      expectValid(withWitness(justice, 0, toLocalRevocationWitness(sign(justice, revocationPriv, ws!), ws!)), 0, prev, amount);
      checked += 2;
    } else if (o.kind === 'to_remote') {
      if (format === 'anchors') {
        const t = spend(commitment, vout, { sequence: 1 });
        expectValid(withWitness(t, 0, toRemoteAnchorsWitness(sign(t, appendixC.remotePaymentBasepointSecret, ws!), ws!)), 0, prev, amount);
      } else {
        const t = spend(commitment, vout, {});
        const pk = publicKeyFromPrivate(appendixC.remotePaymentBasepointSecret);
        // P2WPKH scriptCode is the P2PKH script of the key
        const code = fromHex(`76a914${Buffer.from(prev.subarray(2)).toString('hex')}88ac`);
        expectValid(withWitness(t, 0, p2wpkhWitness(signSegwitInput(t, 0, code, amount, appendixC.remotePaymentBasepointSecret), pk)), 0, prev, amount);
      }
      checked++;
    } else if (o.kind === 'local_anchor' || o.kind === 'remote_anchor') {
      const key = o.kind === 'local_anchor' ? appendixC.localFundingPriv : appendixC.remoteFundingPriv;
      const t = { ...spend(commitment, vout, {}), outputs: [{ script: new Uint8Array([0x6a]), amount: 0n }] };
      expectValid(withWitness(t, 0, anchorWitness(sign(t, key, ws!), ws!)), 0, prev, amount);
      const anyone = { ...spend(commitment, vout, { sequence: 16 }), outputs: [{ script: new Uint8Array([0x6a]), amount: 0n }] };
      expectValid(withWitness(anyone, 0, anchorWitness(undefined, ws!)), 0, prev, amount);
      checked += 2;
    } else {
      const h = d.htlcs[o.htlcIndex!]!;
      // revocation path
      const justice = spend(commitment, vout, {});
      expectValid(withWitness(justice, 0, htlcRevocationWitness(sign(justice, revocationPriv, ws!), d.keys.revocationPubkey, ws!)), 0, prev, amount);
      // the countersignatory's direct claims
      if (h.offered) {
        const claim = spend(commitment, vout, { sequence: csv });
        expectValid(withWitness(claim, 0, offeredHtlcPreimageWitness(sign(claim, remoteHtlcPriv, ws!), preimageFor(h.paymentHash), ws!)), 0, prev, amount);
        const wrong = withWitness(claim, 0, offeredHtlcPreimageWitness(sign(claim, remoteHtlcPriv, ws!), new Uint8Array(32).fill(9), ws!));
        expect(verifySpend(wrong, 0, prev, amount).ok).toBe(false);
      } else {
        const claim = spend(commitment, vout, { sequence: csv === 1 ? 1 : 0xfffffffe, locktime: h.cltvExpiry });
        expectValid(withWitness(claim, 0, receivedHtlcTimeoutWitness(sign(claim, remoteHtlcPriv, ws!), ws!)), 0, prev, amount);
        const early = spend(commitment, vout, { sequence: csv === 1 ? 1 : 0xfffffffe, locktime: h.cltvExpiry - 1 });
        expect(verifySpend(withWitness(early, 0, receivedHtlcTimeoutWitness(sign(early, remoteHtlcPriv, ws!), ws!)), 0, prev, amount).ok).toBe(false);
      }
      checked += 2;
    }
  });
  // second-stage transactions and the spends of their outputs
  for (const h of buildHtlcTransactions(built)) {
    const preimage = h.kind === 'success' ? preimageFor(d.htlcs[h.htlcIndex]!.paymentHash) : undefined;
    const signed = finalizeHtlcTx(h, signHtlcAsBroadcaster(h, localHtlcPriv), signHtlcAsCountersignatory(h, remoteHtlcPriv), preimage);
    expectValid(signed, 0, p2wsh(h.witnessScript), h.amountSat);
    const ws = toLocalScript(d.keys.revocationPubkey, d.toSelfDelay, d.keys.broadcasterDelayedPubkey);
    const amount = signed.outputs[0]!.amount;
    const delayed = spend(signed, 0, { sequence: d.toSelfDelay });
    expectValid(withWitness(delayed, 0, toLocalDelayedWitness(signSegwitInput(delayed, 0, ws, amount, delayedPriv), ws)), 0, p2wsh(ws), amount);
    const justice = spend(signed, 0, {});
    expectValid(withWitness(justice, 0, toLocalRevocationWitness(signSegwitInput(justice, 0, ws, amount, revocationPriv), ws)), 0, p2wsh(ws), amount);
    checked += 3;
  }
  return checked;
}

// bitcore-lib verifies with pure-JS bn.js ECDSA (tens of ms per signature), so CI checks a
// representative subset of the vectors (every output kind, both formats, trimming edges);
// LN_LONG_TESTS=1 checks every vector.
const LONG = process.env['LN_LONG_TESTS'] === '1';
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- vector JSON
const pick = (all: any[], indices: number[]): any[] => (LONG ? all : all.filter((_, i) => indices.includes(i)));

describe('independent validation (bitcore-lib interpreter)', () => {
  it('Appendix C commitments, HTLC transactions and every output spend (all vectors with LN_LONG_TESTS=1)', () => {
    let n = 0;
    for (const vec of pick(fixture('bolt03-commitment-txs.json').vectors, [15])) {
      n += checkEverySpend(buildCommitment(appendixDescription('static_remotekey', BigInt(vec.to_local_msat), BigInt(vec.to_remote_msat), vec.local_feerate_per_kw, 546n)), 'static_remotekey');
    }
    expect(n).toBeGreaterThan(LONG ? 150 : 12);
  });
  it('Appendix F (anchors) commitments, HTLC transactions and every output spend (all vectors with LN_LONG_TESTS=1)', () => {
    let n = 0;
    for (const vec of pick(fixture('bolt03-commitment-txs-anchors.json').vectors, [2])) {
      n += checkEverySpend(buildCommitment(appendixDescription('anchors', BigInt(vec.LocalBalance), BigInt(vec.RemoteBalance), vec.FeePerKw, BigInt(vec.DustLimitSatoshis))), 'anchors');
    }
    expect(n).toBeGreaterThan(LONG ? 80 : 15);
  });
  it('closing transactions (closing_signed and simple close) spend the funding output', () => {
    const localScript = p2wpkh(appendixC.localFundingPubkey);
    const remoteScript = p2wpkh(appendixC.remoteFundingPubkey);
    const base = {
      fundingOutpoint: appendixC.fundingOutpoint,
      fundingAmountSat: appendixC.fundingAmountSat,
      localScript,
      remoteScript,
      localAmountSat: 6_000_000n,
      remoteAmountSat: 3_990_000n,
      dustLimitSat: 546n,
    };
    const fundingPrev = p2wsh(appendixC.raw.comment_fields.funding_wscript ? fromHex(appendixC.raw.comment_fields.funding_wscript) : new Uint8Array());
    for (const tx of [buildClosingTx(base), buildSimpleCloseTx({ ...base, remoteAmountSat: 0n, locktime: 800_000 })]) {
      const ls = signClosingTx(tx, base.fundingAmountSat, appendixC.localFundingPubkey, appendixC.remoteFundingPubkey, appendixC.localFundingPriv);
      const rs = signClosingTx(tx, base.fundingAmountSat, appendixC.localFundingPubkey, appendixC.remoteFundingPubkey, appendixC.remoteFundingPriv);
      expectValid(finalizeClosingTx(tx, appendixC.localFundingPubkey, appendixC.remoteFundingPubkey, ls, rs), 0, fundingPrev, base.fundingAmountSat);
    }
  });
  it('a multi-input sweep (justice on to_local plus an HTLC) validates on every input', () => {
    const d = appendixDescription('static_remotekey', 6_988_000_000n, 3_000_000_000n, 0, 546n);
    const built = buildCommitment(d);
    const commitment = finalizeCommitment(built, signCommitment(built, appendixC.localFundingPriv), signCommitment(built, appendixC.remoteFundingPriv));
    const picks = built.outputs.map((o, vout) => ({ o, vout })).filter(({ o }) => o.kind === 'to_local' || o.kind === 'htlc');
    const tx = buildSweepTx(
      picks.map(({ o, vout }) => ({ input: { previousOutput: outPoint(txidOf(commitment), vout), sequence: 0xffffffff }, amountSat: o.amountSat, witnessWeight: 250 })),
      sweepScript,
      253,
      546n,
    );
    let signed = tx;
    picks.forEach(({ o }, i) => {
      const sig = signSegwitInput(tx, i, o.witnessScript!, o.amountSat, revocationPriv);
      signed = withWitness(signed, i, o.kind === 'to_local' ? toLocalRevocationWitness(sig, o.witnessScript!) : htlcRevocationWitness(sig, d.keys.revocationPubkey, o.witnessScript!));
    });
    picks.forEach(({ o }, i) => expectValid(signed, i, o.script, o.amountSat));
    expect(picks.length).toBe(6);
  });
});
