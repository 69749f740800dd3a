// Junk never crashes the server or changes the chain: random JSON-RPC calls
// and bodies, random REST and Esplora paths, truncated and mutated
// transactions and blocks. Every request gets an HTTP answer.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { toHex } from 'ln-types';
import { RPC_METHODS, type RunningRegtest, startRegtest } from '../src/index.js';
import { get, rpcRaw, testKey } from './helpers.js';

const RUNS = process.env['LN_LONG_TESTS'] === '1' ? 2000 : 150;
let chain: RunningRegtest;
let tip: string;
let txHex: string;
let blockHex: string;

const MUTATING = new Set(['stop', 'generatetoaddress', 'generatetodescriptor', 'generateblock', 'invalidateblock', 'reconsiderblock', 'regtest_reorg', 'setmocktime', 'regtest_addutxo', 'sendtoaddress', 'regtest_setfeeestimate']);
const safeMethods = Object.keys(RPC_METHODS).filter((m) => !MUTATING.has(m));

beforeAll(async () => {
  chain = await startRegtest({ port: 0 });
  chain.mine(101);
  const txid = chain.faucet(testKey(0xa1).address, 10_000n, { confirm: true });
  txHex = toHex(chain.node.findTx(txid)!.info.raw);
  blockHex = toHex(chain.node.tip.raw);
  tip = chain.node.tip.hashHex;
});
afterAll(async () => {
  await chain.close();
});

const segment = fc.oneof(
  fc.constantFrom('block', 'tx', 'blocks', 'tip', 'hash', 'height', 'raw', 'hex', 'status', 'txids', 'txid', 'header', 'outspend', 'outspends', 'merkle-proof', 'address', 'scripthash', 'utxo', 'txs', 'chain', 'mempool', 'fee-estimates', 'block-height', 'headers', 'getutxos', 'checkmempool', 'blockhashbyheight', 'chaininfo.json', 'notxdetails', ''),
  fc.string({ maxLength: 70 }).map((s) => encodeURIComponent(s)),
  fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => toHex(b)),
  fc.nat({ max: 5000 }).map(String),
  fc.constantFrom('x.json', 'y.bin', 'z.hex', '-1', '99999999999999999999'),
);

describe('robustness', () => {
  it('answers random REST and Esplora paths without crashing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(chain.restUrl, `${chain.esploraUrl}/`), fc.array(segment, { maxLength: 6 }), async (base, parts) => {
        const r = await get(`${base}${parts.join('/')}`);
        expect(r.status).toBeGreaterThanOrEqual(200);
        expect(r.status).toBeLessThan(600);
        expect(r.status).not.toBe(500);
      }),
      { numRuns: RUNS },
    );
  });

  it('answers random JSON-RPC calls with a result or an error object', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...safeMethods), fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 4 }), async (method, params) => {
        const r = await rpcRaw(chain, { method, params, id: 1 });
        const body = r.body as { result: unknown; error: { code: number; message: string } | null };
        expect(body).toBeDefined();
        if (body.error !== null) {
          expect(typeof body.error.code).toBe('number');
          expect(typeof body.error.message).toBe('string');
          expect(body.error.code).not.toBe(-32603);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('answers random request bodies', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ maxLength: 200 }), fc.jsonValue().map((v) => JSON.stringify(v))), async (body) => {
        const r = await rpcRaw(chain, body);
        expect([200, 204, 400, 404, 500]).toContain(r.status);
        const esplora = await fetch(`${chain.esploraUrl}/tx`, { method: 'POST', body });
        expect([200, 400]).toContain(esplora.status);
        const pkg = await fetch(`${chain.esploraUrl}/txs/package`, { method: 'POST', body });
        expect([200, 400]).toContain(pkg.status);
      }),
      { numRuns: RUNS },
    );
  });

  it('refuses truncated and mutated transactions and blocks without changing the chain', async () => {
    const mutate = (hex: string) =>
      fc.oneof(
        fc.nat({ max: hex.length / 2 - 1 }).map((n) => hex.slice(0, n * 2)),
        fc.tuple(fc.nat({ max: hex.length / 2 - 1 }), fc.integer({ min: 1, max: 255 })).map(([at, x]) => hex.slice(0, at * 2) + (parseInt(hex.slice(at * 2, at * 2 + 2), 16) ^ x).toString(16).padStart(2, '0') + hex.slice(at * 2 + 2)),
      );
    await fc.assert(
      fc.asyncProperty(mutate(txHex), mutate(blockHex), async (tx, block) => {
        const sent = await rpcRaw(chain, { method: 'sendrawtransaction', params: [tx], id: 1 });
        expect((sent.body as { error: unknown }).error).not.toBeNull();
        await rpcRaw(chain, { method: 'testmempoolaccept', params: [[tx]], id: 2 });
        await rpcRaw(chain, { method: 'decoderawtransaction', params: [tx], id: 3 });
        const submitted = await rpcRaw(chain, { method: 'submitblock', params: [block], id: 4 });
        expect(submitted.status === 200 || submitted.status === 500).toBe(true);
      }),
      { numRuns: RUNS },
    );
    expect(chain.node.tip.hashHex).toBe(tip);
    expect(chain.node.mempool.size).toBe(0);
  });
});
