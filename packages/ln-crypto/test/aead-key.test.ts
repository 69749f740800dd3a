// The prepared-key ChaCha20-Poly1305: the JavaScript path for small messages
// and the backend path for large ones give RFC 8439's bytes, the same as
// node:crypto and noble called directly, for every size around the switch.
import { createCipheriv } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { poly1305 } from '@noble/ciphers/_poly1305.js';
import fc from 'fast-check';
import { fromHex, toHex, utf8ToBytes } from 'ln-types';
import { CryptoError, nobleSymmetric, nodeSymmetric, prepareChaCha20Poly1305Key, SMALL_AEAD_MAX, type SymmetricBackend } from '../src/index.js';
import { createPoly1305State, poly1305Block, poly1305Finish, poly1305Init } from '../src/symmetric/js/poly1305.js';
import { expandKey } from '../src/symmetric/js/chacha20-block.js';

const runs = process.env.LN_LONG_TESTS === '1' ? 20_000 : 400;
const backends: [string, SymmetricBackend][] = [
  ['node', nodeSymmetric!],
  ['noble', nobleSymmetric],
];

function nodeSeal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Uint8Array {
  const cipher = createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 });
  cipher.setAAD(aad, { plaintextLength: plaintext.length });
  const body = cipher.update(plaintext);
  cipher.final();
  return new Uint8Array([...body, ...cipher.getAuthTag()]);
}

// Bytes drawn mostly from the extremes, where carries in the MAC go furthest.
const edgyBytes = (min: number, max: number) =>
  fc.oneof(
    fc.uint8Array({ minLength: min, maxLength: max }),
    fc.array(fc.constantFrom(0x00, 0xff, 0xfe, 0x01), { minLength: min, maxLength: max }).map((a) => Uint8Array.from(a)),
  );

describe('RFC 8439 §2.8.2 AEAD vector', () => {
  const key = Uint8Array.from({ length: 32 }, (_, i) => 0x80 + i);
  const nonce = fromHex('070000004041424344454647');
  const aad = fromHex('50515253c0c1c2c3c4c5c6c7');
  const plaintext = utf8ToBytes("Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.");
  const expected =
    'd31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc3ff4def08e4b7a9de576d26586cec64b6116' +
    '1ae10b594f09e26a7e902ecbd0600691';
  it.each(backends)('seals and opens it [%s]', (_, backend) => {
    const k = prepareChaCha20Poly1305Key(key, backend);
    expect(plaintext.length).toBeLessThanOrEqual(SMALL_AEAD_MAX);
    expect(toHex(k.seal(nonce, plaintext, aad))).toBe(expected);
    expect(k.open(nonce, fromHex(expected), aad)).toEqual(plaintext);
    expect(k.open(nonce, fromHex(expected))).toBeUndefined();
  });
});

describe('RFC 8439 Appendix A.3 Poly1305 edge cases (whole blocks)', () => {
  const z = (n: number) => '00'.repeat(n);
  const f = (n: number) => 'ff'.repeat(n);
  const cases: [string, string, string, string][] = [
    ['#5: h reaches p', '02' + z(15) + z(16), f(16), '03' + z(15)],
    ['#6: s overflows', '02' + z(15) + f(16), '02' + z(15), '03' + z(15)],
    ['#7: carry through every limb', '01' + z(15) + z(16), f(16) + 'f0' + f(15) + '11' + z(15), '05' + z(15)],
    ['#8: result exactly p', '01' + z(15) + z(16), f(16) + 'fb' + 'fe'.repeat(15) + '01'.repeat(16), z(16)],
    ['#9: h + 5 does not reach 2^130', '02' + z(15) + z(16), 'fd' + f(15), 'fa' + f(15)],
    ['#10: high limbs', '01' + z(7) + '04' + z(7) + z(16), 'e33594d7505e43b9' + z(8) + '3394d7505e4379cd01' + z(7) + z(16) + '01' + z(15), '14' + z(7) + '55' + z(7)],
    ['#11: high limbs, shorter', '01' + z(7) + '04' + z(7) + z(16), 'e33594d7505e43b9' + z(8) + '3394d7505e4379cd01' + z(7) + z(16), '13' + z(15)],
  ];
  it.each(cases)('%s', (_, keyHex, messageHex, tagHex) => {
    const message = fromHex(messageHex);
    const state = createPoly1305State();
    poly1305Init(state, expandKey(fromHex(keyHex)));
    for (let i = 0; i < message.length; i += 16) poly1305Block(state, message, i);
    const tag = new Uint8Array(16);
    poly1305Finish(state, tag, 0);
    expect(toHex(tag)).toBe(tagHex);
    expect(toHex(poly1305(message, fromHex(keyHex)))).toBe(tagHex);
  });

  it('matches noble on random and extreme whole-block messages', () => {
    fc.assert(
      fc.property(edgyBytes(32, 32), edgyBytes(0, 160), (key, raw) => {
        const message = raw.subarray(0, raw.length - (raw.length % 16));
        const state = createPoly1305State();
        poly1305Init(state, expandKey(key));
        for (let i = 0; i < message.length; i += 16) poly1305Block(state, message, i);
        const tag = new Uint8Array(16);
        poly1305Finish(state, tag, 0);
        expect(toHex(tag)).toBe(toHex(poly1305(message, key)));
      }),
      { numRuns: runs },
    );
  });
});

