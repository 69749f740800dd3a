import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { BlockSource } from 'ln-chain-api';
import { blockHeaderHash } from 'ln-tx';
import { blockHash, blockHashToHex } from 'ln-types';
import { BitcoindRestClient, BitcoindRpcClient, BlockSync, ChainSourceError, EsploraClient } from '../src/index.js';
import { TestChain, P2WPKH, makeTx, mineBlock, randomOutPoint } from './helpers/chain.js';
import { FakeServer } from './helpers/fake-server.js';
import { AsyncRecordingListener, MemorySource, RecordingListener, prefix } from './helpers/listeners.js';

const someTxs = (height: number) => (height % 2 === 0 ? [makeTx({ inputs: [randomOutPoint()], outputs: [{ script: P2WPKH(height & 0xff), amount: BigInt(height) }], witness: true })] : []);

type Kind = 'rpc' | 'rest' | 'esplora';
const clientFor = (kind: Kind, server: FakeServer): BlockSource =>
  kind === 'rpc' ? new BitcoindRpcClient({ url: server.url, timeoutMs: 5000 }) : kind === 'rest' ? new BitcoindRestClient({ url: server.url, timeoutMs: 5000 }) : new EsploraClient({ url: server.esploraUrl, timeoutMs: 5000 });

/** The view a listener started at genesis reaches in one poll of a fresh driver. */
async function freshView(source: BlockSource, chain: TestChain): Promise<string[]> {
  const l = new RecordingListener(prefix(chain, 0));
  const sync = new BlockSync(source, { network: 'regtest' });
  sync.addListener(l, l.best);
  await sync.poll();
  expect(l.violations).toEqual([]);
  return l.view();
}

describe.each(['rpc', 'rest', 'esplora'] as const)('reorgs over %s', (kind) => {
  let chain: TestChain;
  let server: FakeServer;
  let source: BlockSource;

  beforeAll(async () => {
    chain = new TestChain();
    chain.mine(20, someTxs);
    server = await FakeServer.start(chain);
    source = clientFor(kind, server);
  });

  afterAll(async () => {
    await server.close();
  });

  for (const depth of [1, 3, 10]) {
    it(`a ${depth}-block reorg: every stale block disconnected, tip first, before the new chain; the view equals a fresh sync`, async () => {
      const listener = new RecordingListener(prefix(chain, 0));
      const sync = new BlockSync(source, { network: 'regtest' });
      sync.addListener(listener, listener.best);
      await sync.poll();
      const staleTip = chain.tip.height;
      listener.events.length = 0;
      chain.reorg(depth, depth + 1, someTxs);
      const result = await sync.poll();
      expect(listener.violations).toEqual([]);
      expect(result).toMatchObject({ blocksDisconnected: depth, blocksConnected: depth + 1, tip: { height: chain.tip.height } });
      const kinds = listener.events.map((e) => e.kind);
      expect(kinds).toEqual([...Array<string>(depth).fill('disconnected'), ...Array<string>(depth + 1).fill('connected')]);
      expect(listener.events.slice(0, depth).map((e) => e.height)).toEqual(Array.from({ length: depth }, (_, i) => staleTip - i));
      expect(listener.view()).toEqual(await freshView(source, chain));
      expect(listener.view()).toEqual(chain.best.map((b) => blockHashToHex(b.hash)));
      // Nothing new: nothing happens.
      expect(await sync.poll()).toMatchObject({ blocksConnected: 0, blocksDisconnected: 0 });
    });
  }

  it('listeners saved at different points (one on a stale branch) are each brought to the tip, blocks fetched once', async () => {
    const behind = new RecordingListener(prefix(chain, 5));
    const staleView = prefix(chain, chain.tip.height);
    chain.reorg(2, 4, someTxs);
    const atTip = new RecordingListener(prefix(chain, chain.tip.height - 1));
    const onStale = new AsyncRecordingListener(staleView);
    const genesis = new RecordingListener(prefix(chain, 0));
    const sync = new BlockSync(source, { network: 'regtest' });
    // Esplora serves no block off its best chain: a listener saved on one cannot be walked back from it.
    const listeners = kind === 'esplora' ? [behind, atTip, genesis] : [behind, atTip, onStale, genesis];
    if (kind === 'esplora') {
      const lost = new BlockSync(source, { network: 'regtest' });
      lost.addListener(onStale, onStale.best);
      await expect(lost.poll()).rejects.toMatchObject({ code: 'not_found' });
      expect(onStale.events).toEqual([]);
    }
    for (const l of listeners) sync.addListener(l, l.best);
    const before = server.log.length;
    await sync.poll();
    const blockFetches = server.log.slice(before).filter((r) => r.path.endsWith('.bin') || r.path.endsWith('/raw') || r.rpcMethods.includes('getblock')).length;
    expect(blockFetches).toBe(chain.tip.height);
    const fresh = await freshView(source, chain);
    for (const l of listeners) {
      expect(l.violations).toEqual([]);
      expect(l.view()).toEqual(fresh);
    }
    if (kind !== 'esplora') expect(onStale.events.filter((e) => e.kind === 'disconnected')).toHaveLength(2);
  });
});

