// The checks applyRgsSnapshot makes before trusting a snapshot: its age, its
// chain, closed channels, node ids, and updates for channels it never had.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { nobleSecp256k1, publicKeyFromPrivate, type Secp256k1Backend } from 'ln-crypto';
import { CHAIN_HASHES, compareBytes, fromHex, type ShortChannelId } from 'ln-types';
import { encodeRgsSnapshot, type RgsAnnouncement, type RgsPolicy, type RgsSnapshot, type RgsUpdate } from 'ln-rgs';
import { GossipError, NetworkGraph, TWO_WEEKS_SECONDS, applyRgsSnapshot } from '../src/index.js';

const policy: RgsPolicy = { cltvExpiryDelta: 40, htlcMinimumMsat: 1000n, feeBaseMsat: 1000, feeProportionalMillionths: 100, htlcMaximumMsat: 5_000_000n };
const scid = (block: number) => (BigInt(block) << 40n) as ShortChannelId;
const full = (s: ShortChannelId, direction: 0 | 1 = 0, p: RgsPolicy = policy): RgsUpdate => ({ kind: 'full', shortChannelId: s, direction, disabled: false, policy: p });

/** Real public keys (of private keys 1..n), sorted so that index order is BOLT 7 order. */
function keys(n: number): Uint8Array[] {
  return Array.from({ length: n }, (_, i) => {
    const k = new Uint8Array(32);
    k[31] = i + 1;
    return publicKeyFromPrivate(k);
  }).sort(compareBytes);
}
const [k0, k1, k2, k3] = keys(4) as [Uint8Array, Uint8Array, Uint8Array, Uint8Array];
/** x = 0x11…11 is not the x of a curve point: a well-formed but invalid key. */
const offCurve = fromHex('02' + '11'.repeat(32));
/** The uncompressed prefix on 33 bytes. */
const badPrefix = fromHex('04' + '22'.repeat(32));

const LATEST = 1_770_000_000;

function snap(parts: Partial<RgsSnapshot>): RgsSnapshot {
  return { chainHash: CHAIN_HASHES.regtest, latestSeenTimestamp: LATEST, nodeIds: [k0, k1], announcements: [], updates: [], ...parts };
}
const announce = (s: ShortChannelId, node1 = 0, node2 = 1): RgsAnnouncement => ({ shortChannelId: s, features: new Uint8Array(0), node1, node2 });
const catching = (f: () => unknown): unknown => {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('did not throw');
};

describe('applyRgsSnapshot refuses a stale snapshot', () => {
  const one = snap({ announcements: [announce(scid(1))], updates: [full(scid(1))] });

  it('accepts one exactly two weeks old and refuses one a second older, applying nothing', () => {
    const g = new NetworkGraph(CHAIN_HASHES.regtest);
    const e = catching(() => applyRgsSnapshot(g, encodeRgsSnapshot(one), { now: LATEST + TWO_WEEKS_SECONDS + 1 }));
    expect(e).toBeInstanceOf(GossipError);
    expect(e).toMatchObject({ code: 'stale_snapshot' });
    expect(g.liveChannelCount).toBe(0);
    expect(g.nodeIndex(k0)).toBe(-1);
    expect(applyRgsSnapshot(g, one, { now: LATEST + TWO_WEEKS_SECONDS }).channelsAdded).toBe(1);
  });

  it('leaves a graph that has data untouched', () => {
    const g = new NetworkGraph(CHAIN_HASHES.regtest);
    applyRgsSnapshot(g, one, { now: LATEST });
    const newer = snap({ latestSeenTimestamp: LATEST + 100, announcements: [announce(scid(2))], updates: [full(scid(1), 0, { ...policy, feeBaseMsat: 5 })] });
    expect(() => applyRgsSnapshot(g, newer, { now: LATEST + 100 + TWO_WEEKS_SECONDS + 1 })).toThrow(GossipError);
    expect(g.liveChannelCount).toBe(1);
    expect(g.policyFeeBaseMsat(g.channelIndex(scid(1)), 0)).toBe(1000);
  });

  it('judges by the wall clock by default', () => {
    const g = new NetworkGraph(CHAIN_HASHES.regtest);
    const old = snap({ latestSeenTimestamp: Math.floor(Date.now() / 1000) - TWO_WEEKS_SECONDS - 3600, announcements: [announce(scid(1))] });
    expect(catching(() => applyRgsSnapshot(g, old))).toMatchObject({ code: 'stale_snapshot' });
    const fresh = snap({ latestSeenTimestamp: Math.floor(Date.now() / 1000) - 3600, announcements: [announce(scid(1))] });
    expect(applyRgsSnapshot(g, fresh).channelsAdded).toBe(1);
  });

  it('refuses a `now` that is not a time', () => {
    const g = new NetworkGraph(CHAIN_HASHES.regtest);
    for (const now of [Number.NaN, Number.POSITIVE_INFINITY, -1]) expect(catching(() => applyRgsSnapshot(g, one, { now }))).toMatchObject({ code: 'invalid_argument' });
    expect(g.liveChannelCount).toBe(0);
  });
});

