import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { allMessages, signChannelUpdate } from 'ln-gossip-generator';
import { shortChannelIdFromParts } from 'ln-types';
import { decodeMessage, encodeMessage, type ChannelUpdateMessage } from 'ln-wire';
import { canonicalDump, fastVerifier, freshIngest, gossipFixture, signer } from './helpers.js';

const FLOOD = Number(process.env.LN_LONG_TESTS === '1' ? 200_000 : 20_000);

describe('floods stay bounded', () => {
  const g = gossipFixture(10);

  it(`${FLOOD} duplicates: dropped without a single signature check`, async () => {
    const ingest = freshIngest(g);
    await ingest.ingest(allMessages(g));
    const checks = ingest.stats.signatureChecks;
    const dump = canonicalDump(ingest.graph);
    const flood = Array.from({ length: FLOOD }, (_, i) => allMessages(g)[i % allMessages(g).length]!);
    const outcomes = await ingest.ingest(flood);
    expect(outcomes.every((o) => o.status === 'refused' && o.reason === 'duplicate')).toBe(true);
    expect(ingest.stats.signatureChecks).toBe(checks);
    expect(canonicalDump(ingest.graph)).toBe(dump);
  });

  it('invalid signatures: one check each (bounded CPU per message), nothing applied', async () => {
    const ingest = freshIngest(g);
    await ingest.ingest(allMessages(g));
    const dump = canonicalDump(ingest.graph);
    const base = decodeMessage(g.channelUpdates[0]!) as ChannelUpdateMessage;
    const n = 2000;
    const checks = ingest.stats.signatureChecks;
    // Each one newer than the last, so none is dropped as stale: all reach the signature check.
    const flood = Array.from({ length: n }, (_, i) => encodeMessage({ ...base, timestamp: base.timestamp + 1 + (i % 80000), signature: new Uint8Array(64).fill((i % 250) + 1) }));
    const outcomes = await ingest.ingest(flood);
    expect(outcomes.every((o) => o.status === 'refused' && (o.reason === 'bad_signature' || o.reason === 'duplicate' || o.reason === 'timestamp_in_future'))).toBe(true);
    expect(ingest.stats.signatureChecks - checks).toBeLessThanOrEqual(n);
    expect(canonicalDump(ingest.graph)).toBe(dump);
  });

  it(`${FLOOD} updates for unknown channels: held memory stays at its limit, no signature checks`, async () => {
    const ingest = freshIngest(g, { maxHeld: 1000 });
    const template = decodeMessage(g.channelUpdates[0]!) as ChannelUpdateMessage;
    const before = ingest.stats.signatureChecks;
    for (let start = 0; start < FLOOD; start += 5000) {
      const batch = Array.from({ length: 5000 }, (_, i) => encodeMessage({ ...template, shortChannelId: shortChannelIdFromParts(800_000 + ((start + i) >> 10), (start + i) & 1023, 0) }));
      const outcomes = await ingest.ingest(batch);
      expect(outcomes.every((o) => o.status === 'held')).toBe(true);
      expect(ingest.heldCount).toBeLessThanOrEqual(1000);
    }
    expect(ingest.stats.signatureChecks).toBe(before);
    expect(ingest.graph.liveChannelCount).toBe(0);
  });

  it('a failing verifier rejects the ingest and leaves nothing in flight: the same messages apply later', async () => {
    let broken = true;
    const ingest = freshIngest(g, {
      chunkSize: 7,
      verifier: {
        verify: (batch) => {
          if (broken) return Promise.reject(new Error('worker died'));
          return fastVerifier.verify(batch);
        },
      },
    });
    await expect(ingest.ingest(allMessages(g))).rejects.toThrow('worker died');
    expect(ingest.graph.liveChannelCount).toBe(0);
    broken = false;
    const outcomes = await ingest.ingest(allMessages(g));
    expect(outcomes.every((o) => o.status === 'applied')).toBe(true);
  });

  it('random bytes with gossip types are refused as malformed, never thrown', async () => {
    const ingest = freshIngest(g);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(256, 257, 258), fc.uint8Array({ maxLength: 600 }), async (type, payload) => {
        const raw = Uint8Array.of(type >> 8, type & 0xff, ...payload);
        const outcome = await ingest.handle(raw);
        expect(outcome.status).not.toBe('applied');
      }),
      { numRuns: 3000 },
    );
    expect(ingest.graph.liveChannelCount).toBe(0);
  });

  it('a far-future update cannot pin a channel: refused before it becomes the newest', async () => {
    const ingest = freshIngest(g);
    await ingest.ingest(allMessages(g));
    const u = decodeMessage(g.channelUpdates[1]!) as ChannelUpdateMessage;
    const raw = signChannelUpdate(signer, g.chainHash, u.shortChannelId, { timestamp: 0xfffffff0, direction: (u.channelFlags & 1) as 0 | 1, disabled: false, cltvExpiryDelta: 1, htlcMinimumMsat: 0n, htlcMaximumMsat: 1n, feeBaseMsat: 0, feeProportionalMillionths: 0 }, g.nodeKeys[0]!);
    expect(await ingest.handle(raw)).toEqual({ status: 'refused', reason: 'timestamp_in_future' });
  });
});

describe('a chain source that never answers', () => {
  it('keeps at most maxPendingLookups announcements waiting and refuses the rest (lookups_busy)', async () => {
    const g = gossipFixture(60);
    let asked = 0;
    const ingest = freshIngest(g, {
      utxoLookup: {
        getUtxo: () => {
          asked++;
          return new Promise(() => undefined);
        },
      },
      maxPendingLookups: 25,
    });
    const outcomes = await ingest.ingest(g.channelAnnouncements);
    expect(outcomes.filter((o) => o.status === 'pending')).toHaveLength(25);
    expect(outcomes.filter((o) => o.status === 'refused' && o.reason === 'lookups_busy')).toHaveLength(35);
    expect(ingest.pendingCount).toBe(25);
    expect(asked).toBe(25);
  });
});

