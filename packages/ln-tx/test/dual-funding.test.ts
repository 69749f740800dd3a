// BOLT 3 Appendix G (dual-funded funding transaction): what ln-tx builds from it — the
// funding script and output, the transaction assembled from both sides' tx_add_input /
// tx_add_output in serial_id order, its txid, each side's fee share, and the signed
// transaction's witnesses (checked with our sighash and with bitcore's interpreter).
// The interactive protocol itself (tx_add_* / tx_complete / tx_signatures) is not ln-tx's.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { fromHex, outPoint, toHex } from 'ln-types';
import {
  type Tx,
  TxError,
  decodeTx,
  encodeTx,
  encodeTxNoWitness,
  fundingOutput,
  fundingScript,
  findFundingOutpoint,
  interactiveTxContributionFee,
  interactiveTxContributionWeight,
  MIN_CONTRIBUTED_INPUT_WITNESS_WEIGHT,
  p2pkh,
  p2wsh,
  parseWitnessSignature,
  txidHex,
  txidOf,
  txWeight,
  verifySegwitInput,
  witnessWeight,
} from '../src/index.js';
import { fixture } from './helpers.js';
import { verifySpend } from './interpreter.js';

const g = fixture('bolt03-dual-funding.json');
const parent = decodeTx(fromHex(g.preliminaries.parent_tx));
const twoOfTwo = g.outputs['the 2-of-2s'];
const pk1 = fromHex(twoOfTwo.pubkey1);
const pk2 = fromHex(twoOfTwo.pubkey2);
const feerate: number = g.funding_parameters.feerate_per_kw;

/** A tx_add_output's script: the spec's hex starts with the script's length byte (see the fixture's anomalies). */
function outputScript(hexWithLength: string, scriptlen: number): Uint8Array {
  const bytes = fromHex(hexWithLength);
  expect(bytes[0]).toBe(scriptlen);
  expect(bytes.length).toBe(scriptlen + 1);
  return bytes.subarray(1);
}

/** The transaction both sides build from the messages they exchanged: inputs and outputs sorted by serial_id. */
function assemble(): Tx {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- vector JSON
  const adds = (k: string): any[] => [...g.expected_tx_add_input.opener[k] ?? [], ...g.expected_tx_add_input.accepter[k] ?? []];
  const inputs = adds('tx_add_input')
    .map((m) => {
      expect(toHex(encodeTx(decodeTx(fromHex(m.prevtx))))).toBe(g.preliminaries.parent_tx);
      return { serial: m.serial_id as number, input: { previousOutput: outPoint(txidOf(decodeTx(fromHex(m.prevtx))), m.prev_vout), sequence: m.sequence as number } };
    })
    .sort((a, b) => a.serial - b.serial);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- vector JSON
  const outs: any[] = [...g.expected_tx_add_output.opener.tx_add_output, ...g.expected_tx_add_output.accepter.tx_add_output];
  const outputs = outs
    .map((m) => ({ serial: m.serial_id as number, output: { script: outputScript(m.script, m.scriptlen), amount: BigInt(m.sats) } }))
    .sort((a, b) => a.serial - b.serial);
  return { version: 2, locktime: g.funding_parameters.locktime, inputs: inputs.map((i) => i.input), outputs: outputs.map((o) => o.output) };
}

