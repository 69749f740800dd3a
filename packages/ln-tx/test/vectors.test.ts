import { describe, expect, it } from '@jest/globals';
import { signatureToDer } from 'ln-crypto';
import { fromHex, toHex } from 'ln-types';
import {
  CounterpartySecrets,
  buildCommitment,
  buildHtlcTransactions,
  deriveCommitmentKeys,
  derivePrivateKey,
  derivePublicKey,
  deriveRevocationPrivateKey,
  deriveRevocationPublicKey,
  encodeTx,
  finalizeCommitment,
  finalizeHtlcTx,
  fundingScript,
  obscuringFactor,
  perCommitmentPoint,
  shachainFromSeed,
  signCommitment,
  signHtlcAsBroadcaster,
  signHtlcAsCountersignatory,
  txidHex,
} from '../src/index.js';
import { appendixC, appendixDescription, fixture, localHtlcPriv, preimageFor, remoteHtlcPriv } from './helpers.js';

describe('BOLT 3 Appendix E: key derivation', () => {
  const v = fixture('bolt03-key-derivation.json');
  const base = v.base;
  const outputs = Object.fromEntries((v.vectors as { output_name: string; output: string }[]).map((x) => [x.output_name, x.output]));
  it('has the four vectors', () => expect(Object.keys(outputs).sort()).toEqual(['localprivkey', 'localpubkey', 'revocationprivkey', 'revocationpubkey']));
  it('points from secrets', () => {
    expect(toHex(perCommitmentPoint(fromHex(base.base_secret)))).toBe(base.base_point);
    expect(toHex(perCommitmentPoint(fromHex(base.per_commitment_secret)))).toBe(base.per_commitment_point);
  });
  it('localpubkey', () => expect(toHex(derivePublicKey(fromHex(base.base_point), fromHex(base.per_commitment_point)))).toBe(outputs.localpubkey));
  it('localprivkey', () => expect(toHex(derivePrivateKey(fromHex(base.base_secret), fromHex(base.per_commitment_point)))).toBe(outputs.localprivkey));
  it('revocationpubkey', () =>
    expect(toHex(deriveRevocationPublicKey(fromHex(base.base_point), fromHex(base.per_commitment_point)))).toBe(outputs.revocationpubkey));
  it('revocationprivkey', () =>
    expect(toHex(deriveRevocationPrivateKey(fromHex(base.base_secret), fromHex(base.per_commitment_secret)))).toBe(outputs.revocationprivkey));
  it('revocation privkey matches revocation pubkey', () => {
    const p = deriveRevocationPrivateKey(fromHex(base.base_secret), fromHex(base.per_commitment_secret));
    expect(toHex(perCommitmentPoint(p))).toBe(outputs.revocationpubkey);
  });
});

describe('BOLT 3 Appendix D: per-commitment secrets', () => {
  const v = fixture('bolt03-per-commitment-secrets.json');
  for (const g of v.generation as { name: string; seed: string; I: number; output: string }[]) {
    it(g.name, () => expect(toHex(shachainFromSeed(fromHex(g.seed), BigInt(g.I)))).toBe(g.output));
  }
  for (const s of v.storage as { name: string; steps: { I: number; secret: string; output: string }[] }[]) {
    it(s.name, () => {
      const store = new CounterpartySecrets();
      for (const step of s.steps) {
        const insert = () => store.insert(fromHex(step.secret), BigInt(step.I));
        if (step.output === 'OK') {
          insert();
          expect(toHex(store.get(BigInt(step.I))!)).toBe(step.secret);
        } else {
          expect(insert).toThrow(expect.objectContaining({ code: 'invalid_secret' }));
          return;
        }
      }
      // a store that accepted every step derives each of them back, also after a round trip
      const again = CounterpartySecrets.deserialize(store.serialize());
      for (const step of s.steps) expect(toHex(again.get(BigInt(step.I))!)).toBe(step.secret);
    });
  }
  it('has scenarios with failing insertions', () => {
    expect((v.storage as { steps: { output: string }[] }[]).filter((s) => s.steps.some((x) => x.output !== 'OK')).length).toBeGreaterThanOrEqual(7);
  });
});

