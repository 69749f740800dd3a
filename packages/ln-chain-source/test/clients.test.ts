// Every client call against the fake servers, in the real servers' formats.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { encodeTx } from 'ln-tx';
import { type ChainHash, type Txid, blockHashToHex as blockHashToHexOf, chainHash, equalBytes, shortChannelIdFromParts, toHex, txidToHex } from 'ln-types';
import { BitcoindRestClient, BitcoindRpcClient, BitcoindUtxoLookup, ChainSourceError, EsploraClient, EsploraUtxoLookup } from '../src/index.js';
import { TestChain, P2WPKH, makeTx, randomOutPoint } from './helpers/chain.js';
import { FakeServer } from './helpers/fake-server.js';

const auth = { user: 'alice', password: 'secret' };
let chain: TestChain;
let server: FakeServer;
let rpc: BitcoindRpcClient;
let rest: BitcoindRestClient;
let esplora: EsploraClient;

const funding = makeTx({ inputs: [randomOutPoint()], outputs: [{ script: P2WPKH(7), amount: 1_000_000n }, { script: P2WPKH(8), amount: 2_000n }], witness: true });
const fundingRaw = encodeTx(funding);
let fundingTxid: Txid;
const spender = () => makeTx({ inputs: [{ txid: fundingTxid, index: 1 }], outputs: [{ script: P2WPKH(9), amount: 1_000n }] });

beforeAll(async () => {
  chain = new TestChain();
  chain.mine(3);
  const [b] = chain.mine(1, () => [makeTx({ inputs: [randomOutPoint()], outputs: [{ script: P2WPKH(1), amount: 5n }] }), funding]);
  fundingTxid = b!.block.transactions[2]!.txid;
  chain.mine(1, () => [spender()]);
  chain.mine(2);
  server = await FakeServer.start(chain, { auth });
  rpc = new BitcoindRpcClient({ url: server.url, auth });
  rest = new BitcoindRestClient({ url: server.url });
  esplora = new EsploraClient({ url: server.esploraUrl });
});

afterAll(async () => {
  await server.close();
});

