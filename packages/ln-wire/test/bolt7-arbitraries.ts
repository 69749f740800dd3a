// fast-check generators for BOLT 7 messages.
import fc from 'fast-check';
import type { ChainHash, ChannelId, NodeId, ShortChannelId } from 'ln-types';
import type { Message, NodeAddress } from '../src/index.js';
import { bytes, fixed, plainExtension, unknownOdd } from './arbitraries.js';

const sig = fixed(64);
const chain = fixed(32).map((b) => b as ChainHash);
const point = fc.tuple(fc.constantFrom(2, 3), fixed(32)).map(([p, x]) => Uint8Array.of(p, ...x) as NodeId);
const scid = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }).map((v) => v as ShortChannelId);
const u32 = fc.integer({ min: 0, max: 0xffffffff });
const u64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
const extra = fc.option(bytes(16).filter((b) => b.length > 0), { nil: undefined });

function withOptional<T extends object>(m: T, key: string, v: unknown): T {
  return v === undefined ? m : { ...m, [key]: v };
}

export const nodeAddress: fc.Arbitrary<NodeAddress> = fc.oneof(
  fc.tuple(fixed(4), fc.integer({ min: 0, max: 65535 })).map(([addr, port]): NodeAddress => ({ kind: 'ipv4', addr, port })),
  fc.tuple(fixed(16), fc.integer({ min: 0, max: 65535 })).map(([addr, port]): NodeAddress => ({ kind: 'ipv6', addr, port })),
  fc.tuple(fixed(10), fc.integer({ min: 0, max: 65535 })).map(([addr, port]): NodeAddress => ({ kind: 'torv2', addr, port })),
  fc.tuple(fixed(35), fc.integer({ min: 0, max: 65535 })).map(([addr, port]): NodeAddress => ({ kind: 'torv3', addr, port })),
  fc.tuple(fc.uint8Array({ maxLength: 255 }), fc.integer({ min: 0, max: 65535 })).map(([hostname, port]): NodeAddress => ({ kind: 'dns', hostname, port })),
);

const addresses = fc
  .tuple(fc.array(nodeAddress, { maxLength: 4 }), fc.option(fc.tuple(fc.integer({ min: 6, max: 255 }), bytes(8)), { nil: undefined }))
  .map(([known, opaque]) => (opaque === undefined ? known : [...known, { kind: 'opaque' as const, bytes: Uint8Array.of(opaque[0], ...opaque[1]) }]));

const scids = fc.array(scid, { maxLength: 20 });

