// bitcoind's JSON-RPC over real HTTP: auth, batches, errors, and every method's answer.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { decodeBlock, decodeBlockHeader } from 'ln-tx';
import { fromHex, reverseBytes, toHex } from 'ln-types';
import { type RunningRegtest, REGTEST_GENESIS_HASH, startRegtest } from '../src/index.js';
import { rpc, rpcError, rpcRaw, testKey } from './helpers.js';

let chain: RunningRegtest;
const alice = testKey(0x11);

beforeAll(async () => {
  chain = await startRegtest({ port: 0, clock: () => 1_700_000_000 });
});
afterAll(async () => {
  await chain.close();
});

describe('authentication and transport', () => {
  it('answers 401 with a Basic challenge without or with wrong credentials', async () => {
    const none = await fetch(chain.rpcUrl, { method: 'POST', body: '{"method":"getblockcount"}' });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Basic realm="jsonrpc"');
    expect(await none.text()).toBe('');
    const wrong = await rpcRaw(chain, { method: 'getblockcount', id: 1 }, '__cookie__:nope');
    expect(wrong.status).toBe(401);
  });

  it('writes a bitcoind cookie file holding the credentials', async () => {
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(chain.cookiePath!, 'utf8')).toBe(`__cookie__:${chain.credentials.password}`);
  });

  it('refuses other HTTP methods on the RPC path', async () => {
    const res = await fetch(chain.rpcUrl, { headers: { Authorization: `Basic ${btoa(`${chain.credentials.user}:${chain.credentials.password}`)}` } });
    expect(res.status).toBe(405);
    expect(await res.text()).toBe('JSONRPC server handles only POST requests');
  });

  it('answers a parse error with HTTP 500 and -32700', async () => {
    const r = await rpcRaw(chain, '{"method": getblockcount');
    expect(r.status).toBe(500);
    expect(r.body).toEqual({ result: null, error: { code: -32700, message: 'Parse error' }, id: null });
  });

  it('maps legacy errors to HTTP statuses and JSON-RPC 2.0 errors to 200', async () => {
    const missing = await rpcRaw(chain, { method: 'nosuchmethod', id: 7 });
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ result: null, error: { code: -32601, message: 'Method not found' }, id: 7 });
    const invalid = await rpcRaw(chain, { id: 8 });
    expect(invalid.status).toBe(400);
    expect((invalid.body as { error: { code: number } }).error.code).toBe(-32600);
    const v2 = await rpcRaw(chain, { jsonrpc: '2.0', method: 'nosuchmethod', id: 9 });
    expect(v2.status).toBe(200);
    expect(v2.body).toEqual({ jsonrpc: '2.0', error: { code: -32601, message: 'Method not found' }, id: 9 });
    const notification = await rpcRaw(chain, { jsonrpc: '2.0', method: 'getblockcount' });
    expect(notification.status).toBe(204);
  });

  it('answers batches in order, each with its own id and error', async () => {
    const r = await rpcRaw(chain, [
      { method: 'getblockcount', id: 1 },
      { jsonrpc: '2.0', method: 'getblockhash', params: [0], id: 2 },
      { method: 'getblockhash', params: [99999], id: 3 },
      'junk',
    ]);
    expect(r.status).toBe(200);
    expect(r.body).toEqual([
      { result: 0, error: null, id: 1 },
      { jsonrpc: '2.0', result: REGTEST_GENESIS_HASH, id: 2 },
      { result: null, error: { code: -8, message: 'Block height out of range' }, id: 3 },
      { result: null, error: { code: -32600, message: 'Invalid Request object' }, id: null },
    ]);
  });

  it('takes named parameters and refuses unknown ones', async () => {
    expect((await rpcRaw(chain, { method: 'getblockhash', params: { height: 0 }, id: 1 })).body).toMatchObject({ result: REGTEST_GENESIS_HASH });
    expect((await rpcRaw(chain, { method: 'getblockhash', params: { depth: 0 }, id: 1 })).body).toMatchObject({ error: { code: -8, message: 'Unknown named parameter depth' } });
  });

  it('refuses wrongly typed and malformed arguments with bitcoind codes', async () => {
    expect(await rpcError(chain, 'getblockhash', '1')).toEqual({ code: -3, message: 'JSON value of type string is not of expected type number' });
    expect(await rpcError(chain, 'getblockheader', 'xyz')).toEqual({ code: -8, message: "blockhash must be of length 64 (not 3, for 'xyz')" });
    expect(await rpcError(chain, 'getblockheader', 'zz'.repeat(32))).toMatchObject({ code: -8 });
    expect(await rpcError(chain, 'getblock', '00'.repeat(32))).toEqual({ code: -5, message: 'Block not found' });
    expect(await rpcError(chain, 'sendrawtransaction', 'nothex')).toEqual({ code: -22, message: 'TX decode failed. Make sure the tx has at least one input.' });
    expect(await rpcError(chain, 'sendrawtransaction', '0100')).toEqual({ code: -22, message: 'TX decode failed. Make sure the tx has at least one input.' });
    expect(await rpcError(chain, 'getrawtransaction', '11'.repeat(32))).toEqual({ code: -5, message: 'No such mempool or blockchain transaction. Use gettransaction for wallet transactions.' });
    expect(await rpcError(chain, 'generatetoaddress', 1, 'notanaddress')).toEqual({ code: -5, message: 'Error: Invalid address' });
    expect(await rpcError(chain, 'estimatesmartfee', 0)).toEqual({ code: -8, message: 'Invalid conf_target, must be between 1 and 1008' });
  });
});

