// BOLT 2 and BOLT 4 messages: round trips, truncations, hostile lengths, non-minimal and
// out-of-namespace TLVs, and the spec's own examples.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { fromHex, toHex, type ChannelId, type Txid } from 'ln-types';
import { decodeMessage, encodeMessage, MESSAGE_CODECS, WireError, type Message, type MessageOf } from '../src/index.js';
import { bolt2Messages, bolt4Messages } from './arbitraries.js';

const arbitraries = { ...bolt2Messages, ...bolt4Messages };
/** Mutation fuzz per message type: LN_LONG_TESTS=1 (or LN_FUZZ_RUNS=n, split over the types) for the nightly-sized run. */
const MUTATION_RUNS = Math.ceil(Number(process.env.LN_FUZZ_RUNS ?? (process.env.LN_LONG_TESTS === '1' ? 1_000_000 : 3_400)) / Object.keys(arbitraries).length);
const names = Object.keys(arbitraries);
/** Gossip (BOLT 7, types 256-265) is tested with its own codecs; everything else here or in messages.test.ts. */
const BOLT1 = new Set(['init', 'error', 'warning', 'ping', 'pong', 'peer_storage', 'peer_storage_retrieval']);

function withoutTlvs(m: Message): Message {
  const { tlvs: _ignored, ...rest } = m as Message & { tlvs?: unknown };
  return rest as Message;
}

function expectWireError(f: () => unknown, code?: string): void {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(WireError);
    if (code !== undefined) expect((e as WireError).code).toBe(code);
    return;
  }
  throw new Error('expected a WireError');
}

describe('BOLT 2 / BOLT 4 message coverage', () => {
  it('every non-gossip codec has a generator', () => {
    const missing = MESSAGE_CODECS.filter((c) => !BOLT1.has(c.name) && (c.typeId < 256 || c.typeId > 265) && !(c.name in arbitraries)).map((c) => c.name);
    expect(missing).toEqual([]);
    expect(names.length).toBe(34);
  });
});

describe.each(names.map((n) => [n]))('%s', (name) => {
  const arb = arbitraries[name]!;

  it('round-trips: decode(encode(m)) == m and encode(decode(b)) == b', () => {
    fc.assert(
      fc.property(arb, (m) => {
        expect(m.type).toBe(name);
        const bytes = encodeMessage(m);
        const decoded = decodeMessage(bytes);
        expect(decoded).toEqual(m);
        expect(encodeMessage(decoded as Message)).toEqual(bytes);
      }),
      { numRuns: 100 },
    );
  });

  it('every truncation is refused, or is the same message cut at a TLV record boundary', () => {
    fc.assert(
      fc.property(arb, (m) => {
        const bytes = encodeMessage(m);
        const base = encodeMessage(withoutTlvs(m)).length;
        for (let n = 0; n < bytes.length; n++) {
          let decoded: ReturnType<typeof decodeMessage>;
          try {
            decoded = decodeMessage(bytes.subarray(0, n));
          } catch (e) {
            expect(e).toBeInstanceOf(WireError);
            continue;
          }
          // Only a cut inside the extension, between two records, leaves a valid message.
          expect(n).toBeGreaterThanOrEqual(base);
          expect(withoutTlvs(decoded as Message)).toEqual(withoutTlvs(m));
          expect(encodeMessage(decoded as Message)).toEqual(bytes.subarray(0, n));
        }
      }),
      { numRuns: 6 },
    );
  });

  it(`mutated encodings never throw anything but WireError, and what decodes is canonical (${MUTATION_RUNS} runs)`, () => {
    fc.assert(
      fc.property(arb, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }), fc.uint8Array({ maxLength: 12 }), (m, flips, tail) => {
        const valid = encodeMessage(m);
        const bytes = new Uint8Array(valid.length + tail.length);
        bytes.set(valid);
        bytes.set(tail, valid.length);
        // Keep the type: we fuzz this message's decoder, not the dispatch.
        for (const [at, v] of flips) if (bytes.length > 2) bytes[2 + (at % (bytes.length - 2))] = v;
        try {
          const decoded = decodeMessage(bytes);
          expect(decoded.type).toBe(name);
          expect(encodeMessage(decoded as Message)).toEqual(bytes);
        } catch (e) {
          expect(e).toBeInstanceOf(WireError);
        }
      }),
      { numRuns: MUTATION_RUNS },
    );
  });

  it('refuses an unknown even TLV record and keeps an unknown odd one', () => {
    fc.assert(
      fc.property(arb, (m) => {
        const base = encodeMessage(withoutTlvs(m));
        // Types far above every namespace's known records.
        const even = new Uint8Array([...base, 0xfd, 0x10, 0x00, 0x01, 0xaa]);
        expectWireError(() => decodeMessage(even), 'tlv_unknown_even');
        const odd = new Uint8Array([...base, 0xfd, 0x10, 0x01, 0x01, 0xaa]);
        const decoded = decodeMessage(odd) as Message & { tlvs?: { unknown?: unknown } };
        expect(decoded.tlvs).toEqual({ unknown: [{ type: 0x1001n, value: Uint8Array.of(0xaa) }] });
        expect(encodeMessage(decoded)).toEqual(odd);
      }),
      { numRuns: 5 },
    );
  });

  it('refuses non-minimal TLV types and lengths, and lengths past the end', () => {
    fc.assert(
      fc.property(arb, (m) => {
        const base = encodeMessage(withoutTlvs(m));
        expectWireError(() => decodeMessage(new Uint8Array([...base, 0xfd, 0x00, 0x21, 0x00])), 'non_minimal');
        expectWireError(() => decodeMessage(new Uint8Array([...base, 0x21, 0xfd, 0x00, 0x01, 0xaa])), 'non_minimal');
        expectWireError(() => decodeMessage(new Uint8Array([...base, 0x21, 0xfe, 0x00, 0x01, 0x00, 0x00, 0xaa])), 'truncated');
        expectWireError(() => decodeMessage(new Uint8Array([...base, 0x23, 0x00, 0x21, 0x00])), 'tlv_order');
      }),
      { numRuns: 5 },
    );
  });
});