describe('catching up with headers fetched forward (HeaderRangeSource)', () => {
  let chain: TestChain;
  let server: FakeServer;

  beforeAll(async () => {
    chain = new TestChain();
    chain.mine(120, someTxs);
    server = await FakeServer.start(chain);
  });

  afterAll(async () => {
    await server.close();
  });

  it.each(['rpc', 'rest', 'esplora'] as const)('%s: 100 blocks behind costs a few header requests, not one per block', async (kind) => {
    const source = clientFor(kind, server);
    const listener = new RecordingListener(prefix(chain, 20));
    const sync = new BlockSync(source, { network: 'regtest' });
    sync.addListener(listener, listener.best);
    const before = server.log.length;
    await sync.poll();
    const headerRequests = server.log.slice(before).filter((r) => r.path.startsWith('/rest/headers/') || r.path.startsWith('/esplora/blocks/') || r.rpcMethods.includes('getblockheader') || r.rpcMethods.includes('getblockhash')).length;
    expect(headerRequests).toBeLessThanOrEqual(kind === 'esplora' ? 14 : 4);
    expect(listener.violations).toEqual([]);
    expect(listener.view()).toEqual(chain.best.map((b) => blockHashToHex(b.hash)));
  });

  it.each(['rpc', 'rest'] as const)('%s: a listener far behind on a stale branch falls back to walking back', async (kind) => {
    const local = new TestChain();
    local.mine(40, someTxs);
    const staleView = prefix(local, 22);
    local.best = local.best.slice(0, 21);
    local.mine(30, someTxs);
    const s = await FakeServer.start(local);
    try {
      const listener = new RecordingListener(staleView);
      const sync = new BlockSync(clientFor(kind, s), { network: 'regtest' });
      sync.addListener(listener, listener.best);
      const r = await sync.poll();
      expect(r).toMatchObject({ blocksDisconnected: 2, blocksConnected: 30 });
      expect(listener.violations).toEqual([]);
      expect(listener.view()).toEqual(local.best.map((b) => blockHashToHex(b.hash)));
    } finally {
      await s.close();
    }
  });

  it('headers that do not link: walk back instead; headers without proof of work: invalid_data', async () => {
    const local = new TestChain();
    local.mine(60);
    const base = new MemorySource(local);
    let mode: 'shuffle' | 'weak' | 'ok' = 'shuffle';
    const ranged = Object.assign(base, {
      async getHeadersAfter(_hash: Uint8Array, height: number, count: number) {
        const list = local.best.slice(height + 1, height + 1 + count).map((b) => ({ header: b.block.header, hash: b.hash, height: b.height }));
        if (mode === 'shuffle') return list.reverse();
        if (mode === 'weak') return list.map((h, i) => (i === 3 ? { ...h, header: { ...h.header, bits: 0x1d00ffff } } : h));
        return list;
      },
    });
    const listener = new RecordingListener(prefix(local, 0));
    const sync = new BlockSync(ranged, { network: 'regtest' });
    sync.addListener(listener, listener.best);
    await sync.poll();
    expect(listener.view()).toEqual(local.best.map((b) => blockHashToHex(b.hash)));
    local.mine(30);
    mode = 'weak';
    await expect(sync.poll()).rejects.toMatchObject({ code: 'invalid_data' });
    mode = 'ok';
    await sync.poll();
    expect(listener.violations).toEqual([]);
    expect(listener.view()).toEqual(local.best.map((b) => blockHashToHex(b.hash)));
  });
});

