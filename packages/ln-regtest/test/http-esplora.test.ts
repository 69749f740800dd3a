// Esplora's HTTP API over real HTTP: shapes, plain-text answers, errors.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sha256 } from 'ln-crypto';
import { decodeBlock, decodeBlockHeader, merkleRootFromBranch } from 'ln-tx';
import { fromHex, reverseBytes, toHex } from 'ln-types';
import { type RunningRegtest, REGTEST_GENESIS_HASH, startRegtest } from '../src/index.js';
import { get, testKey } from './helpers.js';

let chain: RunningRegtest;
const alice = testKey(0x21);
let paidTxid: string;
let confirmedTxid: string;

beforeAll(async () => {
  chain = await startRegtest({ port: 0 });
  chain.mine(101);
  confirmedTxid = chain.faucet(alice.address, 300_000n, { confirm: true });
  paidTxid = chain.faucet(alice.address, 100_000n);
  chain.setFeeEstimate(1, 20);
  chain.setFeeEstimate(6, 5);
});
afterAll(async () => {
  await chain.close();
});

const api = (path: string): Promise<{ status: number; type: string; text: string; bytes: Uint8Array }> => get(`${chain.esploraUrl}${path}`);

describe('blocks', () => {
  it('serves the tip as plain text', async () => {
    expect((await api('/blocks/tip/height')).text).toBe('102');
    expect((await api('/blocks/tip/hash')).text).toBe(chain.node.tip.hashHex);
    expect((await api('/block-height/0')).text).toBe(REGTEST_GENESIS_HASH);
    expect(await api('/block-height/500')).toMatchObject({ status: 404, text: 'Block not found' });
    expect(await api('/block-height/x')).toMatchObject({ status: 400, text: 'Invalid number' });
  });

  it('serves a block, its header, status, raw bytes and txids', async () => {
    const hash = chain.node.tip.hashHex;
    const block = JSON.parse((await api(`/block/${hash}`)).text);
    expect(block).toMatchObject({ id: hash, height: 102, tx_count: 2, bits: 0x207fffff, previousblockhash: chain.node.chain.atHeight(101)!.hashHex });
    const header = decodeBlockHeader(fromHex((await api(`/block/${hash}/header`)).text));
    expect(toHex(header.merkleRoot)).toBe(toHex(reverseBytes(fromHex(block.merkle_root))));
    const raw = await api(`/block/${hash}/raw`);
    expect(raw.type).toBe('application/octet-stream');
    expect(toHex(reverseBytes(decodeBlock(raw.bytes).hash))).toBe(hash);
    const txids = JSON.parse((await api(`/block/${hash}/txids`)).text);
    expect(txids[1]).toBe(confirmedTxid);
    expect((await api(`/block/${hash}/txid/1`)).text).toBe(confirmedTxid);
    expect(await api(`/block/${hash}/txid/9`)).toMatchObject({ status: 404, text: 'tx index out of range' });
    expect(JSON.parse((await api(`/block/${hash}/status`)).text)).toEqual({ in_best_chain: true, height: 102, next_best: null });
    expect(JSON.parse((await api(`/block/${REGTEST_GENESIS_HASH}/status`)).text)).toEqual({ in_best_chain: true, height: 0, next_best: chain.node.chain.atHeight(1)!.hashHex });
    const txs = JSON.parse((await api(`/block/${hash}/txs`)).text);
    expect(txs).toHaveLength(2);
    const list = JSON.parse((await api('/blocks')).text);
    expect(list).toHaveLength(10);
    expect(list[0].height).toBe(102);
  });

  it('answers unknown and malformed block hashes with 404 and 400', async () => {
    expect(await api(`/block/${'00'.repeat(32)}`)).toMatchObject({ status: 404, text: 'Block not found' });
    expect(await api('/block/1234')).toMatchObject({ status: 400, text: 'Invalid hex string' });
    expect(JSON.parse((await api(`/block/${'00'.repeat(32)}/status`)).text)).toEqual({ in_best_chain: false, height: null, next_best: null });
  });
});

