import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { Confirm } from 'ln-chain-api';
import { type Tx, txidOf } from 'ln-tx';
import { type OutPoint, toHex } from 'ln-types';
import { ChainSourceError, EsploraClient, EsploraSyncClient } from '../src/index.js';
import { TestChain, P2WPKH, makeTx, randomOutPoint } from './helpers/chain.js';
import { FakeServer } from './helpers/fake-server.js';
import { RecordingConfirm } from './helpers/listeners.js';

let server: FakeServer;
let chain: TestChain;

beforeAll(async () => {
  chain = new TestChain();
  server = await FakeServer.start(chain);
});

afterAll(async () => {
  await server.close();
});

/** Transactions the listeners care about: watched ones, and spends of watched outputs. */
interface Scenario {
  readonly watchedTxs: Tx[];
  readonly watchedOutputs: { outpoint: OutPoint; script: Uint8Array }[];
  readonly spenders: Tx[];
}

function scenario(n: number): Scenario {
  const watchedTxs: Tx[] = [];
  const watchedOutputs: { outpoint: OutPoint; script: Uint8Array }[] = [];
  const spenders: Tx[] = [];
  for (let i = 0; i < n; i++) {
    const funding = makeTx({ inputs: [randomOutPoint()], outputs: [{ script: P2WPKH(i), amount: 100_000n }, { script: P2WPKH(100 + i), amount: 5_000n }], witness: i % 2 === 0 });
    watchedTxs.push(funding);
    const outpoint = { txid: txidOf(funding), index: 1 };
    watchedOutputs.push({ outpoint, script: P2WPKH(100 + i) });
    spenders.push(makeTx({ inputs: [randomOutPoint(), outpoint], outputs: [{ script: P2WPKH(200), amount: 4_000n }], witness: true }));
  }
  return { watchedTxs, watchedOutputs, spenders };
}

function client(s: Scenario, options: { timeoutMs?: number } = {}): EsploraSyncClient {
  const c = new EsploraSyncClient(new EsploraClient({ url: server.esploraUrl, timeoutMs: options.timeoutMs ?? 5000 }));
  for (const t of s.watchedTxs) c.registerTx(txidOf(t), t.outputs[0]!.script);
  for (const o of s.watchedOutputs) c.registerOutput({ outpoint: o.outpoint, scriptPubkey: o.script });
  return c;
}

/** What a fresh client and listener see of the chain now. */
async function freshView(s: Scenario): Promise<string[]> {
  const l = new RecordingConfirm();
  await client(s).sync([l]);
  expect(l.violations).toEqual([]);
  return l.view();
}

const idOf = (t: Tx): string => toHex(txidOf(t));

