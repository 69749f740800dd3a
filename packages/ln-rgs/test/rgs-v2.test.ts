// RGS version 2: node features and addresses (rust-lightning's
// lightning-rapid-gossip-sync README, "Custom Node Announcement (V2 Only)").
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { CHAIN_HASHES, fromHex, toHex, type ShortChannelId } from 'ln-types';
import type { NodeAddress } from 'ln-wire';
import { buildRgsSnapshot, decodeRgsSnapshot, encodeRgsSnapshot, RgsError, rgsNodeFeatureDefaults, rgsSnapshotVersion, type RgsNodeState, type RgsSnapshot } from '../src/index.js';
import { snapshot, snapshotV2 } from './arbitraries.js';

const hex = (s: string) => fromHex(s.replace(/\s+/g, ''));
const CHAIN = toHex(CHAIN_HASHES.bitcoin);
const A = '02' + '11'.repeat(32);
const B = '03' + '22'.repeat(32);
const C = '02' + '33'.repeat(32);
const D = '03' + '44'.repeat(32);
const E = '02' + '55'.repeat(32);
const ipv4: NodeAddress = { kind: 'ipv4', addr: Uint8Array.of(1, 2, 3, 4), port: 9735 };
const code = (c: string) => expect.objectContaining({ code: c });

/** A v2 snapshot: five nodes, one channel A-B with a funding amount, one full update. */
const sample: RgsSnapshot = {
  chainHash: CHAIN_HASHES.bitcoin,
  latestSeenTimestamp: 0x01020304,
  nodeIds: [A, B, C, D, E].map(fromHex),
  announcements: [{ shortChannelId: 5n as ShortChannelId, features: new Uint8Array(0), node1: 0, node2: 1, fundingSatoshis: 300n }],
  updates: [{ kind: 'full', shortChannelId: 5n as ShortChannelId, direction: 1, disabled: false, policy: { cltvExpiryDelta: 40, htlcMinimumMsat: 1n, feeBaseMsat: 2, feeProportionalMillionths: 3, htlcMaximumMsat: 4n } }],
  nodes: [
    { node: 0, features: Uint8Array.of(0x88) },
    { node: 1, features: Uint8Array.of(0x88), addresses: [ipv4] },
    { node: 2, features: Uint8Array.of(0x01, 0x02) },
    { node: 3 },
  ],
};
// The bytes, field by field, as the format description has them.
const sampleHex = `4c444b02 ${CHAIN} 01020304
  01 0001 88
  00000005
  0a ${A.slice(2)}
  0f ${B.slice(2)} 01 07 01 01020304 2607
  3a ${C.slice(2)} 0002 0102
  43 ${D.slice(2)}
  02 ${E.slice(2)}
  00000001 0000 05 00 ff8000000000000001 0003 fd012c
  00000001 0028 0000000000000001 00000002 00000003 0000000000000004
  05 01`;

