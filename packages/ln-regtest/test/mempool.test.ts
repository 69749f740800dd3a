// Replacement by fee (bitcoind 28's full RBF), packages (submitpackage, testmempoolaccept),
// chain limits and the CPFP carve-out, block assembly by ancestor feerate.
import { beforeAll, describe, expect, it } from '@jest/globals';
import { type Tx, txidOf } from 'ln-tx';
import { Regtest, RegtestError } from '../src/index.js';
import { type Funded, fund, raw, signP2wpkh, spend, txidHexOfTx, vsizeOf } from './builders.js';
import { testKey } from './helpers.js';

const alice = testKey(0x61);
const bob = testKey(0x62);
let node: Regtest;

/** bitcoind's FormatMoney (at least two decimals, trailing zeros trimmed). */
function formatMoney(sat: bigint): string {
  let s = `${sat / 100_000_000n}.${(sat % 100_000_000n).toString().padStart(8, '0')}`;
  while (s.endsWith('0') && s[s.length - 3] !== '.') s = s.slice(0, -1);
  return s;
}

const send = (tx: Tx): string => node.sendRawTransaction(raw(tx));
function refusal(f: () => unknown): { rpcCode: number; message: string } {
  try {
    f();
  } catch (e) {
    if (e instanceof RegtestError) return { rpcCode: e.rpcCode, message: e.message };
    throw e;
  }
  throw new Error('accepted');
}
/** A P2WPKH spend of `coin` (owned by alice) paying `fee`, to bob unless `to` says otherwise. */
function pay(coin: Funded, fee: bigint, to = bob.script, extra: Partial<Tx> = {}): Tx {
  return signP2wpkh({ ...spend(coin, [{ script: to, amount: coin.amount - fee }]), ...extra }, 0, alice, coin.amount);
}
/** The output `index` of a transaction as a coin alice can spend (when it pays her). */
function outputOf(tx: Tx, index = 0): Funded {
  return { outPoint: { txid: txidOf(tx), index }, amount: tx.outputs[index]!.amount, script: tx.outputs[index]!.script };
}

beforeAll(() => {
  node = Regtest.open({ clock: () => 1_700_000_000 });
  node.mine(101);
});

describe('replacement by fee (full RBF)', () => {
  it('replaces a transaction paying more, evicting it and its descendants, without signalling', () => {
    const coin = fund(node, alice.script, 100_000n);
    const original = pay(coin, 1_000n, alice.script, { inputs: [{ previousOutput: coin.outPoint, sequence: 0xffffffff }] });
    send(original);
    const child = pay(outputOf(original), 1_000n);
    send(child);
    const replacement = pay(coin, 5_000n);
    send(replacement);
    expect(node.mempool.get(txidHexOfTx(original))).toBeUndefined();
    expect(node.mempool.get(txidHexOfTx(child))).toBeUndefined();
    expect(node.mempool.get(txidHexOfTx(replacement))).toBeDefined();
  });

  it('refuses a replacement that does not pay for its own relay', () => {
    const coin = fund(node, alice.script, 100_000n);
    const original = pay(coin, 1_000n);
    send(original);
    const bump = pay(coin, 1_001n);
    const vsize = vsizeOf(bump);
    expect(refusal(() => send(bump))).toEqual({
      rpcCode: -26,
      message: `insufficient fee, rejecting replacement ${txidHexOfTx(bump)}, not enough additional fees to relay; 0.00000001 < ${formatMoney(BigInt(vsize))}`,
    });
  });

  it('refuses a replacement paying less than everything it evicts', () => {
    const coin = fund(node, alice.script, 100_000n);
    const original = pay(coin, 1_000n, alice.script);
    send(original);
    const child = pay(outputOf(original), 20_000n);
    send(child);
    const replacement = pay(coin, 3_000n);
    expect(refusal(() => send(replacement))).toEqual({
      rpcCode: -26,
      message: `insufficient fee, rejecting replacement ${txidHexOfTx(replacement)}, less fees than conflicting txs; 0.00003 < 0.00021`,
    });
  });

  it('refuses a replacement adding an unconfirmed input, or spending what it replaces', () => {
    const coin = fund(node, alice.script, 100_000n);
    const other = fund(node, alice.script, 50_000n);
    const original = pay(coin, 1_000n, alice.script);
    send(original);
    const unconfirmedParent = pay(other, 1_000n, alice.script);
    send(unconfirmedParent);
    const pending = outputOf(unconfirmedParent);
    const twoInputs: Tx = {
      version: 2,
      locktime: 0,
      inputs: [
        { previousOutput: coin.outPoint, sequence: 0xfffffffd },
        { previousOutput: pending.outPoint, sequence: 0xfffffffd },
      ],
      outputs: [{ script: bob.script, amount: 100_000n + pending.amount - 20_000n }],
    };
    const signed = signP2wpkh(signP2wpkh(twoInputs, 0, alice, coin.amount), 1, alice, pending.amount);
    expect(refusal(() => send(signed))).toEqual({ rpcCode: -26, message: `replacement-adds-unconfirmed, replacement ${txidHexOfTx(signed)} adds unconfirmed input, idx 1` });
    const selfSpend: Tx = { ...twoInputs, inputs: [twoInputs.inputs[0]!, { previousOutput: outputOf(original).outPoint, sequence: 0xfffffffd }], outputs: [{ script: bob.script, amount: 150_000n }] };
    const selfSigned = signP2wpkh(signP2wpkh(selfSpend, 0, alice, coin.amount), 1, alice, original.outputs[0]!.amount);
    expect(refusal(() => send(selfSigned))).toEqual({ rpcCode: -26, message: `bad-txns-spends-conflicting-tx, ${txidHexOfTx(selfSigned)} spends conflicting transaction ${txidHexOfTx(original)}` });
  });
});

