// fast-check generators of RGS snapshots, shared by the v1 and v2 tests.
import fc from 'fast-check';
import { CHAIN_HASHES, type ShortChannelId } from 'ln-types';
import type { NodeAddress } from 'ln-wire';
import type { RgsNodeUpdate, RgsPolicy, RgsSnapshot, RgsUpdate } from '../src/index.js';

export const u64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
const policy: fc.Arbitrary<RgsPolicy> = fc.record({
  cltvExpiryDelta: fc.constantFrom(40, 144, 80, 18),
  htlcMinimumMsat: fc.oneof(fc.constant(1000n), u64),
  feeBaseMsat: fc.oneof(fc.constant(1000), fc.nat()),
  feeProportionalMillionths: fc.oneof(fc.constant(1), fc.nat()),
  htlcMaximumMsat: fc.oneof(fc.constant(990_000_000n), u64),
});
export const nodeId = fc.uint8Array({ minLength: 33, maxLength: 33 }).map((b) => ((b[0] = 2 + (b[0]! & 1)), b));

/** Random valid snapshots, already in the canonical order the encoder writes. */
export const snapshot: fc.Arbitrary<RgsSnapshot> = fc
  .record({
    timestamp: fc.nat(),
    nodeIds: fc.array(nodeId, { minLength: 2, maxLength: 6 }),
    scids: fc.uniqueArray(u64, { maxLength: 8 }),
  })
  .chain(({ timestamp, nodeIds, scids }) => {
    const sorted = [...scids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)) as ShortChannelId[];
    const node = fc.integer({ min: 0, max: nodeIds.length - 1 });
    const announcements = fc.tuple(...sorted.map((shortChannelId) => fc.record({ features: fc.uint8Array({ maxLength: 4 }), node1: node, node2: node }).map((a) => ({ ...a, shortChannelId }))));
    const updates = fc.tuple(
      ...sorted.flatMap((shortChannelId) =>
        ([0, 1] as const).map((direction) =>
          fc.option(
            fc.oneof(
              fc.record({ disabled: fc.boolean(), policy }).map((u): RgsUpdate => ({ kind: 'full', shortChannelId, direction, ...u })),
              fc.record({ disabled: fc.boolean(), changes: fc.record({ cltvExpiryDelta: fc.integer({ min: 0, max: 65535 }), feeBaseMsat: fc.nat() }, { requiredKeys: [] }) }).map(
                (u): RgsUpdate => ({ kind: 'incremental', shortChannelId, direction, ...u }),
              ),
            ),
            { nil: undefined },
          ),
        ),
      ),
    );
    return fc.tuple(announcements, updates).map(([a, u]) => ({
      chainHash: CHAIN_HASHES.bitcoin,
      latestSeenTimestamp: timestamp % 2 ** 32,
      nodeIds,
      announcements: a,
      updates: u.filter((x): x is RgsUpdate => x !== undefined),
    }));
  });

/** Any address the RGS format carries: known types, ASCII hostnames up to 251 bytes, unknown types as opaque. */
export const address: fc.Arbitrary<NodeAddress> = fc.oneof(
  fc.record({ kind: fc.constant('ipv4' as const), addr: fc.uint8Array({ minLength: 4, maxLength: 4 }), port: fc.integer({ min: 0, max: 65535 }) }),
  fc.record({ kind: fc.constant('ipv6' as const), addr: fc.uint8Array({ minLength: 16, maxLength: 16 }), port: fc.integer({ min: 0, max: 65535 }) }),
  fc.record({ kind: fc.constant('torv2' as const), addr: fc.uint8Array({ minLength: 10, maxLength: 10 }), port: fc.integer({ min: 0, max: 65535 }) }),
  fc.record({ kind: fc.constant('torv3' as const), addr: fc.uint8Array({ minLength: 35, maxLength: 35 }), port: fc.integer({ min: 0, max: 65535 }) }),
  fc.record({
    kind: fc.constant('dns' as const),
    hostname: fc.oneof(fc.uint8Array({ maxLength: 30 }), fc.uint8Array({ minLength: 251, maxLength: 251 })).map((b) => b.map((x) => x & 0x7f)),
    port: fc.integer({ min: 0, max: 65535 }),
  }),
  fc.tuple(fc.integer({ min: 6, max: 255 }), fc.uint8Array({ maxLength: 20 })).map(([type, rest]): NodeAddress => ({ kind: 'opaque', bytes: Uint8Array.from([type, ...rest]) })),
);

/** Random valid version 2 snapshots: v1 ones plus node updates and funding amounts. */
export const snapshotV2: fc.Arbitrary<RgsSnapshot> = snapshot.chain((s) => {
  const features = fc.oneof(fc.constantFrom(Uint8Array.of(0x08, 0xa0), Uint8Array.of(0x0a, 0x69), new Uint8Array(0)), fc.uint8Array({ maxLength: 12 }));
  const nodeUpdate = (node: number) =>
    fc.record({ features, addresses: fc.array(address, { maxLength: 4 }) }, { requiredKeys: [] }).map((u): RgsNodeUpdate => ({ node, ...u }));
  return fc.tuple(
    fc.tuple(...s.nodeIds.map((_, i) => fc.option(nodeUpdate(i), { nil: undefined }))),
    fc.tuple(...s.announcements.map(() => fc.option(u64, { nil: undefined }))),
  ).map(([nodes, funding]) => ({
    ...s,
    announcements: s.announcements.map((a, i) => (funding[i] === undefined ? a : { ...a, fundingSatoshis: funding[i] })),
    nodes: nodes.filter((n): n is RgsNodeUpdate => n !== undefined),
  }));
});
