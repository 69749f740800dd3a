import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { sha256 } from 'ln-crypto';
import { shortChannelId, type ChannelId } from 'ln-types';
import {
  checkForward,
  checkReceive,
  createInboundPayment,
  CLTV_FAR_FAR_AWAY,
  expandInboundPaymentKeys,
  HTLC_FAIL_BACK_BUFFER,
  isInterceptScid,
  makeInterceptScid,
  MIN_FINAL_CLTV_EXPIRY_DELTA,
  requiredForwardingFeeMsat,
  type OutgoingChannel,
  type ReceivePayload,
} from '../../src/payments/index.js';
import { fixture, pubOf } from './helpers.js';

const H = 800_000;
const update = Uint8Array.of(1, 2, 3);

function channel(policy: Partial<OutgoingChannel['policy']> = {}, extra: Partial<OutgoingChannel> = {}): OutgoingChannel {
  return {
    channelId: new Uint8Array(32) as ChannelId,
    counterpartyNodeId: pubOf(1),
    shortChannelId: shortChannelId(1n),
    usable: true,
    policy: { feeBaseMsat: 200, feeProportionalMillionths: 2000, cltvExpiryDelta: 20, htlcMinimumMsat: 1n, ...policy },
    channelUpdate: update,
    ...extra,
  };
}