describe('BOLT 3 Appendix G: dual-funded funding transaction', () => {
  it('the parent transaction and the inputs it pays', () => {
    expect(txidHex(parent)).toBe(g.inputs[0].txid);
    for (const input of g.inputs) expect(toHex(parent.outputs[input.vout]!.script)).toBe(input.scriptPubKey);
  });

  it('funding script and output from the two funding keys (in either order)', () => {
    expect(toHex(fundingScript(pk1, pk2))).toBe(twoOfTwo.script);
    expect(toHex(fundingScript(pk2, pk1))).toBe(twoOfTwo.script);
    expect(toHex(p2wsh(fundingScript(pk1, pk2)))).toBe(twoOfTwo.scriptPubKey);
    const total = BigInt(g.funding_parameters.opener_funding_satoshis) + BigInt(g.funding_parameters.accepter_funding_satoshis);
    const out = fundingOutput(pk2, pk1, total);
    expect(toHex(out.script)).toBe(twoOfTwo.scriptPubKey);
    expect(out.amount).toBe(400_000_000n);
  });

  it('the transaction assembled in serial_id order is the unsigned funding transaction, with its txid', () => {
    const tx = assemble();
    expect(toHex(encodeTx(tx))).toBe(g.unsigned_funding_tx);
    expect(txidHex(tx)).toBe(g.expected_tx_signatures.opener.txid);
    expect(txidHex(tx)).toBe(g.expected_tx_signatures.accepter.txid);
    const fundingOp = findFundingOutpoint(tx, pk1, pk2);
    expect(fundingOp.index).toBe(2);
    expect(tx.outputs[2]!.amount).toBe(400_000_000n);
  });

  it("each side's weight, fee (rounded up) and change", () => {
    const signed = decodeTx(fromHex(g.signed_funding_tx));
    // input 0 is the accepter's (serial 11), input 1 the opener's (serial 20)
    const witnessOf = (i: number) => witnessWeight(signed.inputs[i]!.witness!.map((w) => w.length));
    const openerWeight = interactiveTxContributionWeight({ isOpener: true, inputWitnessWeights: [witnessOf(1)], outputScriptLengths: [22, 34] });
    const accepterWeight = interactiveTxContributionWeight({ isOpener: false, inputWitnessWeights: [witnessOf(0)], outputScriptLengths: [22] });
    const { opener, accepter } = g.fee_calculation;
    expect(openerWeight).toBe(opener.initiator_weight);
    expect(accepterWeight).toBe(accepter.contributor_weight);
    expect(interactiveTxContributionFee(feerate, openerWeight)).toBe(BigInt(opener.initiator_fees_sat));
    expect(interactiveTxContributionFee(feerate, accepterWeight)).toBe(BigInt(accepter.contributor_fees_sat));
    const inputAmount = parent.outputs[0]!.amount;
    expect(inputAmount - BigInt(g.funding_parameters.opener_funding_satoshis) - BigInt(opener.initiator_fees_sat)).toBe(BigInt(opener.change_sat));
    expect(inputAmount - BigInt(g.funding_parameters.accepter_funding_satoshis) - BigInt(accepter.contributor_fees_sat)).toBe(BigInt(accepter.change_sat));
    const tx = assemble();
    expect(toHex(encodeTx({ ...tx, inputs: [], outputs: [tx.outputs[0]!] }).subarray(6, 14))).toBe(opener.change_hex);
    expect(toHex(encodeTx({ ...tx, inputs: [], outputs: [tx.outputs[1]!] }).subarray(6, 14))).toBe(accepter.change_hex);
    // the witnesses of the signed transaction are below the minimum, so the minimum is what is paid for
    expect(witnessOf(0)).toBeLessThanOrEqual(MIN_CONTRIBUTED_INPUT_WITNESS_WEIGHT);
    expect(witnessOf(1)).toBeLessThan(MIN_CONTRIBUTED_INPUT_WITNESS_WEIGHT);
    // and the whole transaction pays at least the feerate for its final weight
    const paid = parent.outputs[0]!.amount + parent.outputs[2]!.amount - signed.outputs.reduce((s, o) => s + o.amount, 0n);
    expect(paid).toBe(BigInt(opener.initiator_fees_sat + accepter.contributor_fees_sat));
    expect(paid * 1000n).toBeGreaterThanOrEqual(BigInt(feerate * txWeight(signed)));
  });

  it('the signed transaction: tx_signatures witnesses, the accepter signature and both spends in bitcore', () => {
    const unsigned = assemble();
    const signed = decodeTx(fromHex(g.signed_funding_tx));
    expect(toHex(encodeTx(signed))).toBe(g.signed_funding_tx);
    expect(toHex(encodeTxNoWitness(signed))).toBe(g.unsigned_funding_tx);
    const serializedWitness = (i: number) => {
      const items = signed.inputs[i]!.witness!;
      return toHex(Uint8Array.from([items.length, ...items.flatMap((w) => [w.length, ...w])]));
    };
    expect(serializedWitness(0)).toBe(g.expected_tx_signatures.accepter.witnesses[0].witness_data);
    expect(serializedWitness(1)).toBe(g.expected_tx_signatures.opener.witnesses[0].witness_data);
    // accepter: P2WPKH, its scriptCode the key's P2PKH
    const [sigItem, pubkey] = signed.inputs[0]!.witness!;
    expect(toHex(pubkey!)).toBe(g.inputs[1].pubkey);
    const { signature, sighashType } = parseWitnessSignature(sigItem!);
    expect(sighashType).toBe(1);
    const amount = parent.outputs[2]!.amount;
    expect(verifySegwitInput(unsigned, 0, p2pkh(pubkey!), amount, signature, pubkey!)).toBe(true);
    expect(verifySegwitInput(unsigned, 0, p2pkh(pubkey!), amount - 1n, signature, pubkey!)).toBe(false);
    // both inputs in bitcore's interpreter (the opener's is a hash lock: preimage + script)
    expect(verifySpend(signed, 0, parent.outputs[2]!.script, amount)).toEqual({ ok: true, error: '' });
    expect(verifySpend(signed, 1, parent.outputs[0]!.script, parent.outputs[0]!.amount)).toEqual({ ok: true, error: '' });
    expect(toHex(signed.inputs[1]!.witness![1]!)).toBe(g.inputs[0].witness_data.witness_script.data);
  });

  it('contribution weight: the minimum witness applies per input, outputs and inputs add up; bad input is a TxError', () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.array(fc.nat(400), { maxLength: 5 }),
        fc.array(fc.nat(100), { maxLength: 5 }),
        (isOpener, ins, outs) => {
          const w = interactiveTxContributionWeight({ isOpener, inputWitnessWeights: ins, outputScriptLengths: outs });
          const witness = Math.max(ins.length * 107, ins.reduce((s, x) => s + x, 0));
          expect(w).toBe((isOpener ? 42 : 0) + ins.length * 164 + outs.reduce((s, l) => s + (9 + l) * 4, 0) + witness);
          expect(interactiveTxContributionFee(253, w) * 1000n).toBeGreaterThanOrEqual(BigInt(253 * w));
          expect(interactiveTxContributionFee(253, w) * 1000n - BigInt(253 * w)).toBeLessThan(1000n);
        },
      ),
    );
    expect(() => interactiveTxContributionWeight({ isOpener: true, inputWitnessWeights: [-1], outputScriptLengths: [] })).toThrow(TxError);
    expect(() => interactiveTxContributionWeight({ isOpener: true, inputWitnessWeights: [], outputScriptLengths: [1.5] })).toThrow(TxError);
    expect(() => interactiveTxContributionFee(-1, 1)).toThrow(TxError);
    expect(() => interactiveTxContributionFee(1, Number.NaN)).toThrow(TxError);
  });
});
