import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { CONFIRMATION_TARGETS, FEERATE_FLOOR_SAT_PER_KW } from 'ln-chain-api';
import { encodeTx, type Tx } from 'ln-tx';
import type { LogRecord, Logger } from 'ln-types';
import { BitcoindRpcClient, CachingFeeEstimator, ChainSourceError, DEFAULT_FALLBACK_FEERATES, EsploraClient, RetryingBroadcaster, type FeeRateSource } from '../src/index.js';
import { TestChain, P2WPKH, makeTx, randomOutPoint } from './helpers/chain.js';
import { FakeServer } from './helpers/fake-server.js';

let server: FakeServer;

beforeAll(async () => {
  const chain = new TestChain();
  chain.mine(2);
  server = await FakeServer.start(chain);
});

afterAll(async () => {
  await server.close();
});

beforeEach(() => {
  server.intercept = undefined;
  server.rejectBroadcast = undefined;
  server.fees = new Map([
    [1, 40],
    [6, 20],
    [12, 10],
    [144, 4],
    [1008, 1.5],
  ]);
});

const rpc = () => new BitcoindRpcClient({ url: server.url, timeoutMs: 3000 });
const esplora = () => new EsploraClient({ url: server.esploraUrl, timeoutMs: 3000 });

function memoryLogger(): Logger & { records: LogRecord[] } {
  const records: LogRecord[] = [];
  return { level: 'debug', log: (r) => records.push(r), records };
}

describe('CachingFeeEstimator', () => {
  it('answers fallbacks before any refresh, never below 253', () => {
    const fees = new CachingFeeEstimator(rpc(), { fallbacks: { channel_close_minimum: 1 } });
    expect(fees.hasEstimates).toBe(false);
    for (const t of CONFIRMATION_TARGETS) expect(fees.getEstSatPer1000Weight(t)).toBeGreaterThanOrEqual(FEERATE_FLOOR_SAT_PER_KW);
    expect(fees.getEstSatPer1000Weight('maximum_fee_estimate')).toBe(DEFAULT_FALLBACK_FEERATES.maximum_fee_estimate);
    expect(fees.getEstSatPer1000Weight('channel_close_minimum')).toBe(253);
  });

  for (const kind of ['rpc', 'esplora'] as const) {
    it(`${kind}: one refresh fills every purpose from its confirmation target`, async () => {
      const before = server.log.length;
      const fees = new CachingFeeEstimator(kind === 'rpc' ? rpc() : esplora());
      const result = await fees.refresh();
      expect(server.log.length - before).toBe(1);
      expect(result.error).toBeUndefined();
      expect(result.updated).toHaveLength(CONFIRMATION_TARGETS.length);
      // sat/vB x 250 = sat per 1000 weight
      expect(fees.getEstSatPer1000Weight('maximum_fee_estimate')).toBe(10_000);
      expect(fees.getEstSatPer1000Weight('urgent_on_chain_sweep')).toBe(5_000);
      expect(fees.getEstSatPer1000Weight('non_anchor_channel_fee')).toBe(2_500);
      expect(fees.getEstSatPer1000Weight('channel_close_minimum')).toBe(1_000);
      expect(fees.getEstSatPer1000Weight('anchor_channel_fee')).toBe(375);
      // The lowest rates accepted from a peer get 250 sat/kw of slack, floored.
      expect(fees.getEstSatPer1000Weight('min_allowed_non_anchor_channel_remote_fee')).toBe(750);
      expect(fees.getEstSatPer1000Weight('min_allowed_anchor_channel_remote_fee')).toBe(253);
      expect(fees.hasEstimates).toBe(true);
    });
  }

  it('a failing source keeps the last rates and says why', async () => {
    const logger = memoryLogger();
    const fees = new CachingFeeEstimator(rpc(), { logger });
    await fees.refresh();
    server.intercept = () => ({ status: 503, body: 'down' });
    const result = await fees.refresh();
    expect(result.error).toBeInstanceOf(ChainSourceError);
    expect(result.error!.code).toBe('http_status');
    expect(fees.getEstSatPer1000Weight('urgent_on_chain_sweep')).toBe(5_000);
    expect(logger.records.some((r) => r.level === 'warn')).toBe(true);
    server.intercept = () => ({ destroy: true });
    expect((await fees.refresh()).error!.code).toBe('unreachable');
  });

  it('a purpose without an estimate keeps its fallback or last rate', async () => {
    server.fees = new Map([[6, 20]]);
    const fees = new CachingFeeEstimator(rpc());
    const result = await fees.refresh();
    expect(result.unchanged).toContain('maximum_fee_estimate');
    expect(fees.getEstSatPer1000Weight('maximum_fee_estimate')).toBe(DEFAULT_FALLBACK_FEERATES.maximum_fee_estimate);
    expect(fees.getEstSatPer1000Weight('urgent_on_chain_sweep')).toBe(5_000);
    server.fees = new Map([[1, 30]]);
    await fees.refresh();
    expect(fees.getEstSatPer1000Weight('urgent_on_chain_sweep')).toBe(7_500);
    server.fees = new Map();
    await fees.refresh();
    expect(fees.getEstSatPer1000Weight('urgent_on_chain_sweep')).toBe(7_500);
  });

  it('absurd, zero, negative and non-finite estimates are capped or ignored', async () => {
    const answers = new Map<number, number>([
      [1, 1e12],
      [6, 0],
      [12, -5],
      [144, Number.NaN],
      [1008, 0.3],
    ]);
    const source: FeeRateSource = { estimateFeeRates: async () => answers };
    const fees = new CachingFeeEstimator(source, { maxFeeRateSatPerKw: 50_000 });
    await fees.refresh();
    expect(fees.getEstSatPer1000Weight('maximum_fee_estimate')).toBe(50_000);
    expect(fees.getEstSatPer1000Weight('urgent_on_chain_sweep')).toBe(DEFAULT_FALLBACK_FEERATES.urgent_on_chain_sweep);
    expect(fees.getEstSatPer1000Weight('anchor_channel_fee')).toBe(253);
    const throwing = new CachingFeeEstimator({ estimateFeeRates: () => Promise.reject(new TypeError('boom')) });
    expect((await throwing.refresh()).error).toBeInstanceOf(ChainSourceError);
    expect(() => new CachingFeeEstimator(source, { confTargets: { output_spending_fee: 0 } })).toThrow(RangeError);
  });
});