describe('chain methods', () => {
  it('starts at the regtest genesis block', async () => {
    expect(await rpc(chain, 'getblockcount')).toBe(0);
    expect(await rpc(chain, 'getbestblockhash')).toBe(REGTEST_GENESIS_HASH);
    const info = await rpc<Record<string, unknown>>(chain, 'getblockchaininfo');
    expect(info).toMatchObject({ chain: 'regtest', blocks: 0, headers: 0, bestblockhash: REGTEST_GENESIS_HASH, difficulty: 4.656542373906925e-10, chainwork: '0'.repeat(63) + '2', initialblockdownload: false, warnings: [] });
    const header = await rpc<string>(chain, 'getblockheader', REGTEST_GENESIS_HASH, false);
    expect(header).toBe('0100000000000000000000000000000000000000000000000000000000000000000000003ba3edfd7a7b12b27ac72c3e67768f617fc81bc3888a51323a9fb8aa4b1e5e4adae5494dffff7f2002000000');
  });

  it('mines with generatetoaddress and serves the blocks in every verbosity', async () => {
    const hashes = await rpc<string[]>(chain, 'generatetoaddress', 3, alice.address);
    expect(hashes).toHaveLength(3);
    expect(await rpc(chain, 'getblockcount')).toBe(3);
    expect(await rpc(chain, 'getblockhash', 3)).toBe(hashes[2]);
    const raw = fromHex(await rpc<string>(chain, 'getblock', hashes[2], 0));
    const block = decodeBlock(raw);
    expect(toHex(reverseBytes(block.hash))).toBe(hashes[2]);
    const v1 = await rpc<Record<string, unknown>>(chain, 'getblock', hashes[2], 1);
    expect(v1).toMatchObject({ hash: hashes[2], height: 3, confirmations: 1, previousblockhash: hashes[1], nTx: 1, bits: '207fffff', versionHex: '20000000' });
    expect(v1.tx).toEqual([block.transactions[0]!.txid.slice().reverse().reduce((s, b) => s + b.toString(16).padStart(2, '0'), '')]);
    const v2 = await rpc<{ tx: { vout: { value: number; scriptPubKey: { address: string } }[] }[] }>(chain, 'getblock', hashes[2], 2);
    expect(v2.tx[0]!.vout[0]).toMatchObject({ value: 50, scriptPubKey: { address: alice.address, type: 'witness_v0_keyhash' } });
    const h = await rpc<Record<string, unknown>>(chain, 'getblockheader', hashes[1]);
    expect(h).toMatchObject({ height: 2, confirmations: 2, nextblockhash: hashes[2] });
    expect(decodeBlockHeader(fromHex(await rpc<string>(chain, 'getblockheader', hashes[1], false))).prevBlockHash).toEqual(reverseBytes(fromHex(hashes[0]!)));
  });

  it('writes amounts with eight decimals as bitcoind does', async () => {
    const hash = await rpc<string>(chain, 'getblockhash', 1);
    const r = await rpcRaw(chain, { method: 'getblock', params: [hash, 2], id: 1 });
    expect(r.text).toContain('"value":50.00000000');
  });

  it('answers gettxout, getrawtransaction and the mempool calls', async () => {
    const block = await rpc<{ tx: string[] }>(chain, 'getblock', await rpc(chain, 'getblockhash', 1), 1);
    const coinbase = block.tx[0]!;
    const out = await rpc<Record<string, unknown>>(chain, 'gettxout', coinbase, 0);
    expect(out).toMatchObject({ confirmations: 3, value: 50, coinbase: true, scriptPubKey: { address: alice.address } });
    expect(await rpc(chain, 'gettxout', coinbase, 5)).toBeNull();
    const verbose = await rpc<Record<string, unknown>>(chain, 'getrawtransaction', coinbase, true);
    expect(verbose).toMatchObject({ txid: coinbase, confirmations: 3, blockhash: await rpc(chain, 'getblockhash', 1) });
    const inBlock = await rpc<Record<string, unknown>>(chain, 'getrawtransaction', coinbase, 1, await rpc(chain, 'getblockhash', 1));
    expect(inBlock.in_active_chain).toBe(true);
    expect(await rpc(chain, 'getrawmempool')).toEqual([]);
    expect(await rpc(chain, 'getmempoolinfo')).toMatchObject({ size: 0, loaded: true, minrelaytxfee: 0.00001 });
    expect(await rpcError(chain, 'getmempoolentry', '22'.repeat(32))).toEqual({ code: -5, message: 'Transaction not in mempool' });
  });

  it('answers getnetworkinfo and getindexinfo like bitcoind 28', async () => {
    expect(await rpc(chain, 'getnetworkinfo')).toMatchObject({ version: 280000, relayfee: 0.00001, incrementalfee: 0.00001 });
    expect(await rpc(chain, 'getindexinfo')).toMatchObject({ txindex: { synced: true } });
  });

  it('sets fee estimates and answers estimatesmartfee from them', async () => {
    expect(await rpc(chain, 'estimatesmartfee', 6)).toEqual({ errors: ['Insufficient data or no feerate found'], blocks: 0 });
    await rpc(chain, 'regtest_setfeeestimate', 2, 25);
    await rpc(chain, 'regtest_setfeeestimate', 6, 10);
    expect(await rpc(chain, 'estimatesmartfee', 1)).toEqual({ feerate: 0.00025, blocks: 1 });
    expect(await rpc(chain, 'estimatesmartfee', 6)).toEqual({ feerate: 0.0001, blocks: 6 });
    expect(await rpc(chain, 'estimatesmartfee', 144)).toEqual({ feerate: 0.0001, blocks: 144 });
  });

  it('moves the clock with setmocktime', async () => {
    await rpc(chain, 'setmocktime', 1_800_000_000);
    const [hash] = await rpc<string[]>(chain, 'generatetoaddress', 1, alice.address);
    expect(await rpc(chain, 'getblockheader', hash)).toMatchObject({ time: 1_800_000_000 });
    await rpc(chain, 'setmocktime', 0);
  });
});

