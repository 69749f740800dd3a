import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { CHAIN_HASHES, fromHex, toHex, type ChannelId } from 'ln-types';
import {
  decodeMessage,
  encodeMessage,
  initFeatures,
  messageTypeId,
  peekMessageType,
  WireError,
  MESSAGE_CODECS,
  type InitMessage,
} from '../src/index.js';
import { bolt1Message } from './arbitraries.js';

const extension = JSON.parse(readFileSync(new URL('./fixtures/bolt01-message-extension.json', import.meta.url), 'utf8')) as {
  valid: { message: string; comment: string }[];
  invalid: { message: string; comment: string }[];
};

/** Long property runs: LN_LONG_TESTS=1 (or LN_FUZZ_RUNS=n) for the nightly-sized counts. */
const FUZZ_RUNS = Number(process.env.LN_FUZZ_RUNS ?? (process.env.LN_LONG_TESTS === '1' ? 1_000_000 : 20_000));

describe('message extension (BOLT 1 Appendix C)', () => {
  it.each(extension.valid.map((v) => [v.comment, v] as const))('accepts: %s', (_c, v) => {
    const m = decodeMessage(fromHex(v.message));
    expect(m.type).toBe('init');
    expect(toHex(encodeMessage(m as InitMessage))).toBe(v.message);
  });

  it.each(extension.invalid.map((v) => [v.comment, v] as const))('refuses: %s', (_c, v) => {
    expect(() => decodeMessage(fromHex(v.message))).toThrow(WireError);
  });
});

describe('BOLT 1 messages', () => {
  it('encode known bytes', () => {
    const ping = encodeMessage({ type: 'ping', numPongBytes: 4, ignored: new Uint8Array(2) });
    expect(toHex(ping)).toBe('0012' + '0004' + '0002' + '0000');
    const init = encodeMessage({ type: 'init', globalFeatures: new Uint8Array(0), features: Uint8Array.of(0x02, 0x22), tlvs: { networks: [CHAIN_HASHES.regtest] } });
    expect(toHex(init)).toBe('0010' + '0000' + '00020222' + '0120' + toHex(CHAIN_HASHES.regtest));
    const error = encodeMessage({ type: 'error', channelId: new Uint8Array(32) as ChannelId, data: new TextEncoder().encode('bad') });
    expect(toHex(error)).toBe('0011' + '00'.repeat(32) + '0003' + '626164');
    expect(messageTypeId('warning')).toBe(1);
    expect(peekMessageType(error)).toBe(17);
    expect(peekMessageType(Uint8Array.of(1))).toBeUndefined();
  });

  it('combine global and local features of init', () => {
    const m: InitMessage = { type: 'init', globalFeatures: Uint8Array.of(0x01), features: Uint8Array.of(0x80, 0x02) };
    expect(toHex(initFeatures(m))).toBe('8003');
  });

  it('round-trip: decode(encode(m)) == m and encode(decode(b)) == b', () => {
    fc.assert(
      fc.property(bolt1Message, (m) => {
        const bytes = encodeMessage(m);
        const decoded = decodeMessage(bytes);
        expect(decoded).toEqual(m);
        expect(encodeMessage(decoded as typeof m)).toEqual(bytes);
      }),
      { numRuns: 500 },
    );
  });

  it('every truncation of a valid encoding is refused with a WireError', () => {
    fc.assert(
      fc.property(bolt1Message, (m) => {
        const bytes = encodeMessage(m);
        for (let n = 0; n < bytes.length; n++) {
          try {
            const decoded = decodeMessage(bytes.subarray(0, n));
            // Cutting exactly before the TLV extension (or inside a trailing unknown) may leave a valid shorter message.
            expect(decoded.type).toBe(m.type);
            expect(n).toBeGreaterThanOrEqual(2);
          } catch (e) {
            expect(e).toBeInstanceOf(WireError);
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('unknown types: odd may be ignored, even must be told apart', () => {
    expect(decodeMessage(fromHex('8001abcd'))).toEqual({ type: 'unknown_odd', typeId: 0x8001, payload: fromHex('abcd') });
    expect(decodeMessage(fromHex('8000'))).toEqual({ type: 'unknown_even', typeId: 0x8000, payload: new Uint8Array(0) });
  });

  it('limits: at most 65535 bytes', () => {
    expect(() => decodeMessage(new Uint8Array(65536))).toThrow(expect.objectContaining({ code: 'too_large' }));
    expect(() => encodeMessage({ type: 'ping', numPongBytes: 0, ignored: new Uint8Array(65529) })).not.toThrow();
    expect(() => encodeMessage({ type: 'ping', numPongBytes: 0, ignored: new Uint8Array(65530) })).toThrow(expect.objectContaining({ code: 'too_large' }));
    expect(() => decodeMessage(fromHex('00'))).toThrow(expect.objectContaining({ code: 'truncated' }));
  });

  it(`random bytes after every known type never throw anything but WireError (${FUZZ_RUNS} runs)`, () => {
    const typeIds = MESSAGE_CODECS.map((c) => c.typeId);
    fc.assert(
      fc.property(fc.constantFrom(...typeIds), fc.uint8Array({ maxLength: 300 }), (typeId, payload) => {
        const bytes = new Uint8Array(payload.length + 2);
        bytes[0] = typeId >> 8;
        bytes[1] = typeId & 0xff;
        bytes.set(payload, 2);
        try {
          const m = decodeMessage(bytes);
          // Whatever decodes re-encodes to the same bytes: decoding is canonical.
          expect(encodeMessage(m as Parameters<typeof encodeMessage>[0])).toEqual(bytes);
        } catch (e) {
          expect(e).toBeInstanceOf(WireError);
        }
      }),
      { numRuns: FUZZ_RUNS },
    );
  });
});
