// bitcoind's REST interface over real HTTP.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { decodeBlock } from 'ln-tx';
import { fromHex, reverseBytes, toHex } from 'ln-types';
import { type RunningRegtest, REGTEST_GENESIS_HASH, startRegtest } from '../src/index.js';
import { get, testKey } from './helpers.js';

let chain: RunningRegtest;
let txid: string;

beforeAll(async () => {
  chain = await startRegtest({ port: 0 });
  chain.mine(101);
  txid = chain.faucet(testKey(0x31).address, 50_000n, { confirm: true });
});
afterAll(async () => {
  await chain.close();
});

const rest = (path: string): ReturnType<typeof get> => get(`${chain.restUrl}${path}`);

describe('REST', () => {
  it('serves chaininfo as JSON only', async () => {
    const r = await rest('chaininfo.json');
    expect(r.type).toBe('application/json');
    expect(JSON.parse(r.text)).toMatchObject({ chain: 'regtest', blocks: 102 });
    expect(await rest('chaininfo.bin')).toMatchObject({ status: 404, text: 'output format not found (available: .json)\r\n' });
  });

  it('serves blocks as bin, hex and json', async () => {
    const hash = chain.node.tip.hashHex;
    const bin = await rest(`block/${hash}.bin`);
    expect(toHex(reverseBytes(decodeBlock(bin.bytes).hash))).toBe(hash);
    expect((await rest(`block/${hash}.hex`)).text).toBe(`${toHex(bin.bytes)}\n`);
    const json = JSON.parse((await rest(`block/${hash}.json`)).text);
    expect(json.tx[1].txid).toBe(txid);
    expect(json.tx[1].vin[0].prevout).toBeDefined();
    const light = JSON.parse((await rest(`block/notxdetails/${hash}.json`)).text);
    expect(light.tx[1]).toBe(txid);
    expect(await rest(`block/${'00'.repeat(32)}.bin`)).toMatchObject({ status: 404, text: `${'00'.repeat(32)} not found\r\n` });
    expect(await rest('block/xyz.bin')).toMatchObject({ status: 400, text: 'Invalid hash: xyz\r\n' });
    expect(await rest(`block/${hash}.txt`)).toMatchObject({ status: 404, text: 'output format not found (available: .bin, .hex, .json)\r\n' });
  });

  it('serves headers by count in both URL forms', async () => {
    const bin = await rest(`headers/${REGTEST_GENESIS_HASH}.bin?count=3`);
    expect(bin.bytes.length).toBe(240);
    expect((await rest(`headers/3/${REGTEST_GENESIS_HASH}.bin`)).bytes).toEqual(bin.bytes);
    const json = JSON.parse((await rest(`headers/${REGTEST_GENESIS_HASH}.json?count=2`)).text);
    expect(json.map((h: { height: number }) => h.height)).toEqual([0, 1]);
    expect(await rest(`headers/${REGTEST_GENESIS_HASH}.bin?count=0`)).toMatchObject({ status: 400, text: 'Header count is invalid or out of acceptable range (1-2000): 0\r\n' });
    expect((await rest(`headers/${'00'.repeat(32)}.bin?count=5`)).bytes.length).toBe(0);
  });

  it('serves block hashes by height', async () => {
    expect((await rest('blockhashbyheight/0.hex')).text).toBe(`${REGTEST_GENESIS_HASH}\n`);
    expect((await rest('blockhashbyheight/0.bin')).bytes).toEqual(reverseBytes(fromHex(REGTEST_GENESIS_HASH)));
    expect(JSON.parse((await rest('blockhashbyheight/0.json')).text)).toEqual({ blockhash: REGTEST_GENESIS_HASH });
    expect(await rest('blockhashbyheight/999.json')).toMatchObject({ status: 404, text: 'Block height out of range\r\n' });
    expect(await rest('blockhashbyheight/-1.json')).toMatchObject({ status: 400, text: 'Invalid height: -1\r\n' });
  });

  it('serves transactions', async () => {
    const bin = await rest(`tx/${txid}.bin`);
    expect(toHex(bin.bytes)).toBe(toHex(chain.node.findTx(txid)!.info.raw));
    const json = JSON.parse((await rest(`tx/${txid}.json`)).text);
    expect(json).toMatchObject({ txid, blockhash: chain.node.tip.hashHex });
    expect(await rest(`tx/${'00'.repeat(32)}.json`)).toMatchObject({ status: 404 });
  });

  it('answers getutxos', async () => {
    const json = JSON.parse((await rest(`getutxos/${txid}-0/${txid}-7.json`)).text);
    expect(json).toMatchObject({ chainHeight: 102, chaintipHash: chain.node.tip.hashHex, bitmap: '10' });
    expect(json.utxos[0]).toMatchObject({ height: 102, value: 0.0005 });
    expect(await rest('getutxos/.json')).toMatchObject({ status: 400, text: 'Error: empty request\r\n' });
    expect(await rest('getutxos/zz-1.json')).toMatchObject({ status: 400, text: 'Parse error\r\n' });
  });

  it('serves the mempool', async () => {
    expect(JSON.parse((await rest('mempool/info.json')).text)).toMatchObject({ size: 0, loaded: true });
    expect(JSON.parse((await rest('mempool/contents.json')).text)).toEqual({});
  });

  it('answers unknown resources with 404', async () => {
    expect((await rest('nothing.json')).status).toBe(404);
  });
});