describe('transactions, mining and reorgs over RPC', () => {
  it('pays with sendtoaddress, tests and submits transactions, mines them and finds them', async () => {
    await rpc(chain, 'generatetoaddress', 101, chain.node.faucet.address);
    const txid = await rpc<string>(chain, 'sendtoaddress', alice.address, 0.001);
    expect(await rpc(chain, 'getrawmempool')).toEqual([txid]);
    const entry = await rpc<Record<string, unknown>>(chain, 'getmempoolentry', txid);
    expect(entry).toMatchObject({ ancestorcount: 1, descendantcount: 1, 'bip125-replaceable': true });
    expect(Object.keys(await rpc<Record<string, unknown>>(chain, 'getrawmempool', true))).toEqual([txid]);
    const hex = await rpc<string>(chain, 'getrawtransaction', txid);
    expect(await rpc(chain, 'testmempoolaccept', [hex])).toEqual([{ txid, wtxid: expect.any(String), allowed: false, 'reject-reason': 'txn-already-in-mempool' }]);
    expect(await rpc(chain, 'sendrawtransaction', hex)).toBe(txid);
    const decoded = await rpc<{ txid: string; vout: { value: number }[] }>(chain, 'decoderawtransaction', hex);
    expect(decoded.txid).toBe(txid);
    expect(decoded.vout.map((o) => o.value)).toContain(0.001);
    const verbose2 = await rpc<{ fee: number; vin: { prevout: { value: number } }[] }>(chain, 'getrawtransaction', txid, 2);
    expect(verbose2.fee).toBeGreaterThan(0);
    expect(verbose2.vin[0]!.prevout.value).toBe(50);
    const { hash } = await rpc<{ hash: string }>(chain, 'generateblock', alice.address, [txid]);
    expect(await rpc(chain, 'getbestblockhash')).toBe(hash);
    expect(await rpc<Record<string, unknown>>(chain, 'getrawtransaction', txid, true)).toMatchObject({ blockhash: hash, confirmations: 1 });
    const proof = await rpc<string>(chain, 'gettxoutproof', [txid]);
    expect(proof.slice(0, 160)).toBe(await rpc(chain, 'getblockheader', hash, false));
    expect(await rpcError(chain, 'generateblock', alice.address, ['ff'.repeat(32)])).toEqual({ code: -5, message: `Transaction ${'ff'.repeat(32)} not in mempool.` });
  });

  it('submits blocks (submitblock) and answers duplicates and junk', async () => {
    const { hash, hex } = await rpc<{ hash: string; hex: string }>(chain, 'generateblock', alice.address, [], false);
    expect(await rpc(chain, 'getbestblockhash')).not.toBe(hash);
    expect(await rpc(chain, 'submitblock', hex)).toBeNull();
    expect(await rpc(chain, 'getbestblockhash')).toBe(hash);
    expect(await rpc(chain, 'submitblock', hex)).toBe('duplicate');
    expect(await rpcError(chain, 'submitblock', 'zz')).toEqual({ code: -22, message: 'Block decode failed' });
    expect(await rpcError(chain, 'submitblock', '00')).toEqual({ code: -22, message: 'Block decode failed' });
  });

  it('invalidates and reconsiders blocks, reporting the chain tips', async () => {
    const tip = await rpc<string>(chain, 'getbestblockhash');
    const height = await rpc<number>(chain, 'getblockcount');
    expect(await rpc(chain, 'invalidateblock', tip)).toBeNull();
    expect(await rpc(chain, 'getblockcount')).toBe(height - 1);
    const tips = await rpc<{ hash: string; status: string }[]>(chain, 'getchaintips');
    expect(tips).toEqual(expect.arrayContaining([expect.objectContaining({ hash: tip, status: 'invalid' }), expect.objectContaining({ status: 'active' })]));
    expect(await rpc(chain, 'reconsiderblock', tip)).toBeNull();
    expect(await rpc(chain, 'getbestblockhash')).toBe(tip);
    expect(await rpcError(chain, 'invalidateblock', '00'.repeat(32))).toEqual({ code: -5, message: 'Block not found' });
  });

  it('runs the regtest extras: reorg, fee estimates, test coins, faucet address', async () => {
    const before = await rpc<string>(chain, 'getbestblockhash');
    const hashes = await rpc<string[]>(chain, 'regtest_reorg', 2);
    expect(hashes).toHaveLength(2);
    expect(await rpc(chain, 'getbestblockhash')).toBe(hashes[1]);
    expect(hashes).not.toContain(before);
    await rpc(chain, 'regtest_addutxo', 'cd'.repeat(32), 3, toHex(alice.script), 0.5);
    expect(await rpc(chain, 'gettxout', 'cd'.repeat(32), 3)).toMatchObject({ value: 0.5 });
    expect(await rpc(chain, 'regtest_faucetaddress')).toBe(chain.node.faucet.address);
  });

  it('submits packages over RPC with bitcoind 28’s answer shape', async () => {
    const txid = await rpc<string>(chain, 'sendtoaddress', alice.address, 0.002);
    const hex = await rpc<string>(chain, 'getrawtransaction', txid);
    const result = await rpc<{ package_msg: string; 'tx-results': Record<string, { txid: string; vsize: number; fees: { base: number } }>; 'replaced-transactions': string[] }>(chain, 'submitpackage', [hex]);
    expect(result.package_msg).toBe('success');
    expect(Object.values(result['tx-results'])[0]).toMatchObject({ txid, fees: { base: expect.any(Number) } });
    expect(result['replaced-transactions']).toEqual([]);
    expect(await rpcError(chain, 'submitpackage', [])).toEqual({ code: -8, message: 'Array must contain between 1 and 25 transactions.' });
    expect(await rpcError(chain, 'submitpackage', ['zz'])).toEqual({ code: -22, message: 'TX decode failed: zz Make sure the tx has at least one input.' });
  });
});
