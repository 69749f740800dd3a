// A data directory gives the same chain after a restart: blocks, UTXO set,
// failed blocks, mempool, fee estimates, mock time, test coins; a torn block
// file tail is cut off; the server writes and removes bitcoind's cookie.
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { toHex } from 'ln-types';
import { Regtest, startRegtest } from '../src/index.js';
import { rpc, testKey } from './helpers.js';

const dirs: string[] = [];
const freshDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'ln-regtest-test-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const utxoSnapshot = (node: Regtest): string[] => [...node.chain.utxos.entries()].map(([k, c]) => `${k}|${c.amount}|${toHex(c.script)}|${c.height}`).sort();

describe('restart from a data directory', () => {
  it('restores the chain, its side branches and failures, the mempool and the settings', () => {
    const dir = freshDir();
    const alice = testKey(0x91);
    const a = Regtest.open({ dataDir: dir, clock: () => 1_700_000_000 });
    a.mine(101);
    a.faucetPay(alice.script, 10_000n);
    a.mine(2);
    const stale = a.tip.hashHex;
    a.reorg(1, { blocks: 2 });
    const pending = a.faucetPay(alice.script, 20_000n);
    a.setFeeEstimate(3, 12.5);
    a.setMockTime(1_700_000_123);
    a.addUtxo({ txid: 'ab'.repeat(32), vout: 1, script: alice.script, amount: 77_777n });
    const before = { tip: a.tip.hashHex, height: a.height, utxos: utxoSnapshot(a), mempool: a.mempool.entries().map((e) => e.info.txidHex) };
    a.close();

    const b = Regtest.open({ dataDir: dir, clock: () => 1_700_000_000 });
    expect(b.tip.hashHex).toBe(before.tip);
    expect(b.height).toBe(before.height);
    expect(utxoSnapshot(b)).toEqual(before.utxos);
    expect(b.mempool.entries().map((e) => e.info.txidHex)).toEqual(before.mempool);
    expect(b.mempool.get(pending)).toBeDefined();
    expect(b.blockByHash(stale)?.status).toBe('failed');
    expect(b.estimateSmartFee(3)).toEqual({ feeRate: 12_500n, blocks: 3 });
    expect(b.mockTime).toBe(1_700_000_123);
    expect(b.chain.looseCoins.size).toBe(1);
    // The restarted chain keeps working: new blocks never repeat an old one.
    const next = b.mine(1);
    expect(b.blockByHash(next[0]!)?.height).toBe(before.height + 1);
    b.reconsiderBlock(stale);
    b.close();
    const c = Regtest.open({ dataDir: dir });
    expect(c.blockByHash(stale)?.status).not.toBe('failed');
    c.close();
  });

  it('cuts a torn record off the end of the block file', () => {
    const dir = freshDir();
    const a = Regtest.open({ dataDir: dir });
    a.mine(5);
    const tip = a.tip.hashHex;
    a.close();
    const file = join(dir, 'blocks.dat');
    const size = statSync(file).size;
    appendFileSync(file, Uint8Array.of(0xff, 0x00, 0x00, 0x00, 1, 2, 3));
    const b = Regtest.open({ dataDir: dir });
    expect(b.tip.hashHex).toBe(tip);
    expect(statSync(file).size).toBe(size);
    b.close();
  });
});

describe('the server over a data directory', () => {
  it('writes the cookie in the data directory, serves the same chain after a restart, and removes the cookie on close', async () => {
    const dir = freshDir();
    const first = await startRegtest({ port: 0, dataDir: dir, initialBlocks: 3 });
    expect(first.cookiePath).toBe(join(dir, '.cookie'));
    expect(readFileSync(first.cookiePath!, 'utf8')).toMatch(/^__cookie__:[0-9a-f]{64}$/);
    const hash = await rpc<string>(first, 'getbestblockhash');
    await first.close();
    expect(existsSync(join(dir, '.cookie'))).toBe(false);
    const second = await startRegtest({ port: 0, dataDir: dir, initialBlocks: 3 });
    expect(await rpc(second, 'getbestblockhash')).toBe(hash);
    expect(await rpc(second, 'getblockcount')).toBe(3);
    await second.close();
  });

  it('takes fixed credentials instead of a cookie, and stops on the stop RPC', async () => {
    const chain = await startRegtest({ port: 0, rpcUser: 'alice', rpcPassword: 'secret' });
    expect(chain.cookiePath).toBeUndefined();
    expect(await rpc(chain, 'getblockcount')).toBe(0);
    expect(await rpc(chain, 'stop')).toBe('Bitcoin Core stopping');
    await new Promise((r) => setTimeout(r, 50));
    await expect(fetch(chain.rpcUrl, { method: 'POST', body: '{}' })).rejects.toThrow();
    await chain.close();
  });
});

describe('mining on a timer', () => {
  it('mines blocks by itself when asked to, and stops on close', async () => {
    const chain = await startRegtest({ port: 0, autoMineIntervalMs: 50 });
    const deadline = Date.now() + 20_000;
    while (chain.node.height < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(chain.node.height).toBeGreaterThanOrEqual(3);
    await chain.close();
    const height = chain.node.height;
    await new Promise((r) => setTimeout(r, 200));
    expect(chain.node.height).toBe(height);
  });
});
