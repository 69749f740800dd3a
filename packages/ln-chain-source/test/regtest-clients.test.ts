// Every client call against the ln-regtest chain over real HTTP: bitcoind's
// JSON-RPC and REST and Esplora's API, with real signed transactions that the
// chain checks script by script.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startRegtest, scriptToAddress, type RunningRegtest } from 'ln-regtest';
import { decodeTx, txidOf } from 'ln-tx';
import { blockHashFromHex, blockHashToHex, equalBytes, toHex, txidFromHex, txidToHex } from 'ln-types';
import { BitcoindRestClient, BitcoindRpcClient, CachingFeeEstimator, ChainSourceError, EsploraClient, RetryingBroadcaster } from '../src/index.js';
import { readBitcoindCookie } from '../src/node/index.js';
import { KeyWallet, findOutput } from './helpers/wallet.js';

let rt: RunningRegtest;
let rpc: BitcoindRpcClient;
let rest: BitcoindRestClient;
let esplora: EsploraClient;
const alice = new KeyWallet('alice');
const bob = new KeyWallet('bob');

/** A confirmed coin of alice's. */
async function aliceCoin(amount = 1_000_000n): Promise<{ outpoint: { txid: ReturnType<typeof txidFromHex>; index: number }; amount: bigint }> {
  const id = rt.faucet(alice.script, amount, { confirm: true });
  return findOutput(await rpc.getRawTransaction(txidFromHex(id)), alice.script);
}

beforeAll(async () => {
  rt = await startRegtest({ port: 0 });
  rt.mine(101);
  rpc = new BitcoindRpcClient({ url: rt.rpcUrl, auth: await readBitcoindCookie(rt.cookiePath!) });
  rest = new BitcoindRestClient({ url: rt.rpcUrl });
  esplora = new EsploraClient({ url: rt.esploraUrl });
});

afterAll(async () => {
  await rt.close();
});

describe('BitcoindRpcClient against ln-regtest', () => {
  it('tip, headers and blocks (checked), block hashes, batches', async () => {
    const tip = await rpc.getBestBlock();
    expect(tip.height).toBe(rt.node.height);
    expect(blockHashToHex(tip.hash)).toBe(rt.node.tip.hashHex);
    const header = await rpc.getHeader(tip.hash);
    expect(header.height).toBe(tip.height);
    const block = await rpc.getBlock(tip.hash);
    expect(equalBytes(block.hash, tip.hash)).toBe(true);
    expect(equalBytes(await rpc.getBlockHash(5), blockHashFromHex(rt.node.chain.atHeight(5)!.hashHex))).toBe(true);
    await expect(rpc.getBlockHash(tip.height + 5)).rejects.toMatchObject({ code: 'not_found' });
    await expect(rpc.getBlock(blockHashFromHex('11'.repeat(32)))).rejects.toMatchObject({ code: 'not_found' });
    const out = await rpc.batch([
      { method: 'getblockcount', params: [] },
      { method: 'getblockhash', params: [-1] },
    ]);
    expect(out[0]).toEqual({ ok: true, result: tip.height });
    expect(out[1]!.ok).toBe(false);
  });

  it('raw transactions, getTxOut, isOutputUnspent', async () => {
    const coin = await aliceCoin();
    const raw = await rpc.getRawTransaction(coin.outpoint.txid);
    expect(equalBytes(txidOf(decodeTx(raw)), coin.outpoint.txid)).toBe(true);
    const out = await rpc.getTxOut(coin.outpoint.txid, coin.outpoint.index);
    expect(out).toMatchObject({ valueSat: coin.amount, confirmations: 1, coinbase: false });
    expect(equalBytes(out!.script, alice.script)).toBe(true);
    expect(await rpc.isOutputUnspent(coin.outpoint.txid, coin.outpoint.index)).toBe(true);
    expect(await rpc.getTxOut(coin.outpoint.txid, 99)).toBeUndefined();
  });

  it('estimatesmartfee: none, then what was set, converted to sat/kw', async () => {
    rt.setFeeEstimate(6, 12);
    const e = await rpc.estimateSmartFee(6);
    expect(e.feeRateSatPerKw).toBe(3000);
    const rates = await rpc.estimateFeeRates([6]);
    expect(rates.get(6)).toBe(3000);
  });

  it('testmempoolaccept, sendrawtransaction, submitpackage; a refusal is rpc_error with bitcoind code', async () => {
    const coin = await aliceCoin();
    const spend = alice.spend([coin], [{ script: bob.script, amount: coin.amount - 500n }]);
    const verdict = await rpc.testMempoolAccept([spend.raw]);
    expect(verdict[0]).toMatchObject({ allowed: true, feeSat: 500n });
    const bad = alice.spend([coin], [{ script: bob.script, amount: coin.amount + 1n }]);
    const refused = await rpc.testMempoolAccept([bad.raw]);
    expect(refused[0]!.allowed).toBe(false);
    expect(refused[0]!.rejectReason).toBeDefined();
    expect(txidToHex(await rpc.sendRawTransaction(spend.raw))).toBe(txidToHex(txidOf(spend.tx)));
    const doubleSpend = alice.spend([coin], [{ script: alice.script, amount: coin.amount - 600n }]);
    const e = await rpc.sendRawTransaction(doubleSpend.raw).then(
      () => undefined,
      (x: unknown) => x as ChainSourceError,
    );
    expect(e).toBeInstanceOf(ChainSourceError);
    expect(e!.code).toBe('rpc_error');
    expect(e!.rpcCode).toBe(-26);
    // A parent paying no fee, carried by its child.
    const c2 = await aliceCoin();
    const parent = alice.spend([c2], [{ script: alice.script, amount: c2.amount }]);
    const child = alice.spend([findOutput(parent.raw, alice.script)], [{ script: bob.script, amount: c2.amount - 2_000n }]);
    await expect(rpc.sendRawTransaction(parent.raw)).rejects.toMatchObject({ code: 'rpc_error' });
    const pkg = await rpc.submitPackage([parent.raw, child.raw]);
    expect(pkg.accepted).toBe(true);
    expect(pkg.transactions).toHaveLength(2);
    rt.mine(1);
  });

  it('wrong credentials: auth', async () => {
    const wrong = new BitcoindRpcClient({ url: rt.rpcUrl, auth: { user: rt.credentials.user, password: 'nope' } });
    await expect(wrong.getBestBlock()).rejects.toMatchObject({ code: 'auth', status: 401 });
  });
});

