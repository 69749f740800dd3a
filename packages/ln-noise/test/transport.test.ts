import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { fromHex, toHex } from 'ln-types';
import { MAX_MESSAGE_LENGTH, NoiseDecoder, NoiseError, NoiseTransport } from '../src/index.js';
import { handshakenPair, symmetricBackends, vectors } from './helpers.js';

const runs = process.env.LN_LONG_TESTS === '1' ? 1000 : 60;

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(NoiseError);
    return (err as NoiseError).code;
  }
  return undefined;
}

describe.each(symmetricBackends)('transport [%s]', (_name, symmetric) => {
  const m = vectors.message_encryption;

  test('BOLT 8 message encryption outputs 0, 1, 500, 501, 1000, 1001 (key rotation)', () => {
    const sender = new NoiseTransport(symmetric, fromHex(m.sk), fromHex(m.rk), fromHex(m.ck));
    // The receiver's keys mirror the sender's: it decrypts what the vectors show.
    const receiver = new NoiseTransport(symmetric, fromHex(m.rk), fromHex(m.sk), fromHex(m.ck));
    const decoder = new NoiseDecoder(receiver);
    const expected = new Map(m.outputs.map((o) => [o.index, o.ciphertext]));
    const plaintext = fromHex(m.plaintext);
    for (let i = 0; i <= 1001; i++) {
      const sealed = sender.encrypt(plaintext);
      const want = expected.get(i);
      if (want !== undefined) expect(toHex(sealed)).toBe(want);
      const got = decoder.push(sealed);
      expect(got.length).toBe(1);
      expect(toHex(got[0]!)).toBe(m.plaintext);
    }
  });

  test('messages of 0 and 65535 bytes pass; 65536 is refused without consuming a nonce', () => {
    const [a, b] = handshakenPair(symmetric);
    const decoder = new NoiseDecoder(b);
    expect(codeOf(() => a.encrypt(new Uint8Array(MAX_MESSAGE_LENGTH + 1)))).toBe('message_too_large');
    const big = new Uint8Array(MAX_MESSAGE_LENGTH).map((_, i) => i & 0xff);
    const out = decoder.push(a.encrypt(new Uint8Array(0)));
    decoder.pushInto(a.encrypt(big), out);
    expect(out.map((x) => x.length)).toEqual([0, MAX_MESSAGE_LENGTH]);
    expect(toHex(out[1]!.subarray(0, 4))).toBe('00010203');
  });

  test('any chunking of a stream of random messages decodes to the same messages (both directions)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 300 }), { minLength: 1, maxLength: 12 }),
        fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 20 }),
        fc.boolean(),
        (messages, cuts, reverse) => {
          const [a, b] = handshakenPair(symmetric);
          const [from, to] = reverse ? [b, a] : [a, b];
          const stream = concat(messages.map((msg) => from.encrypt(msg)));
          const decoder = new NoiseDecoder(to);
          const got: Uint8Array[] = [];
          let offset = 0;
          for (let i = 0; offset < stream.length; i++) {
            const size = cuts[i % cuts.length]!;
            // A fresh copy per chunk, overwritten afterwards: the decoder must not keep it.
            const chunk = stream.slice(offset, offset + size);
            decoder.pushInto(chunk, got);
            chunk.fill(0xee);
            offset += size;
          }
          expect(got.map(toHex)).toEqual(messages.map(toHex));
          expect(decoder.buffered).toBe(0);
        },
      ),
      { numRuns: runs },
    );
  });

  test('one byte at a time, past key rotation', () => {
    const [a, b] = handshakenPair(symmetric);
    const decoder = new NoiseDecoder(b);
    let count = 0;
    for (let i = 0; i < 600; i++) {
      const sealed = a.encrypt(Uint8Array.of(i & 0xff, 1, 2));
      for (let j = 0; j < sealed.length; j++) count += decoder.push(sealed.subarray(j, j + 1)).length;
    }
    expect(count).toBe(600);
  });

  test('a corrupted byte anywhere gives a typed error and the transport refuses to continue', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 100 }), fc.nat(), fc.integer({ min: 1, max: 255 }), (msg, pos, flip) => {
        const [a, b] = handshakenPair(symmetric);
        const sealed = a.encrypt(msg);
        const at = pos % sealed.length;
        sealed[at] = sealed[at]! ^ flip;
        const decoder = new NoiseDecoder(b);
        const code = codeOf(() => decoder.push(sealed));
        // A flipped length header may also claim a longer body: then the decoder waits.
        if (code === undefined) {
          expect(at).toBeLessThan(18);
          return;
        }
        expect(code).toBe(at < 18 ? 'bad_length_mac' : 'bad_message_mac');
        expect(b.failed).toBe(true);
        expect(codeOf(() => decoder.push(a.encrypt(msg)))).toBe('invalid_state');
        expect(codeOf(() => b.decryptLength(new Uint8Array(18)))).toBe('invalid_state');
        expect(codeOf(() => b.encrypt(msg))).toBe('invalid_state');
      }),
      { numRuns: runs },
    );
  });

  test('random garbage never decodes and never throws anything but NoiseError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 18, maxLength: 200 }), (garbage) => {
        const [, b] = handshakenPair(symmetric);
        expect(codeOf(() => new NoiseDecoder(b).push(garbage))).toBe('bad_length_mac');
      }),
      { numRuns: Math.min(runs, 30) },
    );
  });

  test('a header claiming 65535 bytes holds at most one message worth of buffer', () => {
    const [a, b] = handshakenPair(symmetric);
    const sealed = a.encrypt(new Uint8Array(MAX_MESSAGE_LENGTH));
    const decoder = new NoiseDecoder(b);
    expect(decoder.push(sealed.subarray(0, 18))).toEqual([]);
    expect(decoder.push(sealed.subarray(18, 1000))).toEqual([]);
    expect(decoder.buffered).toBe(982);
    expect(decoder.push(sealed.subarray(1000)).length).toBe(1);
  });
});

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
