import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { fromHex, toHex } from 'ln-types';
import {
  CryptoError,
  CURVE_ORDER,
  ecdh,
  ecdsaRecover,
  ecdsaSign,
  ecdsaVerify,
  isLowS,
  nobleSecp256k1,
  normalizeSignature,
  parsePublicKey,
  publicKeyFromPrivate,
  signatureFromDer,
  signatureToDer,
  type Secp256k1Backend,
} from '../src/index.js';
import { acceleratedBackends, allBackends } from './backends.js';

const to32 = (n: bigint) => fromHex(n.toString(16).padStart(64, '0'));
const scalar = fc.bigInt({ min: 1n, max: CURVE_ORDER - 1n }).map(to32);
const hash = fc.uint8Array({ minLength: 32, maxLength: 32 });
const G = fromHex('0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798');

/** Runs `op` and reports its result or its error code, so backends can be compared on failures too. */
function outcome(op: () => Uint8Array | boolean | { signature: Uint8Array; recoveryId: number }): unknown {
  try {
    const r = op();
    return r instanceof Uint8Array ? toHex(r) : typeof r === 'boolean' ? r : { s: toHex(r.signature), id: r.recoveryId };
  } catch (e) {
    if (!(e instanceof CryptoError)) throw e;
    return `error:${e.code}`;
  }
}

describe('secp256k1 known answers', () => {
  it.each(allBackends.map((b) => [b.name, b] as const))('%s: G from key 1, ECDH of BOLT 8 vector', (_n, b: Secp256k1Backend) => {
    expect(b.publicKeyCreate(to32(1n))).toEqual(G);
    // BOLT 8: initiator ephemeral key e and responder static key rs give ss.
    const e = fromHex('1212121212121212121212121212121212121212121212121212121212121212');
    const rs = fromHex('028d7500dd4c12685d1f568b4c2b5048e8534b873319f3a8daa612b469132ec7f7');
    expect(toHex(b.ecdh(e, rs))).toBe('1e2fb3c8fe8fb9f262f649f64d26ecf0f2c0a805a767cf02dc2d77a6ef1fdcc3');
  });
});

describe('every backend gives noble\'s bytes', () => {
  for (const b of acceleratedBackends) {
    it(`${b.name}: keys, tweaks, signatures, recovery, ECDH`, () => {
      fc.assert(
        fc.property(scalar, scalar, hash, (d, t, h) => {
          const p = nobleSecp256k1.publicKeyCreate(d);
          const q = nobleSecp256k1.publicKeyCreate(t);
          expect(b.publicKeyCreate(d)).toEqual(p);
          // d + t can be n (a point at infinity): compare outcomes, errors included.
          expect(outcome(() => b.publicKeyTweakAdd(p, t))).toEqual(outcome(() => nobleSecp256k1.publicKeyTweakAdd(p, t)));
          expect(b.publicKeyTweakMul(p, t)).toEqual(nobleSecp256k1.publicKeyTweakMul(p, t));
          expect(outcome(() => b.publicKeyCombine(p, q))).toEqual(outcome(() => nobleSecp256k1.publicKeyCombine(p, q)));
          expect(outcome(() => b.privateKeyTweakAdd(d, t))).toEqual(outcome(() => nobleSecp256k1.privateKeyTweakAdd(d, t)));
          expect(b.privateKeyTweakMul(d, t)).toEqual(nobleSecp256k1.privateKeyTweakMul(d, t));
          const sig = nobleSecp256k1.ecdsaSign(h, d);
          expect(b.ecdsaSign(h, d)).toEqual(sig);
          expect(b.ecdsaSignRecoverable(h, d)).toEqual(nobleSecp256k1.ecdsaSignRecoverable(h, d));
          expect(b.ecdsaVerify(sig, h, p)).toBe(true);
          expect(b.ecdsaVerify(sig, h, q)).toBe(d.every((x, i) => x === t[i]));
          const { signature, recoveryId } = nobleSecp256k1.ecdsaSignRecoverable(h, d);
          expect(b.ecdsaRecover(signature, recoveryId, h)).toEqual(p);
          expect(b.ecdh(d, q)).toEqual(nobleSecp256k1.ecdh(d, q));
          expect(b.schnorrSign(h, d)).toEqual(nobleSecp256k1.schnorrSign(h, d));
          expect(b.schnorrVerify(nobleSecp256k1.schnorrSign(h, d), h, p.subarray(1))).toBe(true);
        }),
        { numRuns: 15 },
      );
    });

    it(`${b.name}: refuses exactly what noble refuses`, () => {
      const bytes = fc.oneof(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.constantFrom(new Uint8Array(32), to32(CURVE_ORDER), to32(CURVE_ORDER - 1n), new Uint8Array(31)),
      );
      const point = fc.oneof(
        fc.uint8Array({ minLength: 33, maxLength: 33 }),
        fc.uint8Array({ minLength: 33, maxLength: 33 }).map((a) => (a[0] = 2 + (a[0]! & 1), a)),
        fc.uint8Array({ minLength: 65, maxLength: 65 }).map((a) => (a[0] = 4, a)),
        fc.constantFrom(G, new Uint8Array(33), new Uint8Array(0)),
      );
      const sig = fc.oneof(fc.uint8Array({ minLength: 64, maxLength: 64 }), fc.constantFrom(new Uint8Array(64), new Uint8Array(63)));
      fc.assert(
        fc.property(bytes, bytes, point, point, sig, hash, (d, t, p, q, s, h) => {
          const n = nobleSecp256k1;
          expect(b.isValidPublicKey(p)).toBe(n.isValidPublicKey(p));
          expect(b.isValidPrivateKey(d)).toBe(n.isValidPrivateKey(d));
          expect(outcome(() => b.publicKeyCreate(d))).toEqual(outcome(() => n.publicKeyCreate(d)));
          expect(outcome(() => b.publicKeyTweakAdd(p, t))).toEqual(outcome(() => n.publicKeyTweakAdd(p, t)));
          expect(outcome(() => b.publicKeyTweakMul(p, t))).toEqual(outcome(() => n.publicKeyTweakMul(p, t)));
          expect(outcome(() => b.publicKeyCombine(p, q))).toEqual(outcome(() => n.publicKeyCombine(p, q)));
          expect(outcome(() => b.privateKeyTweakAdd(d, t))).toEqual(outcome(() => n.privateKeyTweakAdd(d, t)));
          expect(outcome(() => b.privateKeyTweakMul(d, t))).toEqual(outcome(() => n.privateKeyTweakMul(d, t)));
          expect(outcome(() => b.ecdsaVerify(s, h, p))).toEqual(outcome(() => n.ecdsaVerify(s, h, p)));
          expect(outcome(() => b.ecdh(d, p))).toEqual(outcome(() => n.ecdh(d, p)));
          const recovered = outcome(() => b.ecdsaRecover(s, 0, h));
          const expected = outcome(() => n.ecdsaRecover(s, 0, h));
          expect(recovered).toEqual(expected);
        }),
        { numRuns: 40 },
      );
    });

    it(`${b.name}: edge cases`, () => {
      const n = nobleSecp256k1;
      const d = to32(5n);
      const p = n.publicKeyCreate(d);
      const negP = n.publicKeyTweakMul(p, to32(CURVE_ORDER - 1n));
      for (const backend of [n, b]) {
        expect(backend.publicKeyTweakAdd(p, new Uint8Array(32))).toEqual(p);
        expect(outcome(() => backend.publicKeyCombine(p, negP))).toBe('error:point_at_infinity');
        expect(outcome(() => backend.publicKeyTweakAdd(G, to32(CURVE_ORDER - 1n)))).toBe('error:point_at_infinity');
        expect(outcome(() => backend.privateKeyTweakAdd(d, to32(CURVE_ORDER - 5n)))).toBe('error:invalid_tweak');
        // high-S signatures are refused
        const sig = backend.ecdsaSign(new Uint8Array(32).fill(9), d);
        const s = BigInt('0x' + toHex(sig.subarray(32)));
        const high = Uint8Array.from([...sig.subarray(0, 32), ...to32(CURVE_ORDER - s)]);
        expect(backend.ecdsaVerify(high, new Uint8Array(32).fill(9), p)).toBe(false);
        expect(backend.ecdsaVerify(normalizeSignature(high), new Uint8Array(32).fill(9), p)).toBe(true);
      }
    });
  }
});

