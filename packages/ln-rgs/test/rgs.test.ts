import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { CHAIN_HASHES, fromHex, toHex, type ShortChannelId } from 'ln-types';
import { snapshot } from './arbitraries.js';
import {
  buildRgsSnapshot,
  decodeRgsSnapshot,
  encodeRgsSnapshot,
  RgsError,
  type RgsChannelState,
  type RgsPolicy,
  type RgsSnapshot,
} from '../src/index.js';

const ldk = JSON.parse(readFileSync(new URL('./fixtures/ldk-valid-rgs.json', import.meta.url), 'utf8')) as {
  hex: string;
  latest_seen_timestamp: number;
  node_ids: string[];
  short_channel_ids: string[];
};

describe('RGS v1 decoding', () => {
  it("decodes rust-lightning's valid snapshot", () => {
    const s = decodeRgsSnapshot(fromHex(ldk.hex));
    expect(toHex(s.chainHash)).toBe(toHex(CHAIN_HASHES.bitcoin));
    expect(s.latestSeenTimestamp).toBe(ldk.latest_seen_timestamp);
    expect(s.nodeIds.map(toHex)).toEqual(ldk.node_ids);
    expect(s.announcements.map((a) => a.shortChannelId.toString())).toEqual(ldk.short_channel_ids);
    expect(s.updates).toHaveLength(4);
    expect(s.updates.every((u) => u.kind === 'full')).toBe(true);
    // Re-encoding may pick other defaults but must carry the same data.
    expect(decodeRgsSnapshot(encodeRgsSnapshot(s))).toEqual(s);
  });

  it('refuses every truncation of it with a typed error', () => {
    const bytes = fromHex(ldk.hex);
    for (let n = 0; n < bytes.length; n++) expect(() => decodeRgsSnapshot(bytes.subarray(0, n))).toThrow(RgsError);
    expect(() => decodeRgsSnapshot(Uint8Array.from([...bytes, 0]))).toThrow(expect.objectContaining({ code: 'trailing_bytes' }));
  });

  it('refuses unknown versions, bad node indexes and huge counts without allocating', () => {
    const bytes = fromHex(ldk.hex);
    const v2 = bytes.slice();
    v2[3] = 9;
    expect(() => decodeRgsSnapshot(v2)).toThrow(expect.objectContaining({ code: 'unknown_version' }));
    const huge = bytes.slice(0, 44);
    huge.set([0xff, 0xff, 0xff, 0xff], 40);
    expect(() => decodeRgsSnapshot(huge)).toThrow(expect.objectContaining({ code: 'truncated' }));
    const badIndex: RgsSnapshot = { ...decodeRgsSnapshot(bytes) };
    expect(() => encodeRgsSnapshot({ ...badIndex, announcements: [{ ...badIndex.announcements[0]!, node2: 4 }] })).toThrow(RgsError);
  });

  it('never throws anything but RgsError on random input', () => {
    const base = fromHex(ldk.hex);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.integer({ min: 0, max: 300 }), (noise, at) => {
        const bytes = Uint8Array.from([...base.subarray(0, at), ...noise]);
        try {
          decodeRgsSnapshot(bytes);
        } catch (e) {
          expect(e).toBeInstanceOf(RgsError);
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe('RGS v1 encoding', () => {
  it('round-trips any snapshot', () => {
    fc.assert(
      fc.property(snapshot, (s) => {
        expect(decodeRgsSnapshot(encodeRgsSnapshot(s))).toEqual(s);
      }),
      { numRuns: 300 },
    );
  });
});

describe('building snapshots from server state', () => {
  const p = (fee: number, cltv = 40): RgsPolicy => ({ cltvExpiryDelta: cltv, htlcMinimumMsat: 1000n, feeBaseMsat: fee, feeProportionalMillionths: 100, htlcMaximumMsat: 1_000_000n });
  const a = fromHex('02' + '11'.repeat(32));
  const b = fromHex('03' + '22'.repeat(32));
  const c = fromHex('02' + '33'.repeat(32));
  const channels: RgsChannelState[] = [
    { shortChannelId: 10n as ShortChannelId, node1: a, node2: b, features: new Uint8Array(0), announcedAt: 100, directions: [[{ timestamp: 100, disabled: false, policy: p(1) }, { timestamp: 300, disabled: false, policy: p(2) }], [{ timestamp: 150, disabled: false, policy: p(5) }]] },
    { shortChannelId: 20n as ShortChannelId, node1: b, node2: c, features: Uint8Array.of(1), announcedAt: 250, directions: [[{ timestamp: 260, disabled: true, policy: p(7, 80) }], []] },
  ];

  /** A client's view: latest policy per (scid, direction), updated from snapshots as LDK applies them. */
  function apply(view: Map<string, { disabled: boolean; policy: RgsPolicy }>, s: RgsSnapshot): void {
    for (const u of s.updates) {
      const key = `${u.shortChannelId}/${u.direction}`;
      if (u.kind === 'full') view.set(key, { disabled: u.disabled, policy: u.policy });
      else {
        const old = view.get(key);
        if (old !== undefined) view.set(key, { disabled: u.disabled, policy: { ...old.policy, ...u.changes } });
      }
    }
  }

  it('full snapshot has everything; incremental only what changed, and both lead to the same client state', () => {
    const full = decodeRgsSnapshot(encodeRgsSnapshot(buildRgsSnapshot(CHAIN_HASHES.bitcoin, channels)));
    expect(full.latestSeenTimestamp).toBe(300);
    expect(full.announcements.map((x) => x.shortChannelId)).toEqual([10n, 20n]);
    expect(full.nodeIds).toHaveLength(3);
    expect(full.updates.map((u) => u.kind)).toEqual(['full', 'full', 'full']);

    const inc = decodeRgsSnapshot(encodeRgsSnapshot(buildRgsSnapshot(CHAIN_HASHES.bitcoin, channels, 200)));
    expect(inc.announcements.map((x) => x.shortChannelId)).toEqual([20n]);
    expect(inc.updates).toEqual([
      { kind: 'incremental', shortChannelId: 10n, direction: 0, disabled: false, changes: { feeBaseMsat: 2 } },
      { kind: 'full', shortChannelId: 20n, direction: 0, disabled: true, policy: p(7, 80) },
    ]);

    const atOnce = new Map();
    apply(atOnce, full);
    const inSteps = new Map();
    apply(inSteps, decodeRgsSnapshot(encodeRgsSnapshot(buildRgsSnapshot(CHAIN_HASHES.bitcoin, channels.map((ch) => ({ ...ch, directions: [ch.directions[0].filter((r) => r.timestamp <= 200), ch.directions[1].filter((r) => r.timestamp <= 200)] as const })).filter((ch) => ch.announcedAt <= 200)))));
    apply(inSteps, inc);
    expect(inSteps).toEqual(atOnce);
    expect(buildRgsSnapshot(CHAIN_HASHES.bitcoin, channels, 300).updates).toEqual([]);
  });
});

describe('full snapshots', () => {
  it('include channels whose time is unknown (0) and directions without updates', () => {
    const node1 = fromHex('02' + '44'.repeat(32));
    const node2 = fromHex('03' + '55'.repeat(32));
    const s = buildRgsSnapshot(CHAIN_HASHES.bitcoin, [{ shortChannelId: 5n as ShortChannelId, node1, node2, features: new Uint8Array(0), announcedAt: 0, directions: [[], []] }]);
    expect(s.announcements).toHaveLength(1);
    expect(s.updates).toHaveLength(0);
  });
});