describe('forwarding checks', () => {
  it('BOLT 7 routing example: B and D forward exactly what the spec computes; one msat or one block less fails', () => {
    const ex = fixture('bolt07-examples.json').routing_example;
    for (const [i, via] of [
      [1, 'B'],
      [2, 'D'],
    ] as const) {
      const p = ex.payments[i];
      const fees = ex.nodes_fees[via];
      const policy = { feeBaseMsat: fees.fee_base_msat, feeProportionalMillionths: fees.fee_proportional_millionths, cltvExpiryDelta: ex.nodes_cltv_expiry_delta[via] };
      const fwd = { amountToForwardMsat: BigInt(p.update_add_htlc.onion.amt_to_forward), outgoingCltvValue: H + p.update_add_htlc.onion.outgoing_cltv_value.relative_to_current_block_height };
      const incoming = { amountMsat: BigInt(p.update_add_htlc.amount_msat), cltvExpiry: H + p.update_add_htlc.cltv_expiry.relative_to_current_block_height };
      expect(checkForward(fwd, incoming, channel(policy), H)).toEqual({ ok: true });
      expect(checkForward(fwd, { ...incoming, amountMsat: incoming.amountMsat - 1n }, channel(policy), H)).toMatchObject({ ok: false, failure: { name: 'fee_insufficient', htlcMsat: incoming.amountMsat - 1n, channelUpdate: update } });
      expect(checkForward(fwd, { ...incoming, cltvExpiry: incoming.cltvExpiry - 1 }, channel(policy), H)).toMatchObject({ ok: false, failure: { name: 'incorrect_cltv_expiry', cltvExpiry: incoming.cltvExpiry - 1 } });
    }
    expect(requiredForwardingFeeMsat({ feeBaseMsat: 200, feeProportionalMillionths: 2000 }, 4_999_999n)).toBe(BigInt(ex.payments[1].fee_msat_B));
  });

  it('each BOLT 4 forwarding failure, in order', () => {
    const fwd = { amountToForwardMsat: 1_000_000n, outgoingCltvValue: H + 100 };
    const incoming = { amountMsat: 1_010_000n, cltvExpiry: H + 200 };
    expect(checkForward(fwd, incoming, undefined, H)).toMatchObject({ failure: { name: 'unknown_next_peer' } });
    expect(checkForward(fwd, incoming, channel({}, { disabled: true }), H)).toMatchObject({ failure: { name: 'channel_disabled', channelUpdate: update } });
    expect(checkForward(fwd, incoming, channel({}, { usable: false }), H)).toMatchObject({ failure: { name: 'temporary_channel_failure', channelUpdate: update } });
    expect(checkForward(fwd, incoming, channel({ htlcMinimumMsat: 1_000_001n }), H)).toMatchObject({ failure: { name: 'amount_below_minimum', htlcMsat: 1_000_000n } });
    expect(checkForward(fwd, incoming, channel({ htlcMaximumMsat: 999_999n }), H)).toMatchObject({ failure: { name: 'temporary_channel_failure' } });
    expect(checkForward(fwd, { ...incoming, amountMsat: 999_999n }, channel(), H)).toMatchObject({ failure: { name: 'fee_insufficient' } });
    expect(checkForward(fwd, { ...incoming, cltvExpiry: H + HTLC_FAIL_BACK_BUFFER }, channel({ cltvExpiryDelta: 0 }), H)).toMatchObject({ failure: { name: 'incorrect_cltv_expiry' } });
    expect(checkForward({ ...fwd, outgoingCltvValue: H + 10 }, { ...incoming, cltvExpiry: H + HTLC_FAIL_BACK_BUFFER }, channel({ cltvExpiryDelta: 0 }), H)).toMatchObject({ failure: { name: 'expiry_too_soon' } });
    expect(checkForward({ ...fwd, outgoingCltvValue: H + 1990 }, { ...incoming, cltvExpiry: H + CLTV_FAR_FAR_AWAY + 1 }, channel(), H)).toMatchObject({ failure: { name: 'expiry_too_far' } });
    expect(checkForward({ ...fwd, outgoingCltvValue: H + 3 }, { ...incoming, cltvExpiry: H + 100 }, channel({ cltvExpiryDelta: 0 }), H)).toMatchObject({ failure: { name: 'expiry_too_soon' } });
    // A channel without a channel_update to give: a zero-length update (BOLT 4 allows it).
    expect(checkForward(fwd, incoming, { ...channel(), usable: false, channelUpdate: undefined as never }, H)).toMatchObject({ failure: { channelUpdate: new Uint8Array(0) } });
  });

  it('property: a forward that pays at least the policy fee and delta within the window passes', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 10n ** 12n }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.integer({ min: 0, max: 5000 }),
        fc.integer({ min: 0, max: 144 }),
        fc.bigInt({ min: 0n, max: 1000n }),
        fc.integer({ min: 0, max: 50 }),
        (amt, base, prop, delta, extraFee, extraCltv) => {
          const policy = { feeBaseMsat: base, feeProportionalMillionths: prop, cltvExpiryDelta: delta };
          const out = H + 100;
          const fee = requiredForwardingFeeMsat(policy, amt);
          const r = checkForward({ amountToForwardMsat: amt, outgoingCltvValue: out }, { amountMsat: amt + fee + extraFee, cltvExpiry: out + delta + extraCltv }, channel(policy), H);
          expect(r).toEqual({ ok: true });
          if (fee > 0n) expect(checkForward({ amountToForwardMsat: amt, outgoingCltvValue: out }, { amountMsat: amt + fee - 1n, cltvExpiry: out + delta }, channel(policy), H).ok).toBe(false);
        },
      ),
    );
  });
});