describe('BOLT 3 Appendix C: commitment and HTLC transactions', () => {
  const v = fixture('bolt03-commitment-txs.json');
  const c = v.common;
  it('derives the spec keys and the obscuring factor', () => {
    const keys = deriveCommitmentKeys(appendixC.perCommitmentPoint, appendixC.local, appendixC.remote);
    expect(toHex(keys.revocationPubkey)).toBe(c.parameters.local_revocation_pubkey);
    expect(toHex(keys.broadcasterDelayedPubkey)).toBe(c.parameters.local_delayedpubkey);
    expect(toHex(keys.broadcasterHtlcPubkey)).toBe(c.parameters.local_htlcpubkey);
    expect(toHex(keys.countersignatoryHtlcPubkey)).toBe(c.parameters.remote_htlcpubkey);
    expect(toHex(localHtlcPriv)).toBe(c.parameters.local_privkey.slice(0, 64));
    expect(toHex(remoteHtlcPriv)).toBe(c.internal_values.remote_privkey.slice(0, 64));
    expect(obscuringFactor(appendixC.local.paymentBasepoint, appendixC.remote.paymentBasepoint).toString(16)).toBe(c.comment_fields.obscuring_factor);
    expect(toHex(fundingScript(appendixC.localFundingPubkey, appendixC.remoteFundingPubkey))).toBe(c.comment_fields.funding_wscript);
  });
  expect(v.vectors.length).toBe(16);
  for (const vec of v.vectors) {
    it(vec.name, () => {
      const d = appendixDescription('static_remotekey', BigInt(vec.to_local_msat), BigInt(vec.to_remote_msat), vec.local_feerate_per_kw, 546n);
      const built = buildCommitment(d);
      // the last vector gives no fee comment lines
      if (vec.base_commitment_fee_sat !== undefined) expect(built.baseFeeSat).toBe(BigInt(vec.base_commitment_fee_sat));
      if (vec.actual_commitment_fee_sat !== undefined) expect(built.actualFeeSat).toBe(BigInt(vec.actual_commitment_fee_sat));
      expect(built.htlcOutputs.length).toBe(vec.num_htlcs);
      const local = signCommitment(built, appendixC.localFundingPriv);
      const remote = signCommitment(built, appendixC.remoteFundingPriv);
      expect(toHex(signatureToDer(local))).toBe(vec.local_signature);
      expect(toHex(signatureToDer(remote))).toBe(vec.remote_signature);
      expect(toHex(encodeTx(finalizeCommitment(built, local, remote)))).toBe(vec.commit_tx);
      // HTLC outputs carry the spec's witness scripts, in output order
      expect(built.htlcOutputs.map((o) => toHex(o.witnessScript!))).toEqual(vec.htlc_outputs.map((o: { wscript: string }) => o.wscript).sort((a: string, b: string) => {
        const ia = built.htlcOutputs.findIndex((x) => toHex(x.witnessScript!) === a);
        const ib = built.htlcOutputs.findIndex((x) => toHex(x.witnessScript!) === b);
        return ia - ib;
      }));
      const htlcTxs = buildHtlcTransactions(built);
      expect(htlcTxs.length).toBe(vec.htlc_txs.length);
      htlcTxs.forEach((h, i) => {
        const expected = vec.htlc_txs[i];
        expect(h.outputIndex).toBe(expected.output_index);
        expect(h.kind).toBe(expected.type === 'htlc-success' ? 'success' : 'timeout');
        const rs = signHtlcAsCountersignatory(h, remoteHtlcPriv);
        const ls = signHtlcAsBroadcaster(h, localHtlcPriv);
        expect(toHex(signatureToDer(rs))).toBe(expected.remote_htlc_signature);
        expect(toHex(signatureToDer(ls))).toBe(expected.local_htlc_signature);
        const preimage = h.kind === 'success' ? preimageFor(d.htlcs[h.htlcIndex]!.paymentHash) : undefined;
        expect(toHex(encodeTx(finalizeHtlcTx(h, ls, rs, preimage)))).toBe(expected.tx);
      });
    });
  }
});

