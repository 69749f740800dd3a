import { describe, expect, it } from '@jest/globals';
import { fromHex, toHex } from 'ln-types';
import { ecdsaRecover } from 'ln-crypto';
import { bech32Decode, decodeInvoice, encodeInvoiceSync, featureBitsSet, InvoiceError, invoiceSigningHash, isHighS, privateKeySigner, TAG, type InvoiceData } from '../src/index.js';
import { bolt11 } from './vectors.js';

const CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const wordsOf = (chars: string) => Uint8Array.from(chars, (c) => CHARSET.indexOf(c));

describe('BOLT 11 valid examples', () => {
  it.each(bolt11.valid.map((v) => [v.name.slice(0, 70), v] as const))('%s', (_name, v) => {
    const inv = decodeInvoice(v.invoice);
    expect(inv.currency).toBe(v.currency_prefix);
    expect(inv.amountMsat).toBe(v.amount === null ? undefined : BigInt(v.amount.msat));
    expect(inv.timestamp).toBe(v.timestamp);
    expect(toHex(inv.paymentHash)).toBe(v.payment_hash);
    expect(inv.paymentSecret && toHex(inv.paymentSecret)).toBe(v.payment_secret ?? undefined);
    expect(inv.description).toBe(v.description ?? undefined);
    expect(inv.descriptionHash && toHex(inv.descriptionHash)).toBe(v.description_hash ?? undefined);
    expect(inv.expirySeconds).toBe(v.expiry ?? undefined);
    expect(inv.minFinalCltvExpiryDelta).toBe(v.min_final_cltv_expiry_delta ?? undefined);
    expect(inv.metadata && toHex(inv.metadata)).toBe(v.metadata ?? undefined);
    expect(inv.payeeNodeId && toHex(inv.payeeNodeId)).toBe(v.payee_node_id ?? undefined);
    expect(inv.fallbacks?.map((f) => ({ version: f.version, program: toHex(f.program) }))).toEqual(
      v.fallback_addresses.map((f) => ({ version: f.version, program: f.program })),
    );
    expect(
      inv.routeHints?.map((r) =>
        r.map((h) => ({
          pubkey: toHex(h.nodeId),
          short_channel_id_hex: h.shortChannelId.toString(16).padStart(16, '0'),
          fee_base_msat: h.feeBaseMsat,
          fee_proportional_millionths: h.feeProportionalMillionths,
          cltv_expiry_delta: h.cltvExpiryDelta,
        })),
      ),
    ).toEqual(v.routing_hints.map((r) => r.map(({ pubkey, short_channel_id_hex, fee_base_msat, fee_proportional_millionths, cltv_expiry_delta }) => ({ pubkey, short_channel_id_hex, fee_base_msat, fee_proportional_millionths, cltv_expiry_delta }))));
    expect(inv.features && featureBitsSet(inv.features)).toEqual(v.features?.bits);
    // Unknown and skipped fields are both kept, in the order they appear.
    const kept = [...v.unknown_fields, ...v.ignored_fields].map((f) => `${f.type}:${f.data}`).sort();
    expect(inv.extraFields?.map((f) => `${CHARSET[f.type]}:${Array.from(f.words, (w) => CHARSET[w]).join('')}`).sort()).toEqual(kept);
    expect(toHex(inv.signature.signature)).toBe(v.signature.rs);
    expect(inv.signature.recoveryId).toBe(v.signature.recovery_id);
    expect(toHex(inv.signingHash)).toBe(v.signature.signing_hash);
    expect(isHighS(inv.signature.signature)).toBe(v.signature.high_s);
    expect(toHex(inv.payee)).toBe(v.payee_pubkey);
  });

  it('signs over exactly the spec signing_data (hrp bytes || zero-padded data)', () => {
    for (const v of bolt11.valid) {
      const { hrp, words } = bech32Decode(v.invoice);
      const hash = invoiceSigningHash(hrp, words.subarray(0, words.length - 104));
      expect(toHex(hash)).toBe(v.signature.signing_hash);
    }
  });

  it('re-encodes every example with the spec key to an invoice that decodes to the same content', () => {
    const sign = privateKeySigner(fromHex(bolt11.priv_key));
    for (const v of bolt11.valid) {
      const inv = decodeInvoice(v.invoice);
      const { payee: _p, signature: _s, signingHash: _h, hrp: _hrp, ...data } = inv;
      const again = decodeInvoice(encodeInvoiceSync(data as InvoiceData, sign));
      const { payee, signature: _s2, signingHash: _h2, hrp, ...data2 } = again;
      expect(data2).toEqual(data);
      expect(hrp).toBe(inv.hrp);
      expect(toHex(payee)).toBe(v.payee_pubkey);
    }
  });

  it('reproduces byte for byte every low-S example whose first field is p (RFC 6979 signatures are deterministic)', () => {
    const sign = privateKeySigner(fromHex(bolt11.priv_key));
    let reproduced = 0;
    for (const v of bolt11.valid) {
      const raw = bech32Decode(v.invoice).words;
      if (raw[7] !== TAG.paymentHash || v.signature.high_s) continue;
      const inv = decodeInvoice(v.invoice);
      // Every field after `p` is passed raw, so the encoder writes them in the spec's order.
      const extra: { type: number; words: Uint8Array }[] = [];
      for (let pos = 7; pos < raw.length - 104; ) {
        const len = raw[pos + 1]! * 32 + raw[pos + 2]!;
        if (pos > 7) extra.push({ type: raw[pos]!, words: raw.slice(pos + 3, pos + 3 + len) });
        pos += 3 + len;
      }
      const data: InvoiceData = { currency: inv.currency, timestamp: inv.timestamp, paymentHash: inv.paymentHash, extraFields: extra, ...(inv.amountMsat !== undefined && { amountMsat: inv.amountMsat }) };
      expect(encodeInvoiceSync(data, sign)).toBe(v.invoice.toLowerCase());
      reproduced++;
    }
    expect(reproduced).toBeGreaterThanOrEqual(4);
  });

  it('high-S example: plain recovery with the transmitted id gives another key; the decoder names the payee', () => {
    const v = bolt11.valid.find((x) => x.name.startsWith('Public-key recovery with high-S'))!;
    expect(v.signature.high_s).toBe(true);
    const plain = ecdsaRecover(fromHex(v.signature.rs), v.signature.recovery_id as 0 | 1, fromHex(v.signature.signing_hash));
    expect(toHex(plain)).toBe(v.signature.recovered_pubkey);
    expect(toHex(plain)).not.toBe(v.payee_pubkey);
    expect(toHex(decodeInvoice(v.invoice).payee)).toBe(v.payee_pubkey);
  });

  it('keeps the fields a reader must skip raw, with their exact words', () => {
    const v = bolt11.valid.find((x) => x.name.startsWith('Same, but including fields which must be ignored'))!;
    const inv = decodeInvoice(v.invoice);
    const unknown = inv.extraFields!.find((f) => f.type === CHARSET.indexOf('2'))!;
    expect(unknown.words).toEqual(wordsOf('qqq'));
    expect(inv.extraFields!.filter((f) => f.type === TAG.paymentHash).map((f) => f.words.length)).toEqual([51, 53]);
  });
});

const expectedCodes: Record<string, string> = {
  'Same, but adding invalid unknown feature 100': 'unknown_required_feature',
  'Bech32 checksum is invalid.': 'bad_checksum',
  'Malformed bech32 string (no 1)': 'no_separator',
  'Malformed bech32 string (mixed case)': 'mixed_case',
  'Signature is not recoverable.': 'unrecoverable_signature',
  'String is too short.': 'too_short',
  'Invalid multiplier': 'invalid_amount',
  'Invalid sub-millisatoshi precision.': 'sub_msat_precision',
  'Missing required `s` field.': 'missing_payment_secret',
  "Non canonical signature (high-S) with 'n' field defined": 'invalid_signature',
};

describe('BOLT 11 invalid examples', () => {
  it('has a reason for every invalid example', () => {
    expect(bolt11.invalid.map((v) => v.name).sort()).toEqual(Object.keys(expectedCodes).sort());
  });
  it.each(bolt11.invalid.map((v) => [v.name, v] as const))('%s', (name, v) => {
    let caught: unknown;
    try {
      decodeInvoice(v.invoice);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(InvoiceError);
    expect((caught as InvoiceError).code).toBe(expectedCodes[name]);
  });
});