describe('RetryingBroadcaster', () => {
  const tx = (): Tx => makeTx({ inputs: [randomOutPoint()], outputs: [{ script: P2WPKH(1), amount: 5_000n }] });
  const sentRpc = (method: string) => server.log.filter((r) => r.rpcMethods.includes(method)).length;

  it('sends one transaction with sendrawtransaction and a package with submitpackage', async () => {
    const b = new RetryingBroadcaster(rpc());
    const one = tx();
    const parent = tx();
    const child = tx();
    const n = server.broadcasts.length;
    b.broadcastTransactions([one]);
    b.broadcastTransactions([parent, child]);
    await b.whenIdle();
    expect(server.broadcasts.slice(n).map((r) => Buffer.from(r).toString('hex'))).toEqual([one, parent, child].map((t) => Buffer.from(encodeTx(t)).toString('hex')));
    expect(b.stats).toMatchObject({ sent: 2, rejected: 0 });
    expect(server.log.at(-1)!.rpcMethods).toEqual(['submitpackage']);
  });

  it('retries a transient failure on the next call, in order, and drops after maxAttempts', async () => {
    const logger = memoryLogger();
    const b = new RetryingBroadcaster(rpc(), { logger, maxAttempts: 3 });
    server.intercept = () => ({ destroy: true });
    const first = tx();
    b.broadcastTransactions([first]);
    await b.whenIdle();
    expect(b.pendingCount).toBe(1);
    server.intercept = undefined;
    const second = tx();
    const n = server.broadcasts.length;
    b.broadcastTransactions([second]);
    await b.whenIdle();
    expect(b.pendingCount).toBe(0);
    expect(server.broadcasts.slice(n).map((r) => Buffer.from(r).toString('hex'))).toEqual([first, second].map((t) => Buffer.from(encodeTx(t)).toString('hex')));
    expect(b.stats).toMatchObject({ sent: 2, retried: 1 });
    // Down for good: dropped after three attempts.
    server.intercept = () => ({ status: 502, body: 'bad gateway' });
    b.broadcastTransactions([tx()]);
    await b.whenIdle();
    await b.retryPending();
    await b.retryPending();
    expect(b.pendingCount).toBe(0);
    expect(b.stats.dropped).toBe(1);
    expect(logger.records.some((r) => r.message.includes('dropped'))).toBe(true);
  });

  it('does not retry a permanent rejection; logs it', async () => {
    const logger = memoryLogger();
    const b = new RetryingBroadcaster(rpc(), { logger });
    server.rejectBroadcast = { code: -26, message: 'mandatory-script-verify-flag-failed' };
    const before = sentRpc('sendrawtransaction');
    b.broadcastTransactions([tx()]);
    await b.whenIdle();
    await b.retryPending();
    expect(sentRpc('sendrawtransaction') - before).toBe(1);
    expect(b.stats).toMatchObject({ rejected: 1, sent: 0 });
    expect(b.pendingCount).toBe(0);
    expect(logger.records.find((r) => r.level === 'warn')?.fields).toMatchObject({ rpcCode: -26 });
  });

  it('"already in the chain" counts as sent', async () => {
    const b = new RetryingBroadcaster(rpc());
    server.rejectBroadcast = { code: -27, message: 'Transaction already in block chain' };
    b.broadcastTransactions([tx()]);
    await b.whenIdle();
    expect(b.stats).toMatchObject({ sent: 1, rejected: 0 });
  });

  it('a rejected package is not retried', async () => {
    const b = new RetryingBroadcaster(rpc());
    server.intercept = (r) => (r.rpcMethods.includes('submitpackage') ? { status: 200, body: JSON.stringify({ result: { package_msg: 'transaction failed', 'tx-results': {} }, error: null, id: JSON.parse(r.body).id }) } : undefined);
    b.broadcastTransactions([tx(), tx()]);
    await b.whenIdle();
    await b.retryPending();
    expect(b.stats).toMatchObject({ rejected: 1, sent: 0 });
  });

  it('over Esplora: POST /tx and POST /txs/package; a 400 is permanent', async () => {
    const b = new RetryingBroadcaster(esplora());
    const n = server.broadcasts.length;
    b.broadcastTransactions([tx()]);
    b.broadcastTransactions([tx(), tx()]);
    await b.whenIdle();
    expect(server.broadcasts.length - n).toBe(3);
    expect(b.stats.sent).toBe(2);
    server.rejectBroadcast = { code: -25, message: 'bad-txns-inputs-missingorspent' };
    b.broadcastTransactions([tx()]);
    await b.whenIdle();
    expect(b.stats.rejected).toBe(1);
    expect(b.pendingCount).toBe(0);
  });

  it('bounds what waits for a retry', async () => {
    const b = new RetryingBroadcaster(rpc(), { maxPending: 3 });
    server.intercept = () => ({ status: 503, body: 'busy' });
    for (let i = 0; i < 6; i++) b.broadcastTransactions([tx()]);
    await b.whenIdle();
    expect(b.pendingCount).toBeLessThanOrEqual(3);
    expect(b.stats.dropped).toBeGreaterThan(0);
  });
});
