// Differential tests: every signature backend that loaded gives the verdict
// bitcore-lib's own code gives, on valid signatures and on corrupted ones
// (bits flipped, high S, out-of-range values, other hash types, other keys,
// keys off the curve or in other serializations), for legacy, BIP 143
// (P2WPKH and a P2WSH 2-of-2) and BIP 341 key-path spends. `bitcore-legacy`
// (the interpreter exactly as before libsecp256k1) gives the same verdicts on
// every signature corruption; it differs only where its key parsing and its
// Schnorr check depart from Core, which the last tests pin down.
import { readFileSync } from 'node:fs';
import { Buffer } from 'node:buffer';
import { describe, expect, it } from '@jest/globals';
import * as fc from 'fast-check';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256, taggedHash } from 'ln-crypto';
import { concatBytes, fromHex, toHex } from 'ln-types';
import {
  type InputVerdict,
  MANDATORY_SCRIPT_FLAGS,
  STANDARD_SCRIPT_FLAGS,
  type SignatureBackendName,
  ScriptVerifyError,
  TransactionScripts,
  defaultSignatureBackend,
  signatureBackends,
  verifyInput,
} from '../src/index.js';
import { signatureBackend } from '../src/signatures/select.js';
import {
  N,
  P,
  type RawOutput,
  big,
  bytes32,
  derOf,
  ecdsaTxSignature,
  legacySighashAll,
  p2pkh,
  p2wpkh,
  push,
  rsOf,
  schnorrSignature,
  segwitV0Sighash,
  serializeTx,
  taprootSighash,
  testKey,
} from './builders.js';

const LONG = process.env.LN_LONG_TESTS === '1';
const RUNS = LONG ? 400 : 15;
const BACKENDS = signatureBackends();
const CORE_RULES = BACKENDS.filter((b) => b !== 'bitcore-legacy');
const FAST = CORE_RULES.filter((b) => b !== 'bitcore');

const input = { txid: new Uint8Array(32).fill(9), vout: 1 };
const payTo: readonly RawOutput[] = [{ script: p2wpkh(testKey(sha256(Uint8Array.of(99))).compressed), amount: 90_000n }];
const AMOUNT = 100_000n;

/** The verdicts of every backend on the same input; they must all be bitcore's. */
function verdicts(raw: Uint8Array, script: Uint8Array, amount: bigint, flags = STANDARD_SCRIPT_FLAGS): Map<SignatureBackendName, InputVerdict> {
  const out = new Map<SignatureBackendName, InputVerdict>();
  for (const b of BACKENDS) out.set(b, verifyInput(raw, 0, [{ script, amount }], flags, { signatures: b }));
  return out;
}

/** Every backend following Core's rules gives bitcore's verdict; so does `bitcore-legacy` unless told otherwise. */
function expectAgreement(all: Map<SignatureBackendName, InputVerdict>, legacyToo = true): InputVerdict {
  const reference = all.get('bitcore')!;
  for (const b of legacyToo ? [...FAST, 'bitcore-legacy' as const] : FAST) expect({ backend: b, verdict: all.get(b) }).toEqual({ backend: b, verdict: reference });
  return reference;
}

const KEY_MUTATIONS: readonly string[] = ['key-off-curve', 'key-x-above-p', 'hybrid-wrong-parity', 'key-above-p'];

const ECDSA_MUTATIONS = [
  'none',
  'high-s',
  'flip-bit',
  'flip-r',
  'flip-s',
  'r-zero',
  's-zero',
  'r-n',
  's-n',
  'hash-type',
  'signed-hash-type',
  'amount',
  'other-key',
  'empty-sig',
  'key-off-curve',
  'key-x-above-p',
  'hybrid-wrong-parity',
] as const;
type EcdsaMutation = (typeof ECDSA_MUTATIONS)[number];

