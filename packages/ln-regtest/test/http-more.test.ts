// The remaining endpoints over real HTTP: mempool relations, descriptors,
// mining info, chain history pages, getutxos in binary and with the mempool.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { toHex } from 'ln-types';
import { type RunningRegtest, startRegtest } from '../src/index.js';
import { raw, signP2wpkh, spend } from './builders.js';
import { get, rpc, testKey } from './helpers.js';

let chain: RunningRegtest;
const carol = testKey(0xb1);
let confirmed: string;
let pending: string;

beforeAll(async () => {
  chain = await startRegtest({ port: 0 });
  chain.mine(101);
  confirmed = chain.faucet(carol.address, 70_000n, { confirm: true });
  pending = chain.faucet(carol.address, 30_000n);
});
afterAll(async () => {
  await chain.close();
});

describe('more JSON-RPC', () => {
  it('answers mempool ancestors and descendants', async () => {
    const parent = chain.node.findTx(pending)!.info;
    const vout = parent.tx.outputs.findIndex((o) => o.amount === 30_000n);
    const tx = signP2wpkh(spend({ txid: parent.txid, index: vout }, [{ script: carol.script, amount: 29_000n }]), 0, carol, 30_000n);
    const child = await rpc<string>(chain, 'sendrawtransaction', toHex(raw(tx)));
    expect(await rpc(chain, 'getmempoolancestors', child)).toEqual([pending]);
    expect(await rpc(chain, 'getmempooldescendants', pending)).toEqual([child]);
    expect(Object.keys(await rpc<Record<string, unknown>>(chain, 'getmempoolancestors', child, true))).toEqual([pending]);
    expect(await rpc(chain, 'getmempoolentry', child)).toMatchObject({ ancestorcount: 2, depends: [pending] });
  });

  it('mines to a descriptor and reports mining info, uptime and ping', async () => {
    const before = await rpc<number>(chain, 'getblockcount');
    const [hash] = await rpc<string[]>(chain, 'generatetodescriptor', 1, `addr(${carol.address})`);
    expect(await rpc(chain, 'getblockcount')).toBe(before + 1);
    const block = await rpc<{ tx: { vout: { scriptPubKey: { address?: string } }[] }[] }>(chain, 'getblock', hash, 3);
    expect(block.tx[0]!.vout[0]!.scriptPubKey.address).toBe(carol.address);
    expect(await rpc(chain, 'getmininginfo')).toMatchObject({ blocks: before + 1, chain: 'regtest', pooledtx: 0 });
    expect(await rpc(chain, 'uptime')).toBeGreaterThanOrEqual(0);
    expect(await rpc(chain, 'ping')).toBeNull();
  });
});

describe('more Esplora and REST', () => {
  it('pages an address history and lists recent mempool transactions', async () => {
    const extra = chain.faucet(carol.address, 11_000n);
    const chainTxs = JSON.parse((await get(`${chain.esploraUrl}/address/${carol.address}/txs/chain`)).text);
    expect(chainTxs.map((t: { txid: string }) => t.txid)).toContain(confirmed);
    const after = JSON.parse((await get(`${chain.esploraUrl}/address/${carol.address}/txs/chain/${chainTxs[0].txid}`)).text);
    expect(after.length).toBe(chainTxs.length - 1);
    const mempoolTxs = JSON.parse((await get(`${chain.esploraUrl}/address/${carol.address}/txs/mempool`)).text);
    expect(mempoolTxs.map((t: { txid: string }) => t.txid)).toEqual([extra]);
    const recent = JSON.parse((await get(`${chain.esploraUrl}/mempool/recent`)).text);
    expect(recent[0]).toMatchObject({ txid: extra, vsize: expect.any(Number), fee: expect.any(Number) });
  });

  it('answers getutxos with the mempool and in binary', async () => {
    const txid = chain.faucet(carol.address, 12_000n);
    const info = chain.node.findTx(txid)!.info;
    const vout = info.tx.outputs.findIndex((o) => o.amount === 12_000n);
    const withMempool = JSON.parse((await get(`${chain.restUrl}getutxos/checkmempool/${txid}-${vout}.json`)).text);
    expect(withMempool).toMatchObject({ bitmap: '1', utxos: [{ height: 0x7fffffff, value: 0.00012 }] });
    const without = JSON.parse((await get(`${chain.restUrl}getutxos/${txid}-${vout}.json`)).text);
    expect(without.bitmap).toBe('0');
    const bin = (await get(`${chain.restUrl}getutxos/checkmempool/${txid}-${vout}.bin`)).bytes;
    // chainHeight (4) + tip hash (32) + bitmap (1 + 1) + 1 coin: count (1) + version dummy (4) + height (4) + value (8) + script.
    expect(bin.length).toBe(4 + 32 + 2 + 1 + 4 + 4 + 8 + 1 + 22);
    expect(toHex(bin.subarray(4, 36))).toBe(toHex(chain.node.tip.hash));
    expect((await get(`${chain.restUrl}getutxos/checkmempool/${txid}-${vout}.hex`)).text).toBe(`${toHex(bin)}\n`);
  });
});
