// The sync drivers against the ln-regtest chain over real HTTP: reorgs of 1, 3
// and 10 blocks while listeners are connected, and the server going down
// mid-sync and coming back.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BlockSource } from 'ln-chain-api';
import { startRegtest, type RunningRegtest } from 'ln-regtest';
import { txidOf } from 'ln-tx';
import { type BlockHash, blockHashFromHex, toHex, txidFromHex, txidToHex } from 'ln-types';
import { BitcoindRestClient, BitcoindRpcClient, BlockSync, ChainSourceError, EsploraClient, EsploraSyncClient } from '../src/index.js';
import { RecordingConfirm, RecordingListener } from './helpers/listeners.js';
import { KeyWallet, findOutput } from './helpers/wallet.js';

const alice = new KeyWallet('sync alice');
const bob = new KeyWallet('sync bob');

function bestChain(rt: RunningRegtest): BlockHash[] {
  const out: BlockHash[] = [];
  for (let h = 0; h <= rt.node.height; h++) out.push(blockHashFromHex(rt.node.chain.atHeight(h)!.hashHex));
  return out;
}

function sources(rt: RunningRegtest): Record<'rpc' | 'rest' | 'esplora', BlockSource> {
  return {
    rpc: new BitcoindRpcClient({ url: rt.rpcUrl, auth: rt.credentials }),
    rest: new BitcoindRestClient({ url: rt.rpcUrl }),
    esplora: new EsploraClient({ url: rt.esploraUrl }),
  };
}

describe('BlockSync against ln-regtest', () => {
  let rt: RunningRegtest;

  beforeAll(async () => {
    rt = await startRegtest({ port: 0 });
    rt.mine(110);
  });

  afterAll(async () => {
    await rt.close();
  });

  for (const depth of [1, 3, 10]) {
    it(`a ${depth}-block reorg with listeners on RPC, REST and Esplora: disconnects tip first before the new blocks; each ends equal to a fresh sync`, async () => {
      const all = sources(rt);
      const drivers = (['rpc', 'rest', 'esplora'] as const).map((kind) => {
        const listener = new RecordingListener(bestChain(rt).slice(0, rt.node.height - 20 + 1));
        const sync = new BlockSync(all[kind], { network: 'regtest' });
        sync.addListener(listener, listener.best);
        return { kind, listener, sync };
      });
      // Transactions in the blocks the reorg replaces (they go back to the mempool and into the new branch).
      rt.faucet(alice.script, 50_000n + BigInt(depth));
      rt.mine(depth);
      for (const d of drivers) await d.sync.poll();
      const staleTip = rt.node.height;
      for (const d of drivers) d.listener.events.length = 0;
      rt.reorg(depth, { blocks: depth + 1 });
      for (const d of drivers) {
        const result = await d.sync.poll();
        expect(d.listener.violations).toEqual([]);
        expect(result).toMatchObject({ blocksDisconnected: depth, blocksConnected: depth + 1 });
        expect(d.listener.events.map((e) => e.kind)).toEqual([...Array<string>(depth).fill('disconnected'), ...Array<string>(depth + 1).fill('connected')]);
        expect(d.listener.events.slice(0, depth).map((e) => e.height)).toEqual(Array.from({ length: depth }, (_, i) => staleTip - i));
        // A fresh listener from well below the fork point.
        const fresh = new RecordingListener(bestChain(rt).slice(0, rt.node.height - 30 + 1));
        const freshSync = new BlockSync(all[d.kind], { network: 'regtest' });
        freshSync.addListener(fresh, fresh.best);
        await freshSync.poll();
        expect(d.listener.view()).toEqual(fresh.view());
        expect(d.listener.view()).toEqual(bestChain(rt).map((h) => toHex(h.slice().reverse())));
      }
    });
  }

  it('invalidateblock without a longer branch: the weaker tip is ignored until the chain has more work', async () => {
    const rpc = new BitcoindRpcClient({ url: rt.rpcUrl, auth: rt.credentials });
    const listener = new RecordingListener(bestChain(rt));
    const sync = new BlockSync(rpc, { network: 'regtest' });
    sync.addListener(listener, listener.best);
    await sync.poll();
    const tip = rt.node.tip.hashHex;
    await rpc.call('invalidateblock', [rt.node.chain.atHeight(rt.node.height - 1)!.hashHex]);
    const r = await sync.poll();
    expect(r.ignoredTip).toBeDefined();
    expect(listener.events).toEqual([]);
    rt.mine(3);
    await sync.poll();
    expect(listener.violations).toEqual([]);
    expect(listener.events.filter((e) => e.kind === 'disconnected').map((e) => e.hash)[0]).toBe(tip);
    expect(listener.view()).toEqual(bestChain(rt).map((h) => toHex(h.slice().reverse())));
  });
});