describe('BitcoindRpcClient', () => {
  it('serves the tip, headers and blocks, checked', async () => {
    const tip = await rpc.getBestBlock();
    expect(tip.height).toBe(chain.tip.height);
    expect(equalBytes(tip.hash, chain.tip.hash)).toBe(true);
    const h = await rpc.getHeader(chain.best[4]!.hash);
    expect(h.height).toBe(4);
    expect(equalBytes(h.header.merkleRoot, chain.best[4]!.block.header.merkleRoot)).toBe(true);
    const block = await rpc.getBlock(chain.best[4]!.hash);
    expect(block.transactions.length).toBe(3);
    expect(equalBytes(block.transactions[2]!.txid, fundingTxid)).toBe(true);
  });

  it('batches calls into one request, each with its own outcome', async () => {
    const before = server.log.length;
    const out = await rpc.batch([
      { method: 'getblockhash', params: [1] },
      { method: 'getblockhash', params: [999] },
      { method: 'nosuchmethod', params: [] },
    ]);
    expect(server.log.length - before).toBe(1);
    expect(out[0]).toEqual({ ok: true, result: toHex(chain.best[1]!.hash.slice().reverse()) });
    expect(out[1]!.ok).toBe(false);
    expect(!out[1]!.ok && out[1]!.error.rpcCode).toBe(-8);
    expect(!out[2]!.ok && out[2]!.error.rpcCode).toBe(-32601);
    expect(await rpc.batch([])).toEqual([]);
  });

  it('getHeadersAfter: the best chain after a block, checked; nothing after a block off it', async () => {
    const after = await rpc.getHeadersAfter(chain.best[2]!.hash, 2, 3);
    expect(after.map((h) => h.height)).toEqual([3, 4, 5]);
    expect(after.every((h, i) => equalBytes(h.hash, chain.best[3 + i]!.hash))).toBe(true);
    expect(await rpc.getHeadersAfter(chain.tip.hash, chain.tip.height, 10)).toEqual([]);
    expect(await rpc.getHeadersAfter(chain.best[2]!.hash, 3, 10)).toEqual([]);
  });

  it('getBlockHash, getRawTransaction, getTxOut', async () => {
    expect(equalBytes(await rpc.getBlockHash(2), chain.best[2]!.hash)).toBe(true);
    await expect(rpc.getBlockHash(1000)).rejects.toMatchObject({ code: 'not_found', rpcCode: -8 });
    expect(equalBytes(await rpc.getRawTransaction(fundingTxid), fundingRaw)).toBe(true);
    expect(equalBytes(await rpc.getRawTransaction(fundingTxid, chain.best[4]!.hash), fundingRaw)).toBe(true);
    await expect(rpc.getRawTransaction(randomOutPoint().txid)).rejects.toMatchObject({ code: 'not_found', rpcCode: -5 });
    const out = await rpc.getTxOut(fundingTxid, 0);
    expect(out).toMatchObject({ valueSat: 1_000_000n, confirmations: chain.tip.height - 4 + 1, coinbase: false });
    expect(equalBytes(out!.script, P2WPKH(7))).toBe(true);
    expect(await rpc.getTxOut(fundingTxid, 1)).toBeUndefined();
    expect(await rpc.isOutputUnspent(fundingTxid, 0)).toBe(true);
    expect(await rpc.isOutputUnspent(fundingTxid, 1)).toBe(false);
  });

  it('estimatesmartfee in sat per 1000 weight, and the missing estimate', async () => {
    // 10 sat/vB = 0.0001 BTC/kvB = 2,500 sat/kw
    expect(await rpc.estimateSmartFee(6)).toEqual({ feeRateSatPerKw: 2500, blocks: 6, errors: [] });
    server.fees = new Map([[6, 10]]);
    expect(await rpc.estimateSmartFee(2)).toEqual({ blocks: 0, errors: ['Insufficient data or no feerate found'] });
    const rates = await rpc.estimateFeeRates([2, 6, 12]);
    expect([...rates]).toEqual([
      [6, 2500],
      [12, 2500],
    ]);
  });

  it('sendrawtransaction, submitpackage, testmempoolaccept', async () => {
    const tx = encodeTx(makeTx({ inputs: [randomOutPoint()], outputs: [{ script: P2WPKH(3), amount: 10_000n }] }));
    const child = encodeTx(makeTx({ inputs: [randomOutPoint()], outputs: [{ script: P2WPKH(4), amount: 10_000n }], witness: true }));
    const id = await rpc.sendRawTransaction(tx);
    expect(equalBytes(server.broadcasts.at(-1)!, tx)).toBe(true);
    expect(txidToHex(id)).toBe(txidToHex(await rpc.broadcastTransaction(tx)));
    const pkg = await rpc.submitPackage([tx, child]);
    expect(pkg.accepted).toBe(true);
    expect(pkg.transactions.length).toBe(2);
    const verdicts = await rpc.testMempoolAccept([tx]);
    expect(verdicts[0]).toMatchObject({ allowed: true, feeSat: 1000n });
    server.rejectBroadcast = { code: -26, message: 'min relay fee not met' };
    try {
      await expect(rpc.sendRawTransaction(tx)).rejects.toMatchObject({ code: 'rpc_error', rpcCode: -26 });
      expect((await rpc.testMempoolAccept([tx]))[0]).toMatchObject({ allowed: false, rejectReason: 'min relay fee not met' });
    } finally {
      server.rejectBroadcast = undefined;
    }
  });
});

