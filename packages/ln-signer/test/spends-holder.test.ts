// The ChannelSigner calls a ChannelMonitor makes once a commitment is on chain: each test
// builds the spending transaction with ln-tx's helpers, asks the signer, then checks the
// signature against the BIP 143 sighash with the key the script expects (derived here from
// the basepoints and the per-commitment point) and runs the whole witness through
// bitcore-lib's interpreter (test/interpreter.ts), an implementation independent of ours.
import { describe, expect, it } from '@jest/globals';
import { ecdsaVerify } from 'ln-crypto';
import { outPoint, toHex } from 'ln-types';
import {
  ANCHOR_WITNESS_WEIGHT,
  DELAYED_OUTPUT_WITNESS_WEIGHT,
  P2WPKH_WITNESS_WEIGHT,
  anchorScript,
  anchorWitness,
  buildHtlcTransactions,
  buildSweepTx,
  derivePublicKey,
  deriveRevocationPublicKey,
  finalizeHtlcTx,
  p2wsh,
  toLocalDelayedWitness,
  toLocalScript,
  txidOf,
} from 'ln-tx';
import { verifySpend } from './interpreter.js';
import { DEST, FORMATS, channel, sighashOf, spends, sweepOf } from './monitor.js';

describe('signHolderDelayedOutput: the holder sweeps its delayed outputs after to_self_delay', () => {
  for (const format of FORMATS) {
    it(`to_local of the holder commitment and the output of its HTLC-timeout transaction (${format})`, async () => {
      const { signerA, paramsA, a, aHolder, htlcSigsForA } = await channel(format);
      const point = a[1]!.perCommitmentPoint;
      const built = aHolder[1]!;
      const delay = paramsA.counterpartySelectedContestDelay;
      const delayedKey = derivePublicKey(signerA.pubkeys.delayedPaymentBasepoint, point);
      const ws = toLocalScript(deriveRevocationPublicKey(paramsA.counterpartyPubkeys.revocationBasepoint, point), delay, delayedKey);
      const vout = built.outputs.findIndex((o) => o.kind === 'to_local');
      const o = built.outputs[vout]!;
      expect(toHex(o.witnessScript!)).toBe(toHex(ws));

      const tx = sweepOf(built.tx, vout, o.amountSat, DELAYED_OUTPUT_WITNESS_WEIGHT, delay);
      const input = { tx, inputIndex: 0, amountSat: o.amountSat, witnessScript: ws };
      const sig = await signerA.signHolderDelayedOutput(input, 1n);
      expect(ecdsaVerify(sig, sighashOf(input), delayedKey)).toBe(true);
      expect(spends(tx, 0, toLocalDelayedWitness(sig, ws), o.script, o.amountSat)).toBe(true);
      // one block before the CSV delay the script refuses it
      const early = sweepOf(built.tx, vout, o.amountSat, DELAYED_OUTPUT_WITNESS_WEIGHT, delay - 1);
      const earlySig = await signerA.signHolderDelayedOutput({ ...input, tx: early }, 1n);
      expect(spends(early, 0, toLocalDelayedWitness(earlySig, ws), o.script, o.amountSat)).toBe(false);
      // the key of another commitment (wrong per-commitment point) does not open it
      const wrong = await signerA.signHolderDelayedOutput(input, 0n);
      expect(ecdsaVerify(wrong, sighashOf(input), delayedKey)).toBe(false);
      expect(spends(tx, 0, toLocalDelayedWitness(wrong, ws), o.script, o.amountSat)).toBe(false);

      // second stage: the HTLC A offered goes through its HTLC-timeout transaction,
      // whose output is delayed with the same script
      const htlcTxs = buildHtlcTransactions(built);
      const idx = htlcTxs.findIndex((h) => h.kind === 'timeout');
      const h = htlcTxs[idx]!;
      const timeout = finalizeHtlcTx(h, await signerA.signHolderHtlcTransaction(h, 1n), htlcSigsForA[1]![idx]!);
      expect(verifySpend(timeout, 0, p2wsh(h.witnessScript), h.amountSat)).toEqual({ ok: true, error: '' });
      const out = timeout.outputs[0]!;
      expect(toHex(out.script)).toBe(toHex(p2wsh(ws)));
      const tx2 = sweepOf(timeout, 0, out.amount, DELAYED_OUTPUT_WITNESS_WEIGHT, delay);
      const input2 = { tx: tx2, inputIndex: 0, amountSat: out.amount, witnessScript: ws };
      const sig2 = await signerA.signHolderDelayedOutput(input2, 1n);
      expect(ecdsaVerify(sig2, sighashOf(input2), delayedKey)).toBe(true);
      expect(spends(tx2, 0, toLocalDelayedWitness(sig2, ws), out.script, out.amount)).toBe(true);
    });
  }
});

