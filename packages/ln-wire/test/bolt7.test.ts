import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { concatBytes, fromHex, parseShortChannelId, toHex, type ChainHash, type ShortChannelId } from 'ln-types';
import {
  channelUpdateChecksum,
  crc32c,
  decodeMessage,
  encodeMessage,
  gossipSignedBytes,
  inflateBounded,
  MAX_INFLATED_LIST_BYTES,
  rawGossipSignedBytes,
  WireError,
  type ChannelUpdateMessage,
  type Message,
  type NodeAnnouncementMessage,
  type SignedGossipMessage,
} from '../src/index.js';
import { bolt7Message, bolt7Messages } from './bolt7-arbitraries.js';

interface VectorMessage {
  type: string;
  chainHash: string;
  firstBlockNum: number;
  numberOfBlocks: number;
  complete: number;
  shortChannelIds: Encoded;
  tlvStream: { records: (string | { array: number[] })[] };
  timestamps?: { timestamps: { timestamp1: number; timestamp2: number }[] };
  checksums?: { checksums: { checksum1: number; checksum2: number }[] };
}
interface Vector {
  hex: string;
  msg: VectorMessage;
}
const fixture = JSON.parse(readFileSync(new URL('./fixtures/bolt07-extended-queries.json', import.meta.url), 'utf8')) as { vectors: Vector[] };

const FUZZ_RUNS = Number(process.env.LN_FUZZ_RUNS ?? (process.env.LN_LONG_TESTS === '1' ? 500_000 : 10_000));

type Encoded = { array: string[]; encoding: 'UNCOMPRESSED' | 'COMPRESSED_ZLIB' };
const ids = (e: Encoded): ShortChannelId[] => e.array.map((s) => parseShortChannelId(s));

/** The vector's message in our shape (the fixture's own field names are mapped here). */
function expected(v: Vector): Message {
  const m = v.msg;
  const chainHash = fromHex(v.msg.chainHash) as ChainHash;
  switch (v.msg.type) {
    case 'QueryChannelRange': {
      const records = m.tlvStream.records;
      const base = { type: 'query_channel_range' as const, chainHash, firstBlocknum: m.firstBlockNum, numberOfBlocks: m.numberOfBlocks };
      return records.length === 0 ? base : { ...base, tlvs: { queryOption: records[0] === 'WANT_TIMESTAMPS | WANT_CHECKSUMS' ? 3n : -1n } };
    }
    case 'ReplyChannelRange': {
      const ts = m.timestamps;
      const cs = m.checksums;
      const tlvs = { ...(ts === undefined ? {} : { timestamps: ts.timestamps }), ...(cs === undefined ? {} : { checksums: cs.checksums }) };
      const base = { type: 'reply_channel_range' as const, chainHash, firstBlocknum: m.firstBlockNum, numberOfBlocks: m.numberOfBlocks, syncComplete: m.complete, shortChannelIds: ids(m.shortChannelIds) };
      return Object.keys(tlvs).length === 0 ? base : { ...base, tlvs };
    }
    case 'QueryShortChannelIds': {
      const records = m.tlvStream.records as { array: number[] }[];
      const base = { type: 'query_short_channel_ids' as const, chainHash, shortChannelIds: ids(m.shortChannelIds) };
      return records.length === 0 ? base : { ...base, tlvs: { queryFlags: records[0]!.array.map(BigInt) } };
    }
  }
  throw new Error(`unexpected vector type ${v.msg.type}`);
}

const usesZlib = (v: Vector) => JSON.stringify(v.msg).includes('COMPRESSED_ZLIB');

describe('BOLT 7 extended queries vectors', () => {
  it.each(fixture.vectors.map((v, i) => [i, v.msg.type, usesZlib(v) ? 'zlib' : 'plain', v] as const))('vector %i (%s, %s) decodes', (_i, _t, _z, v) => {
    expect(decodeMessage(fromHex(v.hex))).toEqual(expected(v));
  });

  it.each(fixture.vectors.filter((v) => !usesZlib(v)).map((v) => [v.msg.type, v] as const))('uncompressed %s encodes to the vector bytes', (_t, v) => {
    expect(toHex(encodeMessage(expected(v)))).toBe(v.hex);
  });

  it('zlib lists are never sent: re-encoding a zlib vector gives the uncompressed form', () => {
    const v = fixture.vectors.find(usesZlib)!;
    const m = decodeMessage(fromHex(v.hex)) as Message;
    const again = encodeMessage(m);
    expect(decodeMessage(again)).toEqual(m);
    expect(toHex(again)).not.toBe(v.hex);
  });
});