/** One generator per BOLT 7 message type, covering all its fields and records. */
export const bolt7Messages = {
  channel_announcement: fc
    .tuple(sig, sig, sig, sig, bytes(8), chain, scid, point, point, point, point, extra)
    .map(([nodeSignature1, nodeSignature2, bitcoinSignature1, bitcoinSignature2, features, chainHash, shortChannelId, nodeId1, nodeId2, bitcoinKey1, bitcoinKey2, x]): Message =>
      withOptional({ type: 'channel_announcement' as const, nodeSignature1, nodeSignature2, bitcoinSignature1, bitcoinSignature2, features, chainHash, shortChannelId, nodeId1, nodeId2, bitcoinKey1, bitcoinKey2 }, 'extra', x),
    ),
  node_announcement: fc
    .tuple(sig, bytes(8), u32, point, fixed(3), fixed(32), addresses, extra)
    .map(([signature, features, timestamp, nodeId, rgbColor, alias, addrs, x]): Message =>
      withOptional({ type: 'node_announcement' as const, signature, features, timestamp, nodeId, rgbColor, alias, addresses: addrs }, 'extra', x),
    ),
  channel_update: fc
    .tuple(sig, chain, scid, u32, fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 65535 }), u64, u32, u32, u64, extra)
    .map(([signature, chainHash, shortChannelId, timestamp, messageFlags, channelFlags, cltvExpiryDelta, htlcMinimumMsat, feeBaseMsat, feeProportionalMillionths, htlcMaximumMsat, x]): Message =>
      withOptional(
        { type: 'channel_update' as const, signature, chainHash, shortChannelId, timestamp, messageFlags, channelFlags, cltvExpiryDelta, htlcMinimumMsat, feeBaseMsat, feeProportionalMillionths, htlcMaximumMsat },
        'extra',
        x,
      ),
    ),
  announcement_signatures: fc
    .tuple(fixed(32), scid, sig, sig, plainExtension)
    .map(([cid, shortChannelId, nodeSignature, bitcoinSignature, tlvs]): Message =>
      withOptional({ type: 'announcement_signatures' as const, channelId: cid as ChannelId, shortChannelId, nodeSignature, bitcoinSignature }, 'tlvs', tlvs),
    ),
  query_short_channel_ids: fc
    .tuple(chain, scids, fc.option(fc.array(u64, { maxLength: 20 }), { nil: undefined }), unknownOdd(1))
    .map(([chainHash, shortChannelIds, queryFlags, unknown]): Message => {
      const tlvs = { ...(queryFlags === undefined ? {} : { queryFlags }), ...(unknown.length === 0 ? {} : { unknown }) };
      return withOptional({ type: 'query_short_channel_ids' as const, chainHash, shortChannelIds }, 'tlvs', Object.keys(tlvs).length === 0 ? undefined : tlvs);
    }),
  reply_short_channel_ids_end: fc
    .tuple(chain, fc.integer({ min: 0, max: 255 }), plainExtension)
    .map(([chainHash, fullInformation, tlvs]): Message => withOptional({ type: 'reply_short_channel_ids_end' as const, chainHash, fullInformation }, 'tlvs', tlvs)),
  query_channel_range: fc
    .tuple(chain, u32, u32, fc.option(fc.bigInt({ min: 0n, max: 3n }), { nil: undefined }), unknownOdd(1))
    .map(([chainHash, firstBlocknum, numberOfBlocks, queryOption, unknown]): Message => {
      const tlvs = { ...(queryOption === undefined ? {} : { queryOption }), ...(unknown.length === 0 ? {} : { unknown }) };
      return withOptional({ type: 'query_channel_range' as const, chainHash, firstBlocknum, numberOfBlocks }, 'tlvs', Object.keys(tlvs).length === 0 ? undefined : tlvs);
    }),
  reply_channel_range: fc
    .tuple(
      chain,
      u32,
      u32,
      fc.integer({ min: 0, max: 1 }),
      scids,
      fc.boolean(),
      fc.boolean(),
      fc.array(fc.tuple(u32, u32, u32, u32), { maxLength: 20 }),
      unknownOdd(3),
    )
    .map(([chainHash, firstBlocknum, numberOfBlocks, syncComplete, shortChannelIds, withTs, withCs, nums, unknown]): Message => {
      const n = Math.min(shortChannelIds.length, nums.length);
      const ids = shortChannelIds.slice(0, n);
      const tlvs = {
        ...(withTs ? { timestamps: nums.slice(0, n).map(([a, b]) => ({ timestamp1: a, timestamp2: b })) } : {}),
        ...(withCs ? { checksums: nums.slice(0, n).map(([, , a, b]) => ({ checksum1: a, checksum2: b })) } : {}),
        ...(unknown.length === 0 ? {} : { unknown }),
      };
      return withOptional(
        { type: 'reply_channel_range' as const, chainHash, firstBlocknum, numberOfBlocks, syncComplete, shortChannelIds: ids },
        'tlvs',
        Object.keys(tlvs).length === 0 ? undefined : tlvs,
      );
    }),
  gossip_timestamp_filter: fc
    .tuple(chain, u32, u32, plainExtension)
    .map(([chainHash, firstTimestamp, timestampRange, tlvs]): Message => withOptional({ type: 'gossip_timestamp_filter' as const, chainHash, firstTimestamp, timestampRange }, 'tlvs', tlvs)),
} satisfies Record<string, fc.Arbitrary<Message>>;

/** Any BOLT 7 message. */
export const bolt7Message: fc.Arbitrary<Message> = fc.oneof(...Object.values(bolt7Messages));
