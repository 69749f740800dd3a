// The chain refuses what bitcoind refuses, with bitcoind's codes and reject reasons.
import { beforeAll, describe, expect, it } from '@jest/globals';
import { Transaction, p2tr, utils } from '@scure/btc-signer';
import { OP, op, script, type Tx } from 'ln-tx';
import { fromHex, txid as brandTxid } from 'ln-types';
import { Regtest, RegtestError } from '../src/index.js';
import { type Funded, fund, p2wsh, raw, signP2wpkh, signP2wsh, spend, txidHexOfTx, vsizeOf } from './builders.js';
import { testKey } from './helpers.js';

const alice = testKey(0x41);
const bob = testKey(0x42);
let node: Regtest;

function refusal(f: () => unknown): { code: string; rpcCode: number; message: string } {
  try {
    f();
  } catch (e) {
    if (e instanceof RegtestError) return { code: e.code, rpcCode: e.rpcCode, message: e.message };
    throw e;
  }
  throw new Error('accepted');
}

const send = (tx: Tx): string => node.sendRawTransaction(raw(tx));

beforeAll(() => {
  node = Regtest.open({ clock: () => 1_700_000_000 });
  node.mine(101);
});

describe('signatures and scripts', () => {
  it('accepts a correct P2WPKH spend and refuses a signature over another amount', () => {
    const coin = fund(node, alice.script, 100_000n);
    const tx = spend(coin, [{ script: bob.script, amount: 99_000n }]);
    const wrong = signP2wpkh(tx, 0, alice, 100_001n);
    expect(refusal(() => send(wrong))).toEqual({
      code: 'rejected',
      rpcCode: -26,
      message: 'mandatory-script-verify-flag-failed (Signature must be zero for failed CHECK(MULTI)SIG operation)',
    });
    const wrongKey = signP2wpkh(tx, 0, bob, 100_000n);
    expect(refusal(() => send(wrongKey)).message).toBe('mandatory-script-verify-flag-failed (Script failed an OP_EQUALVERIFY operation)');
    expect(send(signP2wpkh(tx, 0, alice, 100_000n))).toBe(txidHexOfTx(tx));
  });

  it('refuses a relative lock (CSV) spent too early, by policy then by script', () => {
    const csv = script(5n, op(OP.OP_CHECKSEQUENCEVERIFY), op(OP.OP_DROP), alice.pub, op(OP.OP_CHECKSIG));
    const coin = fund(node, p2wsh(csv), 50_000n);
    const early = signP2wsh(spend(coin, [{ script: bob.script, amount: 49_000n }], { sequence: 5 }), 0, csv, 50_000n, alice.priv);
    expect(refusal(() => send(early))).toEqual({ code: 'rejected', rpcCode: -26, message: 'non-BIP68-final' });
    const lowSequence = signP2wsh(spend(coin, [{ script: bob.script, amount: 49_000n }], { sequence: 1 }), 0, csv, 50_000n, alice.priv);
    expect(refusal(() => send(lowSequence)).message).toBe('mandatory-script-verify-flag-failed (Locktime requirement not satisfied)');
    node.mine(3);
    expect(refusal(() => send(early)).message).toBe('non-BIP68-final');
    node.mine(1);
    expect(send(early)).toBe(txidHexOfTx(early));
  });

  it('refuses an absolute lock (CLTV) spent too early', () => {
    const height = BigInt(node.height + 4);
    const cltv = script(height, op(OP.OP_CHECKLOCKTIMEVERIFY), op(OP.OP_DROP), alice.pub, op(OP.OP_CHECKSIG));
    const coin = fund(node, p2wsh(cltv), 50_000n);
    const tx = signP2wsh(spend(coin, [{ script: bob.script, amount: 49_000n }], { locktime: Number(height), sequence: 0xfffffffe }), 0, cltv, 50_000n, alice.priv);
    expect(refusal(() => send(tx))).toEqual({ code: 'rejected', rpcCode: -26, message: 'non-final' });
    const lowLocktime = signP2wsh(spend(coin, [{ script: bob.script, amount: 49_000n }], { locktime: node.height, sequence: 0xfffffffe }), 0, cltv, 50_000n, alice.priv);
    expect(refusal(() => send(lowLocktime)).message).toBe('mandatory-script-verify-flag-failed (Locktime requirement not satisfied)');
    const finalSequence = signP2wsh(spend(coin, [{ script: bob.script, amount: 49_000n }], { locktime: Number(height), sequence: 0xffffffff }), 0, cltv, 50_000n, alice.priv);
    expect(refusal(() => send(finalSequence)).message).toBe('mandatory-script-verify-flag-failed (Locktime requirement not satisfied)');
    node.mine(Number(height) - 1 - node.height);
    expect(refusal(() => send(tx)).message).toBe('non-final');
    node.mine(1);
    expect(send(tx)).toBe(txidHexOfTx(tx));
  });

  it('refuses a non-standard but valid spend as non-mandatory (high-S is policy, not consensus)', () => {
    const coin = fund(node, alice.script, 60_000n);
    const tx = signP2wpkh(spend(coin, [{ script: bob.script, amount: 59_000n }]), 0, alice, 60_000n);
    const sig = tx.inputs[0]!.witness![0]!;
    // Re-encode the signature with s' = n - s (a valid but non-canonical signature).
    const { highS } = highSHelpers();
    const bad: Tx = { ...tx, inputs: [{ ...tx.inputs[0]!, witness: [highS(sig), alice.pub] }] };
    expect(refusal(() => send(bad))).toEqual({ code: 'rejected', rpcCode: -26, message: 'non-mandatory-script-verify-flag (Non-canonical signature: S value is unnecessarily high)' });
  });
});