const cid = new Uint8Array(32).fill(7) as ChannelId;
const key = Uint8Array.from({ length: 33 }, (_, i) => (i === 0 ? 2 : i));

/** The encoding of `m` with the u16 at payload offset `at` (after the type) set to 0xffff. */
function withLength(m: Message, at: number): Uint8Array {
  const bytes = encodeMessage(m).slice();
  bytes[2 + at] = 0xff;
  bytes[3 + at] = 0xff;
  return bytes;
}

describe('hostile and invalid fields', () => {
  it('refuses oversized length prefixes and counts before reading', () => {
    expectWireError(() => decodeMessage(withLength({ type: 'shutdown', channelId: cid, scriptpubkey: new Uint8Array(22) }, 32)), 'truncated');
    expectWireError(() => decodeMessage(withLength({ type: 'tx_abort', channelId: cid, data: new Uint8Array(3) }, 32)), 'truncated');
    expectWireError(() => decodeMessage(withLength({ type: 'update_fail_htlc', channelId: cid, id: 1n, reason: new Uint8Array(256) }, 40)), 'truncated');
    expectWireError(
      () => decodeMessage(withLength({ type: 'tx_add_input', channelId: cid, serialId: 2n, prevtx: new Uint8Array(60), prevtxVout: 0, sequence: 0xfffffffd }, 40)),
      'truncated',
    );
    expectWireError(() => decodeMessage(withLength({ type: 'tx_signatures', channelId: cid, txid: cid as unknown as Txid, witnesses: [new Uint8Array(5)] }, 64)), 'truncated');
    expectWireError(() => decodeMessage(withLength({ type: 'commitment_signed', channelId: cid, signature: new Uint8Array(64), htlcSignatures: [new Uint8Array(64)] }, 96)), 'truncated');
    expectWireError(
      () => decodeMessage(withLength({ type: 'closing_complete', channelId: cid, closerScriptpubkey: new Uint8Array(22), closeeScriptpubkey: new Uint8Array(22), feeSatoshis: 1n, locktime: 0 }, 32)),
      'truncated',
    );
    expectWireError(() => decodeMessage(withLength({ type: 'onion_message', pathKey: key as never, onionMessagePacket: new Uint8Array(1366) }, 33)), 'truncated');
    // A witness count that could not fit is refused up front.
    expectWireError(() => decodeMessage(fromHex('0047' + '00'.repeat(64) + 'ffff' + '0000')), 'truncated');
  });

  it('refuses malformed points, flags and fixed-size records', () => {
    const bad = key.slice();
    bad[0] = 4;
    const ready = encodeMessage({ type: 'channel_ready', channelId: cid, secondPerCommitmentPoint: key as never });
    const badReady = ready.slice();
    badReady[34] = 4;
    expectWireError(() => decodeMessage(badReady), 'invalid_value');
    // stfu's initiator is 0 or 1.
    expectWireError(() => decodeMessage(fromHex('0002' + '07'.repeat(32) + '02')), 'invalid_value');
    // require_confirmed_inputs carries no value.
    const init = encodeMessage({ type: 'tx_ack_rbf', channelId: cid });
    expect(decodeMessage(new Uint8Array([...init, 0x02, 0x00]))).toEqual({ type: 'tx_ack_rbf', channelId: cid, tlvs: { requireConfirmedInputs: true } });
    expectWireError(() => decodeMessage(new Uint8Array([...init, 0x02, 0x01, 0x00])), 'invalid_value');
    // path_key is exactly a point; a 32-byte record is refused.
    const add = encodeMessage({ type: 'update_add_htlc', channelId: cid, id: 0n, amountMsat: 1000n, paymentHash: new Uint8Array(32), cltvExpiry: 500, onionRoutingPacket: new Uint8Array(1366) });
    expectWireError(() => decodeMessage(new Uint8Array([...add, 0x00, 0x20, ...new Uint8Array(32)])), 'truncated');
    expectWireError(() => decodeMessage(new Uint8Array([...add, 0x00, 0x22, ...key, 0x00])), 'invalid_value');
    // attribution_data is exactly 920 bytes.
    const fulfill = encodeMessage({ type: 'update_fulfill_htlc', channelId: cid, id: 0n, paymentPreimage: new Uint8Array(32) });
    expectWireError(() => decodeMessage(new Uint8Array([...fulfill, 0x01, 0xfd, 0x03, 0x97, ...new Uint8Array(919)])), 'truncated');
    expectWireError(() => decodeMessage(new Uint8Array([...fulfill, 0x01, 0xfd, 0x03, 0x99, ...new Uint8Array(921)])), 'invalid_value');
  });

  it('returns independent bytes from successive encodes, also after a refused one', () => {
    const a = encodeMessage({ type: 'update_fee', channelId: cid, feeratePerKw: 253 });
    const copy = a.slice();
    expectWireError(() => encodeMessage({ type: 'shutdown', channelId: cid, scriptpubkey: new Uint8Array(65535) }), 'too_large');
    const b = encodeMessage({ type: 'update_fee', channelId: new Uint8Array(32) as ChannelId, feeratePerKw: 1 });
    expect(a).toEqual(copy);
    expect(a.buffer).not.toBe(b.buffer);
    expect(a.byteLength).toBe(a.buffer.byteLength);
    expectWireError(() => encodeMessage({ type: 'update_fee', channelId: cid, feeratePerKw: -1 }), 'invalid_value');
    expect(encodeMessage({ type: 'update_fee', channelId: cid, feeratePerKw: 253 })).toEqual(copy);
  });

  it('refuses out-of-range values on encode', () => {
    expectWireError(() => encodeMessage({ type: 'update_fee', channelId: cid, feeratePerKw: 2 ** 32 }), 'invalid_value');
    expectWireError(() => encodeMessage({ type: 'splice_ack', channelId: cid, fundingContributionSatoshis: 1n << 63n, fundingPubkey: key as never }), 'invalid_value');
    expectWireError(() => encodeMessage({ type: 'update_fulfill_htlc', channelId: cid, id: 0n, paymentPreimage: new Uint8Array(31) }), 'invalid_value');
    expectWireError(
      () => encodeMessage({ type: 'update_fail_htlc', channelId: cid, id: 0n, reason: new Uint8Array(0), tlvs: { attributionData: { htlcHoldTimes: [1], truncatedHmacs: new Uint8Array(840) } } }),
      'invalid_value',
    );
  });
});