describe('BOLT 3 Appendix F: anchor commitment and HTLC transactions', () => {
  const v = fixture('bolt03-commitment-txs-anchors.json');
  expect(v.vectors.length).toBe(9);
  for (const vec of v.vectors) {
    it(vec.Name, () => {
      const d = appendixDescription('anchors', BigInt(vec.LocalBalance), BigInt(vec.RemoteBalance), vec.FeePerKw, BigInt(vec.DustLimitSatoshis));
      const built = buildCommitment(d);
      const local = signCommitment(built, appendixC.localFundingPriv);
      const remote = signCommitment(built, appendixC.remoteFundingPriv);
      expect(toHex(signatureToDer(remote))).toBe(vec.RemoteSigHex);
      expect(toHex(encodeTx(finalizeCommitment(built, local, remote)))).toBe(vec.ExpectedCommitmentTxHex);
      const htlcTxs = buildHtlcTransactions(built);
      expect(htlcTxs.length).toBe(vec.HtlcDescs.length);
      htlcTxs.forEach((h, i) => {
        const expected = vec.HtlcDescs[i];
        const rs = signHtlcAsCountersignatory(h, remoteHtlcPriv);
        const ls = signHtlcAsBroadcaster(h, localHtlcPriv);
        expect(toHex(signatureToDer(rs))).toBe(expected.RemoteSigHex);
        const preimage = h.kind === 'success' ? preimageFor(d.htlcs[h.htlcIndex]!.paymentHash) : undefined;
        expect(toHex(encodeTx(finalizeHtlcTx(h, ls, rs, preimage)))).toBe(expected.ResolutionTxHex);
      });
    });
  }
});

describe('BOLT 3 Appendix B: funding transaction', () => {
  const f = fixture('bolt03-funding-tx.json');
  const v = { ...f.fields, ...f.comment_fields };
  it('funding script, output and txid', async () => {
    const { buildFundingTx, decodeTx, findFundingOutpoint, legacySighash, p2pkh, encodeTx: enc } = await import('../src/index.js');
    const { publicKeyFromPrivate, ecdsaSign } = await import('ln-crypto');
    const { concatBytes, txidFromHex } = await import('ln-types');
    const { pushData } = await import('../src/index.js');
    expect(toHex(fundingScript(fromHex(v.local_funding_pubkey), fromHex(v.remote_funding_pubkey)))).toBe(v.funding_witness_script);
    const key = fromHex(v.block1_coinbase_privkey.slice(0, 64));
    const pub = publicKeyFromPrivate(key);
    const expected = decodeTx(fromHex(v.funding_tx));
    const change = expected.outputs[1]!;
    expect(change.amount).toBe(BigInt(v.change_satoshis));
    const unsigned = buildFundingTx({
      inputs: [{ previousOutput: { txid: txidFromHex(v.input_txid), index: v.input_index }, sequence: 0xffffffff }],
      localFundingPubkey: fromHex(v.local_funding_pubkey),
      remoteFundingPubkey: fromHex(v.remote_funding_pubkey),
      fundingSat: BigInt(v.funding_satoshis),
      change,
    });
    const hash = legacySighash(unsigned, 0, p2pkh(pub));
    const sig = concatBytes(signatureToDer(ecdsaSign(hash, key)), Uint8Array.of(1));
    const signed = { ...unsigned, inputs: [{ ...unsigned.inputs[0]!, scriptSig: concatBytes(pushData(sig), pushData(pub)) }] };
    expect(toHex(enc(signed))).toBe(v.funding_tx);
    expect(txidHex(signed)).toBe(v.funding_txid);
    const fo = findFundingOutpoint(signed, fromHex(v.local_funding_pubkey), fromHex(v.remote_funding_pubkey));
    expect(fo.index).toBe(v.funding_output_index);
  });
});
