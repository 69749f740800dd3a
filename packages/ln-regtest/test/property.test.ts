// Random sequences of mining, broadcasting, reorgs and invalidations keep the
// UTXO set (and the lookups built on it) equal to a replay of the active chain
// from genesis, and the mempool consistent with the chain.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { decodeBlock } from 'ln-tx';
import { toHex } from 'ln-types';
import { ChainState } from '../src/chain/chain-state.js';
import { outPointCoinKey } from '../src/chain/coin.js';
import { REGTEST_GENESIS_BLOCK } from '../src/consensus/genesis.js';
import { Regtest } from '../src/index.js';
import { txidHexOf } from '../src/mempool/mempool.js';
import { type Funded, raw, signP2wpkh, spend } from './builders.js';
import { testKey } from './helpers.js';

const RUNS = process.env['LN_LONG_TESTS'] === '1' ? 300 : 25;
const alice = testKey(0x81);

type Command =
  | { kind: 'mine'; blocks: number }
  | { kind: 'faucet'; amount: number }
  | { kind: 'spend'; pick: number; fee: number; split: boolean }
  | { kind: 'reorg'; depth: number; blocks: number; includeMempool: boolean }
  | { kind: 'invalidate'; back: number }
  | { kind: 'reconsider'; pick: number };

const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({ kind: fc.constant('mine' as const), blocks: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant('faucet' as const), amount: fc.integer({ min: 1_000, max: 5_000_000 }) }),
  fc.record({ kind: fc.constant('spend' as const), pick: fc.nat(), fee: fc.integer({ min: 0, max: 3_000 }), split: fc.boolean() }),
  fc.record({ kind: fc.constant('reorg' as const), depth: fc.integer({ min: 1, max: 3 }), blocks: fc.integer({ min: 1, max: 4 }), includeMempool: fc.boolean() }),
  fc.record({ kind: fc.constant('invalidate' as const), back: fc.integer({ min: 0, max: 3 }) }),
  fc.record({ kind: fc.constant('reconsider' as const), pick: fc.nat() }),
);

/** Alice's spendable coins: confirmed and not spent in the mempool, or unspent mempool outputs. */
function aliceCoins(node: Regtest): Funded[] {
  const coins: Funded[] = [];
  for (const key of node.chain.indexes.utxoKeys(toHex(alice.script))) {
    if (node.mempool.spender(key) !== undefined) continue;
    const coin = node.chain.utxos.get(key)!;
    const [txid, index] = key.split(':') as [string, string];
    coins.push({ outPoint: { txid: node.findTx(txidHexOf(Uint8Array.from(Buffer.from(txid, 'hex'))))!.info.txid, index: Number(index) }, amount: coin.amount, script: coin.script });
  }
  return coins.sort((a, b) => outPointCoinKey(a.outPoint).localeCompare(outPointCoinKey(b.outPoint)));
}

function apply(node: Regtest, c: Command): void {
  try {
    switch (c.kind) {
      case 'mine':
        node.mine(c.blocks);
        break;
      case 'faucet':
        node.faucetPay(alice.script, BigInt(c.amount));
        break;
      case 'spend': {
        const coins = aliceCoins(node);
        if (coins.length === 0) return;
        const coin = coins[c.pick % coins.length]!;
        const fee = BigInt(c.fee);
        if (coin.amount - fee < 1_000n) return;
        const outputs = c.split && coin.amount - fee > 4_000n ? [{ script: alice.script, amount: (coin.amount - fee) / 2n }, { script: alice.script, amount: coin.amount - fee - (coin.amount - fee) / 2n }] : [{ script: alice.script, amount: coin.amount - fee }];
        node.sendRawTransaction(raw(signP2wpkh(spend(coin, outputs), 0, alice, coin.amount)));
        break;
      }
      case 'reorg':
        if (node.height - c.depth < 101) return;
        node.reorg(c.depth, { blocks: c.blocks, includeMempool: c.includeMempool });
        break;
      case 'invalidate':
        if (node.height - c.back <= 101) return;
        node.invalidateBlock(node.chain.atHeight(node.height - c.back)!.hashHex);
        break;
      case 'reconsider': {
        const failed = node.chain.entries().filter((e) => e.status === 'failed');
        if (failed.length === 0) return;
        node.reconsiderBlock(failed[c.pick % failed.length]!.hashHex);
        break;
      }
    }
  } catch (e) {
    // Refusals (a fee too low, a chain too long) are part of the game; anything else is a failure.
    if (!(e instanceof Error && 'rpcCode' in e)) throw e;
  }
}

/** The UTXO set a fresh chain reaches by connecting the active chain's blocks from genesis. */
function replay(node: Regtest): ChainState {
  const fresh = new ChainState(decodeBlock(REGTEST_GENESIS_BLOCK), REGTEST_GENESIS_BLOCK);
  for (const [key, coin] of node.chain.looseCoins) fresh.addLooseCoin(key, coin);
  for (let h = 1; h <= node.height; h++) {
    const e = node.chain.atHeight(h)!;
    const accepted = fresh.acceptBlock(e.block, e.raw, Number.MAX_SAFE_INTEGER);
    expect('entry' in accepted).toBe(true);
  }
  fresh.activateBestChain(true);
  return fresh;
}

function snapshot(state: ChainState): string[] {
  return [...state.utxos.entries()].map(([k, c]) => `${k}|${c.amount}|${toHex(c.script)}|${c.height}|${c.coinbase}`).sort();
}

function checkInvariants(node: Regtest): void {
  const fresh = replay(node);
  expect(fresh.tip.hashHex).toBe(node.tip.hashHex);
  expect(snapshot(node.chain)).toEqual(snapshot(fresh));
  // Script lookups cover exactly the UTXO set.
  for (const [key, coin] of node.chain.utxos.entries()) expect(node.chain.indexes.utxoKeys(toHex(coin.script)).has(key)).toBe(true);
  // Every confirmed transaction of the active chain is found where it is.
  for (let h = 1; h <= node.height; h++) {
    const e = node.chain.atHeight(h)!;
    for (const t of e.txs) expect(node.findTx(t.txidHex)?.location?.entry).toBe(e);
  }
  // The mempool spends only existing coins, each once.
  const spent = new Set<string>();
  for (const entry of node.mempool.entries()) {
    for (const input of entry.info.tx.inputs) {
      const key = outPointCoinKey(input.previousOutput);
      expect(spent.has(key)).toBe(false);
      spent.add(key);
      const exists = node.chain.utxos.has(key) || node.mempool.get(txidHexOf(input.previousOutput.txid)) !== undefined;
      expect(exists).toBe(true);
    }
    expect(node.findTx(entry.info.txidHex)?.location).toBeUndefined();
  }
}

describe('chain state under random mining, broadcasts and reorgs', () => {
  it('matches a replay from genesis after every sequence', () => {
    const base = Regtest.open({ clock: () => 1_700_000_000 });
    base.mine(101);
    const prefix = Array.from({ length: 101 }, (_, i) => base.chain.atHeight(i + 1)!.raw);
    fc.assert(
      fc.property(fc.array(command, { minLength: 1, maxLength: 14 }), (commands) => {
        const node = Regtest.open({ clock: () => 1_700_000_000 });
        for (const block of prefix) node.processBlock(block);
        for (const c of commands) apply(node, c);
        checkInvariants(node);
      }),
      { numRuns: RUNS },
    );
  });
});