function mutateSig(sig: Uint8Array, mutation: EcdsaMutation, bit: number): Uint8Array {
  const { r, s } = rsOf(sig);
  const type = sig[sig.length - 1]!;
  switch (mutation) {
    case 'high-s':
      return derOf(r, N - s, type);
    case 'flip-bit': {
      const out = Uint8Array.from(sig);
      const at = bit % (out.length * 8);
      out[at >> 3]! ^= 1 << (at & 7);
      return out;
    }
    case 'flip-r':
      return derOf(r ^ (1n << BigInt(bit % 256)), s, type);
    case 'flip-s':
      return derOf(r, s ^ (1n << BigInt(bit % 256)), type);
    case 'r-zero':
      return derOf(0n, s, type);
    case 's-zero':
      return derOf(r, 0n, type);
    case 'r-n':
      return derOf(N + BigInt(bit % 3), s, type);
    case 's-n':
      return derOf(r, N + BigInt(bit % 3), type);
    case 'hash-type':
      return concatBytes(sig.subarray(0, sig.length - 1), Uint8Array.of(bit & 0xff));
    case 'empty-sig':
      return new Uint8Array(0);
    default:
      return sig;
  }
}

// A public key with a valid header and length whose x is not on the curve, or is >= p.
function badKey(mutation: 'key-off-curve' | 'key-x-above-p', bit: number): Uint8Array {
  if (mutation === 'key-x-above-p') return concatBytes(Uint8Array.of(2 + (bit & 1)), bytes32(P + BigInt(bit % 1000)));
  // x^3 + 7 is a square for about half the x; walk from a seed to one that is not.
  for (let x = BigInt(bit) + 1n; ; x++) {
    const y2 = (x ** 3n + 7n) % P;
    if (modPow(y2, (P - 1n) / 2n, P) !== 1n) return concatBytes(Uint8Array.of(2), bytes32(x));
  }
}

function modPow(b: bigint, e: bigint, m: bigint): bigint {
  let r = 1n;
  for (b %= m; e > 0n; e >>= 1n, b = (b * b) % m) if (e & 1n) r = (r * b) % m;
  return r;
}

interface EcdsaCase {
  readonly seed: Uint8Array;
  readonly kind: 'p2wpkh' | 'p2pkh';
  readonly keyForm: 'compressed' | 'uncompressed' | 'hybrid';
  readonly mutation: EcdsaMutation;
  readonly bit: number;
}

function ecdsaSpend(c: EcdsaCase): { raw: Uint8Array; script: Uint8Array; amount: bigint } {
  const key = testKey(sha256(c.seed));
  let pub: Uint8Array = key[c.keyForm];
  if (c.mutation === 'key-off-curve' || c.mutation === 'key-x-above-p') pub = badKey(c.mutation, c.bit);
  if (c.mutation === 'hybrid-wrong-parity') pub = concatBytes(Uint8Array.of((key.uncompressed[64]! & 1) === 1 ? 6 : 7), key.uncompressed.subarray(1));
  const signer = c.mutation === 'other-key' ? sha256(concatBytes(c.seed, Uint8Array.of(1))) : key.priv;
  const hashType = c.mutation === 'signed-hash-type' && c.kind === 'p2wpkh' ? c.bit & 0xff : 1;
  const script = c.kind === 'p2wpkh' ? p2wpkh(pub) : p2pkh(pub);
  const hash = c.kind === 'p2wpkh' ? segwitV0Sighash(input, payTo, p2pkh(pub), AMOUNT, hashType) : legacySighashAll(input, payTo, script);
  const sig = mutateSig(ecdsaTxSignature(hash, signer, hashType), c.mutation, c.bit);
  const raw =
    c.kind === 'p2wpkh' ? serializeTx([{ ...input, witness: [sig, pub] }], payTo) : serializeTx([{ ...input, scriptSig: concatBytes(push(sig), push(pub)) }], payTo);
  return { raw, script, amount: c.mutation === 'amount' ? AMOUNT + 1n : AMOUNT };
}

const ecdsaCase = fc.record({
  seed: fc.uint8Array({ minLength: 8, maxLength: 8 }),
  kind: fc.constantFrom('p2wpkh' as const, 'p2pkh' as const),
  keyForm: fc.constantFrom('compressed' as const, 'compressed' as const, 'uncompressed' as const, 'hybrid' as const),
  mutation: fc.oneof({ arbitrary: fc.constant('none' as const), weight: 3 }, { arbitrary: fc.constantFrom(...ECDSA_MUTATIONS), weight: 10 }),
  bit: fc.nat(),
});