describe('final-hop checks', () => {
  const keys = expandInboundPaymentKeys(new Uint8Array(32).fill(3));
  const NOW = 1_700_000_000;
  const payment = createInboundPayment(keys, { minAmountMsat: 10_000n, expirySeconds: 3600, nowSeconds: NOW }, new Uint8Array(32).fill(1));
  const ctx = { keys, height: H, nowSeconds: NOW };
  const cltv = H + MIN_FINAL_CLTV_EXPIRY_DELTA + 1;
  const htlc = { amountMsat: 10_000n, cltvExpiry: cltv, paymentHash: payment.paymentHash };
  const payload = (p: { [K in keyof ReceivePayload]?: ReceivePayload[K] | undefined } = {}): ReceivePayload => {
    const out: Record<string, unknown> = { amountMsat: 10_000n, outgoingCltvValue: cltv, paymentData: { paymentSecret: payment.paymentSecret, totalMsat: 10_000n }, customRecords: [], blinded: false, ...p };
    for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
    return out as unknown as ReceivePayload;
  };

  it('accepts our payment with its preimage', () => {
    expect(checkReceive(payload(), htlc, ctx)).toEqual({
      ok: true,
      part: { purpose: { kind: 'bolt11_invoice_payment', paymentPreimage: payment.paymentPreimage, paymentSecret: payment.paymentSecret }, senderIntendedValueMsat: 10_000n, totalMsat: 10_000n, customRecords: [] },
    });
  });

  it('each BOLT 4 final-node failure', () => {
    const unknown = { name: 'incorrect_or_unknown_payment_details', htlcMsat: 10_000n, height: H };
    expect(checkReceive(payload({ outgoingCltvValue: cltv + 1 }), htlc, ctx)).toMatchObject({ failure: { name: 'final_incorrect_cltv_expiry', cltvExpiry: cltv } });
    expect(checkReceive(payload({ outgoingCltvValue: H + HTLC_FAIL_BACK_BUFFER + 1 }), { ...htlc, cltvExpiry: H + HTLC_FAIL_BACK_BUFFER + 1 }, ctx)).toMatchObject({ failure: unknown });
    expect(checkReceive(payload({ amountMsat: 10_001n }), htlc, ctx)).toMatchObject({ failure: { name: 'final_incorrect_htlc_amount', incomingHtlcAmtMsat: 10_000n } });
    expect(checkReceive(payload({ paymentData: undefined }), htlc, ctx)).toMatchObject({ failure: unknown });
    expect(checkReceive(payload({ paymentData: { paymentSecret: new Uint8Array(32), totalMsat: 10_000n } }), htlc, ctx)).toMatchObject({ failure: unknown });
    expect(checkReceive(payload({ amountMsat: 9_000n, paymentData: { paymentSecret: payment.paymentSecret, totalMsat: 9_000n } }), htlc, ctx)).toMatchObject({ failure: unknown });
    expect(checkReceive(payload(), htlc, { ...ctx, nowSeconds: NOW + 3601 })).toMatchObject({ failure: unknown });
    expect(checkReceive(payload({ paymentData: { paymentSecret: payment.paymentSecret, totalMsat: 20_001n }, amountMsat: 10_000n }), htlc, ctx)).toMatchObject({ failure: unknown });
    expect(checkReceive(payload({ paymentData: { paymentSecret: payment.paymentSecret, totalMsat: 1n } }), htlc, ctx)).toMatchObject({ failure: unknown });
  });

  it('keysend: the preimage must hash to the payment hash, and keysend can be refused', () => {
    const preimage = new Uint8Array(32).fill(8);
    const h = { ...htlc, paymentHash: sha256(preimage) };
    expect(checkReceive(payload({ paymentData: undefined, keysendPreimage: preimage }), h, ctx)).toMatchObject({ ok: true, part: { purpose: { kind: 'spontaneous_payment', paymentPreimage: preimage }, totalMsat: 10_000n } });
    expect(checkReceive(payload({ paymentData: undefined, keysendPreimage: new Uint8Array(32) }), h, ctx)).toMatchObject({ ok: false });
    expect(checkReceive(payload({ paymentData: undefined, keysendPreimage: preimage }), h, { ...ctx, acceptKeysend: false })).toMatchObject({ ok: false });
  });
});

describe('intercept scids', () => {
  it('property: ours are recognized, other keys and real-looking scids are not', () => {
    const key = new Uint8Array(32).fill(1);
    const other = new Uint8Array(32).fill(2);
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.bigInt({ min: 481_824n << 40n, max: (1n << 64n) - 1n }), (random, real) => {
        const scid = makeInterceptScid(key, random);
        expect(isInterceptScid(key, scid)).toBe(true);
        expect(isInterceptScid(other, scid)).toBe(false);
        expect(isInterceptScid(key, shortChannelId(real))).toBe(false);
      }),
    );
  });
});
