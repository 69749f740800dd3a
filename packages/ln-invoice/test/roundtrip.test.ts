import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { publicKeyFromPrivate } from 'ln-crypto';
import { assembleInvoice, decodeInvoice, encodeInvoice, encodeInvoiceSync, privateKeySigner, prepareInvoice, type InvoiceData, type InvoiceSignature } from '../src/index.js';
import { invoiceDataArb } from './arbitraries.js';

const runs = process.env.LN_LONG_TESTS === '1' ? 3000 : 150;
const priv = new Uint8Array(32).fill(7);
const sign = privateKeySigner(priv);
const payee = publicKeyFromPrivate(priv);

function content(inv: ReturnType<typeof decodeInvoice>): InvoiceData {
  const { payee: _p, signature: _s, signingHash: _h, hrp: _r, ...data } = inv;
  return data;
}

function normalized(data: InvoiceData): InvoiceData {
  // The decoder always returns the list fields, empty when absent.
  return { ...data, fallbacks: data.fallbacks ?? [], routeHints: data.routeHints ?? [], extraFields: data.extraFields ?? [] };
}

describe('decode(encode(x)) == x', () => {
  it('for random invoices (every field type, every network, raw extra fields)', () => {
    fc.assert(
      fc.property(invoiceDataArb, (data) => {
        // The n field must name the signer; otherwise the signature is (rightly) refused.
        const d = data.payeeNodeId === undefined ? data : { ...data, payeeNodeId: payee };
        const inv = decodeInvoice(encodeInvoiceSync(d, sign));
        expect(content(inv)).toEqual(normalized(d));
        expect(inv.payee).toEqual(payee);
      }),
      { numRuns: runs },
    );
  });

  it('through an asynchronous signer (a remote NodeSigner)', async () => {
    const remote = (hash: Uint8Array): Promise<InvoiceSignature> => new Promise((resolve) => setTimeout(() => resolve(sign(hash) as InvoiceSignature), 1));
    const data: InvoiceData = { currency: 'bcrt', timestamp: 1_700_000_000, paymentHash: new Uint8Array(32).fill(1), paymentSecret: new Uint8Array(32).fill(2), description: 'async' };
    const inv = decodeInvoice(await encodeInvoice(data, remote));
    expect(inv.payee).toEqual(payee);
    expect(() => encodeInvoiceSync(data, remote)).toThrow(expect.objectContaining({ code: 'invalid_signature' }));
  });

  it('a high-S signature from a signer is written in low-S form with the matching recovery id', () => {
    const data: InvoiceData = { currency: 'bc', timestamp: 1, paymentHash: new Uint8Array(32).fill(1), paymentSecret: new Uint8Array(32).fill(2), description: 'x' };
    const highS = (hash: Uint8Array): InvoiceSignature => {
      const s = sign(hash) as InvoiceSignature;
      // n - s with the parity flipped is the other valid signature for the same key.
      const n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
      let v = BigInt('0x' + Buffer.from(s.signature.subarray(32)).toString('hex'));
      v = n - v;
      const out = s.signature.slice();
      out.set(Buffer.from(v.toString(16).padStart(64, '0'), 'hex'), 32);
      return { signature: out, recoveryId: (s.recoveryId ^ 1) as 0 | 1 };
    };
    expect(encodeInvoiceSync(data, highS)).toBe(encodeInvoiceSync(data, sign));
  });

  it('two-step signing (prepareInvoice, a signer elsewhere, assembleInvoice) gives the same string', () => {
    fc.assert(
      fc.property(invoiceDataArb, (data) => {
        const d = data.payeeNodeId === undefined ? data : { ...data, payeeNodeId: payee };
        const unsigned = prepareInvoice(d);
        const sig = sign(unsigned.signingHash) as InvoiceSignature;
        expect(assembleInvoice(unsigned, sig)).toBe(encodeInvoiceSync(d, sign));
        expect(decodeInvoice(assembleInvoice(unsigned, sig)).signingHash).toEqual(unsigned.signingHash);
      }),
      { numRuns: 30 },
    );
  });

  it('prepareInvoice is deterministic and the hash covers every field', () => {
    fc.assert(
      fc.property(invoiceDataArb, (data) => {
        const a = prepareInvoice(data);
        expect(prepareInvoice(data)).toEqual(a);
        const b = prepareInvoice({ ...data, timestamp: (data.timestamp + 1) % 2 ** 35 });
        expect(b.signingHash).not.toEqual(a.signingHash);
      }),
      { numRuns: 50 },
    );
  });
});
