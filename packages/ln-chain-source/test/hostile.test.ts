// Every failure of a broken or hostile server is a typed ChainSourceError:
// no untyped throw, no hang, no unbounded read.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { encodeBlock, encodeBlockHeader, encodeTx, merkleBranch, type Tx } from 'ln-tx';
import { type BlockHash, blockHashToHex, concatBytes, toHex, reverseBytes, txidToHex } from 'ln-types';
import { BitcoindRestClient, BitcoindRpcClient, ChainSourceError, EsploraClient, checkMerkleProof } from '../src/index.js';
import { strippedSize } from '../src/verify/checked.js';
import { encodeTxNoWitness } from 'ln-tx';
import { TestChain, P2WPKH, makeTx, mineBlock, randomOutPoint } from './helpers/chain.js';
import { FakeServer, type FakeReply, type FakeRequest } from './helpers/fake-server.js';

let chain: TestChain;
let server: FakeServer;

beforeAll(async () => {
  chain = new TestChain();
  chain.mine(2);
  chain.mine(1, () => [makeTx({ inputs: [randomOutPoint()], outputs: [{ script: P2WPKH(1), amount: 1000n }], witness: true }), makeTx({ inputs: [randomOutPoint()], outputs: [{ script: P2WPKH(2), amount: 1000n }] })]);
  server = await FakeServer.start(chain, { auth: { user: 'u', password: 'p' } });
});

afterAll(async () => {
  await server.close();
});

beforeEach(() => {
  server.intercept = undefined;
});

const rpc = (options: { timeoutMs?: number; maxResponseBytes?: number; password?: string } = {}) =>
  new BitcoindRpcClient({ url: server.url, auth: { user: 'u', password: options.password ?? 'p' }, timeoutMs: options.timeoutMs ?? 5000, ...(options.maxResponseBytes === undefined ? {} : { maxResponseBytes: options.maxResponseBytes }) });
const rest = (options: { timeoutMs?: number; maxResponseBytes?: number } = {}) => new BitcoindRestClient({ url: server.url, timeoutMs: options.timeoutMs ?? 5000, ...(options.maxResponseBytes === undefined ? {} : { maxResponseBytes: options.maxResponseBytes }) });
const esplora = (options: { timeoutMs?: number; maxResponseBytes?: number } = {}) => new EsploraClient({ url: server.esploraUrl, timeoutMs: options.timeoutMs ?? 5000, ...(options.maxResponseBytes === undefined ? {} : { maxResponseBytes: options.maxResponseBytes }) });

/** Answers requests matching `when` with `reply`, the rest normally. */
function interceptWhen(when: (r: FakeRequest) => boolean, reply: FakeReply | ((r: FakeRequest) => FakeReply)): void {
  server.intercept = (r) => (when(r) ? (typeof reply === 'function' ? reply(r) : reply) : undefined);
}

async function expectCode(p: Promise<unknown>, code: ChainSourceError['code']): Promise<ChainSourceError> {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ChainSourceError);
  expect((error as ChainSourceError).code).toBe(code);
  return error as ChainSourceError;
}

const rpcReply = (result: unknown, id = 1) => JSON.stringify({ result, error: null, id });
const isRpc = (method: string) => (r: FakeRequest) => r.rpcMethods.includes(method);