describe('transactions', () => {
  it('serves a confirmed transaction with prevouts, fee and status', async () => {
    const tx = JSON.parse((await api(`/tx/${confirmedTxid}`)).text);
    expect(tx.status).toEqual({ confirmed: true, block_height: 102, block_hash: chain.node.tip.hashHex, block_time: chain.node.tip.block.header.time });
    expect(tx.vin[0].prevout).toMatchObject({ scriptpubkey_type: 'v0_p2wpkh', value: 5_000_000_000, scriptpubkey_address: chain.node.faucet.address });
    expect(tx.vin[0].is_coinbase).toBe(false);
    expect(tx.vout[0]).toMatchObject({ scriptpubkey: toHex(alice.script), scriptpubkey_asm: `OP_0 OP_PUSHBYTES_20 ${toHex(alice.script.subarray(2))}`, value: 300_000 });
    expect(tx.fee).toBeGreaterThan(0);
    expect((await api(`/tx/${confirmedTxid}/hex`)).text).toBe(toHex((await api(`/tx/${confirmedTxid}/raw`)).bytes));
  });

  it('serves an unconfirmed transaction and its status', async () => {
    expect(JSON.parse((await api(`/tx/${paidTxid}/status`)).text)).toEqual({ confirmed: false });
    expect(JSON.parse((await api(`/tx/${paidTxid}`)).text).status).toEqual({ confirmed: false });
    expect(await api(`/tx/${paidTxid}/merkle-proof`)).toMatchObject({ status: 404, text: 'Transaction not found or is unconfirmed' });
  });

  it('proves a confirmed transaction with a merkle branch to the block header', async () => {
    const proof = JSON.parse((await api(`/tx/${confirmedTxid}/merkle-proof`)).text);
    expect(proof).toMatchObject({ block_height: 102, pos: 1 });
    const root = merkleRootFromBranch(reverseBytes(fromHex(confirmedTxid)), proof.merkle.map((h: string) => reverseBytes(fromHex(h))), proof.pos);
    expect(toHex(root)).toBe(toHex(chain.node.tip.block.header.merkleRoot));
    const mb = (await api(`/tx/${confirmedTxid}/merkleblock-proof`)).text;
    expect(mb.slice(0, 160)).toBe(toHex(chain.node.tip.raw.subarray(0, 80)));
  });

  it('reports who spends an output, confirmed or not', async () => {
    const spends = JSON.parse((await api(`/tx/${confirmedTxid}/outspends`)).text);
    expect(spends).toEqual([{ spent: false }, { spent: false }]);
    const confirmedInput = JSON.parse((await api(`/tx/${confirmedTxid}`)).text).vin[0];
    expect(JSON.parse((await api(`/tx/${confirmedInput.txid}/outspend/${confirmedInput.vout}`)).text)).toEqual({
      spent: true,
      txid: confirmedTxid,
      vin: 0,
      status: { confirmed: true, block_height: 102, block_hash: chain.node.tip.hashHex, block_time: chain.node.tip.block.header.time },
    });
    const pendingInput = JSON.parse((await api(`/tx/${paidTxid}`)).text).vin[0];
    expect(JSON.parse((await api(`/tx/${pendingInput.txid}/outspend/${pendingInput.vout}`)).text)).toEqual({ spent: true, txid: paidTxid, vin: 0, status: { confirmed: false } });
  });

  it('answers unknown and malformed txids', async () => {
    expect(await api(`/tx/${'ab'.repeat(32)}`)).toMatchObject({ status: 404, text: 'Transaction not found' });
    expect(await api('/tx/zz')).toMatchObject({ status: 400, text: 'Invalid hex string' });
    expect(await api('/tx/')).toMatchObject({ status: 400, text: 'Invalid hex string' });
  });
});

describe('addresses, mempool and fees', () => {
  it('lists an address’s UTXOs and history, confirmed and not', async () => {
    const utxos = JSON.parse((await api(`/address/${alice.address}/utxo`)).text);
    expect(utxos).toHaveLength(2);
    expect(utxos.map((u: { value: number }) => u.value).sort()).toEqual([100_000, 300_000]);
    const txs = JSON.parse((await api(`/address/${alice.address}/txs`)).text);
    expect(txs.map((t: { txid: string }) => t.txid)).toEqual([paidTxid, confirmedTxid]);
    const byHash = JSON.parse((await api(`/scripthash/${toHex(sha256(alice.script))}/utxo`)).text);
    expect(byHash).toEqual(utxos);
    const stats = JSON.parse((await api(`/address/${alice.address}`)).text);
    expect(stats.chain_stats).toMatchObject({ funded_txo_count: 1, funded_txo_sum: 300_000, tx_count: 1 });
    expect(stats.mempool_stats).toMatchObject({ funded_txo_count: 1, funded_txo_sum: 100_000, tx_count: 1 });
    expect(await api('/address/notanaddress/utxo')).toMatchObject({ status: 400 });
  });

  it('summarizes the mempool', async () => {
    const m = JSON.parse((await api('/mempool')).text);
    expect(m.count).toBe(1);
    expect(JSON.parse((await api('/mempool/txids')).text)).toEqual([paidTxid]);
  });

  it('serves the fee estimates set, in sat/vB', async () => {
    const fees = JSON.parse((await api('/fee-estimates')).text);
    expect(fees['1']).toBe(20);
    expect(fees['5']).toBe(20);
    expect(fees['6']).toBe(5);
    expect(fees['1008']).toBe(5);
  });

  it('allows any origin, as public Esplora instances do', async () => {
    const res = await fetch(`${chain.esploraUrl}/blocks/tip/height`);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const preflight = await fetch(`${chain.esploraUrl}/txs/package`, { method: 'OPTIONS' });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
  });

  it('answers unknown endpoints with 404', async () => {
    expect(await api('/nope')).toMatchObject({ status: 404, text: 'endpoint does not exist "/nope"' });
  });
});

describe('broadcast', () => {
  it('broadcasts with POST /tx and answers refusals with bitcoind’s error', async () => {
    const bad = await fetch(`${chain.esploraUrl}/tx`, { method: 'POST', body: 'zz' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toBe('sendrawtransaction RPC error: {"code":-22,"message":"TX decode failed. Make sure the tx has at least one input."}');
    const raw = toHex(chain.node.findTx(confirmedTxid)!.info.raw);
    const again = await fetch(`${chain.esploraUrl}/tx`, { method: 'POST', body: raw });
    expect(again.status).toBe(400);
    expect(await again.text()).toBe('sendrawtransaction RPC error: {"code":-27,"message":"Transaction outputs already in utxo set"}');
    const pooled = toHex(chain.node.findTx(paidTxid)!.info.raw);
    const ok = await fetch(`${chain.esploraUrl}/tx`, { method: 'POST', body: pooled });
    expect(await ok.text()).toBe(paidTxid);
  });

  it('takes packages at POST /txs/package', async () => {
    const bad = await fetch(`${chain.esploraUrl}/txs/package`, { method: 'POST', body: '{' });
    expect(bad.status).toBe(400);
    const pooled = toHex(chain.node.findTx(paidTxid)!.info.raw);
    const res = await fetch(`${chain.esploraUrl}/txs/package`, { method: 'POST', body: JSON.stringify([pooled]) });
    expect(res.status).toBe(200);
    const body = JSON.parse(await res.text());
    expect(body.package_msg).toBe('success');
  });
});
