import { describe, expect, it } from '@jest/globals';
import { fromHex } from 'ln-types';
import {
  TxError,
  buildClosingTx,
  buildCommitment,
  buildHtlcTransactions,
  buildSweepTx,
  classifyHtlcSpend,
  finalizeHtlcTx,
  htlcRevocationWitness,
  isValidShutdownScript,
  offeredHtlcPreimageWitness,
  p2pkh,
  p2wpkh,
  receivedHtlcTimeoutWitness,
  signHtlcAsBroadcaster,
  signHtlcAsCountersignatory,
} from '../src/index.js';
import { appendixC, appendixDescription, localHtlcPriv, preimageFor, remoteHtlcPriv } from './helpers.js';

const sig = new Uint8Array(64).fill(1);

describe('shutdown scripts', () => {
  const none = { anySegwit: false, opReturn: false };
  const all = { anySegwit: true, opReturn: true };
  it('accepts the standard forms', () => {
    expect(isValidShutdownScript(p2pkh(appendixC.localFundingPubkey), none)).toBe(true);
    expect(isValidShutdownScript(p2wpkh(appendixC.localFundingPubkey), none)).toBe(true);
    expect(isValidShutdownScript(fromHex('a914' + '11'.repeat(20) + '87'), none)).toBe(true);
    expect(isValidShutdownScript(fromHex('0020' + '11'.repeat(32)), none)).toBe(true);
  });
  it('anysegwit and OP_RETURN only when negotiated', () => {
    const taproot = fromHex('5120' + '22'.repeat(32));
    expect(isValidShutdownScript(taproot, none)).toBe(false);
    expect(isValidShutdownScript(taproot, all)).toBe(true);
    expect(isValidShutdownScript(fromHex('6001' + '22'), all)).toBe(false); // 1-byte program too short
    const ret = fromHex('6a06' + '33'.repeat(6));
    expect(isValidShutdownScript(ret, none)).toBe(false);
    expect(isValidShutdownScript(ret, all)).toBe(true);
    expect(isValidShutdownScript(fromHex('6a05' + '33'.repeat(5)), all)).toBe(false);
    expect(isValidShutdownScript(fromHex('6a4c50' + '33'.repeat(80)), all)).toBe(true);
    expect(isValidShutdownScript(fromHex('6a4c51' + '33'.repeat(81)), all)).toBe(false);
    expect(isValidShutdownScript(new Uint8Array(0), all)).toBe(false);
  });
});

describe('closing and sweeps', () => {
  const base = {
    fundingOutpoint: appendixC.fundingOutpoint,
    fundingAmountSat: 10_000_000n,
    localScript: p2wpkh(appendixC.localFundingPubkey),
    remoteScript: p2wpkh(appendixC.remoteFundingPubkey),
    localAmountSat: 9_000_000n,
    remoteAmountSat: 500n,
    dustLimitSat: 546n,
  };
  it('omits outputs below dust and orders by BIP 69', () => {
    const tx = buildClosingTx(base);
    expect(tx.outputs.length).toBe(1);
    expect(tx.inputs[0]!.sequence).toBe(0xffffffff);
    const two = buildClosingTx({ ...base, remoteAmountSat: 1_000n });
    expect(two.outputs.map((o) => o.amount)).toEqual([1_000n, 9_000_000n]);
    expect(() => buildClosingTx({ ...base, localAmountSat: 10_000_000n })).toThrow(TxError);
  });
  it('sweeps refuse to create dust', () => {
    const input = { input: { previousOutput: appendixC.fundingOutpoint, sequence: 0 }, amountSat: 600n, witnessWeight: 200 };
    expect(() => buildSweepTx([input], base.localScript, 1000, 546n)).toThrow(TxError);
    expect(buildSweepTx([{ ...input, amountSat: 10_000n }], base.localScript, 253, 546n).outputs[0]!.amount).toBeLessThan(10_000n);
  });
});

describe('classifying HTLC spends', () => {
  const d = appendixDescription('static_remotekey', 6_988_000_000n, 3_000_000_000n, 0, 546n);
  const built = buildCommitment(d);
  it('finds preimages in HTLC-success witnesses and remote claims, and tells timeouts and revocations', () => {
    for (const h of buildHtlcTransactions(built)) {
      const pre = h.kind === 'success' ? preimageFor(d.htlcs[h.htlcIndex]!.paymentHash) : undefined;
      const tx = finalizeHtlcTx(h, signHtlcAsBroadcaster(h, localHtlcPriv), signHtlcAsCountersignatory(h, remoteHtlcPriv), pre);
      const c = classifyHtlcSpend(tx.inputs[0]!.witness!);
      if (h.kind === 'success') expect(c).toEqual({ kind: 'preimage', preimage: pre });
      else expect(c).toEqual({ kind: 'timeout' });
      expect(classifyHtlcSpend(htlcRevocationWitness(sig, d.keys.revocationPubkey, h.witnessScript))).toEqual({ kind: 'revocation' });
      if (h.kind === 'timeout') {
        const p = preimageFor(d.htlcs[h.htlcIndex]!.paymentHash);
        expect(classifyHtlcSpend(offeredHtlcPreimageWitness(sig, p, h.witnessScript))).toEqual({ kind: 'preimage', preimage: p });
      } else {
        expect(classifyHtlcSpend(receivedHtlcTimeoutWitness(sig, h.witnessScript))).toEqual({ kind: 'timeout' });
      }
    }
    expect(classifyHtlcSpend([])).toBeUndefined();
    expect(classifyHtlcSpend([new Uint8Array(3)])).toBeUndefined();
  });
  it('refuses an HTLC-success without a preimage', () => {
    const h = buildHtlcTransactions(built).find((x) => x.kind === 'success')!;
    expect(() => finalizeHtlcTx(h, sig, sig)).toThrow(TxError);
  });
});