describe('BitcoindRestClient against ln-regtest', () => {
  it('tip, headers, blocks, heights, transactions, UTXOs', async () => {
    const coin = await aliceCoin();
    const tip = await rest.getBestBlock();
    expect(tip.height).toBe(rt.node.height);
    expect((await rest.getHeader(tip.hash)).height).toBe(tip.height);
    const block = await rest.getBlock(tip.hash);
    expect(block.transactions.some((t) => equalBytes(t.txid, coin.outpoint.txid))).toBe(true);
    expect(blockHashToHex(await rest.getBlockHash(tip.height))).toBe(rt.node.tip.hashHex);
    await expect(rest.getBlockHash(tip.height + 1)).rejects.toMatchObject({ code: 'not_found' });
    expect(await rest.isOutputUnspent(coin.outpoint.txid, coin.outpoint.index)).toBe(true);
    const spend = alice.spend([coin], [{ script: bob.script, amount: coin.amount - 1000n }]);
    await rpc.sendRawTransaction(spend.raw);
    expect(await rest.isOutputUnspent(coin.outpoint.txid, coin.outpoint.index, true)).toBe(false);
    expect(await rest.isOutputUnspent(coin.outpoint.txid, coin.outpoint.index, false)).toBe(true);
    rt.mine(1);
    expect(equalBytes(await rest.getRawTransaction(txidOf(spend.tx)), spend.raw)).toBe(true);
  });

  it('the header of a block that left the best chain', async () => {
    const stale = rt.node.tip.hashHex;
    const height = rt.node.height;
    rt.reorg(1, { blocks: 2 });
    const h = await rest.getHeader(blockHashFromHex(stale));
    expect(h.height).toBe(height);
    expect((await rpc.getHeader(blockHashFromHex(stale))).height).toBe(height);
  });
});

