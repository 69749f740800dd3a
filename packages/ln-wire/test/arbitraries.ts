// fast-check generators for messages, shared by the round-trip and robustness tests.
import fc from 'fast-check';
import type { ChainHash, ChannelId } from 'ln-types';
import type { Message, TlvRecord } from '../src/index.js';

export const bytes = (maxLength = 64) => fc.uint8Array({ maxLength });
export const fixed = (n: number) => fc.uint8Array({ minLength: n, maxLength: n });
export const channelId = fixed(32).map((b) => b as ChannelId);

/** Unknown odd TLV records above `above`, sorted and unique. */
export const unknownOdd = (above: number) =>
  fc
    .uniqueArray(fc.integer({ min: 0, max: 500 }), { maxLength: 3 })
    .map((ns) => ns.map((n) => BigInt(above + 1 + 2 * n + (above % 2 === 0 ? 0 : 1))).sort((a, b) => (a < b ? -1 : 1)))
    .chain((types) => fc.tuple(...types.map((type) => bytes(8).map((value): TlvRecord => ({ type, value })))));

/** An optional extension of unknown odd records only. */
export const plainExtension = fc.option(unknownOdd(0).filter((u) => u.length > 0).map((unknown) => ({ unknown })), { nil: undefined });

function withTlvs<T extends object>(m: T, tlvs: object | undefined): T {
  return tlvs === undefined || Object.keys(tlvs).length === 0 ? m : { ...m, tlvs };
}

export const bolt1Message: fc.Arbitrary<Message> = fc.oneof(
  fc
    .tuple(bytes(4), bytes(8), fc.option(fc.array(fixed(32), { maxLength: 3 }), { nil: undefined }), fc.option(bytes(18), { nil: undefined }), unknownOdd(3))
    .map(([globalFeatures, features, networks, remoteAddr, unknown]): Message => {
      const tlvs = {
        ...(networks === undefined ? {} : { networks: networks as ChainHash[] }),
        ...(remoteAddr === undefined ? {} : { remoteAddr }),
        ...(unknown.length === 0 ? {} : { unknown }),
      };
      return withTlvs({ type: 'init' as const, globalFeatures, features }, tlvs);
    }),
  fc.tuple(fc.constantFrom('error' as const, 'warning' as const), channelId, bytes(100), plainExtension).map(([type, cid, data, tlvs]) => withTlvs({ type, channelId: cid, data }, tlvs)),
  fc.tuple(fc.integer({ min: 0, max: 65535 }), bytes(100), plainExtension).map(([numPongBytes, ignored, tlvs]) => withTlvs({ type: 'ping' as const, numPongBytes, ignored }, tlvs)),
  fc.tuple(bytes(100), plainExtension).map(([ignored, tlvs]) => withTlvs({ type: 'pong' as const, ignored }, tlvs)),
  fc.tuple(fc.constantFrom('peer_storage' as const, 'peer_storage_retrieval' as const), bytes(200), plainExtension).map(([type, blob, tlvs]) => withTlvs({ type, blob }, tlvs)),
);
