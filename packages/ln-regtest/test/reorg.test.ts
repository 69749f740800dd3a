// Reorgs: invalidateblock/reconsiderblock, the test-only reorg, blocks from
// another miner, and what happens to the mempool; block refusals.
import { beforeAll, describe, expect, it } from '@jest/globals';
import { decodeBlock, encodeTx, txidOf } from 'ln-tx';
import { fromHex, reverseBytes, toHex, txid } from 'ln-types';
import { coinKey } from '../src/chain/coin.js';
import { Regtest, RegtestError } from '../src/index.js';
import { fund, raw, signP2wpkh, spend, txidHexOfTx } from './builders.js';
import { testKey } from './helpers.js';
import { mineBlock } from '../src/mining/miner.js';
import { describeTx } from '../src/chain/tx-info.js';
import { blockSubsidy } from '../src/consensus/params.js';

const alice = testKey(0x71);
const bob = testKey(0x72);
let node: Regtest;

beforeAll(() => {
  node = Regtest.open({ clock: () => 1_700_000_000 });
  node.mine(101);
});

describe('invalidateblock and reconsiderblock', () => {
  it('takes a block off with its transactions back to the mempool, and puts it back', () => {
    const txid = node.faucetPay(alice.script, 10_000n);
    const [hash] = node.mine(1);
    const height = node.height;
    expect(node.mempool.size).toBe(0);
    node.invalidateBlock(hash!);
    expect(node.height).toBe(height - 1);
    expect(node.mempool.get(txid)).toBeDefined();
    expect(node.findTx(txid)?.location).toBeUndefined();
    node.reconsiderBlock(hash!);
    expect(node.tip.hashHex).toBe(hash);
    expect(node.mempool.size).toBe(0);
    expect(node.findTx(txid)?.location?.entry.hashHex).toBe(hash);
  });

  it('undoes a chain of transactions within one block without leaving the spent middle output behind', () => {
    // Alice spends a confirmed coin, then the new output twice more: the block creates and spends two of its outputs.
    const coin = fund(node, alice.script, 100_000n);
    const before = new Set([...node.chain.utxos.entries()].map(([k]) => k));
    const txids: string[] = [];
    let from = coin;
    for (let i = 0; i < 3; i++) {
      const tx = signP2wpkh(spend(from, [{ script: alice.script, amount: from.amount - 1_000n }]), 0, alice, from.amount);
      txids.push(node.sendRawTransaction(raw(tx)));
      from = { outPoint: { txid: txidOf(tx), index: 0 }, amount: from.amount - 1_000n, script: alice.script };
    }
    const [hash] = node.mine(1);
    node.invalidateBlock(hash!);
    const after = new Set([...node.chain.utxos.entries()].map(([k]) => k));
    expect([...after].filter((k) => !before.has(k))).toEqual([]);
    expect([...before].filter((k) => !after.has(k))).toEqual([]);
    for (const key of after) expect(node.chain.indexes.utxoKeys(toHex(node.chain.utxos.get(key)!.script)).has(key)).toBe(true);
    for (const txid of txids) expect(node.mempool.get(txid)).toBeDefined();
    node.reconsiderBlock(hash!);
    expect(node.tip.hashHex).toBe(hash);
  });

  it('refuses to invalidate genesis or unknown blocks', () => {
    expect(() => node.invalidateBlock(node.chain.genesis.hashHex)).toThrow(RegtestError);
    expect(() => node.invalidateBlock('00'.repeat(32))).toThrow('Block not found');
  });
});

describe('the test-only reorg', () => {
  it('replaces the last blocks with a new branch holding the same transactions', () => {
    const txid = node.faucetPay(alice.script, 20_000n);
    const old = node.mine(3);
    const newHashes = node.reorg(3);
    expect(newHashes).toHaveLength(3);
    expect(newHashes).not.toEqual(old);
    expect(node.tip.hashHex).toBe(newHashes[2]);
    expect(node.findTx(txid)?.location?.entry.hashHex).toBe(newHashes[0]);
    expect(node.chain.entries().filter((e) => old.includes(e.hashHex)).every((e) => e.status === 'failed' || e.status === 'failed-child')).toBe(true);
  });

  it('can leave the replaced transactions in the mempool and make the branch longer', () => {
    const txid = node.faucetPay(alice.script, 30_000n);
    node.mine(1);
    const height = node.height;
    node.reorg(1, { blocks: 2, includeMempool: false });
    expect(node.height).toBe(height + 1);
    expect(node.mempool.get(txid)).toBeDefined();
  });

  it('drops a mempool child whose parent the new branch double-spends', () => {
    node.clearMempool();
    const coin = fund(node, alice.script, 50_000n);
    const parent = signP2wpkh(spend(coin, [{ script: alice.script, amount: 49_000n }]), 0, alice, coin.amount);
    node.sendRawTransaction(raw(parent));
    const [block] = node.mine(1);
    const child = signP2wpkh(spend({ txid: node.findTx(txidHexOfTx(parent))!.info.txid, index: 0 }, [{ script: bob.script, amount: 48_000n }]), 0, alice, 49_000n);
    node.sendRawTransaction(raw(child));
    node.invalidateBlock(block!);
    const doubleSpend = signP2wpkh(spend(coin, [{ script: bob.script, amount: 45_000n }]), 0, alice, coin.amount);
    node.generateBlock(node.faucet.script, [encodeTx(doubleSpend)]);
    expect(node.findTx(txidHexOfTx(doubleSpend))?.location).toBeDefined();
    expect(node.mempool.get(txidHexOfTx(parent))).toBeUndefined();
    expect(node.mempool.get(txidHexOfTx(child))).toBeUndefined();
  });
});