function highSHelpers(): { highS: (der: Uint8Array) => Uint8Array } {
  const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
  return {
    highS(der: Uint8Array): Uint8Array {
      const rLen = der[3]!;
      const r = der.subarray(4, 4 + rLen);
      const sLen = der[5 + rLen]!;
      let s = 0n;
      for (const b of der.subarray(6 + rLen, 6 + rLen + sLen)) s = (s << 8n) | BigInt(b);
      let hex = (N - s).toString(16);
      if (hex.length % 2) hex = '0' + hex;
      let sBytes = fromHex(hex);
      if (sBytes[0]! & 0x80) sBytes = Uint8Array.of(0, ...sBytes);
      const body = Uint8Array.of(0x02, r.length, ...r, 0x02, sBytes.length, ...sBytes);
      return Uint8Array.of(0x30, body.length, ...body, der[der.length - 1]!);
    },
  };
}

describe('inputs and amounts', () => {
  it('refuses a missing input with -25', () => {
    const ghost: Funded = { outPoint: { txid: brandTxid(new Uint8Array(32).fill(9)), index: 0 }, amount: 10_000n, script: alice.script };
    const tx = signP2wpkh(spend(ghost, [{ script: bob.script, amount: 9_000n }]), 0, alice, 10_000n);
    expect(refusal(() => send(tx))).toEqual({ code: 'missing_inputs', rpcCode: -25, message: 'bad-txns-inputs-missingorspent' });
  });

  it('refuses a double spend: replacement rules in the mempool, missing input once mined', () => {
    const coin = fund(node, alice.script, 80_000n);
    const first = signP2wpkh(spend(coin, [{ script: bob.script, amount: 79_000n }]), 0, alice, 80_000n);
    send(first);
    const cheaper = signP2wpkh(spend(coin, [{ script: alice.script, amount: 79_500n }]), 0, alice, 80_000n);
    const r = refusal(() => send(cheaper));
    expect(r.rpcCode).toBe(-26);
    const rate = (tx: Tx): string => `0.${((1000n * (80_000n - tx.outputs[0]!.amount)) / BigInt(vsizeOf(tx))).toString().padStart(8, '0')} BTC/kvB`;
    expect(r.message).toBe(`insufficient fee, rejecting replacement ${txidHexOfTx(cheaper)}; new feerate ${rate(cheaper)} <= old feerate ${rate(first)}`);
    node.mine(1);
    expect(refusal(() => send(cheaper))).toEqual({ code: 'missing_inputs', rpcCode: -25, message: 'bad-txns-inputs-missingorspent' });
  });

  it('refuses spending more than the inputs', () => {
    const coin = fund(node, alice.script, 20_000n);
    const tx = signP2wpkh(spend(coin, [{ script: bob.script, amount: 20_001n }]), 0, alice, 20_000n);
    expect(refusal(() => send(tx))).toEqual({ code: 'rejected', rpcCode: -26, message: 'bad-txns-in-belowout, value in (0.0002) < value out (0.00020001)' });
  });

  it('refuses an immature coinbase spend', () => {
    const [hash] = node.mine(1, alice.script);
    const coinbase = node.blockByHash(hash!)!.txs[0]!;
    const coin: Funded = { outPoint: { txid: coinbase.txid, index: 0 }, amount: coinbase.tx.outputs[0]!.amount, script: alice.script };
    const tx = signP2wpkh(spend(coin, [{ script: bob.script, amount: coin.amount - 1000n }]), 0, alice, coin.amount);
    expect(refusal(() => send(tx))).toEqual({ code: 'rejected', rpcCode: -26, message: 'bad-txns-premature-spend-of-coinbase, tried to spend coinbase at depth 1' });
    node.mine(98);
    expect(refusal(() => send(tx)).message).toBe('bad-txns-premature-spend-of-coinbase, tried to spend coinbase at depth 99');
    node.mine(1);
    expect(send(tx)).toBe(coinbase.txidHex === '' ? '' : txidHexOfTx(tx));
  });

  it('refuses a transaction already in the chain with -27, undecodable bytes with -22', () => {
    const coin = fund(node, alice.script, 30_000n);
    const tx = signP2wpkh(spend(coin, [{ script: bob.script, amount: 29_000n }]), 0, alice, 30_000n);
    send(tx);
    expect(send(tx)).toBe(txidHexOfTx(tx));
    node.mine(1);
    expect(refusal(() => send(tx))).toEqual({ code: 'already_in_chain', rpcCode: -27, message: 'Transaction outputs already in utxo set' });
    expect(refusal(() => node.sendRawTransaction(Uint8Array.of(1, 0, 0)))).toEqual({ code: 'decode_failed', rpcCode: -22, message: 'TX decode failed. Make sure the tx has at least one input.' });
  });
});

