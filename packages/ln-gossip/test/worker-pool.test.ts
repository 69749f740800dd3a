import { afterAll, describe, expect, it } from '@jest/globals';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { nobleSecp256k1, sha256d } from 'ln-crypto';
import { allMessages } from 'ln-gossip-generator';
import { backendVerifier, PortPoolVerifier, serveVerifier, SignatureBatchBuilder, splitBatch, type SignatureBatch, type VerifierPort } from '../src/index.js';
import { WorkerPoolVerifier } from '../src/node/index.js';
import { canonicalDump, fastVerifier, freshIngest, gossipFixture, signer } from './helpers.js';

const require = createRequire(import.meta.url);
const nativeUrl = pathToFileURL(require.resolve('secp256k1')).href;
const tinyUrl = pathToFileURL(require.resolve('tiny-secp256k1')).href;

/**
 * A batch with valid and invalid checks mixed (wrong key, other message, garbage
 * key), and messages signed twice in a row (one span shared by two checks, as
 * a channel_announcement's signatures share one).
 */
function mixedBatch(n: number): { batch: SignatureBatch; expected: number[] } {
  const b = new SignatureBatchBuilder(2);
  const expected: number[] = [];
  for (let i = 0; i < n; i++) {
    const key = new Uint8Array(32).fill(i + 1);
    const message = new Uint8Array(40 + (i % 5) * 30).fill(i * 7 + 3);
    const sig = signer.ecdsaSign(sha256d(message), key);
    const pub = signer.publicKeyCreate(key);
    switch (i % 5) {
      case 0:
        b.add(sig, message, pub);
        expected.push(1);
        break;
      case 1:
        b.add(sig, message, signer.publicKeyCreate(new Uint8Array(32).fill(200)));
        expected.push(0);
        break;
      case 2:
        b.add(sig, new Uint8Array(40).fill(1), pub);
        expected.push(0);
        break;
      case 3: {
        // Two checks over one span: a second signer, then the first again.
        const other = new Uint8Array(32).fill(250);
        b.add(signer.ecdsaSign(sha256d(message), other), message, signer.publicKeyCreate(other));
        b.add(sig, message, pub);
        expected.push(1, 1);
        break;
      }
      default:
        b.add(sig, message, Uint8Array.of(2, ...new Uint8Array(32).fill(0xff)));
        expected.push(0);
    }
  }
  return { batch: b.finish(), expected };
}

describe('SignatureBatchBuilder and splitBatch', () => {
  it('every job of a split sees each check with its own signature, key and signed bytes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ message: fc.uint8Array({ maxLength: 300 }), checks: fc.integer({ min: 1, max: 4 }) }), { maxLength: 40 }),
        fc.integer({ min: 1, max: 7 }),
        (messages, parts) => {
          const b = new SignatureBatchBuilder(1);
          const want: { sig: number; key: number; message: Uint8Array }[] = [];
          for (const { message, checks } of messages) {
            for (let c = 0; c < checks; c++) {
              const i = want.length;
              b.add(new Uint8Array(64).fill(i & 0xff), message, new Uint8Array(33).fill((i * 3) & 0xff));
              want.push({ sig: i & 0xff, key: (i * 3) & 0xff, message });
            }
          }
          const batch = b.finish();
          expect(batch.count).toBe(want.length);
          // A message signed several times in a row is stored once.
          expect(batch.messages.length).toBe(messages.reduce((n, m) => n + m.message.length, 0));
          let k = 0;
          for (const job of splitBatch(batch, parts, 0)) {
            for (let i = 0; i < job.count; i++, k++) {
              expect(job.signatures[64 * i]).toBe(want[k]!.sig);
              expect(job.publicKeys[33 * i + 32]).toBe(want[k]!.key);
              expect(job.messages.subarray(job.spans[2 * i], job.spans[2 * i + 1])).toEqual(want[k]!.message);
            }
          }
          expect(k).toBe(want.length);
        },
      ),
    );
  });
});

describe('WorkerPoolVerifier (Node worker_threads)', () => {
  const pools: WorkerPoolVerifier[] = [];
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.close()));
  });

  it.each([
    ['noble', { kind: 'noble' as const }],
    ['native libsecp256k1', { kind: 'secp256k1' as const, moduleUrl: nativeUrl }],
    ['tiny-secp256k1', { kind: 'tiny-secp256k1' as const, moduleUrl: tinyUrl }],
  ])('gives the same verdicts as the in-thread verifier (%s)', async (_name, backend) => {
    const pool = new WorkerPoolVerifier({ threads: 2, backend });
    pools.push(pool);
    const { batch, expected } = mixedBatch(backend.kind === 'noble' ? 24 : 101);
    expect([...(await pool.verify(batch))]).toEqual(expected);
    expect([...(await backendVerifier(nobleSecp256k1).verify(batch))]).toEqual(expected);
    expect([...(await pool.verify(new SignatureBatchBuilder().finish()))]).toEqual([]);
  });

  it('an ingest through the pool builds the same graph as in-thread verification', async () => {
    const g = gossipFixture(60);
    const pool = new WorkerPoolVerifier({ threads: 2, backend: { kind: 'secp256k1', moduleUrl: nativeUrl } });
    pools.push(pool);
    const viaPool = freshIngest(g, { verifier: pool, chunkSize: 64 });
    const inThread = freshIngest(g, { verifier: fastVerifier });
    await viaPool.ingest(allMessages(g));
    await inThread.ingest(allMessages(g));
    expect(viaPool.graph.liveChannelCount).toBe(60);
    expect(canonicalDump(viaPool.graph)).toBe(canonicalDump(inThread.graph));
  });

  it('refuses bad options and fails pending work after close, with typed errors', async () => {
    expect(() => new WorkerPoolVerifier({ threads: 0 })).toThrow(expect.objectContaining({ code: 'invalid_argument' }));
    const pool = new WorkerPoolVerifier({ threads: 1 });
    await pool.ready();
    await pool.close();
    await expect(pool.verify(mixedBatch(2).batch)).rejects.toMatchObject({ code: 'verifier_failed' });
    const broken = new WorkerPoolVerifier({ threads: 1, backend: { kind: 'tiny-secp256k1', moduleUrl: 'file:///nonexistent/module.js' } });
    await expect(broken.verify(mixedBatch(2).batch)).rejects.toMatchObject({ code: 'verifier_failed' });
    await broken.close();
  });
});

describe('PortPoolVerifier and serveVerifier (the Web Worker API, here over MessageChannels)', () => {
  it('gives the same verdicts as the in-thread verifier and builds the same graph', async () => {
    const channels = [new MessageChannel(), new MessageChannel()];
    for (const c of channels) serveVerifier(c.port2 as unknown as VerifierPort, signer);
    const pool = new PortPoolVerifier(channels.map((c) => c.port1 as unknown as VerifierPort));
    const { batch, expected } = mixedBatch(37);
    expect([...(await pool.verify(batch))]).toEqual(expected);
    const g = gossipFixture(30);
    const viaPorts = freshIngest(g, { verifier: pool, chunkSize: 16 });
    await viaPorts.ingest(allMessages(g));
    const inThread = freshIngest(g);
    await inThread.ingest(allMessages(g));
    expect(canonicalDump(viaPorts.graph)).toBe(canonicalDump(inThread.graph));
    for (const c of channels) {
      c.port1.close();
      c.port2.close();
    }
    expect(() => new PortPoolVerifier([])).toThrow(expect.objectContaining({ code: 'invalid_argument' }));
  });
});