describe('transport failures', () => {
  it('a server that is not there: unreachable', async () => {
    const dead = await FakeServer.start(chain);
    const url = dead.url;
    await dead.close();
    await expectCode(new BitcoindRpcClient({ url }).getBestBlock(), 'unreachable');
    await expectCode(new BitcoindRestClient({ url }).getBestBlock(), 'unreachable');
    await expectCode(new EsploraClient({ url }).getBestBlock(), 'unreachable');
  });

  it('a connection dropped before the answer: unreachable', async () => {
    server.intercept = () => ({ destroy: true });
    await expectCode(rpc().getBestBlock(), 'unreachable');
    await expectCode(esplora().getTipHash(), 'unreachable');
  });

  it('a server that never answers: timeout, within the timeout', async () => {
    server.intercept = () => ({ hang: true });
    const started = Date.now();
    await expectCode(rpc({ timeoutMs: 300 }).getBestBlock(), 'timeout');
    await expectCode(rest({ timeoutMs: 300 }).getBlock(chain.tip.hash), 'timeout');
    await expectCode(esplora({ timeoutMs: 300 }).getTipHash(), 'timeout');
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('a body that trickles forever: timeout (the deadline covers the body)', async () => {
    const timers: NodeJS.Timeout[] = [];
    server.intercept = () => ({
      stream: (res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"result":');
        const t = setInterval(() => res.write(' '), 50);
        timers.push(t);
        res.on('close', () => clearInterval(t));
      },
    });
    try {
      await expectCode(rpc({ timeoutMs: 400 }).getBestBlock(), 'timeout');
    } finally {
      timers.forEach(clearInterval);
    }
  });

  it("the caller's abort signal: aborted", async () => {
    server.intercept = () => ({ hang: true });
    const controller = new AbortController();
    const p = rpc().call('getblockchaininfo', [], { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expectCode(p, 'aborted');
    const already = new AbortController();
    already.abort();
    await expectCode(esplora().getTipHash({ signal: already.signal }), 'aborted');
  });

  it('an oversized answer: response_too_large, declared or streamed', async () => {
    interceptWhen(isRpc('getblock'), { status: 200, body: rpcReply('00'.repeat(600_000)) });
    await expectCode(rpc({ maxResponseBytes: 100_000 }).getBlock(chain.tip.hash), 'response_too_large');
    // No content-length: the client stops reading at the cap.
    let written = 0;
    server.intercept = () => ({
      stream: (res) => {
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        const chunk = new Uint8Array(64 * 1024);
        const pump = () => {
          while (written < 50_000_000) {
            written += chunk.length;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
          res.end();
        };
        res.on('error', () => {});
        pump();
      },
    });
    await expectCode(rest({ maxResponseBytes: 1_000_000 }).getBlock(chain.tip.hash), 'response_too_large');
    expect(written).toBeLessThan(50_000_000);
  });
});

describe('HTTP and JSON failures', () => {
  it('bad credentials: auth', async () => {
    await expectCode(rpc({ password: 'wrong' }).getBestBlock(), 'auth');
    interceptWhen(() => true, { status: 403, body: '' });
    await expectCode(esplora().getTipHash(), 'auth');
  });

  it('an unexpected status: http_status with the status', async () => {
    interceptWhen(() => true, { status: 503, body: 'Work queue depth exceeded' });
    const e = await expectCode(rpc().getBestBlock(), 'http_status');
    expect(e.status).toBe(503);
    await expectCode(rest().getBestBlock(), 'http_status');
    await expectCode(esplora().getTipHash(), 'http_status');
    interceptWhen(() => true, { status: 500, body: '<html>proxy error</html>' });
    await expectCode(rpc().getBestBlock(), 'http_status');
  });

  it('malformed JSON: bad_json', async () => {
    interceptWhen(() => true, { status: 200, body: '{"result": {"blocks": 3,' });
    await expectCode(rpc().getBestBlock(), 'bad_json');
    await expectCode(rest().getBestBlock(), 'bad_json');
    await expectCode(esplora().getTxStatus(chain.tip.block.transactions[0]!.txid), 'bad_json');
    interceptWhen(() => true, { status: 200, body: Uint8Array.of(0x7b, 0xff, 0xfe, 0x7d) });
    await expectCode(rpc().getBestBlock(), 'bad_json');
  });

  it('JSON of the wrong shape: bad_json', async () => {
    const shapes = [rpcReply({ bestblockhash: 'zz', blocks: 3 }), rpcReply({ bestblockhash: blockHashToHex(chain.tip.hash), blocks: -1 }), rpcReply(null), JSON.stringify({ result: 1, error: null, id: 999 }), '[]', '"text"'];
    for (const body of shapes) {
      interceptWhen(isRpc('getblockchaininfo'), { status: 200, body });
      await expectCode(rpc().getBestBlock(), 'bad_json');
    }
    interceptWhen(() => true, { status: 200, body: JSON.stringify({ confirmed: true, block_height: 'x' }) });
    await expectCode(esplora().getTxStatus(chain.tip.block.transactions[0]!.txid), 'bad_json');
    interceptWhen(() => true, { status: 200, body: 'not a hash' });
    await expectCode(esplora().getTipHash(), 'bad_json');
  });

  it('an RPC error: rpc_error with its code; a batch missing a reply: bad_json for that call', async () => {
    interceptWhen(isRpc('getblockchaininfo'), { status: 500, body: JSON.stringify({ result: null, error: { code: -28, message: 'Loading block index...' }, id: 1 }) });
    const e = await expectCode(rpc().getBestBlock(), 'rpc_error');
    expect(e.rpcCode).toBe(-28);
    interceptWhen(isRpc('getblockhash'), (r) => {
      const calls = JSON.parse(r.body) as { id: number }[];
      return { status: 200, body: JSON.stringify([{ result: blockHashToHex(chain.tip.hash), error: null, id: calls[0]!.id }]) };
    });
    const out = await rpc().batch([
      { method: 'getblockhash', params: [0] },
      { method: 'getblockhash', params: [1] },
    ]);
    expect(out[0]!.ok).toBe(true);
    expect(!out[1]!.ok && out[1]!.error.code).toBe('bad_json');
  });
});

describe('data that is not what was asked for: invalid_data', () => {
  const other = () => chain.best[1]!;

  it('a header that does not hash to its id', async () => {
    const wrong = toHex(encodeBlockHeader(other().block.header));
    interceptWhen((r) => r.rpcMethods.includes('getblockheader'), (r) => {
      const calls = JSON.parse(r.body) as { id: number; params: unknown[] }[];
      return { status: 200, body: JSON.stringify(calls.map((c) => ({ result: c.params[1] === false ? wrong : { height: 3 }, error: null, id: c.id }))) };
    });
    await expectCode(rpc().getHeader(chain.tip.hash), 'invalid_data');
    interceptWhen((r) => r.path.endsWith('/header'), { status: 200, body: wrong });
    await expectCode(esplora().getHeader(chain.tip.hash), 'invalid_data');
    interceptWhen((r) => r.path.startsWith('/rest/headers/'), { status: 200, body: JSON.stringify([{ ...JSON.parse('{}'), height: 3, version: 1, merkleroot: '00'.repeat(32), time: 1, bits: '207fffff', nonce: 1, previousblockhash: '00'.repeat(32) }]) });
    await expectCode(rest().getHeader(chain.tip.hash), 'invalid_data');
    interceptWhen((r) => r.path.endsWith('/header'), { status: 200, body: 'abcd' });
    await expectCode(esplora().getHeader(chain.tip.hash), 'invalid_data');
  });

  it('another block than the one asked for', async () => {
    interceptWhen(isRpc('getblock'), { status: 200, body: rpcReply(toHex(other().raw)) });
    await expectCode(rpc().getBlock(chain.tip.hash), 'invalid_data');
    interceptWhen((r) => r.path.endsWith('.bin'), { status: 200, body: other().raw });
    await expectCode(rest().getBlock(chain.tip.hash), 'invalid_data');
    interceptWhen((r) => r.path.endsWith('/raw'), { status: 200, body: other().raw });
    await expectCode(esplora().getBlock(chain.tip.hash), 'invalid_data');
  });

  it('a block whose transactions do not match its merkle root', async () => {
    const tip = chain.tip;
    const txs = tip.block.transactions.map((t) => t.raw);
    const swapped = encodeBlock(tip.block.header, [txs[0]!, encodeTx(makeTx({ inputs: [randomOutPoint()], outputs: [{ script: P2WPKH(9), amount: 1n }] })), txs[2]!]);
    interceptWhen(() => true, { status: 200, body: swapped });
    await expectCode(rest().getBlock(tip.hash), 'invalid_data');
    await expectCode(esplora().getBlock(tip.hash), 'invalid_data');
    interceptWhen(() => true, { status: 200, body: rpcReply(toHex(swapped)) });
    await expectCode(rpc().getBlock(tip.hash), 'invalid_data');
  });

  it('a block whose witness data does not match its commitment', async () => {
    const tip = chain.tip;
    const t1 = tip.block.transactions[1]!.tx;
    const changed: Tx = { ...t1, inputs: t1.inputs.map((i) => ({ ...i, witness: [Uint8Array.of(9, 9, 9)] })) };
    const raws = tip.block.transactions.map((t) => t.raw);
    const bytes = encodeBlock(tip.block.header, [raws[0]!, encodeTx(changed), raws[2]!]);
    interceptWhen(() => true, { status: 200, body: bytes });
    const e = await expectCode(rest().getBlock(tip.hash), 'invalid_data');
    expect(e.message).toMatch(/witness commitment/);
  });

  it('a mutated block (the last transactions repeated: same merkle root)', async () => {
    // Three transactions: repeating the third gives the same root (CVE-2012-2459).
    const tip = chain.tip;
    const raws = tip.block.transactions.map((t) => t.raw);
    const bytes = encodeBlock(tip.block.header, [...raws, raws[2]!]);
    interceptWhen(() => true, { status: 200, body: bytes });
    const e = await expectCode(rest().getBlock(tip.hash), 'invalid_data');
    expect(e.message).toMatch(/repeats/);
  });

  it('truncated, trailing and random block bytes', async () => {
    const raw = chain.tip.raw;
    for (const body of [raw.subarray(0, raw.length - 1), concatBytes(raw, Uint8Array.of(0)), raw.subarray(0, 80), new Uint8Array(0)]) {
      interceptWhen(() => true, { status: 200, body });
      await expectCode(rest().getBlock(chain.tip.hash), 'invalid_data');
    }
  });

  it('a transaction that is not the txid asked for', async () => {
    interceptWhen((r) => r.path.endsWith('/raw'), { status: 200, body: chain.best[1]!.block.transactions[0]!.raw });
    await expectCode(esplora().getTransaction(chain.tip.block.transactions[1]!.txid), 'invalid_data');
    interceptWhen(isRpc('getrawtransaction'), { status: 200, body: rpcReply(toHex(chain.best[1]!.block.transactions[0]!.raw)) });
    await expectCode(rpc().getRawTransaction(chain.tip.block.transactions[1]!.txid), 'invalid_data');
  });

  it('a merkle proof that does not lead to the header, or is for another height', async () => {
    const id = chain.tip.block.transactions[1]!.txid;
    interceptWhen((r) => r.path.endsWith('/merkle-proof'), { status: 200, body: JSON.stringify({ block_height: chain.tip.height, merkle: ['11'.repeat(32), '22'.repeat(32)], pos: 1 }) });
    await expectCode(esplora().getConfirmedTransaction(id, chain.tip.hash), 'invalid_data');
    const branch = merkleBranch(chain.tip.block.transactions.map((t) => t.txid), 1).map((h) => toHex(reverseBytes(h)));
    interceptWhen((r) => r.path.endsWith('/merkle-proof'), { status: 200, body: JSON.stringify({ block_height: chain.tip.height - 1, merkle: branch, pos: 1 }) });
    await expectCode(esplora().getConfirmedTransaction(id, chain.tip.hash), 'invalid_data');
    interceptWhen((r) => r.path.endsWith('/merkle-proof'), { status: 200, body: JSON.stringify({ block_height: chain.tip.height, merkle: branch, pos: 7 }) });
    await expectCode(esplora().getConfirmedTransaction(id, chain.tip.hash), 'invalid_data');
    expect((await esplora().getConfirmedTransaction(id, chain.tip.hash).catch(() => undefined)) === undefined).toBe(true);
    server.intercept = undefined;
    expect((await esplora().getConfirmedTransaction(id, chain.tip.hash)).transaction.index).toBe(1);
  });

  it('refuses a 64-byte transaction in a merkle proof (an inner node passed off as a leaf)', () => {
    // A transaction whose serialization without witness is exactly 64 bytes.
    const tx64: Tx = { version: 2, locktime: 0, inputs: [{ previousOutput: randomOutPoint(), sequence: 0, scriptSig: new Uint8Array(4) }], outputs: [{ script: new Uint8Array(0), amount: 0n }] };
    const raw = encodeTx(tx64);
    expect(raw.length).toBe(64);
    const block = mineBlock(chain.tip.hash, chain.tip.height + 1, [tx64], 1);
    const t = block.block.transactions[1]!;
    expect(() => checkMerkleProof(t, merkleBranch(block.block.transactions.map((x) => x.txid), 1), 1, block.block.header)).toThrow(/64 bytes/);
  });

  it('a broadcast answered with another txid', async () => {
    interceptWhen((r) => r.method === 'POST', { status: 200, body: txidToHex(chain.tip.block.transactions[0]!.txid) });
    await expectCode(esplora().broadcastTransaction(encodeTx(makeTx({ inputs: [randomOutPoint()], outputs: [{ script: P2WPKH(3), amount: 1n }] }))), 'invalid_data');
  });
});

describe('random answers', () => {
  it('any body on any endpoint gives a result or a ChainSourceError', async () => {
    const tip: BlockHash = chain.tip.hash;
    const calls: ((c: { rpc: BitcoindRpcClient; rest: BitcoindRestClient; esplora: EsploraClient }) => Promise<unknown>)[] = [
      (c) => c.rpc.getBestBlock(),
      (c) => c.rpc.getHeader(tip),
      (c) => c.rpc.getBlock(tip),
      (c) => c.rpc.getTxOut(chain.tip.block.transactions[1]!.txid, 0),
      (c) => c.rpc.estimateFeeRates([1, 6]),
      (c) => c.rpc.submitPackage([chain.tip.block.transactions[1]!.raw]),
      (c) => c.rpc.testMempoolAccept([chain.tip.block.transactions[1]!.raw]),
      (c) => c.rest.getBestBlock(),
      (c) => c.rest.getHeader(tip),
      (c) => c.rest.getBlock(tip),
      (c) => c.rest.isOutputUnspent(chain.tip.block.transactions[1]!.txid, 0),
      (c) => c.esplora.getBestBlock(),
      (c) => c.esplora.getHeader(tip),
      (c) => c.esplora.getBlock(tip),
      (c) => c.esplora.getTxStatus(chain.tip.block.transactions[1]!.txid),
      (c) => c.esplora.getConfirmedTransaction(chain.tip.block.transactions[1]!.txid, tip),
      (c) => c.esplora.getOutputSpends(chain.tip.block.transactions[1]!.txid),
      (c) => c.esplora.getFeeEstimates(),
      (c) => c.esplora.getScriptUtxos(P2WPKH(1)),
      (c) => c.esplora.broadcastPackage([chain.tip.block.transactions[1]!.raw]),
    ];
    const clients = { rpc: rpc(), rest: rest(), esplora: esplora() };
    const body = fc.oneof(
      fc.uint8Array({ maxLength: 300 }),
      fc.json().map((j) => new TextEncoder().encode(j)),
      fc.jsonValue().map((v) => new TextEncoder().encode(JSON.stringify({ result: v, error: null, id: 1 }))),
    );
    await fc.assert(
      fc.asyncProperty(fc.nat(calls.length - 1), body, fc.constantFrom(200, 200, 404, 500), async (which, bytes, status) => {
        server.intercept = () => ({ status, body: bytes });
        try {
          await calls[which]!(clients);
        } catch (e) {
          if (!(e instanceof ChainSourceError)) throw e;
        }
      }),
      { numRuns: Number(process.env.LN_FUZZ_RUNS ?? (process.env.LN_LONG_TESTS === '1' ? 5000 : 300)) },
    );
  });

  it('strippedSize agrees with the serialization without witness', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 4 }), fc.boolean(), fc.uint8Array({ maxLength: 300 }), (inputs, outputs, witness, script) => {
        const tx = makeTx({ inputs: Array.from({ length: inputs }, randomOutPoint), outputs: Array.from({ length: outputs }, () => ({ script, amount: 1n })), witness });
        expect(strippedSize(encodeTx(tx))).toBe(encodeTxNoWitness(tx).length);
      }),
      { numRuns: 200 },
    );
  });

});
