// The decoder's fast paths against plain reference implementations, the one
// secp256k1 operation per invoice (verify with `n`, recover without), and the
// native backend agreeing with the default one on every spec example.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import native from 'secp256k1';
import { createNativeSecp256k1Backend, nobleSecp256k1, publicKeyFromPrivate, sha256, type Secp256k1Backend } from 'ln-crypto';
import { concatBytes, toHex, utf8ToBytes } from 'ln-types';
import {
  assembleInvoice,
  Bech32Error,
  bech32Decode,
  bech32Encode,
  decodeInvoice,
  encodeInvoiceSync,
  InvoiceError,
  invoiceSigningHash,
  prepareInvoice,
  privateKeySigner,
  wordsToBytes,
  type DecodedInvoice,
  type InvoiceData,
} from '../src/index.js';
import { bolt11 } from './vectors.js';

const CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const GENERATORS = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];

/** BIP 173 checksum, one value at a time, as the BIP writes it. */
function polymod(values: number[]): number {
  let chk = 1;
  for (const v of values) {
    const top = chk >>> 25;
    chk = (((chk & 0x1ffffff) << 5) ^ v) >>> 0;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk = (chk ^ GENERATORS[i]!) >>> 0;
  }
  return chk;
}

/** A character-by-character decoder with the defect order bech32Decode documents. */
function referenceDecode(text: string): { hrp: string; words: number[] } | string {
  const sep = text.lastIndexOf('1');
  let lower = false;
  let upper = false;
  for (let i = 0; i < (sep < 0 ? text.length : sep); i++) {
    const c = text.charCodeAt(i);
    if (c < 33 || c > 126) return 'invalid_character';
    if (c >= 97 && c <= 122) lower = true;
    if (c >= 65 && c <= 90) upper = true;
  }
  if (sep < 0) return 'no_separator';
  if (sep === 0) return 'invalid_hrp';
  if (text.length - sep - 1 < 6) return 'too_short';
  const values: number[] = [];
  for (let i = sep + 1; i < text.length; i++) {
    const ch = text[i]!;
    const c = text.charCodeAt(i);
    if (c >= 97 && c <= 122) lower = true;
    if (c >= 65 && c <= 90) upper = true;
    const w = CHARSET.indexOf(ch.toLowerCase());
    if (c < 33 || c > 126) return 'invalid_character';
    if (w < 0 || ch === '1') {
      if (lower && upper) return 'mixed_case';
      return 'invalid_character';
    }
    values.push(w);
  }
  if (lower && upper) return 'mixed_case';
  const hrp = text.slice(0, sep).toLowerCase();
  const expanded = [...hrp].map((c) => c.charCodeAt(0) >> 5).concat([0], [...hrp].map((c) => c.charCodeAt(0) & 31));
  if (polymod([...expanded, ...values]) !== 1) return 'bad_checksum';
  return { hrp, words: values.slice(0, -6) };
}

function ourDecode(text: string): { hrp: string; words: number[] } | string {
  try {
    const d = bech32Decode(text);
    return { hrp: d.hrp, words: Array.from(d.words) };
  } catch (e) {
    if (!(e instanceof Bech32Error)) throw e;
    return e.code;
  }
}

/** Bits of the words, most significant first, grouped into bytes (trailing bits dropped). */
function referenceWordsToBytes(words: Uint8Array): number[] {
  const bits = Array.from(words).flatMap((w) => [4, 3, 2, 1, 0].map((i) => (w >> i) & 1));
  const out: number[] = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) out.push(bits.slice(i, i + 8).reduce((a, b) => (a << 1) | b, 0));
  return out;
}

const specInvoices = bolt11.valid.map((v) => v.invoice);