describe('applyRgsSnapshot refuses another chain', () => {
  it('throws invalid_argument and applies nothing, decoded or as bytes', () => {
    const g = new NetworkGraph(CHAIN_HASHES.regtest);
    const mainnet = snap({ chainHash: CHAIN_HASHES.bitcoin, announcements: [announce(scid(1))], updates: [full(scid(1))] });
    for (const input of [mainnet, encodeRgsSnapshot(mainnet)]) {
      const e = catching(() => applyRgsSnapshot(g, input, { now: LATEST }));
      expect(e).toBeInstanceOf(GossipError);
      expect(e).toMatchObject({ code: 'invalid_argument' });
    }
    expect(g.liveChannelCount).toBe(0);
    // The chain is checked before the age: a stale snapshot of another chain is refused for its chain.
    expect(catching(() => applyRgsSnapshot(g, mainnet, { now: LATEST + 2 * TWO_WEEKS_SECONDS }))).toMatchObject({ code: 'invalid_argument' });
    // The same snapshot applies to a graph of its own chain.
    expect(applyRgsSnapshot(new NetworkGraph(CHAIN_HASHES.bitcoin), mainnet, { now: LATEST }).channelsAdded).toBe(1);
  });
});

describe('applyRgsSnapshot skips announcements it must not apply', () => {
  it('does not re-add a channel the graph knows is closed, nor apply its updates', () => {
    const g = new NetworkGraph(CHAIN_HASHES.regtest);
    const both = snap({ announcements: [announce(scid(1)), announce(scid(2))], updates: [full(scid(1)), full(scid(1), 1), full(scid(2))] });
    expect(applyRgsSnapshot(g, both, { now: LATEST })).toMatchObject({ channelsAdded: 2, announcementsSkipped: 0, policiesUpdated: 3 });
    g.channelClosed(scid(1));
    // The server has not seen the spend yet and sends the channel again.
    const again = { ...both, latestSeenTimestamp: LATEST + 10 };
    expect(applyRgsSnapshot(g, encodeRgsSnapshot(again), { now: LATEST + 10 })).toMatchObject({ channelsAdded: 0, announcementsSkipped: 1, policiesUpdated: 1, updatesSkipped: 2 });
    expect(g.channelIndex(scid(1))).toBe(-1);
    expect(g.isClosed(scid(1))).toBe(true);
    expect(g.liveChannelCount).toBe(1);
  });

  it('skips node ids that are not valid compressed keys or not in BOLT 7 order, and applies the rest', () => {
    const g = new NetworkGraph(CHAIN_HASHES.regtest);
    const nodeIds = [k0, k1, offCurve, badPrefix, k2, new Uint8Array(32).fill(2)];
    const announcements = [
      announce(scid(1), 0, 1), // valid
      announce(scid(2), 1, 0), // reversed
      announce(scid(3), 1, 1), // a channel to itself: not strictly ordered
      announce(scid(4), 0, 2), // node_id_2 is not on the curve (02 < 02 11…: ordered)
      announce(scid(5), 3, 4), // prefix 04, and after k2 (02/03…): not ordered either
      announce(scid(6), 4, 3), // prefix 04, ordered
      announce(scid(7), 0, 5), // 32 bytes
      announce(scid(8), 1, 4), // valid
    ];
    const updates = announcements.map((a) => full(a.shortChannelId));
    const r = applyRgsSnapshot(g, snap({ nodeIds, announcements, updates }), { now: LATEST });
    expect(r).toMatchObject({ channelsAdded: 2, announcementsSkipped: 6, policiesUpdated: 2, updatesSkipped: 6 });
    expect([scid(1), scid(8)].map((s) => g.channelIndex(s) >= 0)).toEqual([true, true]);
    for (let i = 2; i <= 7; i++) expect(g.channelIndex(scid(i))).toBe(-1);
    for (const bad of [offCurve, badPrefix]) expect(g.nodeIndex(bad)).toBe(-1);
  });

  it('skips the same through the binary format', () => {
    const g = new NetworkGraph(CHAIN_HASHES.regtest);
    const bytes = encodeRgsSnapshot(snap({ nodeIds: [k0, k1, offCurve], announcements: [announce(scid(1), 1, 0), announce(scid(2), 0, 2), announce(scid(3), 0, 1)] }));
    expect(applyRgsSnapshot(g, bytes, { now: LATEST })).toMatchObject({ channelsAdded: 1, announcementsSkipped: 2 });
  });

  it('checks each new node id on the curve once, and none the graph already holds', () => {
    let checks = 0;
    const counting: Secp256k1Backend = { ...nobleSecp256k1, isValidPublicKey: (k) => (checks++, nobleSecp256k1.isValidPublicKey(k)) };
    const g = new NetworkGraph(CHAIN_HASHES.regtest);
    const nodeIds = [k0, k1, k2, k3];
    applyRgsSnapshot(g, snap({ nodeIds, announcements: [announce(scid(1), 0, 1), announce(scid(2), 0, 2), announce(scid(3), 1, 2)] }), { now: LATEST, secp256k1: counting });
    expect(checks).toBe(3);
    applyRgsSnapshot(g, snap({ nodeIds, announcements: [announce(scid(4), 0, 3), announce(scid(5), 2, 3)] }), { now: LATEST, secp256k1: counting });
    expect(checks).toBe(4);
  });

  it('property: only valid, ordered, open channels enter the graph, and every announcement is counted', () => {
    const pool = [...keys(5), offCurve, badPrefix];
    fc.assert(
      fc.property(
        fc.array(fc.record({ node1: fc.nat(pool.length - 1), node2: fc.nat(pool.length - 1), block: fc.integer({ min: 1, max: 40 }) }), { maxLength: 30 }),
        fc.uniqueArray(fc.integer({ min: 1, max: 40 }), { maxLength: 10 }),
        (entries, closed) => {
          const g = new NetworkGraph(CHAIN_HASHES.regtest);
          for (const b of closed) g.channelClosed(scid(b));
          const announcements = entries.map((e) => announce(scid(e.block), e.node1, e.node2)).sort((x, y) => (x.shortChannelId < y.shortChannelId ? -1 : x.shortChannelId > y.shortChannelId ? 1 : 0));
          const r = applyRgsSnapshot(g, snap({ nodeIds: pool, announcements }), { now: LATEST });
          // The model: the first acceptable announcement of an scid adds it; unacceptable ones are counted.
          const validKey = (i: number) => i < 5;
          const expected = new Set<bigint>();
          let skipped = 0;
          for (const a of announcements) {
            if (expected.has(a.shortChannelId)) continue;
            const ok = !closed.includes(Number(a.shortChannelId >> 40n)) && validKey(a.node1) && validKey(a.node2) && compareBytes(pool[a.node1]!, pool[a.node2]!) < 0;
            if (ok) expected.add(a.shortChannelId);
            else skipped++;
          }
          expect(r.channelsAdded).toBe(expected.size);
          expect(r.announcementsSkipped).toBe(skipped);
          expect(g.liveChannelCount).toBe(expected.size);
          for (const s of expected) {
            const c = g.channelIndex(s);
            expect(compareBytes(g.nodeId(g.channelNode1(c)), g.nodeId(g.channelNode2(c)))).toBeLessThan(0);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('applyRgsSnapshot skips updates for channels it does not have', () => {
  it('an incremental snapshot whose announcements this client never applied is skipped and counted, not an error', () => {
    const g = new NetworkGraph(CHAIN_HASHES.regtest);
    applyRgsSnapshot(g, snap({ announcements: [announce(scid(1))], updates: [full(scid(1))] }), { now: LATEST });
    // Later snapshot "since" a time after scid 9 was announced: no announcement of it, updates only.
    const incremental = snap({
      latestSeenTimestamp: LATEST + 3600,
      nodeIds: [],
      updates: [
        { kind: 'incremental', shortChannelId: scid(1), direction: 0, disabled: false, changes: { feeBaseMsat: 3 } },
        { kind: 'incremental', shortChannelId: scid(9), direction: 0, disabled: false, changes: { feeBaseMsat: 3 } },
        full(scid(9), 1),
      ],
    });
    const r = applyRgsSnapshot(g, encodeRgsSnapshot(incremental), { now: LATEST + 3600 });
    expect(r).toEqual({ latestSeenTimestamp: LATEST + 3600, channelsAdded: 0, announcementsSkipped: 0, policiesUpdated: 1, updatesSkipped: 2, nodesUpdated: 0 });
    expect(g.channelIndex(scid(9))).toBe(-1);
    expect(g.liveChannelCount).toBe(1);
    expect(g.policyFeeBaseMsat(g.channelIndex(scid(1)), 0)).toBe(3);
  });
});
