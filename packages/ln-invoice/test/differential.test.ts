// Differential tests: our decoder against `bolt11` and `light-bolt11-decoder` (npm)
// on the spec examples and on random invoices we sign.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import bolt11Lib from 'bolt11';
import { decode as lightDecode } from 'light-bolt11-decoder';
import { toHex } from 'ln-types';
import { publicKeyFromPrivate } from 'ln-crypto';
import { decodeInvoice, encodeInvoiceSync, privateKeySigner, type DecodedInvoice, type InvoiceData } from '../src/index.js';
import { invoiceDataArb } from './arbitraries.js';
import { bolt11 } from './vectors.js';

const runs = process.env.LN_LONG_TESTS === '1' ? 2000 : 60;

/** The fields all three decoders report, in one shape. */
interface View {
  msat: string | undefined;
  timestamp: number;
  paymentHash: string;
  paymentSecret: string | undefined;
  description: string | undefined;
  descriptionHash: string | undefined;
  expiry: number | undefined;
  minFinalCltv: number | undefined;
  routes: string[][];
  signature: string;
}

function ours(inv: DecodedInvoice): View & { payee: string; fallbacks: string[] } {
  return {
    msat: inv.amountMsat?.toString(),
    timestamp: inv.timestamp,
    paymentHash: toHex(inv.paymentHash),
    paymentSecret: inv.paymentSecret && toHex(inv.paymentSecret),
    description: inv.description,
    descriptionHash: inv.descriptionHash && toHex(inv.descriptionHash),
    expiry: inv.expirySeconds,
    minFinalCltv: inv.minFinalCltvExpiryDelta,
    routes: (inv.routeHints ?? []).map((r) => r.map((h) => `${toHex(h.nodeId)}/${h.shortChannelId.toString(16).padStart(16, '0')}/${h.feeBaseMsat}/${h.feeProportionalMillionths}/${h.cltvExpiryDelta}`)),
    signature: toHex(inv.signature.signature),
    payee: toHex(inv.payee),
    fallbacks: (inv.fallbacks ?? []).map((f) => toHex(f.program)),
  };
}

type Tag = { tagName: string; data: unknown };
type Hop = { pubkey: string; short_channel_id: string; fee_base_msat: number; fee_proportional_millionths: number; cltv_expiry_delta: number };

function viaBolt11(text: string): View & { payee: string; fallbacks: string[] } {
  const d = bolt11Lib.decode(text);
  const tags = d.tags as Tag[];
  const tag = (n: string) => tags.find((t) => t.tagName === n)?.data;
  return {
    msat: d.millisatoshis ?? undefined,
    timestamp: d.timestamp!,
    paymentHash: tag('payment_hash') as string,
    paymentSecret: tag('payment_secret') as string | undefined,
    description: tag('description') as string | undefined,
    descriptionHash: tag('purpose_commit_hash') as string | undefined,
    expiry: tag('expire_time') as number | undefined,
    minFinalCltv: tag('min_final_cltv_expiry') as number | undefined,
    routes: tags.filter((t) => t.tagName === 'routing_info').map((t) => (t.data as Hop[]).map((h) => `${h.pubkey}/${h.short_channel_id}/${h.fee_base_msat}/${h.fee_proportional_millionths}/${h.cltv_expiry_delta}`)),
    signature: d.signature!,
    payee: d.payeeNodeKey!,
    fallbacks: tags.filter((t) => t.tagName === 'fallback_address').map((t) => (t.data as { addressHash: string }).addressHash),
  };
}

function viaLight(text: string): View {
  const d = lightDecode(text);
  const sec = (n: string) => d.sections.find((s: { name: string }) => s.name === n) as { value?: unknown } | undefined;
  return {
    msat: sec('amount')?.value as string | undefined,
    timestamp: sec('timestamp')!.value as number,
    paymentHash: sec('payment_hash')!.value as string,
    paymentSecret: sec('payment_secret')?.value as string | undefined,
    description: sec('description')?.value as string | undefined,
    descriptionHash: sec('description_hash')?.value as string | undefined,
    expiry: sec('expiry')?.value as number | undefined,
    minFinalCltv: sec('min_final_cltv_expiry')?.value as number | undefined,
    routes: d.sections
      .filter((s: { name: string }) => s.name === 'route_hint')
      .map((s) => ((s as { value: Hop[] }).value).map((h) => `${h.pubkey}/${h.short_channel_id}/${h.fee_base_msat}/${h.fee_proportional_millionths}/${h.cltv_expiry_delta}`)),
    // light-bolt11-decoder appends the recovery id byte to the signature.
    signature: (sec('signature')!.value as string).slice(0, 128),
  };
}