describe('BitcoindRestClient', () => {
  it('serves the tip, headers (best chain and stale) and blocks, checked', async () => {
    const tip = await rest.getBestBlock();
    expect(tip.height).toBe(chain.tip.height);
    const h = await rest.getHeader(chain.best[3]!.hash);
    expect(h.height).toBe(3);
    const genesis = await rest.getHeader(chain.genesis.hash);
    expect(genesis.height).toBe(0);
    const block = await rest.getBlock(chain.best[5]!.hash);
    expect(equalBytes(block.hash, chain.best[5]!.hash)).toBe(true);
    expect(equalBytes(await rest.getBlockHash(5), chain.best[5]!.hash)).toBe(true);
    await expect(rest.getBlockHash(500)).rejects.toMatchObject({ code: 'not_found', status: 404 });
    expect(equalBytes(await rest.getRawTransaction(fundingTxid), fundingRaw)).toBe(true);
    expect(await rest.isOutputUnspent(fundingTxid, 0)).toBe(true);
    expect(await rest.isOutputUnspent(fundingTxid, 1, true)).toBe(false);
  });

  it('getHeadersAfter in one request; nothing after a block off the best chain', async () => {
    const before = server.log.length;
    const after = await rest.getHeadersAfter(chain.best[1]!.hash, 1, 100);
    expect(server.log.length - before).toBe(1);
    expect(after.map((h) => h.height)).toEqual(chain.best.slice(2).map((b) => b.height));
    expect(after.every((h, i) => equalBytes(h.hash, chain.best[2 + i]!.hash))).toBe(true);
    expect(await rest.getHeadersAfter(chain.tip.hash, chain.tip.height, 5)).toEqual([]);
  });

  it('finds the header of a block that left the best chain', async () => {
    const side = new TestChain();
    side.mine(4);
    const stale = side.tip;
    side.reorg(2);
    const s = await FakeServer.start(side);
    try {
      const client = new BitcoindRestClient({ url: s.url });
      const h = await client.getHeader(stale.hash);
      expect(h.height).toBe(4);
    } finally {
      await s.close();
    }
  });
});