describe('blocks from another miner', () => {
  it('keeps a shorter branch aside ("inconclusive") and reorganizes to a longer one', () => {
    const other = Regtest.open({ clock: () => 1_700_000_000, faucetSeed: Uint8Array.of(9) });
    for (let h = 1; h <= node.height; h++) other.processBlock(node.chain.atHeight(h)!.raw);
    expect(other.tip.hashHex).toBe(node.tip.hashHex);
    const forkHeight = node.height;
    const ours = node.mine(2);
    const theirs = other.mine(3);
    const first = node.processBlock(other.blockByHash(theirs[0]!)!.raw);
    expect('entry' in first && node.chain.isActive(first.entry)).toBe(false);
    node.processBlock(other.blockByHash(theirs[1]!)!.raw);
    expect(node.tip.hashHex).toBe(ours[1]);
    node.processBlock(other.blockByHash(theirs[2]!)!.raw);
    expect(node.tip.hashHex).toBe(theirs[2]);
    expect(node.height).toBe(forkHeight + 3);
    expect(node.processBlock(other.blockByHash(theirs[2]!)!.raw)).toMatchObject({ isNew: false });
  });
});

describe('block refusals', () => {
  const mineWith = (over: { coinbaseValue?: bigint; prevHash?: Uint8Array; txs?: Uint8Array[]; time?: number }): Uint8Array =>
    mineBlock({
      prevHash: (over.prevHash ?? node.tip.hash) as never,
      height: node.height + 1,
      time: over.time ?? node.tip.medianTimePast + 1,
      extraNonce: 999_999,
      payout: alice.script,
      coinbaseValue: over.coinbaseValue ?? blockSubsidy(node.height + 1),
      transactions: (over.txs ?? []).map((t) => describeTx(t)),
    });

  it('refuses a coinbase claiming too much, an unknown parent, a stale timestamp', () => {
    expect(node.processBlock(mineWith({ coinbaseValue: blockSubsidy(node.height + 1) + 1n }))).toMatchObject({ rejection: { reason: 'bad-cb-amount' } });
    expect(node.processBlock(mineWith({ prevHash: new Uint8Array(32).fill(3) }))).toMatchObject({ rejection: { reason: 'prev-blk-not-found' } });
    expect(node.processBlock(mineWith({ time: node.tip.medianTimePast }))).toMatchObject({ rejection: { reason: 'time-too-old' } });
  });

  it('refuses a block with an invalid signature, naming the script error of the consensus flags', () => {
    const coin = fund(node, alice.script, 40_000n);
    const bad = signP2wpkh(spend(coin, [{ script: bob.script, amount: 39_000n }]), 0, alice, coin.amount + 1n);
    const tip = node.tip.hashHex;
    const result = node.processBlock(mineWith({ txs: [raw(bad)] }));
    expect(result).toMatchObject({ rejection: { reason: 'mandatory-script-verify-flag-failed (Script evaluated without error but finished with a false/empty top stack element)' } });
    expect(node.tip.hashHex).toBe(tip);
    expect(() => node.generateBlock(alice.script, [raw(bad)])).toThrow('TestBlockValidity failed: mandatory-script-verify-flag-failed (Script evaluated without error but finished with a false/empty top stack element)');
  });

  it('refuses a block whose proof of work misses the target', () => {
    const good = mineWith({});
    const header = good.slice(0, 80);
    const view = new DataView(header.buffer);
    let nonce = 0;
    for (; ; nonce++) {
      view.setUint32(76, nonce, true);
      const hash = decodeBlock(new Uint8Array([...header, ...good.subarray(80)])).hash;
      if ((hash[31]! & 0x80) !== 0) break;
    }
    const block = new Uint8Array([...header, ...good.subarray(80)]);
    expect(node.processBlock(block)).toMatchObject({ rejection: { reason: 'high-hash' } });
    expect(toHex(block).length).toBeGreaterThan(0);
  });
});

describe('disconnecting a block', () => {
  it('forgets an output created and spent inside it (a parent and its child in one block)', () => {
    const coin = fund(node, alice.script, 50_000n);
    const parent = signP2wpkh(spend(coin, [{ script: bob.script, amount: 49_000n }]), 0, alice, 50_000n);
    const parentId = txidHexOfTx(parent);
    node.sendRawTransaction(raw(parent));
    const child = signP2wpkh(spend({ txid: txid(reverseBytes(fromHex(parentId))), index: 0 }, [{ script: alice.script, amount: 48_000n }]), 0, bob, 49_000n);
    node.sendRawTransaction(raw(child));
    const [hash] = node.mine(1);
    expect(node.findTx(txidHexOfTx(child))?.location?.entry.hashHex).toBe(hash);
    node.invalidateBlock(hash!);
    // both are back in the mempool; the parent's output is not in the UTXO set (it was never unspent on chain)
    expect(node.mempool.get(parentId)).toBeDefined();
    expect(node.mempool.get(txidHexOfTx(child))).toBeDefined();
    expect(node.chain.utxos.has(coinKey(reverseBytes(fromHex(parentId)), 0))).toBe(false);
    // and mining them again is valid (before the fix: bad-txns-BIP30)
    const [again] = node.mine(1);
    expect(node.findTx(parentId)?.location?.entry.hashHex).toBe(again);
  });
});