describe('bech32 decoding: same words and same defect as a reference decoder', () => {
  const mutation = fc.record({
    k: fc.nat(specInvoices.length - 1),
    at: fc.nat(),
    kind: fc.constantFrom('replace', 'flip-case', 'insert', 'delete'),
    code: fc.oneof(fc.integer({ min: 0, max: 127 }), fc.constantFrom(0x3b1, 0x131, 0xff21)),
  });
  it('on mutated spec invoices', () => {
    fc.assert(
      fc.property(mutation, ({ k, at, kind, code }) => {
        const good = specInvoices[k]!;
        const i = at % good.length;
        const ch = String.fromCharCode(code);
        const flipped = good[i] === good[i]!.toLowerCase() ? good[i]!.toUpperCase() : good[i]!.toLowerCase();
        const bad =
          kind === 'replace' ? good.slice(0, i) + ch + good.slice(i + 1)
          : kind === 'flip-case' ? good.slice(0, i) + flipped + good.slice(i + 1)
          : kind === 'insert' ? good.slice(0, i) + ch + good.slice(i)
          : good.slice(0, i) + good.slice(i + 1);
        expect(ourDecode(bad)).toEqual(referenceDecode(bad));
      }),
      { numRuns: 1000 },
    );
  });
  it('on valid and upper-case spec invoices, odd and even data lengths included', () => {
    for (const text of [...specInvoices, ...specInvoices.map((s) => s.toUpperCase()), bech32Encode('ab', Uint8Array.of(1, 2, 3)), bech32Encode('ab', Uint8Array.of(1, 2))]) {
      expect(ourDecode(text)).toEqual(referenceDecode(text));
    }
  });
});

describe('word packing', () => {
  it('wordsToBytes equals bit-by-bit packing for any length, and strict mode refuses exactly bad padding', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300, max: 31 }), (words) => {
        expect(Array.from(wordsToBytes(words))).toEqual(referenceWordsToBytes(words));
        const dropped = (words.length * 5) % 8;
        const lastBits = words.length === 0 ? 0 : words[words.length - 1]! & ((1 << Math.min(dropped, 5)) - 1);
        const padOk = dropped < 5 && (dropped === 0 || lastBits === 0);
        if (padOk) expect(() => wordsToBytes(words, true)).not.toThrow();
        else expect(() => wordsToBytes(words, true)).toThrow(Bech32Error);
      }),
      { numRuns: 500 },
    );
  });
  it('the signing hash covers the hrp as UTF-8, non-ASCII included, then the zero-padded words', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ minLength: 1, maxLength: 20 }), fc.string({ minLength: 1, maxLength: 20, unit: 'grapheme' })), fc.uint8Array({ maxLength: 400, max: 31 }), (hrp, words) => {
        const padded = concatBytes(words, new Uint8Array(8));
        const bytes = Uint8Array.from(referenceWordsToBytes(padded).slice(0, Math.ceil((words.length * 5) / 8)));
        expect(toHex(invoiceSigningHash(hrp, words))).toBe(toHex(sha256(concatBytes(utf8ToBytes(hrp), bytes))));
      }),
      { numRuns: 300 },
    );
  });
});

/** A backend that counts the ECDSA operations it is asked for. */
function counting(inner: Secp256k1Backend): { backend: Secp256k1Backend; calls: { verify: number; recover: number } } {
  const calls = { verify: 0, recover: 0 };
  const backend: Secp256k1Backend = {
    ...inner,
    ecdsaVerify: (s, h, p) => (calls.verify++, inner.ecdsaVerify(s, h, p)),
    ecdsaRecover: (s, r, h) => (calls.recover++, inner.ecdsaRecover(s, r, h)),
  };
  return { backend, calls };
}

const priv = new Uint8Array(32).fill(9);
const payee = publicKeyFromPrivate(priv);
const other = publicKeyFromPrivate(new Uint8Array(32).fill(10));
const base: InvoiceData = { currency: 'bc', timestamp: 1_700_000_000, paymentHash: new Uint8Array(32).fill(1), paymentSecret: new Uint8Array(32).fill(2), description: 'n field' };
const nativeBackend = createNativeSecp256k1Backend(native);