describe('signHolderAnchorInput: CPFP through the holder anchor', () => {
  it('spends the holder anchor of its own and of the counterparty commitment, as input 1 of a bump', async () => {
    const { signerA, signerB, aHolder, bOnA } = await channel('anchors');
    const ws = anchorScript(signerA.pubkeys.fundingPubkey);
    const anchors = [
      { built: aHolder[1]!, kind: 'local_anchor' },
      { built: bOnA[1]!, kind: 'remote_anchor' },
    ] as const;
    for (const { built, kind } of anchors) {
      const vout = built.outputs.findIndex((o) => o.kind === kind);
      const o = built.outputs[vout]!;
      expect(toHex(o.witnessScript!)).toBe(toHex(ws));
      // a wallet input pays the fee; the anchor is input 1
      const wallet = { previousOutput: outPoint(txidOf({ ...built.tx, locktime: 1 }), 0), sequence: 0xfffffffd };
      const tx = buildSweepTx(
        [
          { input: wallet, amountSat: 100_000n, witnessWeight: P2WPKH_WITNESS_WEIGHT },
          { input: { previousOutput: outPoint(txidOf(built.tx), vout), sequence: 0xfffffffd }, amountSat: o.amountSat, witnessWeight: ANCHOR_WITNESS_WEIGHT },
        ],
        DEST,
        10_000,
        330n,
      );
      const sig = await signerA.signHolderAnchorInput(tx, 1);
      const input = { tx, inputIndex: 1, amountSat: o.amountSat, witnessScript: ws };
      expect(ecdsaVerify(sig, sighashOf(input), signerA.pubkeys.fundingPubkey)).toBe(true);
      expect(spends(tx, 1, anchorWitness(sig, ws), o.script, o.amountSat)).toBe(true);
      // signed for the other input, or with the counterparty's funding key: refused
      expect(spends(tx, 1, anchorWitness(await signerA.signHolderAnchorInput(tx, 0), ws), o.script, o.amountSat)).toBe(false);
      expect(spends(tx, 1, anchorWitness(await signerB.signHolderAnchorInput(tx, 1), ws), o.script, o.amountSat)).toBe(false);
    }
  });
});

describe('signHolderHtlcTransaction: aggregated zero-fee HTLC transactions (anchors)', () => {
  it('signs the HTLC input at any index of a transaction with other inputs and outputs', async () => {
    const { signerA, aHolder, htlcSigsForA } = await channel('anchors');
    const built = aHolder[1]!;
    const htlcTxs = buildHtlcTransactions(built);
    const idx = htlcTxs.findIndex((h) => h.kind === 'timeout');
    const h = htlcTxs[idx]!;
    // a wallet input first, then the HTLC input at index 1 with its own output at index 1
    // (SIGHASH_SINGLE pairs them), then change: the counterparty's SINGLE|ANYONECANPAY
    // signature still holds, the holder signs everything (SIGHASH_ALL)
    const wallet = { previousOutput: outPoint(txidOf({ ...built.tx, locktime: 7 }), 0), sequence: 0xfffffffd };
    const paired = {
      ...h.tx,
      inputs: [wallet, h.tx.inputs[0]!],
      outputs: [{ script: DEST, amount: 50_000n }, h.tx.outputs[0]!, { script: DEST, amount: 40_000n }],
    };
    const aggregated = { ...h, tx: paired };
    const sig = await signerA.signHolderHtlcTransaction(aggregated, 1n, 1);
    const signed = finalizeHtlcTx({ ...aggregated, tx: { ...paired, inputs: [paired.inputs[1]!, paired.inputs[0]!] } }, sig, htlcSigsForA[1]![idx]!);
    // finalizeHtlcTx writes input 0: move that witness to input 1, where the HTLC input is
    const witness = signed.inputs[0]!.witness!;
    const final = { ...paired, inputs: [paired.inputs[0]!, { ...paired.inputs[1]!, witness }] };
    expect(verifySpend(final, 1, p2wsh(h.witnessScript), h.amountSat)).toEqual({ ok: true, error: '' });
    // the default index (0) signs the wallet input's hash: the script refuses it
    const wrong = await signerA.signHolderHtlcTransaction(aggregated, 1n);
    const wrongWitness = finalizeHtlcTx({ ...aggregated, tx: { ...paired, inputs: [paired.inputs[1]!, paired.inputs[0]!] } }, wrong, htlcSigsForA[1]![idx]!).inputs[0]!.witness!;
    const bad = { ...paired, inputs: [paired.inputs[0]!, { ...paired.inputs[1]!, witness: wrongWitness }] };
    expect(verifySpend(bad, 1, p2wsh(h.witnessScript), h.amountSat).ok).toBe(false);
  });
});
