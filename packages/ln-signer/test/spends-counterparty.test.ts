// The ChannelSigner calls a ChannelMonitor makes once a commitment is on chain: each test
// builds the spending transaction with ln-tx's helpers, asks the signer, then checks the
// signature against the BIP 143 sighash with the key the script expects (derived here from
// the basepoints and the per-commitment point) and runs the whole witness through
// bitcore-lib's interpreter (test/interpreter.ts), an implementation independent of ours.
import { describe, expect, it } from '@jest/globals';
import { ecdsaVerify, sha256 } from 'ln-crypto';
import { outPoint, toHex } from 'ln-types';
import {
  ANCHORS_TO_REMOTE_WITNESS_WEIGHT,
  P2WPKH_WITNESS_WEIGHT,
  TO_LOCAL_PENALTY_WITNESS_WEIGHT,
  acceptedHtlcPenaltyWitnessWeight,
  buildSweepTx,
  derivePublicKey,
  deriveRevocationPublicKey,
  htlcRevocationWitness,
  offeredHtlcClaimWitnessWeight,
  offeredHtlcPreimageWitness,
  p2pkh,
  p2wpkh,
  p2wpkhWitness,
  p2wsh,
  perCommitmentPoint,
  receivedHtlcTimeoutWitness,
  receivedHtlcTimeoutWitnessWeight,
  toLocalRevocationWitness,
  toRemoteAnchorsScript,
  toRemoteAnchorsWitness,
  txidOf,
  withWitness,
} from 'ln-tx';
import { verifySpend } from './interpreter.js';
import { DEST, FORMATS, channel, preimageOf, sighashOf, spends, sweepOf } from './monitor.js';

describe('signJusticeRevokedHtlc: justice on a revoked counterparty commitment', () => {
  for (const format of FORMATS) {
    it(`sweeps to_local and both HTLC outputs in one transaction with the revocation key (${format})`, async () => {
      const { signerA, b, bOnA, bSecret0 } = await channel(format);
      const built = bOnA[0]!;
      // the point from the revealed secret, and the revocation key from it and A's basepoint
      const point = perCommitmentPoint(bSecret0);
      expect(toHex(point)).toBe(toHex(b[0]!.perCommitmentPoint));
      const revocationKey = deriveRevocationPublicKey(signerA.pubkeys.revocationBasepoint, point);
      expect(toHex(built.description.keys.revocationPubkey)).toBe(toHex(revocationKey));
      const picks = built.outputs.map((o, vout) => ({ o, vout })).filter(({ o }) => o.kind === 'htlc' || o.kind === 'to_local');
      expect(picks.map(({ o }) => o.kind).sort()).toEqual(['htlc', 'htlc', 'to_local']);
      const tx = buildSweepTx(
        picks.map(({ o, vout }) => ({
          input: { previousOutput: outPoint(txidOf(built.tx), vout), sequence: 0xffffffff },
          amountSat: o.amountSat,
          witnessWeight: o.kind === 'htlc' ? acceptedHtlcPenaltyWitnessWeight(format) : TO_LOCAL_PENALTY_WITNESS_WEIGHT,
        })),
        DEST,
        253,
        330n,
      );
      let signed = tx;
      for (const [i, { o }] of picks.entries()) {
        const ws = o.witnessScript!;
        const input = { tx, inputIndex: i, amountSat: o.amountSat, witnessScript: ws };
        const sig = o.kind === 'htlc' ? await signerA.signJusticeRevokedHtlc(input, bSecret0) : await signerA.signJusticeRevokedOutput(input, bSecret0);
        expect(ecdsaVerify(sig, sighashOf(input), revocationKey)).toBe(true);
        signed = withWitness(signed, i, o.kind === 'htlc' ? htlcRevocationWitness(sig, revocationKey, ws) : toLocalRevocationWitness(sig, ws));
      }
      picks.forEach(({ o }, i) => expect(verifySpend(signed, i, o.script, o.amountSat)).toEqual({ ok: true, error: '' }));

      // a wrong secret (a valid scalar, not the revoked commitment's) gives a key the script refuses
      const [i, { o }] = [...picks.entries()].find(([, p]) => p.o.kind === 'htlc')!;
      const input = { tx, inputIndex: i, amountSat: o.amountSat, witnessScript: o.witnessScript! };
      const wrong = await signerA.signJusticeRevokedHtlc(input, sha256(bSecret0));
      expect(ecdsaVerify(wrong, sighashOf(input), revocationKey)).toBe(false);
      expect(spends(tx, i, htlcRevocationWitness(wrong, revocationKey, o.witnessScript!), o.script, o.amountSat)).toBe(false);
      const wrongKey = deriveRevocationPublicKey(signerA.pubkeys.revocationBasepoint, perCommitmentPoint(sha256(bSecret0)));
      expect(spends(tx, i, htlcRevocationWitness(wrong, wrongKey, o.witnessScript!), o.script, o.amountSat)).toBe(false);
      // not a secret at all: a typed refusal
      await expect(signerA.signJusticeRevokedHtlc(input, new Uint8Array(32))).rejects.toEqual(expect.objectContaining({ code: 'invalid_input' }));
    });
  }
});