describe('RGS v2 byte format', () => {
  it('writes node flags, default features, addresses and funding amounts as rust-lightning describes them', () => {
    // Node A: default features 1 (0x08); B: addresses (0x04) and default 1; C: inline features (0x38);
    // D: a reminder (0x40); E: nothing. The channel's node_id_2_index has bit 63 set for its funding amount.
    expect(toHex(encodeRgsSnapshot(sample, { version: 2 }))).toBe(toHex(hex(sampleHex)));
    expect(decodeRgsSnapshot(hex(sampleHex))).toEqual(sample);
    expect(rgsSnapshotVersion(hex(sampleHex))).toBe(2);
  });

  it('leaves node data and funding amounts out of version 1, whose bytes are unchanged', () => {
    const { nodes: _nodes, ...rest } = sample;
    const plain = { ...rest, announcements: rest.announcements.map(({ fundingSatoshis: _f, ...a }) => a) };
    expect(toHex(encodeRgsSnapshot(sample))).toBe(toHex(encodeRgsSnapshot(plain)));
    expect(toHex(encodeRgsSnapshot(sample, { version: 1 }))).toBe(toHex(encodeRgsSnapshot(plain)));
    expect(decodeRgsSnapshot(encodeRgsSnapshot(sample))).toEqual(plain);
    expect(decodeRgsSnapshot(encodeRgsSnapshot(sample)).nodes).toBeUndefined();
  });

  it('skips additional data of nodes, announcements and updates', () => {
    const bytes = hex(`4c444b02 ${CHAIN} 00000000
      00 00000002
      82 ${A.slice(2)} 0003 aabbcc
      83 ${B.slice(2)} ffff 0000000000000001 ${'00'.repeat(0x10000)}
      00000001 0000 05 00 ff8000000000000001 0006 fe00010000 ee
      00000003 0000 0000000000000000 00000000 00000000 0000000000000000
      05 00 00 00 0002 abcd 00 01`);
    const s = decodeRgsSnapshot(bytes);
    expect(s.nodeIds.map(toHex)).toEqual([A, B]);
    expect(s.nodes).toEqual([]);
    expect(s.announcements).toEqual([{ shortChannelId: 5n, features: new Uint8Array(0), node1: 0, node2: 1, fundingSatoshis: 0x10000n }]);
    // The second entry of channel 5 direction 0 is additional data; direction 1 is an update.
    expect(s.updates.map((u) => [u.shortChannelId, u.direction])).toEqual([
      [5n, 0],
      [5n, 1],
    ]);
    // Empty announcement data carries no funding amount; a version 1 snapshot has no bit 63.
    const empty = hex(`4c444b02 ${CHAIN} 00000000 00 00000002 ${A} ${B} 00000001 0000 05 00 ff8000000000000001 0000 00000000`);
    expect(decodeRgsSnapshot(empty).announcements[0]).toEqual({ shortChannelId: 5n, features: new Uint8Array(0), node1: 0, node2: 1 });
    const v1 = hex(`4c444b01 ${CHAIN} 00000000 00000002 ${A} ${B} 00000001 0000 05 00 ff8000000000000001 00000000`);
    expect(() => decodeRgsSnapshot(v1)).toThrow(code('invalid_value'));
  });

  it('reads address slots as rust-lightning does', () => {
    const node = (slots: string) => hex(`4c444b02 ${CHAIN} 00000000 00 00000001 06 ${A.slice(2)} ${slots} 00000000 00000000`);
    const addresses = (slots: string) => decodeRgsSnapshot(node(slots)).nodes![0]!.addresses;
    // An unknown type is kept whole; empty and short slots and a non-ASCII hostname are skipped.
    expect(addresses('05 07 0101020304 2607 00 03 01ffff 07 050368c3a90001 03 09aabb')).toEqual([ipv4, { kind: 'opaque', bytes: Uint8Array.of(9, 0xaa, 0xbb) }]);
    expect(addresses('01 07 050368697a0001')).toEqual([{ kind: 'dns', hostname: Uint8Array.of(0x68, 0x69, 0x7a), port: 1 }]);
    // Bytes after a known address inside its slot are an error.
    expect(() => decodeRgsSnapshot(node('01 08 01010203042607ff'))).toThrow(code('invalid_value'));
  });

  it('refuses what rust-lightning refuses', () => {
    const good = hex(sampleHex);
    // Default feature index 2 when one default was sent.
    const badDefault = good.slice();
    badDefault[48] = 0x12;
    expect(() => decodeRgsSnapshot(badDefault)).toThrow(code('invalid_value'));
    // Parity bits other than 2 or 3.
    const badParity = good.slice();
    badParity[48] = 0x09;
    expect(() => decodeRgsSnapshot(badParity)).toThrow(code('invalid_value'));
    // An address slot running past the end, a huge additional data length.
    expect(() => decodeRgsSnapshot(hex(`4c444b02 ${CHAIN} 00000000 00 00000001 06 ${A.slice(2)} 01 20 01`))).toThrow(code('truncated'));
    expect(() => decodeRgsSnapshot(hex(`4c444b02 ${CHAIN} 00000000 00 00000001 82 ${A.slice(2)} ffff ffffffffffff0000`))).toThrow(code('truncated'));
    for (const version of [0, 3, 255]) {
      const other = good.slice();
      other[3] = version;
      expect(() => decodeRgsSnapshot(other)).toThrow(code('unknown_version'));
      expect(() => rgsSnapshotVersion(other)).toThrow(code('unknown_version'));
    }
    expect(() => rgsSnapshotVersion(good.subarray(0, 3))).toThrow(code('truncated'));
  });
});

