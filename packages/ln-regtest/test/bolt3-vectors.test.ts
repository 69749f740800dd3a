// BOLT 3's transactions on a real chain: the vector's block 1 is submitted as
// is, its coinbase matures, the funding transaction spends it (P2PKH), and every
// commitment and HTLC transaction of Appendices C and F is validated against
// the funding output on chain: mempool policy where bitcoind's would take it,
// consensus (a block template) for the zero-fee ones, which a miner could mine.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { anchorScript, anchorWitness, decodeTx, encodeTx, p2wsh, signSegwitInput, txidOfRaw } from 'ln-tx';
import { fromHex, reverseBytes, toHex } from 'ln-types';
import { Regtest } from '../src/index.js';
import { testKey } from './helpers.js';

interface FundingVector {
  fields: { block1: string; funding_tx: string; block1_coinbase_tx: string };
}
interface CommitmentVectors {
  common: { parameters: { funding_tx_id: string; local_funding_privkey: string; local_funding_pubkey: string } };
  vectors: { name: string; commit_tx: string; htlc_txs: { type: string; tx: string }[] }[];
}
interface AnchorVectors {
  vectors: { Name: string; ExpectedCommitmentTxHex: string; HtlcDescs: { ResolutionTxHex: string }[] }[];
}
const fixture = <T>(name: string): T => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')) as T;
const funding = fixture<FundingVector>('bolt03-funding-tx.json');
const appendixC = fixture<CommitmentVectors>('bolt03-commitment-txs.json');
const appendixF = fixture<AnchorVectors>('bolt03-commitment-txs-anchors.json');
const hexId = (raw: string): string => toHex(reverseBytes(txidOfRaw(fromHex(raw))));

let node: Regtest;

beforeAll(() => {
  node = Regtest.open();
  const result = node.processBlock(fromHex(funding.fields.block1));
  expect('entry' in result && result.entry.height).toBe(1);
  node.mine(100);
  expect(node.sendRawTransaction(fromHex(funding.fields.funding_tx))).toBe(appendixC.common.parameters.funding_tx_id);
  node.mine(1);
  // Past every HTLC expiry (500-506), so the HTLC-timeout transactions are final.
  node.mine(510 - node.height);
});

/** Policy verdict of bitcoind's testmempoolaccept, with no fee ceiling. */
function policy(raw: string): { allowed: boolean; reason?: string; fee?: bigint; vsize?: number } {
  const [v] = node.testMempoolAccept([fromHex(raw)], 0n);
  return v!.allowed === true ? { allowed: true, fee: v!.fee!, vsize: v!.vsize! } : { allowed: false, reason: v!.rejectReason! };
}

/** Consensus verdict: would a block holding these transactions on the tip be valid? */
function consensus(raws: string[]): void {
  node.generateBlock(node.faucet.script, raws.map((r) => fromHex(r)), false);
}

/** Confirms a commitment, runs `check` on top of it, then takes the block back off. */
function withConfirmed(raw: string, check: () => void): void {
  const { hash } = node.generateBlock(node.faucet.script, [fromHex(raw)]);
  try {
    check();
  } finally {
    node.invalidateBlock(hash);
    node.clearMempool();
  }
}

describe('BOLT 3 Appendix B: the funding transaction', () => {
  it('spent the vector block 1 coinbase, a P2PKH output, into the 2-of-2 funding output', () => {
    const found = node.findTx(appendixC.common.parameters.funding_tx_id)!;
    expect(found.location?.entry.height).toBe(102);
    expect(node.chain.atHeight(1)!.txs[0]!.txidHex).toBe(hexId(funding.fields.block1_coinbase_tx));
  });
});