describe('signature backends', () => {
  it('load libsecp256k1 as a real addon here (not the secp256k1 package\'s pure-JS fallback)', () => {
    expect(BACKENDS).toContain('bitcore');
    expect(BACKENDS).toContain('libsecp256k1-wasm');
    // The package ships a linux-x64 prebuild; elsewhere it builds with node-gyp.
    if (process.platform === 'linux' && process.arch === 'x64') expect(defaultSignatureBackend()).toBe('libsecp256k1-native');
    expect(new TransactionScripts(serializeTx([input], payTo), [{ script: payTo[0]!.script, amount: 1n }]).signatureBackend).toBe(defaultSignatureBackend());
  });

  it('refuse an unknown backend name with a typed error', () => {
    expect(() => new TransactionScripts(serializeTx([input], payTo), [{ script: payTo[0]!.script, amount: 1n }], { signatures: 'openssl' as SignatureBackendName })).toThrow(ScriptVerifyError);
  });
});

describe('ECDSA: every backend agrees with bitcore (legacy and BIP 143)', () => {
  it('on a few fixed cases, with the verdicts Core gives', () => {
    const base = { seed: new Uint8Array(8).fill(1), kind: 'p2wpkh' as const, keyForm: 'compressed' as const, bit: 5 };
    const verdict = (c: Partial<EcdsaCase>, flags?: number) => {
      const { raw, script, amount } = ecdsaSpend({ ...base, mutation: 'none', ...c });
      return expectAgreement(verdicts(raw, script, amount, flags), !KEY_MUTATIONS.includes(c.mutation ?? 'none'));
    };
    expect(verdict({})).toEqual({ ok: true });
    expect(verdict({ kind: 'p2pkh' })).toEqual({ ok: true });
    // High S: policy (LOW_S) refuses it; by consensus the signature is valid (Core normalizes S).
    expect(verdict({ mutation: 'high-s' })).toMatchObject({ ok: false, error: 'SCRIPT_ERR_SIG_HIGH_S', mandatory: false });
    expect(verdict({ mutation: 'high-s', kind: 'p2pkh' })).toMatchObject({ ok: false, error: 'SCRIPT_ERR_SIG_HIGH_S', mandatory: false });
    // A wrong signature: NULLFAIL under policy, a plain false by consensus.
    expect(verdict({ mutation: 'flip-r', bit: 3 })).toMatchObject({ ok: false, error: 'SCRIPT_ERR_SIG_NULLFAIL', mandatory: true });
    expect(verdict({ mutation: 'amount' }, MANDATORY_SCRIPT_FLAGS)).toMatchObject({ ok: false, error: 'SCRIPT_ERR_EVAL_FALSE' });
    // Not DER: refused before any signature check (BIP 66 is consensus).
    expect(verdict({ mutation: 'r-zero' })).toMatchObject({ ok: false, mandatory: true });
    // Uncompressed keys: policy only in segwit v0; valid by consensus; hybrid keys too, when the header states y's parity.
    expect(verdict({ keyForm: 'uncompressed' })).toMatchObject({ ok: false, error: 'SCRIPT_ERR_WITNESS_PUBKEYTYPE', mandatory: false });
    expect(verdict({ keyForm: 'hybrid' })).toMatchObject({ ok: false, error: 'SCRIPT_ERR_PUBKEYTYPE', mandatory: false });
    expect(verdict({ keyForm: 'hybrid', kind: 'p2pkh' }, MANDATORY_SCRIPT_FLAGS)).toEqual({ ok: true });
  });

  it('on random keys, spends and corruptions', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(ecdsaCase, (c) => {
        const { raw, script, amount } = ecdsaSpend(c);
        const verdict = expectAgreement(verdicts(raw, script, amount), !KEY_MUTATIONS.includes(c.mutation));
        seen.add(verdict.ok ? 'ok' : `${verdict.error}/${verdict.mandatory}`);
        if (c.mutation === 'none' && c.keyForm === 'compressed') expect(verdict).toEqual({ ok: true });
      }),
      { numRuns: RUNS * 2 },
    );
    // The cases reached both verdicts and more than one reason.
    expect(seen.has('ok')).toBe(true);
    expect(seen.size).toBeGreaterThan(3);
  });
});

