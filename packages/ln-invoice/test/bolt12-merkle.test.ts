import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { fromHex, toHex } from 'ln-types';
import { defaultSecp256k1 } from 'ln-crypto';
import { Reader, readTlvRecords } from 'ln-wire';
import { bech32Decode, bolt12MerkleRoot, bolt12SignatureHash, bolt12SignatureTag, InvoiceError, wordsToBytes } from '../src/index.js';

// BOLT 12 signature vectors, copied with their provenance (`source` in the file).
const file = JSON.parse(readFileSync(new URL('./fixtures/bolt12-signature-test.json', import.meta.url), 'utf8')) as {
  vectors: { comment: string; leaves: Record<string, string>[]; merkle: string; bolt12?: string; signature_tag?: string; 'H(signature_tag,merkle)'?: string; signature?: string }[];
};

/** The TLV bytes named in a leaf label "H(`LnLeaf`,<hex>)". */
function leafTlvs(v: (typeof file.vectors)[number]): Uint8Array {
  return fromHex(
    v.leaves
      .map((leaf) => Object.keys(leaf).find((k) => k.startsWith('H(`LnLeaf`,'))!)
      .map((k) => k.slice('H(`LnLeaf`,'.length, -1))
      .join(''),
  );
}

describe('BOLT 12 Merkle root and signature hash', () => {
  it.each(file.vectors.map((v) => [v.comment.slice(0, 60), v] as const))('%s', (_c, v) => {
    const records = readTlvRecords(new Reader(leafTlvs(v)));
    expect(toHex(bolt12MerkleRoot(records))).toBe(v.merkle);
  });

  it('the invoice_request example: bech32 without checksum, Merkle root, tagged hash and the payer signature', () => {
    const v = file.vectors.find((x) => x.bolt12 !== undefined)!;
    const { hrp, words } = bech32Decode(v.bolt12!, { checksum: false });
    expect(hrp).toBe('lnr');
    const stream = wordsToBytes(words, true);
    const records = readTlvRecords(new Reader(stream));
    // The signature record (240) is present in the string and left out of the tree.
    expect(records.some((r) => r.type === 240n)).toBe(true);
    expect(toHex(bolt12MerkleRoot(records))).toBe(v.merkle);
    expect(bolt12SignatureTag('invoice_request')).toBe(v.signature_tag);
    const hash = bolt12SignatureHash(stream, 'invoice_request');
    expect(toHex(hash)).toBe(v['H(signature_tag,merkle)']);
    const payerId = records.find((r) => r.type === 88n)!.value;
    expect(toHex(records.find((r) => r.type === 240n)!.value)).toBe(v.signature);
    expect(defaultSecp256k1.schnorrVerify(fromHex(v.signature!), hash, payerId.subarray(1))).toBe(true);
  });

  it('any change to a signed record changes the root; signature records do not', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.bigInt({ min: 0n, max: 239n }), { minLength: 1, maxLength: 12 }), fc.nat(), (types, pick) => {
        const sorted = [...types].sort((a, b) => (a < b ? -1 : 1));
        const records = sorted.map((type) => ({ type, value: Uint8Array.of(Number(type)) }));
        const root = bolt12MerkleRoot(records);
        const i = pick % records.length;
        const changed = records.map((r, j) => (j === i ? { type: r.type, value: Uint8Array.of(r.value[0]! ^ 1) } : r));
        expect(bolt12MerkleRoot(changed)).not.toEqual(root);
        expect(bolt12MerkleRoot([...records, { type: 240n, value: new Uint8Array(64) }])).toEqual(root);
      }),
      { numRuns: 100 },
    );
  });

  it('refuses empty and malformed streams with a typed error', () => {
    expect(() => bolt12MerkleRoot([])).toThrow(InvoiceError);
    expect(() => bolt12SignatureHash(Uint8Array.of(2, 1, 1, 1, 1, 1), 'invoice')).toThrow(expect.objectContaining({ code: 'invalid_field' }));
  });
});