describe('BOLT 3 Appendix C: commitment and HTLC transactions', () => {
  for (const v of appendixC.vectors) {
    it(v.name, () => {
      node.clearMempool();
      const verdict = policy(v.commit_tx);
      const commit = decodeTx(fromHex(v.commit_tx));
      if (verdict.allowed) expect(verdict.fee).toBeGreaterThanOrEqual(BigInt(verdict.vsize!));
      else expect(verdict.reason).toBe('min relay fee not met');
      consensus([v.commit_tx]);
      expect(commit.inputs[0]!.previousOutput.index).toBe(0);
      if (v.htlc_txs.length === 0) return;
      withConfirmed(v.commit_tx, () => {
        for (const h of v.htlc_txs) {
          const hv = policy(h.tx);
          if (!hv.allowed) expect(hv.reason).toBe('min relay fee not met');
          consensus([h.tx]);
        }
      });
    });
  }

  it('refuses an HTLC transaction whose commitment is not confirmed, and a tampered signature', () => {
    const v = appendixC.vectors.find((x) => x.htlc_txs.length > 0)!;
    expect(policy(v.htlc_txs[0]!.tx)).toEqual({ allowed: false, reason: 'missing-inputs' });
    const first = fixture<{ vectors: { commit_tx: string; remote_signature: string }[] }>('bolt03-commitment-txs.json').vectors[0]!;
    const sigAt = first.commit_tx.indexOf(first.remote_signature) / 2;
    expect(sigAt).toBeGreaterThan(0);
    const tampered = fromHex(first.commit_tx);
    tampered[sigAt + 10]! ^= 1;
    expect(policy(toHex(tampered)).reason).toBe('mandatory-script-verify-flag-failed (Signature must be zero for failed CHECK(MULTI)SIG operation)');
  });
});

describe('BOLT 3 Appendix F: anchor outputs', () => {
  for (const v of appendixF.vectors) {
    it(v.Name, () => {
      node.clearMempool();
      const verdict = policy(v.ExpectedCommitmentTxHex);
      if (!verdict.allowed) expect(verdict.reason).toBe('min relay fee not met');
      consensus([v.ExpectedCommitmentTxHex]);
      if (v.HtlcDescs.length === 0) return;
      withConfirmed(v.ExpectedCommitmentTxHex, () => {
        // Zero-fee HTLC transactions (SIGHASH_SINGLE|ANYONECANPAY) after their 1-block CSV.
        for (const h of v.HtlcDescs) consensus([h.ResolutionTxHex]);
      });
    });
  }

  it('takes a commitment with the CPFP child spending its anchor as a package', () => {
    node.clearMempool();
    const v = appendixF.vectors[0]!;
    const commitRaw = fromHex(v.ExpectedCommitmentTxHex);
    const commit = decodeTx(commitRaw);
    const params = appendixC.common.parameters;
    const anchor = anchorScript(fromHex(params.local_funding_pubkey));
    const anchorIndex = commit.outputs.findIndex((o) => toHex(o.script) === toHex(p2wsh(anchor)));
    expect(anchorIndex).toBeGreaterThanOrEqual(0);
    const feeCoin = node.faucetPay(testKey(0x51).script, 200_000n);
    node.mine(1);
    const feeTx = node.findTx(feeCoin)!.info;
    const feeIndex = feeTx.tx.outputs.findIndex((o) => o.amount === 200_000n);
    const child = {
      version: 2,
      locktime: 0,
      inputs: [
        { previousOutput: { txid: txidOfRaw(commitRaw), index: anchorIndex }, sequence: 0xfffffffd },
        { previousOutput: { txid: feeTx.txid, index: feeIndex }, sequence: 0xfffffffd },
      ],
      outputs: [{ script: testKey(0x52).script, amount: 200_000n + 330n - 20_000n }],
    };
    const key = testKey(0x51);
    const anchorSig = signSegwitInput(child, 0, anchor, 330n, fromHex(params.local_funding_privkey.slice(0, 64)));
    const feeSig = signSegwitInput(child, 1, fromHex(`76a914${toHex(key.script.subarray(2))}88ac`), 200_000n, key.priv);
    const signed = {
      ...child,
      inputs: [
        { ...child.inputs[0]!, witness: anchorWitness(anchorSig, anchor) },
        { ...child.inputs[1]!, witness: [Uint8Array.of(...derSig(feeSig)), key.pub] },
      ],
    };
    const result = node.submitPackage([commitRaw, encodeTx(signed)]);
    expect(result.packageError).toBeUndefined();
    expect(result.results.map((r) => r.status)).toEqual(['accepted', 'accepted']);
    node.mine(1);
    expect(node.findTx(hexId(v.ExpectedCommitmentTxHex))?.location).toBeDefined();
  });
});

function derSig(compact: Uint8Array): Uint8Array {
  const trim = (b: Uint8Array): Uint8Array => {
    let i = 0;
    while (i < b.length - 1 && b[i] === 0 && (b[i + 1]! & 0x80) === 0) i++;
    const v = b.subarray(i);
    return (v[0]! & 0x80) !== 0 ? Uint8Array.of(0, ...v) : v;
  };
  const r = trim(compact.subarray(0, 32));
  const s = trim(compact.subarray(32));
  return Uint8Array.of(0x30, 4 + r.length + s.length, 0x02, r.length, ...r, 0x02, s.length, ...s, 0x01);
}