describe('signCounterpartyHtlcClaim: claims on the counterparty commitment with the holder HTLC key', () => {
  for (const format of FORMATS) {
    it(`preimage path of the HTLC B offered, timeout path of the HTLC A offered (${format})`, async () => {
      const { signerA, b, bOnA } = await channel(format);
      const built = bOnA[1]!;
      const point = b[1]!.perCommitmentPoint;
      const htlcKey = derivePublicKey(signerA.pubkeys.htlcBasepoint, point);
      expect(toHex(built.description.keys.countersignatoryHtlcPubkey)).toBe(toHex(htlcKey));
      const csv = format === 'anchors';
      let claimed = 0;
      for (const ho of built.htlcOutputs) {
        const h = b[1]!.htlcs[ho.htlcIndex]!;
        const ws = ho.witnessScript!;
        if (h.offered) {
          const tx = sweepOf(built.tx, ho.outputIndex, ho.amountSat, offeredHtlcClaimWitnessWeight(format), csv ? 1 : 0xffffffff);
          const input = { tx, inputIndex: 0, amountSat: ho.amountSat, witnessScript: ws };
          const sig = await signerA.signCounterpartyHtlcClaim(input, point);
          expect(ecdsaVerify(sig, sighashOf(input), htlcKey)).toBe(true);
          expect(spends(tx, 0, offeredHtlcPreimageWitness(sig, preimageOf(h.paymentHash), ws), ho.script, ho.amountSat)).toBe(true);
          // the point of another commitment gives another key: refused
          const wrong = await signerA.signCounterpartyHtlcClaim(input, b[0]!.perCommitmentPoint);
          expect(ecdsaVerify(wrong, sighashOf(input), htlcKey)).toBe(false);
          expect(spends(tx, 0, offeredHtlcPreimageWitness(wrong, preimageOf(h.paymentHash), ws), ho.script, ho.amountSat)).toBe(false);
          if (csv) {
            // anchors: the claim waits one confirmation (CSV 1)
            const now = sweepOf(built.tx, ho.outputIndex, ho.amountSat, offeredHtlcClaimWitnessWeight(format), 0);
            const nowSig = await signerA.signCounterpartyHtlcClaim({ ...input, tx: now }, point);
            expect(spends(now, 0, offeredHtlcPreimageWitness(nowSig, preimageOf(h.paymentHash), ws), ho.script, ho.amountSat)).toBe(false);
          }
        } else {
          const sequence = csv ? 1 : 0xfffffffe;
          const tx = sweepOf(built.tx, ho.outputIndex, ho.amountSat, receivedHtlcTimeoutWitnessWeight(format), sequence, h.cltvExpiry);
          const input = { tx, inputIndex: 0, amountSat: ho.amountSat, witnessScript: ws };
          const sig = await signerA.signCounterpartyHtlcClaim(input, point);
          expect(ecdsaVerify(sig, sighashOf(input), htlcKey)).toBe(true);
          expect(spends(tx, 0, receivedHtlcTimeoutWitness(sig, ws), ho.script, ho.amountSat)).toBe(true);
          const wrong = await signerA.signCounterpartyHtlcClaim(input, b[0]!.perCommitmentPoint);
          expect(spends(tx, 0, receivedHtlcTimeoutWitness(wrong, ws), ho.script, ho.amountSat)).toBe(false);
          // one block before cltv_expiry: CLTV refuses
          const early = sweepOf(built.tx, ho.outputIndex, ho.amountSat, receivedHtlcTimeoutWitnessWeight(format), sequence, h.cltvExpiry - 1);
          const earlySig = await signerA.signCounterpartyHtlcClaim({ ...input, tx: early }, point);
          expect(spends(early, 0, receivedHtlcTimeoutWitness(earlySig, ws), ho.script, ho.amountSat)).toBe(false);
        }
        claimed++;
      }
      expect(claimed).toBe(2);
    });
  }
});