describe('CHECKMULTISIG: a P2WSH 2-of-2 with one signature corrupted', () => {
  it('gives the same verdict on every backend', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 8, maxLength: 8 }), fc.constantFrom(...ECDSA_MUTATIONS.slice(0, 11), 'swap' as const), fc.nat(), fc.boolean(), (seed, mutation, bit, first) => {
        const a = testKey(sha256(concatBytes(seed, Uint8Array.of(1))));
        const b = testKey(sha256(concatBytes(seed, Uint8Array.of(2))));
        const redeem = concatBytes(Uint8Array.of(0x52), push(a.compressed), push(b.compressed), Uint8Array.of(0x52, 0xae));
        const script = concatBytes(Uint8Array.of(0x00, 0x20), sha256(redeem));
        const hash = segwitV0Sighash(input, payTo, redeem, AMOUNT);
        let sa = ecdsaTxSignature(hash, a.priv);
        let sb = ecdsaTxSignature(hash, b.priv);
        if (mutation === 'swap') [sa, sb] = [sb, sa];
        else if (first) sa = mutateSig(sa, mutation, bit);
        else sb = mutateSig(sb, mutation, bit);
        const raw = serializeTx([{ ...input, witness: [new Uint8Array(0), sa, sb, redeem] }], payTo);
        const verdict = expectAgreement(verdicts(raw, script, AMOUNT));
        if (mutation === 'none') expect(verdict).toEqual({ ok: true });
        if (mutation === 'swap') expect(verdict).toMatchObject({ ok: false, error: 'SCRIPT_ERR_SIG_NULLFAIL', mandatory: true });
      }),
      { numRuns: RUNS },
    );
  });
});

const SCHNORR_MUTATIONS = ['none', 'flip-bit', 'r-above-n', 'r-above-p', 's-above-n', 'default-type-byte', 'hash-type', 'signed-hash-type', 'amount', 'other-key', 'key-above-p', 'key-off-curve'] as const;

describe('Schnorr (BIP 341 key path): every backend agrees with bitcore', () => {
  it('on random keys, spends and corruptions', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 8, maxLength: 8 }), fc.constantFrom(...SCHNORR_MUTATIONS), fc.nat(), (seed, mutation, bit) => {
        const key = testKey(sha256(seed));
        let xOnly = key.xOnly;
        if (mutation === 'key-above-p') xOnly = bytes32(P + BigInt(bit % 1000));
        if (mutation === 'key-off-curve') xOnly = badKey('key-off-curve', bit).subarray(1);
        const script = concatBytes(Uint8Array.of(0x51, 0x20), xOnly);
        const definedTypes = [0x01, 0x02, 0x03, 0x81, 0x82, 0x83];
        const hashType = mutation === 'signed-hash-type' ? definedTypes[bit % definedTypes.length]! : 0;
        const signer = mutation === 'other-key' ? sha256(concatBytes(seed, Uint8Array.of(1))) : key.priv;
        let sig = schnorrSignature(taprootSighash(input, payTo, script, AMOUNT, hashType), signer);
        const s = big(sig.subarray(32));
        if (mutation === 'flip-bit') {
          sig = Uint8Array.from(sig);
          sig[(bit >> 3) % 64]! ^= 1 << (bit & 7);
        }
        // r in [n, p) passes libsecp256k1's argument checks only as a field element: tiny-secp256k1 hands it to bitcore.
        if (mutation === 'r-above-n') sig = concatBytes(bytes32(N + BigInt(bit % 1000)), sig.subarray(32));
        if (mutation === 'r-above-p') sig = concatBytes(bytes32(P + BigInt(bit % 1000)), sig.subarray(32));
        if (mutation === 's-above-n') sig = concatBytes(sig.subarray(0, 32), bytes32(s + N < 2n ** 256n ? s + N : N));
        if (hashType !== 0) sig = concatBytes(sig, Uint8Array.of(hashType));
        if (mutation === 'default-type-byte') sig = concatBytes(sig, Uint8Array.of(0));
        if (mutation === 'hash-type') sig = concatBytes(sig, Uint8Array.of(bit & 0xff));
        const raw = serializeTx([{ ...input, witness: [sig] }], payTo);
        // bitcore-lib's own check refuses keys whose x starts with a zero byte (see below).
        const legacyToo = !KEY_MUTATIONS.includes(mutation) && key.xOnly[0] !== 0;
        const verdict = expectAgreement(verdicts(raw, script, mutation === 'amount' ? AMOUNT + 1n : AMOUNT), legacyToo);
        seen.add(verdict.ok ? 'ok' : verdict.error);
        if (mutation === 'none' || mutation === 'signed-hash-type') expect(verdict).toEqual({ ok: true });
        if (mutation === 'default-type-byte') expect(verdict).toMatchObject({ ok: false, error: 'SCRIPT_ERR_SCHNORR_SIG_HASHTYPE', mandatory: true });
        if (['r-above-n', 'r-above-p', 's-above-n', 'amount', 'other-key', 'key-above-p', 'key-off-curve'].includes(mutation)) {
          expect(verdict).toMatchObject({ ok: false, error: 'SCRIPT_ERR_SCHNORR_SIG', mandatory: true });
        }
      }),
      { numRuns: RUNS * 2 },
    );
    expect(seen.has('ok')).toBe(true);
    expect(seen.has('SCRIPT_ERR_SCHNORR_SIG')).toBe(true);
  });
});