describe('EsploraSyncClient', () => {
  beforeEach(() => {
    server.intercept = undefined;
    chain.best = chain.best.slice(0, 1);
  });

  it('reports registered transactions and spends of registered outputs, proven, in block order, then the tip', async () => {
    const s = scenario(3);
    chain.mine(2);
    chain.mine(1, () => [s.watchedTxs[1]!, makeTx({ inputs: [randomOutPoint()], outputs: [{ script: P2WPKH(1), amount: 1n }] }), s.watchedTxs[0]!]);
    chain.mine(1, () => [s.spenders[0]!, s.watchedTxs[2]!]);
    chain.mine(2);
    const sync = client(s);
    const l = new RecordingConfirm();
    const result = await sync.sync([l]);
    expect(l.violations).toEqual([]);
    expect(result).toMatchObject({ confirmed: 4, unconfirmed: 0, tip: { height: chain.tip.height } });
    expect(l.events).toEqual([`confirmed 3 ${txHex(s.watchedTxs[1]!)}`, `confirmed 3 ${txHex(s.watchedTxs[0]!)}`, `confirmed 4 ${txHex(s.spenders[0]!)}`, `confirmed 4 ${txHex(s.watchedTxs[2]!)}`, `tip ${chain.tip.height}`]);
    expect(sync.watchedCount).toEqual({ transactions: 0, outputs: 2 });
    // Nothing moved: nothing called.
    l.events.length = 0;
    await sync.sync([l]);
    expect(l.events).toEqual([]);
    // A new block: only the tip.
    chain.mine(1);
    await sync.sync([l]);
    expect(l.events).toEqual([`tip ${chain.tip.height}`]);
  });

  for (const depth of [1, 3, 10]) {
    it(`a ${depth}-block reorg: unconfirmed first, then the new confirmations, then the tip; the view equals a fresh sync`, async () => {
      const s = scenario(4);
      chain.mine(12);
      const top = chain.tip.height;
      // Everything confirms in the blocks the reorg will replace.
      chain.best = chain.best.slice(0, top - depth + 1);
      chain.mine(depth, (h) => [...(h === top - depth + 1 ? [...s.watchedTxs, s.spenders[0]!] : []), ...(h === top ? [s.spenders[1]!] : [])]);
      const sync = client(s);
      const l = new RecordingConfirm();
      await sync.sync([l]);
      expect(l.confirmed.size).toBe(6);
      l.events.length = 0;
      // The new branch confirms some again at other heights, drops one spend, adds another.
      chain.reorg(depth, depth + 1, (h) => (h === top ? [s.watchedTxs[0]!, s.watchedTxs[1]!] : h === top + 1 ? [s.watchedTxs[2]!, s.watchedTxs[3]!, s.spenders[2]!] : []));
      const result = await sync.sync([l]);
      expect(l.violations).toEqual([]);
      expect(result.unconfirmed).toBe(6);
      const firstConfirm = l.events.findIndex((e) => e.startsWith('confirmed'));
      expect(l.events.slice(0, firstConfirm).every((e) => e.startsWith('unconfirmed'))).toBe(true);
      expect(firstConfirm).toBe(6);
      expect(l.events.at(-1)).toBe(`tip ${chain.tip.height}`);
      expect(l.view()).toEqual(await freshView(s));
      expect(l.confirmed.size).toBe(5);
      // The spend that left the chain is watched again: it confirms later.
      chain.mine(1, () => [s.spenders[1]!]);
      await sync.sync([l]);
      expect(l.view()).toEqual(await freshView(s));
      expect(l.confirmed.has(idOf(s.spenders[1]!))).toBe(true);
    });
  }

  it('server down mid-sync: typed error, then the next sync completes without double reports', async () => {
    const s = scenario(3);
    chain.mine(3, (h) => (h === 2 ? [s.watchedTxs[0]!] : h === 3 ? [s.watchedTxs[1]!, s.spenders[0]!] : []));
    const sync = client(s);
    const l = new RecordingConfirm();
    let n = 0;
    server.intercept = () => (++n > 6 ? { destroy: true } : undefined);
    await expect(sync.sync([l])).rejects.toMatchObject({ code: 'unreachable' });
    server.intercept = undefined;
    await sync.sync([l]);
    expect(l.violations).toEqual([]);
    expect(l.view()).toEqual(await freshView(s));
    chain.reorg(2);
    n = 0;
    server.intercept = () => (++n > 3 ? { status: 502, body: 'bad gateway' } : undefined);
    await expect(sync.sync([l])).rejects.toMatchObject({ code: 'http_status' });
    server.intercept = undefined;
    await sync.sync([l]);
    expect(l.violations).toEqual([]);
    expect(l.view()).toEqual(await freshView(s));
  });

  it('a merkle proof that does not match: invalid_data, nothing reported', async () => {
    const s = scenario(1);
    chain.mine(2, (h) => (h === 2 ? [s.watchedTxs[0]!] : []));
    const sync = client(s);
    const l = new RecordingConfirm();
    server.intercept = (r) => (r.path.endsWith('/merkle-proof') ? { status: 200, body: JSON.stringify({ block_height: 2, merkle: ['ab'.repeat(32)], pos: 1 }) } : undefined);
    await expect(sync.sync([l])).rejects.toMatchObject({ code: 'invalid_data' });
    expect(l.events).toEqual([]);
    server.intercept = undefined;
    await sync.sync([l]);
    expect(l.confirmed.size).toBe(1);
  });

  it('an outspend naming a transaction that does not spend the output: invalid_data', async () => {
    const s = scenario(1);
    const other = makeTx({ inputs: [randomOutPoint()], outputs: [{ script: P2WPKH(3), amount: 1n }] });
    chain.mine(2, (h) => (h === 2 ? [other] : []));
    const sync = client(s);
    server.intercept = (r) => (r.path.includes('/outspend/') ? { status: 200, body: JSON.stringify({ spent: true, txid: txHex(other), vin: 0, status: { confirmed: true, block_height: 2, block_hash: toHex(chain.tip.hash.slice().reverse()) } }) } : undefined);
    await expect(sync.sync([new RecordingConfirm()])).rejects.toMatchObject({ code: 'invalid_data' });
  });

  it('outputs registered while a confirmation is handled are checked in the same sync', async () => {
    const s = scenario(2);
    chain.mine(3, (h) => (h === 2 ? [s.watchedTxs[0]!] : h === 3 ? [s.spenders[0]!] : []));
    const sync = new EsploraSyncClient(new EsploraClient({ url: server.esploraUrl }));
    sync.registerTx(txidOf(s.watchedTxs[0]!), P2WPKH(0));
    const l = new RecordingConfirm();
    const registering: Confirm = {
      transactionsConfirmed: (header, txs, height) => {
        l.transactionsConfirmed(header, txs, height);
        for (const t of txs) if (toHex(t.txid) === idOf(s.watchedTxs[0]!)) sync.registerOutput({ outpoint: s.watchedOutputs[0]!.outpoint, scriptPubkey: s.watchedOutputs[0]!.script });
      },
      transactionUnconfirmed: (t) => l.transactionUnconfirmed(t),
      bestBlockUpdated: (h, n) => l.bestBlockUpdated(h, n),
      getRelevantTxids: () => l.getRelevantTxids(),
    };
    await sync.sync([registering]);
    expect(l.confirmed.has(idOf(s.spenders[0]!))).toBe(true);
    expect(l.events.at(-1)).toBe(`tip 3`);
  });

  it('a listener that throws: listener_failed; the next sync reports again', async () => {
    const s = scenario(1);
    chain.mine(2, (h) => (h === 1 ? [s.watchedTxs[0]!] : []));
    const sync = client(s);
    const l = new RecordingConfirm();
    let fail = true;
    const flaky: Confirm = {
      transactionsConfirmed: (h, t, n) => {
        if (fail) {
          fail = false;
          throw new Error('disk full');
        }
        l.transactionsConfirmed(h, t, n);
      },
      transactionUnconfirmed: (t) => l.transactionUnconfirmed(t),
      bestBlockUpdated: (h, n) => l.bestBlockUpdated(h, n),
      getRelevantTxids: () => l.getRelevantTxids(),
    };
    await expect(sync.sync([flaky])).rejects.toMatchObject({ code: 'listener_failed' });
    await sync.sync([flaky]);
    expect(l.confirmed.size).toBe(1);
    expect(l.tip?.height).toBe(2);
  });

  it('property: random mine / reorg / sync / failure sequences end equal to a fresh sync', async () => {
    const step = fc.oneof(
      fc.record({ kind: fc.constant('mine' as const), n: fc.integer({ min: 1, max: 2 }), pick: fc.array(fc.nat(7), { maxLength: 3 }) }),
      fc.record({ kind: fc.constant('reorg' as const), depth: fc.integer({ min: 1, max: 4 }), pick: fc.array(fc.nat(7), { maxLength: 4 }) }),
      fc.record({ kind: fc.constant('sync' as const) }),
      fc.record({ kind: fc.constant('failingSync' as const), after: fc.integer({ min: 0, max: 10 }) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 12 }), async (steps) => {
        chain.best = chain.best.slice(0, 1);
        for (const [k, b] of chain.byHash) if (b.height > 0) chain.byHash.delete(k);
        server.intercept = undefined;
        const s = scenario(4);
        // Eight candidates: four watched transactions, four spends of watched outputs.
        const candidates = [...s.watchedTxs, ...s.spenders];
        const txsFor = (pick: number[]) => {
          const onChain = new Set(chain.best.flatMap((b) => b.block.transactions.map((t) => toHex(t.txid))));
          const chosen = [...new Set(pick)].map((i) => candidates[i]!).filter((t) => !onChain.has(idOf(t)));
          return chosen;
        };
        const sync = client(s);
        const l = new RecordingConfirm();
        chain.mine(2);
        for (const st of steps) {
          if (st.kind === 'mine') {
            const txs = txsFor(st.pick);
            chain.mine(st.n, (h) => (h === chain.tip.height + 1 ? txs : []));
          } else if (st.kind === 'reorg') {
            const depth = Math.min(st.depth, chain.tip.height);
            chain.best = chain.best.slice(0, chain.best.length - depth);
            const txs = txsFor(st.pick);
            chain.mine(depth + 1, (h) => (h === chain.tip.height + 1 ? txs : []));
          } else if (st.kind === 'sync') {
            await sync.sync([l]);
          } else {
            let n = 0;
            server.intercept = () => (++n > st.after ? { status: 503, body: 'down' } : undefined);
            await sync.sync([l]).catch((e: unknown) => {
              if (!(e instanceof ChainSourceError)) throw e;
            });
            server.intercept = undefined;
          }
        }
        await sync.sync([l]);
        expect(l.violations).toEqual([]);
        expect(l.view()).toEqual(await freshView(s));
        expect(l.tip?.height).toBe(chain.tip.height);
      }),
      { numRuns: Number(process.env.LN_PROPERTY_RUNS ?? (process.env.LN_LONG_TESTS === '1' ? 500 : 40)) },
    );
  }, 1_200_000);
});

function txHex(t: Tx): string {
  return toHex(txidOf(t).slice().reverse());
}