describe('signCounterpartyPaymentOutput: the holder sweeps its to_remote on the counterparty commitment', () => {
  it('anchors: the CSV 1 script to the payment basepoint', async () => {
    const { signerA, signerB, bOnA } = await channel('anchors');
    const built = bOnA[1]!;
    const vout = built.outputs.findIndex((o) => o.kind === 'to_remote');
    const o = built.outputs[vout]!;
    const key = signerA.pubkeys.paymentBasepoint;
    const ws = toRemoteAnchorsScript(key);
    expect(toHex(o.witnessScript!)).toBe(toHex(ws));
    expect(toHex(o.script)).toBe(toHex(p2wsh(ws)));
    const tx = sweepOf(built.tx, vout, o.amountSat, ANCHORS_TO_REMOTE_WITNESS_WEIGHT, 1);
    const input = { tx, inputIndex: 0, amountSat: o.amountSat, witnessScript: ws };
    const sig = await signerA.signCounterpartyPaymentOutput(input);
    expect(ecdsaVerify(sig, sighashOf(input), key)).toBe(true);
    expect(spends(tx, 0, toRemoteAnchorsWitness(sig, ws), o.script, o.amountSat)).toBe(true);
    // before its confirmation (sequence 0) CSV refuses; the other party's key is refused
    const now = sweepOf(built.tx, vout, o.amountSat, ANCHORS_TO_REMOTE_WITNESS_WEIGHT, 0);
    const nowSig = await signerA.signCounterpartyPaymentOutput({ ...input, tx: now });
    expect(spends(now, 0, toRemoteAnchorsWitness(nowSig, ws), o.script, o.amountSat)).toBe(false);
    const theirs = await signerB.signCounterpartyPaymentOutput(input);
    expect(spends(tx, 0, toRemoteAnchorsWitness(theirs, ws), o.script, o.amountSat)).toBe(false);
  });
  it('static_remotekey: P2WPKH to the payment basepoint (scriptCode is its P2PKH)', async () => {
    const { signerA, signerB, bOnA } = await channel('static_remotekey');
    const built = bOnA[1]!;
    const vout = built.outputs.findIndex((o) => o.kind === 'to_remote');
    const o = built.outputs[vout]!;
    const key = signerA.pubkeys.paymentBasepoint;
    expect(toHex(o.script)).toBe(toHex(p2wpkh(key)));
    const tx = sweepOf(built.tx, vout, o.amountSat, P2WPKH_WITNESS_WEIGHT);
    const input = { tx, inputIndex: 0, amountSat: o.amountSat, witnessScript: p2pkh(key) };
    const sig = await signerA.signCounterpartyPaymentOutput(input);
    expect(ecdsaVerify(sig, sighashOf(input), key)).toBe(true);
    expect(spends(tx, 0, p2wpkhWitness(sig, key), o.script, o.amountSat)).toBe(true);
    const theirs = await signerB.signCounterpartyPaymentOutput(input);
    expect(spends(tx, 0, p2wpkhWitness(theirs, key), o.script, o.amountSat)).toBe(false);
  });
});