describe('EsploraClient', () => {
  it('serves the tip, headers and blocks, checked', async () => {
    const tip = await esplora.getBestBlock();
    expect(tip.height).toBe(chain.tip.height);
    expect(equalBytes(await esplora.getTipHash(), chain.tip.hash)).toBe(true);
    const h = await esplora.getHeader(chain.best[2]!.hash);
    expect(h.height).toBe(2);
    const block = await esplora.getBlock(chain.best[4]!.hash);
    expect(block.transactions.length).toBe(3);
    expect(equalBytes(await esplora.getBlockHash(4), chain.best[4]!.hash)).toBe(true);
    expect(equalBytes(await esplora.getBlockTxid(chain.best[4]!.hash, 2), fundingTxid)).toBe(true);
  });

  it('getHeadersAfter: nine at a time from /blocks, rebuilt and checked', async () => {
    const after = await esplora.getHeadersAfter(chain.best[1]!.hash, 1, 100);
    expect(after.map((h) => h.height)).toEqual(chain.best.slice(2, 11).map((b) => b.height));
    expect(after.every((h, i) => equalBytes(h.hash, chain.best[2 + i]!.hash))).toBe(true);
    expect(await esplora.getHeadersAfter(chain.best[1]!.hash, 2, 5)).toEqual([]);
    server.intercept = (r) => (r.path.startsWith('/esplora/blocks/') ? { status: 200, body: JSON.stringify([{ id: blockHashToHexOf(chain.best[1]!.hash), height: 1, version: 1, timestamp: 1, merkle_root: '00'.repeat(32), previousblockhash: null, nonce: 0, bits: 1 }]) } : undefined);
    await expect(esplora.getHeadersAfter(chain.best[1]!.hash, 1, 5)).rejects.toMatchObject({ code: 'invalid_data' });
    server.intercept = undefined;
  });

  it('transactions, status, merkle proofs checked against the header', async () => {
    const tx = await esplora.getTransaction(fundingTxid);
    expect(equalBytes(tx.raw, fundingRaw)).toBe(true);
    const status = await esplora.getTxStatus(fundingTxid);
    expect(status).toMatchObject({ confirmed: true, height: 4 });
    const proof = await esplora.getMerkleProof(fundingTxid);
    expect(proof).toMatchObject({ blockHeight: 4, pos: 2 });
    const confirmed = await esplora.getConfirmedTransaction(fundingTxid, chain.best[4]!.hash);
    expect(confirmed.transaction.index).toBe(2);
    expect(confirmed.header.height).toBe(4);
    await expect(esplora.getTxStatus(randomOutPoint().txid)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('outspends', async () => {
    expect(await esplora.getOutputSpend(fundingTxid, 0)).toEqual({ spent: false });
    const spend = await esplora.getOutputSpend(fundingTxid, 1);
    expect(spend).toMatchObject({ spent: true, vin: 0, status: { confirmed: true, height: 5 } });
    const all = await esplora.getOutputSpends(fundingTxid);
    expect(all.map((s) => s.spent)).toEqual([false, true]);
  });

  it('script utxos, fee estimates', async () => {
    const utxos = await esplora.getScriptUtxos(P2WPKH(7));
    expect(utxos).toHaveLength(1);
    expect(utxos[0]).toMatchObject({ vout: 0, valueSat: 1_000_000n, status: { confirmed: true, height: 4 } });
    server.fees = new Map([
      [1, 20],
      [6, 10.5],
      [144, 1],
    ]);
    const table = await esplora.getFeeEstimates();
    expect(table.get(6)).toBe(2625);
    const rates = await esplora.estimateFeeRates([1, 3, 6, 1008]);
    expect([...rates]).toEqual([
      [1, 5000],
      [3, 5000],
      [6, 2625],
      [1008, 250],
    ]);
  });

  it('broadcasts one transaction and a package; a refusal is `rejected` with the RPC code', async () => {
    const tx = encodeTx(makeTx({ inputs: [randomOutPoint()], outputs: [{ script: P2WPKH(3), amount: 10_000n }] }));
    const child = encodeTx(makeTx({ inputs: [randomOutPoint()], outputs: [{ script: P2WPKH(4), amount: 10_000n }] }));
    await esplora.broadcastTransaction(tx);
    expect(equalBytes(server.broadcasts.at(-1)!, tx)).toBe(true);
    expect((await esplora.broadcastPackage([tx, child])).accepted).toBe(true);
    server.rejectBroadcast = { code: -26, message: 'bad-txns-inputs-missingorspent' };
    try {
      await expect(esplora.broadcastTransaction(tx)).rejects.toMatchObject({ code: 'rejected', rpcCode: -26, status: 400 });
    } finally {
      server.rejectBroadcast = undefined;
    }
  });
});

describe('UtxoLookup', () => {
  const regtestOf = (c: TestChain): ChainHash => chainHash(c.genesis.hash);
  for (const kind of ['rpc', 'rest', 'esplora'] as const) {
    it(`${kind}: finds unspent outputs, refuses spent, missing and other chains`, async () => {
      const lookup = kind === 'esplora' ? new EsploraUtxoLookup(esplora) : new BitcoindUtxoLookup(kind === 'rpc' ? rpc : rest);
      const chainId = regtestOf(chain);
      const found = await lookup.getUtxo(chainId, shortChannelIdFromParts(4, 2, 0));
      expect(found.ok).toBe(true);
      if (found.ok) {
        expect(found.output.valueSat).toBe(1_000_000n);
        expect(equalBytes(found.output.script, P2WPKH(7))).toBe(true);
      }
      expect(await lookup.getUtxo(chainId, shortChannelIdFromParts(4, 2, 1))).toEqual({ ok: false, error: 'unknown_tx' });
      expect(await lookup.getUtxo(chainId, shortChannelIdFromParts(4, 2, 5))).toEqual({ ok: false, error: 'unknown_tx' });
      expect(await lookup.getUtxo(chainId, shortChannelIdFromParts(4, 9, 0))).toEqual({ ok: false, error: 'unknown_tx' });
      expect(await lookup.getUtxo(chainId, shortChannelIdFromParts(900, 1, 0))).toEqual({ ok: false, error: 'unknown_tx' });
      expect(await lookup.getUtxo(chainHash(new Uint8Array(32).fill(9)), shortChannelIdFromParts(4, 2, 0))).toEqual({ ok: false, error: 'unknown_chain' });
    });
  }

  it('a source failure rejects with a typed error', async () => {
    const dead = new BitcoindUtxoLookup(new BitcoindRpcClient({ url: 'http://127.0.0.1:1', timeoutMs: 2000 }));
    await expect(dead.getUtxo(regtestOf(chain), shortChannelIdFromParts(4, 2, 0))).rejects.toBeInstanceOf(ChainSourceError);
  });
});
