import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { fromHex, toHex, utf8ToBytes } from 'ln-types';
import {
  CryptoError,
  chacha20,
  chacha20Poly1305Open,
  chacha20Poly1305Seal,
  hash160,
  hkdfSha256,
  hmacSha256,
  nobleSymmetric,
  nodeSymmetric,
  randomBytes,
  ripemd160,
  sha256,
  sha256d,
  taggedHash,
  defaultSymmetric,
  type SymmetricBackend,
} from '../src/index.js';

const backends: SymmetricBackend[] = [nobleSymmetric, nodeSymmetric!];

describe('symmetric backends', () => {
  it('uses Node crypto by default under Node', () => {
    expect(nodeSymmetric).toBeDefined();
    expect(defaultSymmetric.name).toBe('node');
  });

  it.each(backends.map((b) => [b.name, b] as const))('%s: known answers', (_name, b) => {
    expect(toHex(b.sha256(utf8ToBytes('abc')))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    // RFC 4231 test case 2
    expect(toHex(b.hmacSha256(utf8ToBytes('Jefe'), utf8ToBytes('what do ya want for nothing?')))).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
    // RFC 8439 section 2.8.2
    const key = fromHex('808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f');
    const nonce = fromHex('070000004041424344454647');
    const aad = fromHex('50515253c0c1c2c3c4c5c6c7');
    const text = utf8ToBytes("Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.");
    const sealed = b.chacha20Poly1305Seal(key, nonce, text, aad);
    expect(toHex(sealed.subarray(0, 16))).toBe('d31a8d34648e60db7b86afbc53ef7ec2');
    expect(toHex(sealed.subarray(sealed.length - 16))).toBe('1ae10b594f09e26a7e902ecbd0600691');
    expect(b.chacha20Poly1305Open(key, nonce, sealed, aad)).toEqual(text);
  });

  it.each(backends.map((b) => [b.name, b] as const))('%s: refuses tampered data with bad_mac', (_name, b) => {
    const key = new Uint8Array(32).fill(7);
    const nonce = new Uint8Array(12);
    const sealed = b.chacha20Poly1305Seal(key, nonce, utf8ToBytes('hello'), new Uint8Array(0));
    for (let i = 0; i < sealed.length; i++) {
      const bad = sealed.slice();
      bad[i]! ^= 1;
      expect(() => b.chacha20Poly1305Open(key, nonce, bad, new Uint8Array(0))).toThrow(CryptoError);
    }
    expect(() => b.chacha20Poly1305Open(key, nonce, sealed, Uint8Array.of(1))).toThrow(expect.objectContaining({ code: 'bad_mac' }));
    expect(() => b.chacha20Poly1305Open(key, nonce, sealed.subarray(0, 15), new Uint8Array(0))).toThrow(CryptoError);
    expect(() => b.chacha20Poly1305Seal(key.subarray(1), nonce, sealed, new Uint8Array(0))).toThrow(expect.objectContaining({ code: 'invalid_length' }));
  });

  it('noble and Node give identical bytes for random inputs', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ minLength: 12, maxLength: 12 }),
        fc.uint8Array({ maxLength: 300 }),
        fc.uint8Array({ maxLength: 40 }),
        (key, nonce, data, aad) => {
          const [a, b] = backends as [SymmetricBackend, SymmetricBackend];
          expect(a.sha256(data)).toEqual(b.sha256(data));
          expect(a.hmacSha256(key, data)).toEqual(b.hmacSha256(key, data));
          const sealed = a.chacha20Poly1305Seal(key, nonce, data, aad);
          expect(b.chacha20Poly1305Seal(key, nonce, data, aad)).toEqual(sealed);
          expect(b.chacha20Poly1305Open(key, nonce, sealed, aad)).toEqual(data);
          expect(a.chacha20Poly1305Open(key, nonce, sealed, aad)).toEqual(data);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('returns plain Uint8Arrays, never Buffers', () => {
    expect(nodeSymmetric!.sha256(new Uint8Array(1)).constructor).toBe(Uint8Array);
    expect(nodeSymmetric!.hmacSha256(new Uint8Array(1), new Uint8Array(1)).constructor).toBe(Uint8Array);
    expect(nodeSymmetric!.chacha20Poly1305Open(new Uint8Array(32), new Uint8Array(12), nodeSymmetric!.chacha20Poly1305Seal(new Uint8Array(32), new Uint8Array(12), Uint8Array.of(1), new Uint8Array(0)), new Uint8Array(0)).constructor).toBe(Uint8Array);
  });
});

describe('hash helpers', () => {
  it('sha256d, ripemd160, hash160', () => {
    expect(toHex(sha256d(new Uint8Array(0)))).toBe('5df6e0e2761359d30a8275058e299fcc0381534545f55cf43e41983f5d4c9456');
    expect(toHex(ripemd160(utf8ToBytes('abc')))).toBe('8eb208f7e05d987a9b044a8e98c6b087f15a0bfc');
    expect(toHex(hash160(fromHex('0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798')))).toBe(
      '751e76e8199196d454941c45d1b3a323f1433bd6',
    );
    expect(sha256(Uint8Array.of(1))).toEqual(nobleSymmetric.sha256(Uint8Array.of(1)));
    expect(hmacSha256(Uint8Array.of(1), Uint8Array.of(2))).toEqual(nobleSymmetric.hmacSha256(Uint8Array.of(1), Uint8Array.of(2)));
    const key = new Uint8Array(32).fill(3);
    const sealed = chacha20Poly1305Seal(key, new Uint8Array(12), Uint8Array.of(1, 2), Uint8Array.of(9));
    expect(sealed).toEqual(nobleSymmetric.chacha20Poly1305Seal(key, new Uint8Array(12), Uint8Array.of(1, 2), Uint8Array.of(9)));
    expect(chacha20Poly1305Open(key, new Uint8Array(12), sealed, Uint8Array.of(9))).toEqual(Uint8Array.of(1, 2));
  });

  it('HKDF matches RFC 5869 test case 1', () => {
    const okm = hkdfSha256(
      fromHex('0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b'),
      fromHex('000102030405060708090a0b0c'),
      fromHex('f0f1f2f3f4f5f6f7f8f9'),
      42,
    );
    expect(toHex(okm)).toBe('3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865');
    expect(() => hkdfSha256(new Uint8Array(1), new Uint8Array(1), new Uint8Array(0), 255 * 32 + 1)).toThrow(CryptoError);
  });

  it('tagged hash matches BIP 340 construction', () => {
    const tag = sha256(utf8ToBytes('BIP0340/challenge'));
    const data = Uint8Array.of(1, 2, 3);
    expect(taggedHash('BIP0340/challenge', data)).toEqual(sha256(Uint8Array.from([...tag, ...tag, ...data])));
  });

  it('ChaCha20 keystream matches RFC 8439 section 2.4.2 (counter 0 block discarded)', () => {
    const key = fromHex('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f');
    const nonce = fromHex('000000000000004a00000000');
    const plain = utf8ToBytes("Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.");
    // RFC's example starts at counter 1: encrypt 64 zero bytes first and drop them.
    const out = chacha20(key, nonce, Uint8Array.from([...new Uint8Array(64), ...plain])).subarray(64);
    expect(toHex(out.subarray(0, 16))).toBe('6e2e359a2568f98041ba0728dd0d6981');
    expect(() => chacha20(key.subarray(1), nonce, plain)).toThrow(CryptoError);
  });

  it('randomBytes fills large buffers', () => {
    const a = randomBytes(70_000);
    expect(a.length).toBe(70_000);
    expect(a.subarray(65_536).some((x) => x !== 0)).toBe(true);
  });
});