describe('RGS v2 encoding', () => {
  it('round-trips any snapshot', () => {
    fc.assert(
      fc.property(snapshotV2, (s) => {
        const bytes = encodeRgsSnapshot(s, { version: 2 });
        expect(decodeRgsSnapshot(bytes)).toEqual(s);
        expect(rgsSnapshotVersion(bytes)).toBe(2);
      }),
      { numRuns: 300 },
    );
  });

  it('reads a v1 snapshot re-encoded as v2 to the same data, with no node updates', () => {
    fc.assert(
      fc.property(snapshot, (s) => {
        expect(decodeRgsSnapshot(encodeRgsSnapshot(s, { version: 2 }))).toEqual({ ...s, nodes: [] });
      }),
      { numRuns: 100 },
    );
  });

  it('sends each feature set used by two or more nodes once, at most six', () => {
    const nodes = Array.from({ length: 20 }, (_, i) => ({ node: i, features: Uint8Array.of(i % 8) }));
    // 0..3 are used three times, 4..7 twice; six make it, by count then value.
    expect(rgsNodeFeatureDefaults(nodes).map(toHex)).toEqual(['00', '01', '02', '03', '04', '05']);
    expect(rgsNodeFeatureDefaults([{ node: 0, features: Uint8Array.of(1) }, { node: 1 }])).toEqual([]);
  });

  it('refuses what the format cannot say', () => {
    const v2 = (s: Partial<RgsSnapshot>) => () => encodeRgsSnapshot({ ...sample, ...s }, { version: 2 });
    expect(v2({ nodes: [{ node: 0 }, { node: 0 }] })).toThrow(code('invalid_value'));
    expect(v2({ nodes: [{ node: 5 }] })).toThrow(code('invalid_value'));
    expect(v2({ nodes: [{ node: 0, addresses: Array.from({ length: 256 }, () => ipv4) }] })).toThrow(code('invalid_value'));
    expect(v2({ nodes: [{ node: 0, addresses: [{ kind: 'dns', hostname: new Uint8Array(252).fill(0x61), port: 1 }] }] })).toThrow(code('invalid_value'));
    expect(v2({ nodes: [{ node: 0, addresses: [{ kind: 'dns', hostname: Uint8Array.of(0xc3, 0xa9), port: 1 }] }] })).toThrow(code('invalid_value'));
    expect(v2({ nodes: [{ node: 0, addresses: [{ kind: 'opaque', bytes: Uint8Array.of(1, 2) }] }] })).toThrow(RgsError);
    // A second update of one channel direction would be read as additional data.
    expect(v2({ updates: [sample.updates[0]!, sample.updates[0]!] })).toThrow(code('invalid_value'));
    expect(() => encodeRgsSnapshot({ ...sample, updates: [sample.updates[0]!, sample.updates[0]!] })).not.toThrow();
    expect(() => encodeRgsSnapshot(sample, { version: 3 as 2 })).toThrow(code('unknown_version'));
  });
});