describe('public keys are judged as Core judges them, on every backend', () => {
  const base = { seed: new Uint8Array(8).fill(3), kind: 'p2wpkh' as const, keyForm: 'compressed' as const, bit: 11 };
  const all = (c: Partial<EcdsaCase>, flags = STANDARD_SCRIPT_FLAGS) => {
    const { raw, script, amount } = ecdsaSpend({ ...base, mutation: 'none', ...c });
    return verdicts(raw, script, amount, flags);
  };

  const core = (m: Map<SignatureBackendName, InputVerdict>) => CORE_RULES.map((b) => m.get(b)!);

  it('STRICTENC looks at the header and length only: a key off the curve fails the signature check (NULLFAIL), not the encoding check', () => {
    const verdicts = all({ mutation: 'key-off-curve' });
    for (const v of core(verdicts)) expect(v).toMatchObject({ ok: false, error: 'SCRIPT_ERR_SIG_NULLFAIL', mandatory: true });
    expect(verdicts.get('bitcore-legacy')).toMatchObject({ ok: false, error: 'SCRIPT_ERR_PUBKEYTYPE', mandatory: true });
  });

  it('a hybrid key whose header disagrees with y\'s parity does not parse, so its signature fails (bitcore alone accepted it)', () => {
    const verdicts = all({ mutation: 'hybrid-wrong-parity', kind: 'p2pkh' }, MANDATORY_SCRIPT_FLAGS);
    for (const v of core(verdicts)) expect(v).toMatchObject({ ok: false, error: 'SCRIPT_ERR_EVAL_FALSE' });
    expect(verdicts.get('bitcore-legacy')).toEqual({ ok: true });
  });

  it('a coordinate >= p does not parse', () => {
    for (const v of core(all({ mutation: 'key-x-above-p' }))) expect(v).toMatchObject({ ok: false, error: 'SCRIPT_ERR_SIG_NULLFAIL', mandatory: true });
  });
});

describe('the hooks into bitcore-lib', () => {
  it('change nothing for bitcore-lib outside a verification', async () => {
    const { realmRequire } = await import('../src/realm.js');
    const bitcore = realmRequire('bitcore-lib') as { PublicKey: { isValid(b: Uint8Array): boolean; fromBuffer(b: Uint8Array): { compressed: boolean } } };
    const offCurve = badKey('key-off-curve', 7);
    // Before any verification and after one: bitcore's own answers (it checks the curve).
    expect(bitcore.PublicKey.isValid(offCurve)).toBe(false);
    const { raw, script, amount } = ecdsaSpend({ seed: new Uint8Array(8), kind: 'p2wpkh', keyForm: 'compressed', mutation: 'none', bit: 0 });
    expect(verifyInput(raw, 0, [{ script, amount }], STANDARD_SCRIPT_FLAGS)).toEqual({ ok: true });
    expect(bitcore.PublicKey.isValid(offCurve)).toBe(false);
    expect(() => bitcore.PublicKey.fromBuffer(offCurve)).toThrow();
    expect(bitcore.PublicKey.fromBuffer(testKey(sha256(Uint8Array.of(5))).compressed).compressed).toBe(true);
  });
});