describe('failures', () => {
  let chain: TestChain;
  let server: FakeServer;

  beforeAll(async () => {
    chain = new TestChain();
    chain.mine(12, someTxs);
    server = await FakeServer.start(chain);
  });

  afterAll(async () => {
    await server.close();
  });

  it('server down mid-sync: the poll fails typed, the listener keeps its place, the next poll goes on; no block twice or missed', async () => {
    const source = new BitcoindRpcClient({ url: server.url, timeoutMs: 5000 });
    const listener = new RecordingListener(prefix(chain, 0));
    const sync = new BlockSync(source, { network: 'regtest', prefetchBlocks: 0 });
    sync.addListener(listener, listener.best);
    let blocks = 0;
    server.intercept = (r) => (r.rpcMethods.includes('getblock') && ++blocks > 5 ? { destroy: true } : undefined);
    await expect(sync.poll()).rejects.toMatchObject({ code: 'unreachable' });
    expect(listener.chain.length - 1).toBe(5);
    expect(sync.bestBlockOf(listener)!.height).toBe(5);
    expect(sync.tip).toBeUndefined();
    // Down while a reorg is half done.
    server.intercept = undefined;
    await sync.poll();
    chain.reorg(4, 5, someTxs);
    blocks = 0;
    server.intercept = (r) => (r.rpcMethods.includes('getblock') && ++blocks > 2 ? { status: 503, body: 'down' } : undefined);
    await expect(sync.poll()).rejects.toMatchObject({ code: 'http_status' });
    expect(listener.violations).toEqual([]);
    server.intercept = undefined;
    await sync.poll();
    expect(listener.violations).toEqual([]);
    expect(listener.view()).toEqual(await freshView(source, chain));
    const connected = listener.events.filter((e) => e.kind === 'connected').map((e) => e.hash);
    expect(new Set(connected).size).toBe(connected.length);
  });

  it('a server answering the tip but down for headers changes nothing', async () => {
    const source = new BitcoindRpcClient({ url: server.url, timeoutMs: 5000 });
    const listener = new RecordingListener(prefix(chain, 0));
    const sync = new BlockSync(source, { network: 'regtest' });
    sync.addListener(listener, listener.best);
    server.intercept = (r) => (r.rpcMethods.includes('getblockheader') ? { status: 200, body: 'garbage' } : undefined);
    await expect(sync.poll()).rejects.toMatchObject({ code: 'bad_json' });
    expect(listener.events).toEqual([]);
    server.intercept = undefined;
    await sync.poll();
    expect(listener.view()).toEqual(await freshView(source, chain));
  });

  it('never connects a block whose header lacks proof of work, does not link, or sits at the wrong height', async () => {
    const local = new TestChain();
    local.mine(6);
    const source = new MemorySource(local);
    const listener = new RecordingListener(prefix(local, 0));
    const sync = new BlockSync(source, { network: 'regtest' });
    sync.addListener(listener, listener.best);
    await sync.poll();
    const good = listener.view();

    // A tip whose header does not meet its target.
    const weak = mineBlock(local.tip.hash, local.tip.height + 1, [], 5);
    let header = weak.block.header;
    while (blockHeaderHash(header)[31]! < 0x80) header = { ...header, nonce: header.nonce + 1 };
    const badHash = blockHeaderHash(header);
    local.byHash.set(Buffer.from(badHash).toString('hex'), { ...local.tip, block: { ...weak.block, header, hash: badHash }, hash: badHash, height: local.tip.height + 1 });
    local.best.push(local.byHash.get(Buffer.from(badHash).toString('hex'))!);
    await expect(sync.poll()).rejects.toMatchObject({ code: 'invalid_data', message: expect.stringMatching(/proof of work/) });
    local.best.pop();

    // A header claiming a parent it does not name.
    local.mine(1);
    source.mangleHeader = (h) => (h.height === local.tip.height ? { ...h, header: { ...h.header, prevBlockHash: local.best[2]!.hash } } : h);
    await expect(sync.poll()).rejects.toMatchObject({ code: 'invalid_data' });
    // A header at another height than its place in the chain.
    source.mangleHeader = (h) => (h.height === local.tip.height ? { ...h, height: h.height + 3 } : h);
    await expect(sync.poll()).rejects.toMatchObject({ code: 'invalid_data' });
    // A different difficulty on regtest.
    source.mangleHeader = undefined;
    const easier = mineBlock(local.tip.hash, local.tip.height + 1, [], 9);
    let h2 = { ...easier.block.header, bits: 0x207ffffe };
    while (blockHeaderHash(h2)[31]! > 0x7f) h2 = { ...h2, nonce: h2.nonce + 1 };
    source.mangleHeader = (h) => (h.height === local.tip.height ? { header: h2, hash: blockHeaderHash(h2), height: h.height } : h);
    await expect(sync.poll()).rejects.toMatchObject({ code: 'invalid_data' });
    // A block that is not its header's.
    source.mangleHeader = undefined;
    source.mangleBlock = (b) => (b.hash[0] === local.tip.hash[0] ? local.best[1]!.block : b);
    await expect(sync.poll()).rejects.toMatchObject({ code: 'invalid_data' });
    expect(listener.view()).toEqual(good);
    source.mangleBlock = undefined;
    await sync.poll();
    expect(listener.violations).toEqual([]);
    expect(listener.view()).toEqual(prefix(local, local.tip.height).map(blockHashToHex));
  });

  it('a tip with less work is ignored unless followLessWork', async () => {
    const local = new TestChain();
    local.mine(8);
    const source = new MemorySource(local);
    const strict = new RecordingListener(prefix(local, 0));
    const loose = new RecordingListener(prefix(local, 0));
    const s1 = new BlockSync(source, { network: 'regtest' });
    const s2 = new BlockSync(source, { network: 'regtest', followLessWork: true });
    s1.addListener(strict, strict.best);
    s2.addListener(loose, loose.best);
    await s1.poll();
    await s2.poll();
    local.reorg(3, 2);
    const r1 = await s1.poll();
    expect(r1.ignoredTip?.height).toBe(7);
    expect(strict.chain.length).toBe(9);
    const r2 = await s2.poll();
    expect(r2).toMatchObject({ blocksDisconnected: 3, blocksConnected: 2 });
    // Once that branch has more work, the strict one follows it too.
    local.mine(2);
    await s1.poll();
    await s2.poll();
    expect(strict.view()).toEqual(loose.view());
    expect(strict.violations.concat(loose.violations)).toEqual([]);
  });

  it('a listener ahead of a source that fell behind keeps its blocks until the source passes it', async () => {
    const local = new TestChain();
    local.mine(10);
    const ahead = new RecordingListener(prefix(local, 10));
    local.best = local.best.slice(0, 8); // the source only knows up to height 7...
    const source = new MemorySource(local);
    const sync = new BlockSync(source, { network: 'regtest' });
    sync.addListener(ahead, ahead.best);
    const r = await sync.poll();
    expect(r.ignoredTip?.height).toBe(7);
    expect(ahead.events).toEqual([]);
    // ...then catches up on the same chain and goes past it.
    for (const h of ahead.chain.slice(8)) local.best.push(local.get(h)!);
    local.mine(2);
    await sync.poll();
    expect(ahead.violations).toEqual([]);
    expect(ahead.events.map((e) => e.kind)).toEqual(['connected', 'connected']);
    expect(ahead.view()).toEqual(local.best.map((b) => blockHashToHex(b.hash)));
  });

  it('a listener that throws: listener_failed, and it gets the same block again next time, once', async () => {
    const local = new TestChain();
    local.mine(5);
    const listener = new RecordingListener(prefix(local, 0));
    const other = new RecordingListener(prefix(local, 0));
    const sync = new BlockSync(new MemorySource(local), { network: 'regtest' });
    sync.addListener(listener, listener.best);
    sync.addListener(other, other.best);
    listener.failAtHeight = 3;
    await expect(sync.poll()).rejects.toMatchObject({ code: 'listener_failed' });
    expect(listener.chain.length - 1).toBe(2);
    await sync.poll();
    expect(listener.violations.concat(other.violations)).toEqual([]);
    expect(listener.view()).toEqual(other.view());
    expect(listener.events.filter((e) => e.kind === 'connected')).toHaveLength(5);
  });

  it('a fork deeper than maxWalkBack: fork_too_deep, nothing called', async () => {
    const local = new TestChain();
    local.mine(30);
    const listener = new RecordingListener(prefix(local, 0));
    const sync = new BlockSync(new MemorySource(local), { maxWalkBack: 10 });
    sync.addListener(listener, listener.best);
    await expect(sync.poll()).rejects.toMatchObject({ code: 'fork_too_deep' });
    expect(listener.events).toEqual([]);
  });

  it('a listener saved on a block the source does not know: not_found, retried each poll', async () => {
    const local = new TestChain();
    local.mine(3);
    const listener = new RecordingListener([blockHash(new Uint8Array(32).fill(7))]);
    const sync = new BlockSync(new MemorySource(local));
    sync.addListener(listener, listener.best);
    await expect(sync.poll()).rejects.toBeInstanceOf(ChainSourceError);
    expect(() => sync.addListener(listener, listener.best)).toThrow(RangeError);
    sync.removeListener(listener);
    expect((await sync.poll()).tip.height).toBe(3);
  });

  it('concurrent polls share one run', async () => {
    const local = new TestChain();
    local.mine(4);
    const listener = new RecordingListener(prefix(local, 0));
    const sync = new BlockSync(new MemorySource(local));
    sync.addListener(listener, listener.best);
    const [a, b] = await Promise.all([sync.poll(), sync.poll()]);
    expect(a).toBe(b);
    expect(listener.events).toHaveLength(4);
  });
});