describe.each(backends)('prepared key [%s]', (_, backend) => {
  // Sizes on both sides of the switch to the backend, and past one 64-byte block boundary.
  const sizes = fc.oneof(fc.integer({ min: 0, max: 130 }), fc.integer({ min: SMALL_AEAD_MAX - 20, max: SMALL_AEAD_MAX + 20 }), fc.integer({ min: 0, max: 2000 }));

  it('seals as node:crypto and noble do, and opens its own output', () => {
    fc.assert(
      fc.property(edgyBytes(32, 32), fc.uint8Array({ minLength: 12, maxLength: 12 }), edgyBytes(0, 40), sizes.chain((n) => edgyBytes(n, n)), fc.nat(8), (key, nonce, aad, plaintext, offset) => {
        const k = prepareChaCha20Poly1305Key(key, backend);
        const expected = nodeSeal(key, nonce, plaintext, aad);
        expect(toHex(chacha20poly1305(key, nonce, aad).encrypt(plaintext))).toBe(toHex(expected));
        const frame = new Uint8Array(offset + plaintext.length + 16 + 3).fill(0xaa);
        k.sealInto(nonce, plaintext, frame, offset, aad);
        expect(toHex(frame.subarray(offset, offset + expected.length))).toBe(toHex(expected));
        // Nothing written outside the slot.
        expect(frame.subarray(0, offset).every((b) => b === 0xaa)).toBe(true);
        expect(frame.subarray(offset + expected.length).every((b) => b === 0xaa)).toBe(true);
        expect(toHex(k.open(nonce, expected, aad)!)).toBe(toHex(plaintext));
      }),
      { numRuns: runs },
    );
  });

  it('refuses any single flipped bit, a wrong nonce or a wrong AAD', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), sizes.chain((n) => fc.uint8Array({ minLength: n, maxLength: n })), fc.nat(), fc.nat(7), (key, plaintext, at, bit) => {
        const k = prepareChaCha20Poly1305Key(key, backend);
        const nonce = new Uint8Array(12);
        const sealed = k.seal(nonce, plaintext);
        const tampered = sealed.slice();
        tampered[at % tampered.length]! ^= 1 << bit;
        expect(k.open(nonce, tampered)).toBeUndefined();
        expect(k.open(Uint8Array.of(1, ...new Uint8Array(11)), sealed)).toBeUndefined();
        expect(k.open(nonce, sealed, Uint8Array.of(0))).toBeUndefined();
        expect(k.open(nonce, sealed.subarray(0, 15))).toBeUndefined();
      }),
      { numRuns: runs },
    );
  });

  it('rejects bad keys, nonces and frames with typed errors', () => {
    expect(() => prepareChaCha20Poly1305Key(new Uint8Array(31), backend)).toThrow(CryptoError);
    const k = prepareChaCha20Poly1305Key(new Uint8Array(32), backend);
    expect(() => k.seal(new Uint8Array(8), new Uint8Array(1))).toThrow(CryptoError);
    expect(() => k.open(new Uint8Array(13), new Uint8Array(20))).toThrow(CryptoError);
    for (const size of [1, SMALL_AEAD_MAX + 1]) {
      expect(() => k.sealInto(new Uint8Array(12), new Uint8Array(size), new Uint8Array(size + 15), 0)).toThrow(CryptoError);
      expect(() => k.sealInto(new Uint8Array(12), new Uint8Array(size), new Uint8Array(size + 16), -1)).toThrow(CryptoError);
    }
  });
});