describe('one signature operation per invoice', () => {
  for (const inner of [nobleSecp256k1, nativeBackend]) {
    it(`${inner.name}: with an n field the signature is verified against it, not recovered`, () => {
      const { backend, calls } = counting(inner);
      const inv = decodeInvoice(encodeInvoiceSync({ ...base, payeeNodeId: payee }, privateKeySigner(priv)), { secp256k1: backend });
      expect(calls).toEqual({ verify: 1, recover: 0 });
      expect(inv.payee).toEqual(payee);
      expect(inv.payeeNodeId).toEqual(payee);
    });
    it(`${inner.name}: without one the key is recovered, and not verified again`, () => {
      const { backend, calls } = counting(inner);
      const inv = decodeInvoice(encodeInvoiceSync(base, privateKeySigner(priv)), { secp256k1: backend });
      expect(calls).toEqual({ verify: 0, recover: 1 });
      expect(inv.payee).toEqual(payee);
    });
    it(`${inner.name}: an n field naming another key is refused`, () => {
      const unsigned = prepareInvoice({ ...base, payeeNodeId: other });
      const text = assembleInvoice(unsigned, nobleSecp256k1.ecdsaSignRecoverable(unsigned.signingHash, priv));
      expect(() => decodeInvoice(text, { secp256k1: inner })).toThrow(expect.objectContaining({ code: 'invalid_signature' }));
      // Without the n field the same signature recovers the real signer.
      const plain = prepareInvoice(base);
      expect(decodeInvoice(assembleInvoice(plain, nobleSecp256k1.ecdsaSignRecoverable(plain.signingHash, priv)), { secp256k1: inner }).payee).toEqual(payee);
    });
  }
});

function snapshot(inv: DecodedInvoice): string {
  return JSON.stringify(inv, (_k, v: unknown) => (v instanceof Uint8Array ? toHex(v) : typeof v === 'bigint' ? `${v}n` : v));
}

/** Every byte array of a decoded invoice, with where it was found. */
function byteArrays(inv: DecodedInvoice): [string, Uint8Array][] {
  const out: [string, Uint8Array][] = [];
  const walk = (v: unknown, path: string) => {
    if (v instanceof Uint8Array) out.push([path, v]);
    else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}[${i}]`));
    else if (typeof v === 'object' && v !== null) for (const [k, x] of Object.entries(v)) walk(x, `${path}.${k}`);
  };
  walk(inv, 'invoice');
  return out;
}

describe('decoded invoices own their bytes', () => {
  it('no byte array is a view into a buffer the decoder reuses', () => {
    for (const text of specInvoices) {
      for (const [path, bytes] of byteArrays(decodeInvoice(text))) {
        expect([path, bytes.byteOffset, bytes.buffer.byteLength]).toEqual([path, 0, bytes.length]);
      }
    }
  });
  it('decoding other invoices, long ones included, leaves an earlier result unchanged', () => {
    const first = decodeInvoice(specInvoices[10]!);
    const before = snapshot(first);
    // Longer than the scratch buffers keep (8192 words), then the other examples.
    const long = encodeInvoiceSync({ ...base, extraFields: Array.from({ length: 12 }, () => ({ type: 2, words: new Uint8Array(1000).fill(7) })) }, privateKeySigner(priv));
    expect(long.length).toBeGreaterThan(12_000);
    const d = decodeInvoice(long);
    expect(d.extraFields).toHaveLength(12);
    expect(d.extraFields!.every((f) => f.words.length === 1000 && f.words.every((w) => w === 7))).toBe(true);
    expect(d.payee).toEqual(payee);
    for (const text of specInvoices) decodeInvoice(text);
    expect(snapshot(first)).toBe(before);
    expect(snapshot(decodeInvoice(specInvoices[10]!))).toBe(before);
  });
});

describe('native secp256k1 backend', () => {
  it('decodes every valid spec example exactly as the default backend', () => {
    for (const text of specInvoices) expect(snapshot(decodeInvoice(text, { secp256k1: nativeBackend }))).toBe(snapshot(decodeInvoice(text)));
  });
  it('refuses every invalid spec example with the same reason', () => {
    for (const v of bolt11.invalid) {
      const reason = (backend?: Secp256k1Backend) => {
        try {
          decodeInvoice(v.invoice, backend === undefined ? {} : { secp256k1: backend });
          return 'accepted';
        } catch (e) {
          expect(e).toBeInstanceOf(InvoiceError);
          return (e as InvoiceError).code;
        }
      };
      expect([v.name, reason(nativeBackend)]).toEqual([v.name, reason()]);
    }
  });
});