describe('known encodings', () => {
  it('lays out update_add_htlc with a path key as BOLT 2 says', () => {
    const m: MessageOf<'update_add_htlc'> = {
      type: 'update_add_htlc',
      channelId: cid,
      id: 5n,
      amountMsat: 1_000_000n,
      paymentHash: new Uint8Array(32).fill(0xaa),
      cltvExpiry: 800_000,
      onionRoutingPacket: new Uint8Array(1366).fill(1),
      tlvs: { blindedPath: key as never },
    };
    const hex = toHex(encodeMessage(m));
    expect(hex).toBe('0080' + '07'.repeat(32) + '0000000000000005' + '00000000000f4240' + 'aa'.repeat(32) + '000c3500' + '01'.repeat(1366) + '0021' + toHex(key));
  });

  it('lays out channel_reestablish with next_funding and my_current_funding_locked', () => {
    const t1 = new Uint8Array(32).fill(1) as Txid;
    const t2 = new Uint8Array(32).fill(2) as Txid;
    const m: MessageOf<'channel_reestablish'> = {
      type: 'channel_reestablish',
      channelId: cid,
      nextCommitmentNumber: 11n,
      nextRevocationNumber: 10n,
      yourLastPerCommitmentSecret: new Uint8Array(32),
      myCurrentPerCommitmentPoint: key as never,
      tlvs: { nextFunding: { txid: t1, retransmitFlags: 1 }, myCurrentFundingLocked: { txid: t2, retransmitFlags: 0 } },
    };
    expect(toHex(encodeMessage(m))).toBe(
      '0088' + '07'.repeat(32) + '000000000000000b' + '000000000000000a' + '00'.repeat(32) + toHex(key) + '0121' + '01'.repeat(32) + '01' + '0521' + '02'.repeat(32) + '00',
    );
  });

  it('lays out closing_signed with fee_range and closing_complete with its signatures', () => {
    const sig = new Uint8Array(64).fill(9);
    expect(toHex(encodeMessage({ type: 'closing_signed', channelId: cid, feeSatoshis: 300n, signature: sig, tlvs: { feeRange: { minFeeSatoshis: 200n, maxFeeSatoshis: 400n } } }))).toBe(
      '0027' + '07'.repeat(32) + '000000000000012c' + '09'.repeat(64) + '0110' + '00000000000000c8' + '0000000000000190',
    );
    expect(
      toHex(
        encodeMessage({
          type: 'closing_complete',
          channelId: cid,
          closerScriptpubkey: Uint8Array.of(0x51),
          closeeScriptpubkey: new Uint8Array(0),
          feeSatoshis: 1n,
          locktime: 7,
          tlvs: { closeeOutputOnly: sig, closerAndCloseeOutputs: sig },
        }),
      ),
    ).toBe('0028' + '07'.repeat(32) + '000151' + '0000' + '0000000000000001' + '00000007' + '0240' + '09'.repeat(64) + '0340' + '09'.repeat(64));
  });

  it('lays out onion_message, start_batch and splice_init', () => {
    expect(toHex(encodeMessage({ type: 'onion_message', pathKey: key as never, onionMessagePacket: Uint8Array.of(0, 1, 2) }))).toBe('0201' + toHex(key) + '0003000102');
    expect(toHex(encodeMessage({ type: 'start_batch', channelId: cid, batchSize: 2, tlvs: { messageType: 132 } }))).toBe('007f' + '07'.repeat(32) + '0002' + '01020084');
    expect(toHex(encodeMessage({ type: 'splice_init', channelId: cid, fundingContributionSatoshis: -100_000n, fundingFeeratePerkw: 253, locktime: 0, fundingPubkey: key as never, tlvs: { requireConfirmedInputs: true } }))).toBe(
      '0050' + '07'.repeat(32) + 'fffffffffffe7960' + '000000fd' + '00000000' + toHex(key) + '0200',
    );
  });
});