describe('chain limits', () => {
  it('refuses the 26th transaction of an unconfirmed chain, and lets a small second child of the parent in (CPFP carve-out)', () => {
    node.mine(1);
    const coin = fund(node, alice.script, 1_000_000n);
    const parent = signP2wpkh({ ...spend(coin, [{ script: alice.script, amount: 500_000n }, { script: alice.script, amount: 499_000n }]) }, 0, alice, coin.amount);
    send(parent);
    let tip = outputOf(parent, 0);
    for (let i = 0; i < 23; i++) {
      const next = pay(tip, 500n, alice.script);
      send(next);
      tip = outputOf(next);
    }
    const carveOut = pay(outputOf(parent, 1), 1_000n);
    expect(send(carveOut)).toBe(txidHexOfTx(carveOut));
    const tooLong = pay(tip, 500n, alice.script);
    const r = refusal(() => send(tooLong));
    expect(r.rpcCode).toBe(-26);
    expect(r.message).toMatch(/^too-long-mempool-chain, (too many descendants for tx [0-9a-f]{64} \[limit: 25\]|too many unconfirmed ancestors \[limit: 25\])$/);
  });
});

describe('packages', () => {
  it('refuses a zero-fee parent alone and takes it with its CPFP child (submitpackage)', () => {
    node.mine(1);
    const coin = fund(node, alice.script, 100_000n);
    const parent = pay(coin, 0n, alice.script);
    expect(refusal(() => send(parent))).toEqual({ rpcCode: -26, message: `min relay fee not met, 0 < ${vsizeOf(parent)}` });
    const child = pay(outputOf(parent), 2_000n);
    const result = node.submitPackage([raw(parent), raw(child)]);
    expect(result.packageError).toBeUndefined();
    expect(result.results.map((r) => r.status)).toEqual(['accepted', 'accepted']);
    const rate = (2_000n * 1000n) / BigInt(vsizeOf(parent) + vsizeOf(child));
    expect(result.results.map((r) => r.effectiveFeeRate)).toEqual([rate, rate]);
    const [hash] = node.mine(1);
    const mined = node.blockByHash(hash!)!.txs.map((t) => t.txidHex);
    expect(mined).toEqual(expect.arrayContaining([txidHexOfTx(parent), txidHexOfTx(child)]));
    expect(mined.indexOf(txidHexOfTx(parent))).toBeLessThan(mined.indexOf(txidHexOfTx(child)));
  });

  it('refuses a package whose child does not pay enough for both', () => {
    const coin = fund(node, alice.script, 100_000n);
    const parent = pay(coin, 0n, alice.script);
    const child = pay(outputOf(parent), 150n);
    const result = node.submitPackage([raw(parent), raw(child)]);
    expect(result.packageError?.reason).toBe('transaction failed');
    expect(result.results[0]!.rejection?.reason).toBe('min relay fee not met');
    expect(result.results[1]!.rejection).toMatchObject({ reason: 'min relay fee not met', debug: `150 < ${vsizeOf(parent) + vsizeOf(child)}` });
    expect(node.mempool.get(txidHexOfTx(parent))).toBeUndefined();
  });

  it('refuses packages that are not a child with its parents', () => {
    const coin = fund(node, alice.script, 100_000n);
    const parent = pay(coin, 1_000n, alice.script);
    const child = pay(outputOf(parent), 1_000n);
    expect(refusal(() => node.submitPackage([raw(child), raw(parent)]))).toEqual({ rpcCode: -25, message: 'package topology disallowed. not child-with-parents or parents depend on each other.' });
  });

  it('tests packages without entering them (testmempoolaccept)', () => {
    const coin = fund(node, alice.script, 100_000n);
    const parent = pay(coin, 1_000n, alice.script);
    const child = pay(outputOf(parent), 1_000n);
    const verdicts = node.testMempoolAccept([raw(parent), raw(child)]);
    expect(verdicts.map((v) => v.allowed)).toEqual([true, true]);
    expect(node.mempool.get(txidHexOfTx(parent))).toBeUndefined();
    const zero = pay(coin, 0n, alice.script);
    const zeroChild = pay(outputOf(zero), 5_000n);
    const refused = node.testMempoolAccept([raw(zero), raw(zeroChild)]);
    expect(refused[0]).toMatchObject({ allowed: false, rejectReason: 'min relay fee not met' });
    expect(refused[1]!.allowed).toBeUndefined();
    expect(node.testMempoolAccept([raw(child)])[0]).toMatchObject({ allowed: false, rejectReason: 'missing-inputs' });
  });
});