describe('property: random mine / reorg / poll / source failure sequences', () => {
  const step = fc.oneof(
    fc.record({ kind: fc.constant('mine' as const), n: fc.integer({ min: 1, max: 3 }) }),
    fc.record({ kind: fc.constant('reorg' as const), depth: fc.integer({ min: 1, max: 6 }), extra: fc.integer({ min: 0, max: 2 }) }),
    fc.record({ kind: fc.constant('poll' as const) }),
    fc.record({ kind: fc.constant('failingPoll' as const), after: fc.integer({ min: 0, max: 12 }) }),
  );

  it('listeners only ever see consistent chains and end equal to a fresh sync', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 25 }), fc.integer({ min: 0, max: 3 }), fc.boolean(), async (steps, cache, followLessWork) => {
        const chain = new TestChain();
        chain.mine(3);
        const source = new MemorySource(chain);
        const a = new RecordingListener(prefix(chain, 0));
        const b = new AsyncRecordingListener(prefix(chain, 3));
        const sync = new BlockSync(source, { network: 'regtest', headerCacheSize: [1, 3, 50, 2016][cache]!, prefetchBlocks: cache, followLessWork });
        sync.addListener(a, a.best);
        sync.addListener(b, b.best);
        for (const s of steps) {
          if (s.kind === 'mine') chain.mine(s.n);
          else if (s.kind === 'reorg') chain.reorg(Math.min(s.depth, chain.tip.height), Math.min(s.depth, chain.tip.height) + (followLessWork ? s.extra : 1 + s.extra));
          else if (s.kind === 'poll') await sync.poll();
          else {
            source.calls = 0;
            source.failAfter = s.after;
            await sync.poll().catch((e: unknown) => {
              if (!(e instanceof ChainSourceError)) throw e;
            });
            source.failAfter = Infinity;
          }
        }
        source.failAfter = Infinity;
        chain.mine(1);
        await sync.poll();
        expect(a.violations).toEqual([]);
        expect(b.violations).toEqual([]);
        const fresh = await freshView(new MemorySource(chain), chain);
        expect(a.view()).toEqual(fresh);
        expect(b.view()).toEqual(fresh);
      }),
      { numRuns: Number(process.env.LN_PROPERTY_RUNS ?? (process.env.LN_LONG_TESTS === '1' ? 1000 : 60)) },
    );
  });
});