describe('EsploraClient against ln-regtest', () => {
  it('tip, headers, blocks, heights, txids', async () => {
    const tip = await esplora.getBestBlock();
    expect(tip.height).toBe(rt.node.height);
    expect((await esplora.getHeader(tip.hash)).height).toBe(tip.height);
    expect(equalBytes((await esplora.getBlock(tip.hash)).hash, tip.hash)).toBe(true);
    expect(blockHashToHex(await esplora.getBlockHash(3))).toBe(rt.node.chain.atHeight(3)!.hashHex);
    const cb = await esplora.getBlockTxid(tip.hash, 0);
    expect(txidToHex(cb)).toBe(rt.node.tip.txs[0]!.txidHex);
  });

  it('transactions, status, proven confirmations, outspends, UTXOs by address and script', async () => {
    const coin = await aliceCoin(700_000n);
    expect(toHex((await esplora.getTransaction(coin.outpoint.txid)).raw)).toBe(toHex(await rpc.getRawTransaction(coin.outpoint.txid)));
    const status = await esplora.getTxStatus(coin.outpoint.txid);
    expect(status).toMatchObject({ confirmed: true, height: rt.node.height });
    if (!status.confirmed) throw new Error('unconfirmed');
    const proven = await esplora.getConfirmedTransaction(coin.outpoint.txid, status.blockHash);
    expect(proven.header.height).toBe(rt.node.height);
    expect((await esplora.getOutputSpend(coin.outpoint.txid, coin.outpoint.index)).spent).toBe(false);
    const utxos = await esplora.getScriptUtxos(alice.script);
    expect(utxos.some((u) => equalBytes(u.txid, coin.outpoint.txid) && u.valueSat === 700_000n)).toBe(true);
    const byAddress = await esplora.getAddressUtxos(scriptToAddress(alice.script)!);
    expect(byAddress.length).toBe(utxos.length);
    const spend = alice.spend([coin], [{ script: bob.script, amount: coin.amount - 1000n }]);
    expect(txidToHex(await esplora.broadcastTransaction(spend.raw))).toBe(txidToHex(txidOf(spend.tx)));
    const pending = await esplora.getOutputSpend(coin.outpoint.txid, coin.outpoint.index);
    expect(pending).toMatchObject({ spent: true, vin: 0, status: { confirmed: false } });
    rt.mine(1);
    const spends = await esplora.getOutputSpends(coin.outpoint.txid);
    expect(spends[coin.outpoint.index]).toMatchObject({ spent: true, status: { confirmed: true, height: rt.node.height } });
  });

  it('fee estimates, package broadcast, a refusal is `rejected`', async () => {
    rt.setFeeEstimate(1, 30);
    rt.setFeeEstimate(144, 2);
    const table = await esplora.getFeeEstimates();
    expect(table.get(1)).toBe(7500);
    expect(table.get(144)).toBe(500);
    const coin = await aliceCoin();
    const parent = alice.spend([coin], [{ script: alice.script, amount: coin.amount }]);
    const child = alice.spend([findOutput(parent.raw, alice.script)], [{ script: bob.script, amount: coin.amount - 3_000n }]);
    expect((await esplora.broadcastPackage([parent.raw, child.raw])).accepted).toBe(true);
    const conflict = alice.spend([coin], [{ script: bob.script, amount: coin.amount - 100n }]);
    await expect(esplora.broadcastTransaction(conflict.raw)).rejects.toMatchObject({ code: 'rejected', status: 400 });
    rt.mine(1);
  });
});

describe('fees and broadcasting over ln-regtest', () => {
  it('CachingFeeEstimator refreshes from bitcoind and Esplora alike', async () => {
    rt.setFeeEstimate(1, 40);
    rt.setFeeEstimate(6, 20);
    rt.setFeeEstimate(12, 10);
    rt.setFeeEstimate(144, 4);
    rt.setFeeEstimate(1008, 2);
    const a = new CachingFeeEstimator(rpc);
    const b = new CachingFeeEstimator(esplora);
    await a.refresh();
    await b.refresh();
    expect(a.getEstSatPer1000Weight('urgent_on_chain_sweep')).toBe(5000);
    for (const t of ['maximum_fee_estimate', 'urgent_on_chain_sweep', 'non_anchor_channel_fee', 'channel_close_minimum', 'anchor_channel_fee'] as const) {
      expect(b.getEstSatPer1000Weight(t)).toBe(a.getEstSatPer1000Weight(t));
    }
  });

  it('RetryingBroadcaster: a real transaction and package go in; a double spend is refused for good', async () => {
    const coin = await aliceCoin();
    const b = new RetryingBroadcaster(rpc);
    const spend = alice.spend([coin], [{ script: bob.script, amount: coin.amount - 1_000n }]);
    b.broadcastTransactions([spend.tx]);
    await b.whenIdle();
    expect(rt.node.findTx(txidToHex(txidOf(spend.tx)))?.mempool).toBeDefined();
    b.broadcastTransactions([spend.tx]);
    const conflict = alice.spend([coin], [{ script: alice.script, amount: coin.amount - 1_100n }]);
    b.broadcastTransactions([conflict.tx]);
    await b.whenIdle();
    expect(b.stats).toMatchObject({ sent: 2, rejected: 1 });
    expect(b.pendingCount).toBe(0);
    const c2 = await aliceCoin();
    const parent = alice.spend([c2], [{ script: alice.script, amount: c2.amount }]);
    const child = alice.spend([findOutput(parent.raw, alice.script)], [{ script: bob.script, amount: c2.amount - 2_500n }]);
    const viaEsplora = new RetryingBroadcaster(esplora);
    viaEsplora.broadcastTransactions([parent.tx, child.tx]);
    await viaEsplora.whenIdle();
    expect(viaEsplora.stats.sent).toBe(1);
    expect(rt.node.findTx(txidToHex(txidOf(child.tx)))?.mempool).toBeDefined();
    rt.mine(1);
  });
});