describe('policy', () => {
  it('refuses a non-final transaction', () => {
    const coin = fund(node, alice.script, 20_000n);
    const tx = signP2wpkh(spend(coin, [{ script: bob.script, amount: 19_000n }], { locktime: node.height + 10, sequence: 0xfffffffe }), 0, alice, 20_000n);
    expect(refusal(() => send(tx))).toEqual({ code: 'rejected', rpcCode: -26, message: 'non-final' });
    const byTime = signP2wpkh(spend(coin, [{ script: bob.script, amount: 19_000n }], { locktime: 1_800_000_000, sequence: 0xfffffffe }), 0, alice, 20_000n);
    expect(refusal(() => send(byTime)).message).toBe('non-final');
  });

  it('refuses dust outputs by output type', () => {
    const coin = fund(node, alice.script, 20_000n);
    const dust = signP2wpkh(spend(coin, [{ script: bob.script, amount: 293n }, { script: alice.script, amount: 18_000n }]), 0, alice, 20_000n);
    expect(refusal(() => send(dust))).toEqual({ code: 'rejected', rpcCode: -26, message: 'dust' });
    const wshDust = signP2wpkh(spend(coin, [{ script: p2wsh(Uint8Array.of(0x51)), amount: 329n }, { script: alice.script, amount: 18_000n }]), 0, alice, 20_000n);
    expect(refusal(() => send(wshDust)).message).toBe('dust');
    const ok = signP2wpkh(spend(coin, [{ script: bob.script, amount: 294n }, { script: p2wsh(Uint8Array.of(0x51)), amount: 330n }, { script: alice.script, amount: 18_000n }]), 0, alice, 20_000n);
    expect(send(ok)).toBe(txidHexOfTx(ok));
  });

  it('refuses a fee below 1 sat/vB with the exact amounts', () => {
    const coin = fund(node, alice.script, 20_000n);
    const zero = signP2wpkh(spend(coin, [{ script: bob.script, amount: 20_000n }]), 0, alice, 20_000n);
    const vsize = vsizeOf(zero);
    expect(refusal(() => send(zero))).toEqual({ code: 'rejected', rpcCode: -26, message: `min relay fee not met, 0 < ${vsize}` });
    const low = signP2wpkh(spend(coin, [{ script: bob.script, amount: 20_000n - BigInt(vsize) + 1n }]), 0, alice, 20_000n);
    expect(refusal(() => send(low)).message).toBe(`min relay fee not met, ${vsize - 1} < ${vsize}`);
  });

  it('refuses an absurd fee unless maxfeerate allows it', () => {
    const coin = fund(node, alice.script, 10_000_000n);
    const tx = signP2wpkh(spend(coin, [{ script: bob.script, amount: 1_000n }]), 0, alice, 10_000_000n);
    expect(refusal(() => send(tx))).toEqual({ code: 'max_fee_exceeded', rpcCode: -25, message: 'Fee exceeds maximum configured by user (e.g. -maxtxfee, maxfeerate)' });
    expect(node.sendRawTransaction(raw(tx), { maxFeeRate: 0n })).toBe(txidHexOfTx(tx));
  });

  it('refuses non-standard versions, oversize transactions and OP_RETURN burns', () => {
    const coin = fund(node, alice.script, 500_000n);
    const v4 = signP2wpkh(spend(coin, [{ script: bob.script, amount: 490_000n }], { version: 4 }), 0, alice, 500_000n);
    expect(refusal(() => send(v4)).message).toBe('version');
    const outputs = Array.from({ length: 3300 }, () => ({ script: bob.script, amount: 1_000n }));
    const big = signP2wpkh({ ...spend(coin, outputs), inputs: spend(coin, outputs).inputs }, 0, alice, 500_000n);
    expect(refusal(() => node.sendRawTransaction(raw(big), { maxFeeRate: 0n })).message).toMatch(/^(tx-size|bad-txns-in-belowout)/);
    const burn = signP2wpkh(spend(coin, [{ script: Uint8Array.of(0x6a, 0x01, 0x01), amount: 1_000n }, { script: bob.script, amount: 490_000n }]), 0, alice, 500_000n);
    expect(refusal(() => send(burn))).toEqual({ code: 'max_burn_exceeded', rpcCode: -25, message: 'Unspendable output exceeds maximum configured by user (maxburnamount)' });
    const twoReturns = signP2wpkh(spend(coin, [{ script: Uint8Array.of(0x6a), amount: 0n }, { script: Uint8Array.of(0x6a), amount: 0n }, { script: bob.script, amount: 490_000n }]), 0, alice, 500_000n);
    expect(refusal(() => send(twoReturns)).message).toBe('multi-op-return');
  });

  it('refuses spending a non-standard output script', () => {
    const coin = fund(node, p2wsh(Uint8Array.of(0x51)), 20_000n);
    const tx: Tx = { ...spend(coin, [{ script: bob.script, amount: 19_000n }]), inputs: [{ previousOutput: coin.outPoint, sequence: 0xfffffffd, witness: [Uint8Array.of(0x51)] }] };
    expect(send(tx)).toBe(txidHexOfTx(tx));
  });
});

describe('taproot', () => {
  it('accepts a key-path spend (BIP 341 signature hash over every spent output) and refuses a bad signature', () => {
    const internal = fromHex('55'.repeat(32));
    const xonly = utils.pubSchnorr(internal);
    const output = p2tr(xonly, undefined, undefined, true);
    const coin = fund(node, output.script, 70_000n);
    const tx = new Transaction({ version: 2 });
    tx.addInput({ txid: Uint8Array.from(coin.outPoint.txid).reverse(), index: coin.outPoint.index, witnessUtxo: { script: output.script, amount: coin.amount }, tapInternalKey: xonly });
    tx.addOutput({ script: bob.script, amount: 69_000n });
    tx.signIdx(internal, 0);
    tx.finalizeIdx(0);
    const signed = tx.extract();
    const bad = Uint8Array.from(signed);
    bad[bad.length - 30]! ^= 1;
    expect(refusal(() => node.sendRawTransaction(bad))).toEqual({ code: 'rejected', rpcCode: -26, message: 'mandatory-script-verify-flag-failed (Invalid Schnorr signature)' });
    expect(node.sendRawTransaction(signed)).toBe(tx.id);
  });
});