// Each of the nine gossip messages on its own, so none is left to the luck of fc.oneof.
describe.each(Object.entries(bolt7Messages))('%s', (name, arb) => {
  it('round-trip: decode(encode(m)) == m and encode(decode(b)) == b', () => {
    fc.assert(
      fc.property(arb, (m) => {
        expect(m.type).toBe(name);
        const bytes = encodeMessage(m);
        const decoded = decodeMessage(bytes);
        expect(decoded).toEqual(m);
        expect(encodeMessage(decoded as Message)).toEqual(bytes);
      }),
      { numRuns: 200 },
    );
  });
});

describe('BOLT 7 messages', () => {
  it('round-trip: decode(encode(m)) == m and encode(decode(b)) == b', () => {
    fc.assert(
      fc.property(bolt7Message, (m) => {
        const bytes = encodeMessage(m);
        const decoded = decodeMessage(bytes);
        expect(decoded).toEqual(m);
        expect(encodeMessage(decoded as Message)).toEqual(bytes);
      }),
      { numRuns: 1000 },
    );
  });

  it('signed bytes: a view of the received bytes after the signatures, equal to the encoding for built messages', () => {
    fc.assert(
      fc.property(bolt7Message, (m) => {
        if (m.type !== 'channel_announcement' && m.type !== 'node_announcement' && m.type !== 'channel_update') return;
        const raw = encodeMessage(m);
        const decoded = decodeMessage(raw) as SignedGossipMessage;
        const span = gossipSignedBytes(decoded);
        expect(span.buffer).toBe(raw.buffer);
        expect(span).toEqual(rawGossipSignedBytes(raw));
        expect(gossipSignedBytes(m)).toEqual(span);
        const offset = m.type === 'channel_announcement' ? 258 : 66;
        expect(span).toEqual(raw.subarray(offset));
      }),
      { numRuns: 300 },
    );
  });

  it('signed bytes come from the input, not a re-encoding (unknown trailing data included)', () => {
    const update: ChannelUpdateMessage = {
      type: 'channel_update',
      signature: new Uint8Array(64).fill(7),
      chainHash: new Uint8Array(32).fill(1) as ChainHash,
      shortChannelId: 5n as ShortChannelId,
      timestamp: 1000,
      messageFlags: 1,
      channelFlags: 0,
      cltvExpiryDelta: 40,
      htlcMinimumMsat: 1n,
      feeBaseMsat: 1000,
      feeProportionalMillionths: 1,
      htlcMaximumMsat: 10n,
    };
    const raw = concatBytes(encodeMessage(update), Uint8Array.of(0xde, 0xad));
    const decoded = decodeMessage(raw) as ChannelUpdateMessage;
    expect(decoded.extra).toEqual(Uint8Array.of(0xde, 0xad));
    expect(toHex(gossipSignedBytes(decoded))).toBe(toHex(raw.subarray(66)));
    expect(() => rawGossipSignedBytes(fromHex('0012'))).toThrow(WireError);
    expect(() => rawGossipSignedBytes(fromHex('0102'))).toThrow(expect.objectContaining({ code: 'truncated' }));
  });

  it('channel_update checksum skips signature and timestamp', () => {
    const base: ChannelUpdateMessage = {
      type: 'channel_update',
      signature: new Uint8Array(64),
      chainHash: new Uint8Array(32) as ChainHash,
      shortChannelId: 1n as ShortChannelId,
      timestamp: 1,
      messageFlags: 1,
      channelFlags: 1,
      cltvExpiryDelta: 144,
      htlcMinimumMsat: 0n,
      feeBaseMsat: 0,
      feeProportionalMillionths: 0,
      htlcMaximumMsat: 1000n,
    };
    const a = channelUpdateChecksum(base);
    expect(channelUpdateChecksum({ ...base, timestamp: 99, signature: new Uint8Array(64).fill(9) })).toBe(a);
    expect(channelUpdateChecksum({ ...base, feeBaseMsat: 1 })).not.toBe(a);
    const raw = encodeMessage(base);
    expect(a).toBe(crc32c(concatBytes(raw.subarray(66, 106), raw.subarray(110))));
    // The CRC32C check value from RFC 3720.
    expect(crc32c(new TextEncoder().encode('123456789'))).toBe(0xe3069283);
  });

  it('node_announcement addresses: all descriptor types, and stops at an unknown type', () => {
    const m: NodeAnnouncementMessage = {
      type: 'node_announcement',
      signature: new Uint8Array(64),
      features: new Uint8Array(0),
      timestamp: 1,
      nodeId: fromHex('02' + '11'.repeat(32)) as NodeAnnouncementMessage['nodeId'],
      rgbColor: Uint8Array.of(1, 2, 3),
      alias: new Uint8Array(32),
      addresses: [
        { kind: 'ipv4', addr: Uint8Array.of(127, 0, 0, 1), port: 9735 },
        { kind: 'ipv6', addr: new Uint8Array(16).fill(1), port: 9735 },
        { kind: 'torv2', addr: new Uint8Array(10).fill(2), port: 9735 },
        { kind: 'torv3', addr: new Uint8Array(35).fill(3), port: 9735 },
        { kind: 'dns', hostname: new TextEncoder().encode('ln.example.com'), port: 9735 },
        { kind: 'opaque', bytes: Uint8Array.of(42, 1, 2, 3) },
      ],
    };
    const raw = encodeMessage(m);
    expect(decodeMessage(raw)).toEqual(m);
    // ipv4 descriptor: type 1, 4 address bytes, port.
    expect(toHex(raw)).toContain('017f0000012607');
    expect(toHex(raw)).toContain('050e' + toHex(new TextEncoder().encode('ln.example.com')) + '2607');
    expect(() => encodeMessage({ ...m, addresses: [{ kind: 'opaque', bytes: Uint8Array.of(1) }] })).toThrow(WireError);
    expect(() => encodeMessage({ ...m, addresses: [{ kind: 'opaque', bytes: Uint8Array.of(42) }, { kind: 'ipv4', addr: new Uint8Array(4), port: 1 }] })).toThrow(WireError);
    // A known type cut short inside addrlen is refused.
    const cut = fromHex('0101' + '00'.repeat(64) + '0000' + '00000001' + '02' + '11'.repeat(32) + '010203' + '00'.repeat(32) + '0003' + '017f00');
    expect(() => decodeMessage(cut)).toThrow(expect.objectContaining({ code: 'truncated' }));
  });

  it('encoded short id lists: unknown encodings, ragged lengths and missing encoding byte are refused', () => {
    const chain = '00'.repeat(32);
    expect(() => decodeMessage(fromHex('0105' + chain + '0000'))).toThrow(expect.objectContaining({ code: 'truncated' }));
    expect(() => decodeMessage(fromHex('0105' + chain + '000102'))).toThrow(expect.objectContaining({ code: 'invalid_value' }));
    expect(() => decodeMessage(fromHex('0105' + chain + '00020001'))).toThrow(expect.objectContaining({ code: 'invalid_value' }));
    expect(decodeMessage(fromHex('0105' + chain + '000100'))).toEqual({ type: 'query_short_channel_ids', chainHash: fromHex(chain), shortChannelIds: [] });
    // Corrupt zlib.
    expect(() => decodeMessage(fromHex('0105' + chain + '000401789cff'))).toThrow(expect.objectContaining({ code: 'invalid_value' }));
  });

  it('a zlib bomb is refused at the inflate bound, without inflating it all', async () => {
    const { zlibSync } = await import('fflate');
    const bomb = zlibSync(new Uint8Array(MAX_INFLATED_LIST_BYTES + 8));
    expect(bomb.length).toBeLessThan(65000);
    expect(() => inflateBounded(bomb, 'test')).toThrow(expect.objectContaining({ code: 'too_large' }));
    const ok = zlibSync(new Uint8Array(MAX_INFLATED_LIST_BYTES));
    expect(inflateBounded(ok, 'test').length).toBe(MAX_INFLATED_LIST_BYTES);
    const raw = concatBytes(fromHex('0105' + '00'.repeat(32)), Uint8Array.of((bomb.length + 1) >> 8, (bomb.length + 1) & 0xff, 1), bomb);
    expect(() => decodeMessage(raw)).toThrow(expect.objectContaining({ code: 'too_large' }));
  });

  it('every truncation of a valid encoding is refused with a WireError or decodes to the same type', () => {
    fc.assert(
      fc.property(bolt7Message, (m) => {
        const bytes = encodeMessage(m);
        for (let n = 0; n < bytes.length; n++) {
          try {
            const decoded = decodeMessage(bytes.subarray(0, n));
            expect(decoded.type).toBe(m.type);
          } catch (e) {
            expect(e).toBeInstanceOf(WireError);
          }
        }
      }),
      { numRuns: 100 },
    );
  });

  it(`random payloads for BOLT 7 types give a WireError or a canonical message (${FUZZ_RUNS} runs)`, () => {
    fc.assert(
      fc.property(fc.integer({ min: 256, max: 265 }).filter((t) => t !== 260), fc.uint8Array({ maxLength: 500 }), (typeId, payload) => {
        const bytes = concatBytes(Uint8Array.of(typeId >> 8, typeId & 0xff), payload);
        try {
          const m = decodeMessage(bytes) as Message;
          expect(encodeMessage(m)).toEqual(bytes);
        } catch (e) {
          expect(e).toBeInstanceOf(WireError);
        }
      }),
      { numRuns: FUZZ_RUNS },
    );
  });
});