describe('package-level helpers', () => {
  it('sign, verify, recover, ecdh, parse', () => {
    const d = to32(12345n);
    const h = new Uint8Array(32).fill(1);
    const pub = publicKeyFromPrivate(d);
    const sig = ecdsaSign(h, d);
    expect(isLowS(sig)).toBe(true);
    expect(ecdsaVerify(sig, h, pub)).toBe(true);
    expect(ecdsaVerify(sig, new Uint8Array(32), pub)).toBe(false);
    const rec = nobleSecp256k1.ecdsaSignRecoverable(h, d);
    expect(ecdsaRecover(rec.signature, rec.recoveryId, h)).toEqual(pub);
    expect(ecdh(d, G)).toEqual(nobleSecp256k1.ecdh(to32(1n), pub));
    expect(parsePublicKey(pub)).toEqual(pub);
    const uncompressed = fromHex('0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8');
    expect(parsePublicKey(uncompressed)).toEqual(G);
    expect(() => parsePublicKey(Uint8Array.of(2, ...new Uint8Array(32)))).toThrow(CryptoError);
    expect(() => ecdsaSign(new Uint8Array(31), d)).toThrow(CryptoError);
    expect(() => ecdsaSign(h, new Uint8Array(32))).toThrow(expect.objectContaining({ code: 'invalid_private_key' }));
  });
});

describe('DER signatures', () => {
  it('round-trips any compact signature', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 64, maxLength: 64 }), (sig) => {
        const der = signatureToDer(sig);
        expect(der.length).toBeLessThanOrEqual(72);
        expect(signatureFromDer(der)).toEqual(sig);
      }),
    );
  });

  it('encodes a known signature', () => {
    const compact = fromHex('00'.repeat(31) + '01' + '80' + '00'.repeat(31));
    expect(toHex(signatureToDer(compact))).toBe('3026020101022100' + '80' + '00'.repeat(31));
  });

  it.each([
    ['short', '3006020101020101'.slice(0, 12)],
    ['wrong tag', '3106020101020101'],
    ['wrong length', '3007020101020101'],
    ['negative r', '3006020181020101'],
    ['non-minimal r', '300702020001020101'],
    ['zero-length s', '30050201010200'],
    ['trailing byte', '300702010102010100'],
  ])('rejects %s', (_why, hex) => {
    expect(() => signatureFromDer(fromHex(hex))).toThrow(CryptoError);
  });

  it('never throws anything but CryptoError on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
        try {
          signatureFromDer(bytes);
        } catch (e) {
          expect(e).toBeInstanceOf(CryptoError);
        }
      }),
    );
  });
});