describe('BIP 340 verification vectors', () => {
  interface Vector {
    index: number;
    publicKey: string;
    message: string;
    signature: string;
    valid: boolean;
    comment: string;
  }
  const { vectors } = JSON.parse(readFileSync(new URL('./fixtures/bip340-vectors.json', import.meta.url), 'utf8')) as { vectors: Vector[] };

  it('give the expected result on every backend', () => {
    expect(vectors.length).toBe(15);
    for (const name of BACKENDS) {
      const backend = signatureBackend(name)!;
      for (const v of vectors) {
        expect({ name, index: v.index, valid: backend.schnorr(fromHex(v.signature), fromHex(v.message), fromHex(v.publicKey)) }).toEqual({ name, index: v.index, valid: v.valid });
      }
    }
  });

  it('include keys whose x starts with a zero byte, which bitcore-lib\'s own Schnorr.verify refuses', async () => {
    // Key-path spends to such keys (one in 256) are valid; every backend accepts them.
    // The first two seeds (two big-endian bytes) whose key's x starts with 0x00.
    for (const i of [499, 507]) {
      const key = testKey(sha256(Uint8Array.of(i >> 8, i & 0xff)));
      expect(key.xOnly[0]).toBe(0);
      const script = concatBytes(Uint8Array.of(0x51, 0x20), key.xOnly);
      const hash = taprootSighash(input, payTo, script, AMOUNT);
      const sig = schnorrSignature(hash, key.priv);
      const raw = serializeTx([{ ...input, witness: [sig] }], payTo);
      const all = verdicts(raw, script, AMOUNT);
      for (const b of CORE_RULES) expect({ b, verdict: all.get(b) }).toEqual({ b, verdict: { ok: true } });
      expect(all.get('bitcore-legacy')).toMatchObject({ ok: false, error: 'SCRIPT_ERR_SCHNORR_SIG' });
      const { realmRequire } = await import('../src/realm.js');
      const bitcore = realmRequire('bitcore-lib') as { crypto: { Schnorr: { verify(p: Uint8Array, m: Uint8Array, s: Uint8Array): boolean } } };
      const B = (b: Uint8Array) => Buffer.from(b);
      expect(bitcore.crypto.Schnorr.verify(B(key.xOnly), B(hash), B(sig))).toBe(false);
    }
  });
});

describe('taproot script path: the commitment to the internal key', () => {
  // One leaf, OP_TRUE, under internal keys whose x does and does not start with a zero byte.
  function scriptPathSpend(internalSeed: number): { raw: Uint8Array; script: Uint8Array; internalX: Uint8Array } {
    const internalX = testKey(sha256(Uint8Array.of(internalSeed >> 8, internalSeed & 0xff))).xOnly;
    const leaf = Uint8Array.of(0x51);
    const leafHash = taggedHash('TapLeaf', Uint8Array.of(0xc0, leaf.length), leaf);
    const P = secp256k1.Point.fromHex(toHex(concatBytes(Uint8Array.of(2), internalX)));
    const t = big(taggedHash('TapTweak', internalX, leafHash)) % N;
    const Q = P.add(secp256k1.Point.BASE.multiply(t)).toAffine();
    const script = concatBytes(Uint8Array.of(0x51, 0x20), bytes32(Q.x));
    const control = concatBytes(Uint8Array.of(0xc0 | Number(Q.y & 1n)), internalX);
    return { raw: serializeTx([{ ...input, witness: [leaf, control] }], payTo), script, internalX };
  }

  it('is checked with x as 32 bytes on every backend (bitcore-lib alone drops a leading zero byte)', () => {
    for (const seed of [499, 507, 1]) {
      const { raw, script, internalX } = scriptPathSpend(seed);
      const all = verdicts(raw, script, AMOUNT);
      for (const b of CORE_RULES) expect({ b, seed, verdict: all.get(b) }).toEqual({ b, seed, verdict: { ok: true } });
      expect(all.get('bitcore-legacy')!.ok).toBe(internalX[0] !== 0);
    }
  });

  it('still refuses a control block naming another internal key', () => {
    const { raw, script } = scriptPathSpend(1);
    const other = testKey(sha256(Uint8Array.of(2))).xOnly;
    const bad = Uint8Array.from(raw);
    const at = toHex(raw).indexOf(toHex(scriptPathSpend(1).internalX)) / 2;
    bad.set(other, at);
    for (const v of verdicts(bad, script, AMOUNT).values()) expect(v).toMatchObject({ ok: false, error: 'SCRIPT_ERR_WITNESS_PROGRAM_MISMATCH', mandatory: true });
  });
});