describe('block assembly', () => {
  it('mines by ancestor feerate and leaves packages below 1 sat/vB out', () => {
    node.mine(1);
    node.clearMempool();
    const coins = [fund(node, alice.script, 100_000n, false), fund(node, alice.script, 100_000n, false)];
    node.mine(1);
    const low = pay(coins[0]!, 200n);
    const high = pay(coins[1]!, 5_000n);
    send(low);
    send(high);
    const [hash] = node.mine(1);
    const ids = node.blockByHash(hash!)!.txs.map((t) => t.txidHex);
    expect(ids.indexOf(txidHexOfTx(high))).toBeLessThan(ids.indexOf(txidHexOfTx(low)));
    expect(node.mempool.size).toBe(0);
  });
});

describe('TRUC (version 3) transactions', () => {
  it('keeps version 3 and other versions apart across unconfirmed spends', () => {
    node.mine(1);
    const coin = fund(node, alice.script, 100_000n);
    const parent = pay(coin, 1_000n, alice.script, { version: 3 });
    send(parent);
    const p = node.findTx(txidHexOfTx(parent))!.info;
    const v2child = pay(outputOf(parent), 1_000n);
    const c2 = refusal(() => send(v2child));
    expect(c2.message).toMatch(new RegExp(`^TRUC-violation, non-version=3 tx ${txidHexOfTx(v2child)} \\(wtxid=[0-9a-f]{64}\\) cannot spend from version=3 tx ${p.txidHex} \\(wtxid=${p.wtxidHex}\\)$`));
    const child = pay(outputOf(parent), 1_000n, bob.script, { version: 3 });
    send(child);
    const paid = outputOf(child);
    const grandchild = signP2wpkh(spend(paid, [{ script: bob.script, amount: paid.amount - 1_000n }], { version: 3 }), 0, bob, paid.amount);
    expect(refusal(() => send(grandchild)).message).toBe(`TRUC-violation, tx ${txidHexOfTx(grandchild)} (wtxid=${node.testMempoolAccept([raw(grandchild)])[0]!.info.wtxidHex}) would have too many ancestors`);
  });

  it('takes a zero-fee version 3 parent with its child as a package', () => {
    const coin = fund(node, alice.script, 100_000n);
    const parent = pay(coin, 0n, alice.script, { version: 3 });
    const child = pay(outputOf(parent), 3_000n, bob.script, { version: 3 });
    const result = node.submitPackage([raw(parent), raw(child)]);
    expect(result.packageError).toBeUndefined();
    expect(result.results.map((r) => r.status)).toEqual(['accepted', 'accepted']);
  });
});
