import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { allMessages, signChannelUpdate } from 'ln-gossip-generator';
import { toHex } from 'ln-types';
import { decodeMessage, type ChannelAnnouncementMessage, type ChannelUpdateMessage } from 'ln-wire';
import { asyncUtxo, canonicalDump, freshIngest, gossipFixture, signer } from './helpers.js';

const RUNS = Number(process.env.LN_LONG_TESTS === '1' ? 500 : 25);

describe('ordering independence', () => {
  const g = gossipFixture(12);
  const privByNode = new Map(g.nodeKeys.map((k) => [toHex(signer.publicKeyCreate(k)), k]));
  // Older versions of some updates: whichever order they come in, the newest must win.
  const older = g.channelUpdates.slice(0, 8).map((raw) => {
    const u = decodeMessage(raw) as ChannelUpdateMessage;
    const ann = g.channelAnnouncements.map((a) => decodeMessage(a) as ChannelAnnouncementMessage).find((a) => a.shortChannelId === u.shortChannelId)!;
    const direction = (u.channelFlags & 1) as 0 | 1;
    const priv = privByNode.get(toHex(direction === 0 ? ann.nodeId1 : ann.nodeId2))!;
    return signChannelUpdate(
      signer,
      g.chainHash,
      u.shortChannelId,
      { timestamp: u.timestamp - 100, direction, disabled: true, cltvExpiryDelta: 1, htlcMinimumMsat: 0n, htlcMaximumMsat: 1000n, feeBaseMsat: 7, feeProportionalMillionths: 7 },
      priv,
    );
  });
  const messages = [...allMessages(g), ...older, ...g.channelUpdates.slice(0, 4)];

  it(`any order of the same messages gives the same graph, with funding answers in any order too (${RUNS} runs)`, async () => {
    const reference = freshIngest(g);
    await reference.ingest(allMessages(g));
    const expected = canonicalDump(reference.graph);
    await fc.assert(
      fc.asyncProperty(fc.shuffledSubarray(messages, { minLength: messages.length, maxLength: messages.length }), fc.integer({ min: 1, max: 40 }), fc.boolean(), async (order, chunkSize, async) => {
        const ingest = freshIngest(g, { chunkSize, ...(async ? { utxoLookup: asyncUtxo(g) } : {}) });
        await ingest.ingest(order);
        await ingest.settled();
        expect(canonicalDump(ingest.graph)).toBe(expected);
        expect(ingest.heldCount).toBe(0);
        expect(ingest.pendingCount).toBe(0);
      }),
      { numRuns: RUNS },
    );
  });

  it('messages fed one at a time in a random order give the same graph', async () => {
    const reference = freshIngest(g);
    await reference.ingest(allMessages(g));
    const expected = canonicalDump(reference.graph);
    await fc.assert(
      fc.asyncProperty(fc.shuffledSubarray(messages, { minLength: messages.length, maxLength: messages.length }), async (order) => {
        const ingest = freshIngest(g);
        for (const m of order) await ingest.handle(m);
        expect(canonicalDump(ingest.graph)).toBe(expected);
      }),
      { numRuns: Math.max(5, RUNS / 5) },
    );
  });
});