describe('the regtest server going down mid-sync', () => {
  it('the poll fails typed; after a restart on the same data the next poll goes on; no block twice or missed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ln-chain-source-down-'));
    let rt = await startRegtest({ port: 0, dataDir: dir, rpcUser: 'u', rpcPassword: 'p' });
    try {
      rt.mine(150);
      const port = rt.port;
      const rpc = new BitcoindRpcClient({ url: rt.rpcUrl, auth: { user: 'u', password: 'p' }, timeoutMs: 5000 });
      const listener = new RecordingListener(bestChain(rt).slice(0, 1));
      const sync = new BlockSync(rpc, { network: 'regtest', prefetchBlocks: 0 });
      sync.addListener(listener, listener.best);
      // At block 60 the listener holds the driver until the server is gone.
      let serverGone: () => void = () => {};
      const gone = new Promise<void>((resolve) => (serverGone = resolve));
      const seen = new Promise<void>((resolve) => {
        const inner = listener.blockConnected.bind(listener);
        listener.blockConnected = (block, height) => {
          inner(block, height);
          if (height !== 60) return;
          resolve();
          return gone;
        };
      });
      const polling = sync.poll();
      await seen;
      await rt.close();
      serverGone();
      const error = await polling.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ChainSourceError);
      expect(['unreachable', 'timeout']).toContain((error as ChainSourceError).code);
      const reached = listener.chain.length - 1;
      expect(reached).toBe(60);
      await expect(sync.poll()).rejects.toMatchObject({ code: 'unreachable' });
      rt = await startRegtest({ port, dataDir: dir, rpcUser: 'u', rpcPassword: 'p' });
      rt.mine(2);
      await sync.poll();
      expect(listener.violations).toEqual([]);
      expect(listener.view()).toEqual(bestChain(rt).map((h) => toHex(h.slice().reverse())));
      const connected = listener.events.filter((e) => e.kind === 'connected').map((e) => e.height);
      expect(connected).toEqual(Array.from({ length: rt.node.height }, (_, i) => i + 1));
    } finally {
      await rt.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('EsploraSyncClient against ln-regtest', () => {
  let rt: RunningRegtest;

  beforeAll(async () => {
    rt = await startRegtest({ port: 0 });
    rt.mine(101);
  });

  afterAll(async () => {
    await rt.close();
  });

  for (const depth of [1, 3, 10]) {
    it(`a ${depth}-block reorg: unconfirmed first, then the new confirmations, then the tip; equal to a fresh sync`, async () => {
      const esplora = new EsploraClient({ url: rt.esploraUrl });
      // A funding transaction and the spend of its output, both in blocks the reorg replaces.
      const fundingId = rt.faucet(alice.script, 200_000n, { confirm: true });
      const funding = findOutput(await esplora.getTransaction(txidFromHex(fundingId)).then((t) => t.raw), alice.script);
      const spend = alice.spend([funding], [{ script: bob.script, amount: funding.amount - 1_000n }]);
      await esplora.broadcastTransaction(spend.raw);
      rt.mine(1);
      if (depth > 2) rt.mine(depth - 2);
      const register = (c: EsploraSyncClient) => {
        c.registerTx(funding.outpoint.txid, alice.script);
        c.registerOutput({ outpoint: funding.outpoint, scriptPubkey: alice.script });
      };
      const client = new EsploraSyncClient(esplora);
      register(client);
      const l = new RecordingConfirm();
      await client.sync([l]);
      expect(l.confirmed.size).toBe(2);
      l.events.length = 0;
      // The reorg sends both back to the mempool; the new branch confirms them again.
      rt.reorg(depth, { blocks: depth + 1 });
      const result = await client.sync([l]);
      expect(l.violations).toEqual([]);
      const unconfirmedAt = l.events.filter((e) => e.startsWith('unconfirmed')).length;
      expect(unconfirmedAt).toBe(result.unconfirmed);
      expect(l.events.slice(0, unconfirmedAt).every((e) => e.startsWith('unconfirmed'))).toBe(true);
      expect(l.events.at(-1)).toBe(`tip ${rt.node.height}`);
      expect(result.unconfirmed).toBe(depth === 1 ? 1 : 2);
      const fresh = new RecordingConfirm();
      const freshClient = new EsploraSyncClient(esplora);
      register(freshClient);
      await freshClient.sync([fresh]);
      expect(l.view()).toEqual(fresh.view());
      expect(l.confirmed.has(toHex(txidOf(spend.tx)))).toBe(true);
      expect(txidToHex(funding.outpoint.txid)).toBe(fundingId);
    });
  }
});