describe('RGS v2 robustness', () => {
  const rich = encodeRgsSnapshot(sample, { version: 2 });

  it('refuses every truncation with a typed error', () => {
    for (let n = 0; n < rich.length; n++) expect(() => decodeRgsSnapshot(rich.subarray(0, n))).toThrow(RgsError);
    expect(() => decodeRgsSnapshot(Uint8Array.from([...rich, 0]))).toThrow(code('trailing_bytes'));
  });

  it('never throws anything but RgsError on random or mutated input', () => {
    fc.assert(
      fc.property(snapshotV2, fc.uint8Array({ maxLength: 64 }), fc.nat(), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }), (s, noise, cut, flips) => {
        const bytes = encodeRgsSnapshot(s, { version: 2 });
        const mutated = Uint8Array.from([...bytes.subarray(0, cut % (bytes.length + 1)), ...noise]);
        for (const [at, value] of flips) if (mutated.length > 0) mutated[at % mutated.length] = value;
        try {
          decodeRgsSnapshot(mutated);
        } catch (e) {
          expect(e).toBeInstanceOf(RgsError);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('building v2 snapshots', () => {
  const a = fromHex(A);
  const b = fromHex(B);
  const c = fromHex(C);
  const channel = { shortChannelId: 10n as ShortChannelId, node1: a, node2: b, features: new Uint8Array(0), announcedAt: 100, directions: [[], []] as const, fundingSatoshis: 50_000n };
  const dns = (name: string): NodeAddress => ({ kind: 'dns', hostname: new TextEncoder().encode(name), port: 9735 });
  const nodes: RgsNodeState[] = [
    { nodeId: a, announcements: [{ timestamp: 100, features: Uint8Array.of(1), addresses: [ipv4, dns('a.example')] }, { timestamp: 300, features: Uint8Array.of(1), addresses: [dns('a.example'), ipv4] }] },
    { nodeId: b, announcements: [{ timestamp: 100, features: Uint8Array.of(1), addresses: [] }, { timestamp: 300, features: Uint8Array.of(3), addresses: [] }] },
    // Not in any channel; its unknown-type and too-long entries cannot be carried.
    { nodeId: c, announcements: [{ timestamp: 250, features: Uint8Array.of(2), addresses: [{ kind: 'opaque', bytes: Uint8Array.of(9, 9) }, dns('x'.repeat(252)), ipv4] }] },
  ];

  it('sends full node data to a new client and only what changed to a synced one', () => {
    const full = buildRgsSnapshot(CHAIN_HASHES.bitcoin, [channel], 0, nodes);
    expect(full.latestSeenTimestamp).toBe(300);
    expect(full.nodeIds.map(toHex)).toEqual([A, B, C]);
    expect(full.announcements[0]!.fundingSatoshis).toBe(50_000n);
    expect(full.nodes).toEqual([
      { node: 0, features: Uint8Array.of(1), addresses: [dns('a.example'), ipv4] },
      { node: 1, features: Uint8Array.of(3), addresses: [] },
      { node: 2, features: Uint8Array.of(2), addresses: [ipv4] },
    ]);
    expect(decodeRgsSnapshot(encodeRgsSnapshot(full, { version: 2 }))).toEqual(full);

    // Since 200: A's addresses only moved (same set), B's features changed, C is new.
    const inc = buildRgsSnapshot(CHAIN_HASHES.bitcoin, [channel], 200, nodes);
    expect(inc.announcements).toEqual([]);
    expect(inc.nodeIds.map(toHex)).toEqual([B, C]);
    expect(inc.nodes).toEqual([
      { node: 0, features: Uint8Array.of(3) },
      { node: 1, features: Uint8Array.of(2), addresses: [ipv4] },
    ]);
    expect(buildRgsSnapshot(CHAIN_HASHES.bitcoin, [channel], 300, nodes).nodes).toEqual([]);
    // Without node states the snapshot is the version 1 one.
    expect(buildRgsSnapshot(CHAIN_HASHES.bitcoin, [channel]).nodes).toBeUndefined();
  });
});