function tryOr<T>(f: () => T): T | 'throws' {
  try {
    return f();
  } catch {
    return 'throws';
  }
}

describe('differential: spec examples', () => {
  // Where a peer refuses a valid example, that is recorded here (and checked, so a peer upgrade shows up).
  const bolt11Refuses = ['Same, but including fields which must be ignored.'];
  const lightRefuses = ['Same, but including fields which must be ignored.'];

  it.each(bolt11.valid.map((v) => [v.name.slice(0, 60), v] as const))('%s', (_n, v) => {
    const mine = ours(decodeInvoice(v.invoice));
    const b = tryOr(() => viaBolt11(v.invoice));
    if (bolt11Refuses.includes(v.name)) expect(b).toBe('throws');
    else if (v.signature.high_s) {
      // bolt11 recovers the high-S example with plain recovery: everything agrees but the payee.
      expect(b).not.toBe('throws');
      const { payee, ...rest } = b as ReturnType<typeof viaBolt11>;
      const { payee: myPayee, ...myRest } = mine;
      expect(rest).toEqual(myRest);
      expect(payee).toBe(v.signature.recovered_pubkey);
      expect(myPayee).toBe(v.payee_pubkey);
    } else expect(b).toEqual(mine);
    const l = tryOr(() => viaLight(v.invoice));
    if (lightRefuses.includes(v.name)) expect(l).toBe('throws');
    else {
      const { payee: _p, fallbacks: _f, ...view } = mine;
      expect(l).toEqual(view);
    }
  });

  it('all three refuse the invalid examples with a bad checksum, no separator or mixed case', () => {
    for (const v of bolt11.invalid.filter((x) => /checksum|no 1|mixed case/.test(x.name))) {
      expect(tryOr(() => decodeInvoice(v.invoice))).toBe('throws');
      expect(tryOr(() => bolt11Lib.decode(v.invoice))).toBe('throws');
      expect(tryOr(() => lightDecode(v.invoice))).toBe('throws');
    }
  });
});

describe('differential: random invoices we sign', () => {
  const priv = new Uint8Array(32).fill(9);
  const sign = privateKeySigner(priv);
  const payee = toHex(publicKeyFromPrivate(priv));
  // The peers know bc/tb/bcrt, witness versions 0 and 1, and no raw fields: stay inside that.
  const peerFriendly = invoiceDataArb.map((d): InvoiceData => {
    const { extraFields: _e, metadata: _m, payeeNodeId: _n, features: _f, ...rest } = d;
    return {
      ...rest,
      currency: d.currency === 'tbs' ? 'tb' : d.currency,
      fallbacks: (d.fallbacks ?? []).filter((f) => f.version >= 17 || (f.version === 0) || (f.version === 1 && f.program.length === 32)),
    };
  });

  it('bolt11 and light-bolt11-decoder read what we write', () => {
    fc.assert(
      fc.property(peerFriendly, (data) => {
        const text = encodeInvoiceSync(data, sign);
        const mine = ours(decodeInvoice(text));
        expect(mine.payee).toBe(payee);
        expect(viaBolt11(text)).toEqual(mine);
        const { payee: _p, fallbacks: _f, ...view } = mine;
        expect(viaLight(text)).toEqual(view);
      }),
      { numRuns: runs },
    );
  });

  it('we read what bolt11 signs', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.string({ maxLength: 50 }), fc.integer({ min: 1, max: 10_000_000 }), (hash, description, sat) => {
        const encoded = bolt11Lib.encode({
          network: { bech32: 'bc', pubKeyHash: 0, scriptHash: 5, validWitnessVersions: [0, 1] },
          satoshis: sat,
          timestamp: 1_700_000_000,
          tags: [
            { tagName: 'payment_hash', data: toHex(hash) },
            { tagName: 'payment_secret', data: '22'.repeat(32) },
            { tagName: 'description', data: description },
          ],
        });
        const text = bolt11Lib.sign(encoded, toHex(priv)).paymentRequest!;
        const inv = decodeInvoice(text);
        expect(toHex(inv.payee)).toBe(payee);
        expect(inv.amountMsat).toBe(BigInt(sat) * 1000n);
        expect(inv.description).toBe(description);
        expect(inv.paymentHash).toEqual(hash);
      }),
      { numRuns: Math.min(runs, 30) },
    );
  });
});
