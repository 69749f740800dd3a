// The default HtlcHandler: the minimum of BOLT 4/11 a channel needs to be
// useful on its own, until the payments engine of issue 15 replaces it.
// - receive: peel the onion (NodeSigner.ecdh), check the hop payload, the
//   payment secret, amount and expiry against a payment registered with
//   `createInboundPayment`, aggregate parts up to total_msat, emit
//   PaymentClaimable; `claimFunds(preimage)` claims, PaymentClaimed follows;
// - forward: to one of our channels by short channel id, checking fee and
//   cltv delta against our ChannelConfig;
// - send: a payment to a directly connected peer (one-hop onion), with
//   PaymentSent / PaymentPathFailed / PaymentFailed.

import { sha256 } from 'ln-crypto';
import {
  FAILURE_CODES,
  OnionError,
  buildOnionPacket,
  createFailurePacket,
  decodeFailureMessage,
  decodeHopPayload,
  decryptFailurePacket,
  deriveSharedSecrets,
  encodeFailureMessage,
  encodeHopPayload,
  failureNameOf,
  malformedHtlcFailure,
  parseOnionPacket,
  peelOnionPacket,
  serializeOnionPacket,
  validateHopPayload,
  type FailureMessage,
  type HopPayload,
} from 'ln-onion';
import { type ChannelId, type NodeId, equalBytes, toHex } from 'ln-types';
import { Reader, Writer } from 'ln-wire';
import { ApiError, ChannelError } from '../errors.js';
import type { PaymentPurpose } from '../events.js';
import { HTLC_FAIL_BACK_BUFFER } from '../channel/constants.js';
import { encodeHtlcSource, type OutboundPaymentSource } from './htlc-source.js';
import type { HtlcFailure, HtlcHandler, LockedInHtlc, OutboundHtlcInfo, PaymentsContext } from './htlc-handler.js';
import { failureOfCode } from './htlc-ops.js';

/** A payment we expect (created with createInboundPayment). */
interface InboundPayment {
  readonly paymentHash: Uint8Array;
  readonly paymentSecret: Uint8Array;
  readonly preimage?: Uint8Array;
  readonly amountMsat?: bigint;
  /** Unix time after which parts are refused. */
  readonly expiresAt: number;
  readonly minFinalCltvExpiryDelta: number;
}

/** One HTLC of a payment being received. */
interface ClaimablePart {
  readonly channelId: ChannelId;
  readonly counterpartyNodeId: NodeId;
  readonly htlcId: bigint;
  readonly amountMsat: bigint;
  readonly cltvExpiry: number;
  readonly sharedSecret: Uint8Array;
}

interface Claimable {
  readonly paymentHash: Uint8Array;
  readonly totalMsat: bigint;
  readonly parts: ClaimablePart[];
  announced: boolean;
  /** Timer ticks since the first part (MPP timeout: 3 ticks, as LDK). */
  ticks: number;
}

interface OutboundPayment {
  readonly paymentId: Uint8Array;
  readonly paymentHash: Uint8Array;
  status: 'pending' | 'fulfilled' | 'failed';
}

/** Options of createInboundPayment. */
export interface InboundPaymentOptions {
  /** The amount the invoice asks for (absent: any amount). */
  readonly amountMsat?: bigint;
  /** Seconds the invoice is valid (from the highest block time seen). */
  readonly expirySeconds: number;
  /** The invoice's min_final_cltv_expiry_delta (default 18 + 3, LDK's minimum). */
  readonly minFinalCltvExpiryDelta?: number;
  /** Our own preimage; by default one is drawn from entropy. */
  readonly preimage?: Uint8Array;
}

/** A payment to a direct peer (the payee is the channel counterparty), e.g. from its BOLT 11 invoice. */
export interface DirectPayment {
  readonly paymentId: Uint8Array;
  readonly payee: NodeId;
  readonly paymentHash: Uint8Array;
  readonly paymentSecret: Uint8Array;
  readonly amountMsat: bigint;
  readonly minFinalCltvExpiryDelta: number;
  readonly paymentMetadata?: Uint8Array;
}

const MPP_TIMEOUT_TICKS = 3;
const MIN_FINAL_CLTV_EXPIRY_DELTA = HTLC_FAIL_BACK_BUFFER + 3;

/** See the file comment. */
export class BasicPaymentHandler implements HtlcHandler {
  readonly #ctx: PaymentsContext;
  readonly #inbound = new Map<string, InboundPayment>();
  readonly #claimable = new Map<string, Claimable>();
  readonly #outbound = new Map<string, OutboundPayment>();
  /** Hashes we already claimed (a later part of the same payment is failed). */
  readonly #claimed = new Set<string>();

  constructor(ctx: PaymentsContext, state?: Uint8Array) {
    this.#ctx = ctx;
    if (state !== undefined && state.length > 0) this.#read(state);
  }

  // ---- receiving ----------------------------------------------------------

  /** Registers a payment we expect; returns the hash and secret for the invoice. */
  createInboundPayment(options: InboundPaymentOptions): { paymentHash: Uint8Array; paymentSecret: Uint8Array; preimage: Uint8Array | undefined } {
    const preimage = options.preimage ?? this.#ctx.entropy.getSecureRandomBytes().slice(0, 32);
    if (preimage.length !== 32) throw new ApiError('invalid_argument', 'a preimage is 32 bytes');
    const paymentHash = sha256(preimage);
    if (this.#inbound.has(toHex(paymentHash))) throw new ApiError('invalid_argument', 'a payment with this hash is registered already');
    const paymentSecret = this.#ctx.entropy.getSecureRandomBytes().slice(0, 32);
    const payment: InboundPayment = {
      paymentHash,
      paymentSecret,
      preimage,
      ...(options.amountMsat !== undefined && { amountMsat: options.amountMsat }),
      expiresAt: this.#ctx.highestSeenTimestamp() + options.expirySeconds,
      minFinalCltvExpiryDelta: options.minFinalCltvExpiryDelta ?? MIN_FINAL_CLTV_EXPIRY_DELTA,
    };
    this.#inbound.set(toHex(paymentHash), payment);
    this.#ctx.markDirty();
    return { paymentHash, paymentSecret, preimage };
  }

  async htlcLockedIn(h: LockedInHtlc): Promise<void> {
    const ctx = this.#ctx;
    const { htlc } = h;
    let packet;
    let peeled;
    try {
      packet = parseOnionPacket(htlc.onion);
      const shared = await ctx.nodeSigner.ecdh('node', packet.publicKey as never);
      peeled = peelOnionPacket(packet, htlc.paymentHash, () => shared, { secp256k1: ctx.backend });
    } catch (e) {
      if (!(e instanceof OnionError)) throw e;
      const m = malformedHtlcFailure(htlc.onion, e) ?? { sha256OfOnion: sha256(htlc.onion), failureCode: FAILURE_CODES.invalid_onion_version };
      ctx.failMalformedHtlc(h.channelId, htlc.id, m.sha256OfOnion, m.failureCode);
      return;
    }
    const fail = (m: FailureMessage) => ctx.failHtlc(h.channelId, htlc.id, createFailurePacket(peeled.sharedSecret, encodeFailureMessage(m)));
    let payload: HopPayload;
    try {
      payload = decodeHopPayload(peeled.payload);
      validateHopPayload(payload, { isFinal: peeled.next === undefined, pathKeyInUpdateAdd: htlc.blindingPoint !== undefined });
    } catch (e) {
      if (!(e instanceof OnionError)) throw e;
      fail({ name: 'invalid_onion_payload', tlvType: 0n, offset: 0 });
      return;
    }
    if (peeled.next !== undefined) {
      this.#forward(h, peeled.sharedSecret, payload, serializeOnionPacket(peeled.next), fail);
      return;
    }
    this.#receive(h, peeled.sharedSecret, payload, fail);
  }

  #forward(h: LockedInHtlc, sharedSecret: Uint8Array, payload: HopPayload, nextOnion: Uint8Array, fail: (m: FailureMessage) => void): void {
    const ctx = this.#ctx;
    const scid = payload.shortChannelId;
    const amount = payload.amtToForward!;
    const cltv = payload.outgoingCltvValue!;
    const cfg = ctx.config().channelConfig;
    const fee = BigInt(cfg.forwardingFeeBaseMsat) + (amount * BigInt(cfg.forwardingFeeProportionalMillionths)) / 1_000_000n;
    if (scid === undefined) return fail({ name: 'invalid_onion_payload', tlvType: 6n, offset: 0 });
    if (h.htlc.amountMsat < amount + fee) return fail({ name: 'fee_insufficient', htlcMsat: h.htlc.amountMsat, channelUpdate: new Uint8Array(0) });
    if (h.htlc.cltvExpiry < cltv + cfg.cltvExpiryDelta) return fail({ name: 'incorrect_cltv_expiry', cltvExpiry: h.htlc.cltvExpiry, channelUpdate: new Uint8Array(0) });
    if (cltv <= ctx.bestHeight() + HTLC_FAIL_BACK_BUFFER) return fail({ name: 'expiry_too_soon', channelUpdate: new Uint8Array(0) });
    try {
      ctx.forwardHtlc({ ...h, sharedSecret }, scid, { amountMsat: amount, paymentHash: h.htlc.paymentHash, cltvExpiry: cltv, onion: nextOnion });
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      ctx.log('info', `cannot forward HTLC ${h.htlc.id}: ${e.message}`);
      fail(failureOfCode(e.code === 'channel_not_found' ? FAILURE_CODES.unknown_next_peer : FAILURE_CODES.temporary_channel_failure));
    }
  }

  #receive(h: LockedInHtlc, sharedSecret: Uint8Array, payload: HopPayload, fail: (m: FailureMessage) => void): void {
    const ctx = this.#ctx;
    const { htlc } = h;
    const height = ctx.bestHeight();
    const unknown = (): void => fail({ name: 'incorrect_or_unknown_payment_details', htlcMsat: htlc.amountMsat, height });
    // BOLT 4 final node: the onion's amount and expiry must not exceed what the HTLC carries.
    if (payload.amtToForward! > htlc.amountMsat) return fail({ name: 'final_incorrect_htlc_amount', incomingHtlcAmtMsat: htlc.amountMsat });
    if (payload.outgoingCltvValue! > htlc.cltvExpiry) return fail({ name: 'final_incorrect_cltv_expiry', cltvExpiry: htlc.cltvExpiry });
    const data = payload.paymentData;
    if (data === undefined) return unknown();
    const key = toHex(htlc.paymentHash);
    const inbound = this.#inbound.get(key);
    if (inbound === undefined || this.#claimed.has(key)) return unknown();
    if (!equalBytes(inbound.paymentSecret, data.paymentSecret)) return unknown();
    if (ctx.highestSeenTimestamp() > inbound.expiresAt) return unknown();
    if (htlc.cltvExpiry < height + inbound.minFinalCltvExpiryDelta) return unknown();
    if (inbound.amountMsat !== undefined && data.totalMsat < inbound.amountMsat) return unknown();
    let c = this.#claimable.get(key);
    if (c === undefined) {
      c = { paymentHash: htlc.paymentHash, totalMsat: data.totalMsat, parts: [], announced: false, ticks: 0 };
      this.#claimable.set(key, c);
    } else if (c.totalMsat !== data.totalMsat || c.announced) return unknown();
    c.parts.push({ channelId: h.channelId, counterpartyNodeId: h.counterpartyNodeId, htlcId: htlc.id, amountMsat: htlc.amountMsat, cltvExpiry: htlc.cltvExpiry, sharedSecret });
    const received = c.parts.reduce((a, p) => a + p.amountMsat, 0n);
    if (received >= c.totalMsat) {
      c.announced = true;
      ctx.emit({
        kind: 'payment_claimable',
        paymentHash: c.paymentHash,
        amountMsat: received,
        purpose: this.#purpose(inbound),
        receiverNodeId: ctx.ourNodeId,
        viaChannelId: h.channelId,
        claimDeadline: Math.min(...c.parts.map((p) => p.cltvExpiry)) - HTLC_FAIL_BACK_BUFFER,
      });
    }
    ctx.markDirty();
  }

  #purpose(p: InboundPayment): PaymentPurpose {
    return { kind: 'bolt11_invoice_payment', paymentSecret: p.paymentSecret, ...(p.preimage !== undefined && { paymentPreimage: p.preimage }) };
  }

  /** Claims a claimable payment (after PaymentClaimable); PaymentClaimed follows. */
  claimFunds(preimage: Uint8Array): void {
    const hash = sha256(preimage);
    const key = toHex(hash);
    const c = this.#claimable.get(key);
    if (c === undefined || !c.announced) throw new ApiError('invalid_argument', 'no claimable payment with this preimage');
    this.#claimable.delete(key);
    this.#claimed.add(key);
    for (const p of c.parts) this.#ctx.claimHtlc(p.channelId, p.htlcId, preimage);
    const inbound = this.#inbound.get(key);
    this.#ctx.emit({
      kind: 'payment_claimed',
      paymentHash: hash,
      amountMsat: c.parts.reduce((a, p) => a + p.amountMsat, 0n),
      purpose: inbound !== undefined ? this.#purpose(inbound) : { kind: 'spontaneous_payment', paymentPreimage: preimage },
      receiverNodeId: this.#ctx.ourNodeId,
      htlcs: c.parts.map((p) => ({ channelId: p.channelId, htlcId: p.htlcId, amountMsat: p.amountMsat, cltvExpiry: p.cltvExpiry })),
    });
  }

  /** Fails back a claimable payment (LDK's fail_htlc_backwards). */
  failHtlcBackwards(paymentHash: Uint8Array): void {
    const key = toHex(paymentHash);
    const c = this.#claimable.get(key);
    if (c === undefined) return;
    this.#failParts(c, FAILURE_CODES.incorrect_or_unknown_payment_details);
  }

  #failParts(c: Claimable, code: number): void {
    this.#claimable.delete(toHex(c.paymentHash));
    const height = this.#ctx.bestHeight();
    for (const p of c.parts) {
      const m: FailureMessage = code === FAILURE_CODES.incorrect_or_unknown_payment_details ? { name: 'incorrect_or_unknown_payment_details', htlcMsat: p.amountMsat, height } : failureOfCode(code);
      this.#ctx.failHtlc(p.channelId, p.htlcId, createFailurePacket(p.sharedSecret, encodeFailureMessage(m)));
    }
    this.#ctx.markDirty();
  }

  bestBlockUpdated(height: number): void {
    // Parts we still hold fail back before their expiry comes too close (LDK's HTLC_FAIL_BACK_BUFFER).
    for (const c of [...this.#claimable.values()]) {
      if (c.parts.some((p) => p.cltvExpiry <= height + HTLC_FAIL_BACK_BUFFER)) this.#failParts(c, FAILURE_CODES.incorrect_or_unknown_payment_details);
    }
  }

  timerTickOccurred(): void {
    for (const c of [...this.#claimable.values()]) {
      if (c.announced) continue;
      if (++c.ticks >= MPP_TIMEOUT_TICKS) this.#failParts(c, FAILURE_CODES.mpp_timeout);
    }
  }

  // ---- sending ------------------------------------------------------------

  /** Pays a directly connected peer over one of our channels with it (one-hop onion). */
  payDirect(p: DirectPayment): void {
    const ctx = this.#ctx;
    const key = toHex(p.paymentId);
    if (this.#outbound.has(key)) throw new ApiError('invalid_argument', 'a payment with this id exists already');
    const channel = ctx.usableChannelsWith(p.payee).find((c) => c.nextOutboundHtlcLimitMsat >= p.amountMsat && c.nextOutboundHtlcMinimumMsat <= p.amountMsat);
    if (channel === undefined) throw new ApiError('insufficient_funds', 'no channel with the payee can carry this amount now');
    const cltv = ctx.bestHeight() + p.minFinalCltvExpiryDelta + 1;
    const payload = encodeHopPayload({
      amtToForward: p.amountMsat,
      outgoingCltvValue: cltv,
      paymentData: { paymentSecret: p.paymentSecret, totalMsat: p.amountMsat },
      ...(p.paymentMetadata !== undefined && { paymentMetadata: p.paymentMetadata }),
    });
    const sessionKey = ctx.entropy.getSecureRandomBytes().slice(0, 32);
    const onion = buildOnionPacket(sessionKey, [{ publicKey: p.payee, payload }], p.paymentHash, { secp256k1: ctx.backend });
    const source: OutboundPaymentSource = {
      kind: 'outbound_payment',
      paymentId: p.paymentId,
      paymentHash: p.paymentHash,
      sessionKey,
      pathNodeIds: [p.payee],
      finalAmountMsat: p.amountMsat,
      totalAmountMsat: p.amountMsat,
    };
    ctx.addHtlc(channel.channelId, { amountMsat: p.amountMsat, paymentHash: p.paymentHash, cltvExpiry: cltv, onion: serializeOnionPacket(onion.packet), source: encodeHtlcSource(source) });
    this.#outbound.set(key, { paymentId: p.paymentId, paymentHash: p.paymentHash, status: 'pending' });
    ctx.markDirty();
  }

  outboundFulfilled(source: OutboundPaymentSource, preimage: Uint8Array): void {
    const o = this.#outbound.get(toHex(source.paymentId));
    // Fulfillments can be reported twice (a retransmitted update_fulfill_htlc, then the monitor): once is enough.
    if (o !== undefined && o.status === 'fulfilled') return;
    if (o !== undefined) o.status = 'fulfilled';
    this.#ctx.emit({ kind: 'payment_sent', paymentId: source.paymentId, paymentPreimage: preimage, paymentHash: source.paymentHash, feePaidMsat: source.totalAmountMsat - source.finalAmountMsat });
  }

  outboundFailed(source: OutboundPaymentSource, failure: HtlcFailure, info: OutboundHtlcInfo): void {
    const o = this.#outbound.get(toHex(source.paymentId));
    if (o !== undefined && o.status !== 'pending') return;
    if (o !== undefined) o.status = 'failed';
    let failureCode: number | undefined;
    let erringNodeId: NodeId | undefined;
    if (failure.kind === 'fail') {
      try {
        const secrets = deriveSharedSecrets(source.sessionKey, source.pathNodeIds, this.#ctx.backend).sharedSecrets;
        const d = decryptFailurePacket(secrets, failure.reason);
        const m = decodeFailureMessage(d.failureMessage);
        failureCode = m.name === 'unknown' ? m.code : FAILURE_CODES[m.name];
        erringNodeId = source.pathNodeIds[d.hopIndex] as NodeId | undefined;
      } catch (e) {
        this.#ctx.log('info', `undecryptable failure for payment ${toHex(source.paymentId)}: ${String(e)}`);
      }
    } else if (failure.kind === 'malformed') failureCode = failure.failureCode;
    else if (failure.kind === 'local') failureCode = failure.failureCode;
    const permanent = failureCode !== undefined && (failureCode & 0x4000) !== 0;
    this.#ctx.emit({
      kind: 'payment_path_failed',
      paymentId: source.paymentId,
      paymentHash: source.paymentHash,
      paymentFailedPermanently: permanent,
      failure: failure.kind === 'local' ? { kind: 'initial_send', error: failure.reason } : { kind: 'on_path', ...(failureCode !== undefined && { failureCode }), ...(erringNodeId !== undefined && { erringNodeId }) },
    });
    this.#ctx.emit({ kind: 'payment_failed', paymentId: source.paymentId, paymentHash: source.paymentHash, reason: failureCode === undefined ? failure.kind : (failureNameOf(failureCode) ?? `code ${failureCode}`) });
    void info;
  }

  // ---- persistence ----------------------------------------------------------

  write(): Uint8Array {
    const w = new Writer(256).u8(1);
    w.u32(this.#inbound.size);
    for (const p of this.#inbound.values()) {
      w.fixed(p.paymentHash, 32, 'hash').fixed(p.paymentSecret, 32, 'secret');
      writeOpt(w, p.preimage);
      w.u8(p.amountMsat === undefined ? 0 : 1);
      if (p.amountMsat !== undefined) w.u64(p.amountMsat);
      w.u64(BigInt(p.expiresAt)).u16(p.minFinalCltvExpiryDelta);
    }
    w.u32(this.#claimable.size);
    for (const c of this.#claimable.values()) {
      w.fixed(c.paymentHash, 32, 'hash').u64(c.totalMsat).u8(c.announced ? 1 : 0).u16(Math.min(c.ticks, 0xffff));
      w.u32(c.parts.length);
      for (const p of c.parts) w.fixed(p.channelId, 32, 'channel').fixed(p.counterpartyNodeId, 33, 'node').u64(p.htlcId).u64(p.amountMsat).u32(p.cltvExpiry).fixed(p.sharedSecret, 32, 'ss');
    }
    w.u32(this.#outbound.size);
    for (const o of this.#outbound.values()) w.fixed(o.paymentId, 32, 'id').fixed(o.paymentHash, 32, 'hash').u8(o.status === 'pending' ? 0 : o.status === 'fulfilled' ? 1 : 2);
    w.u32(this.#claimed.size);
    for (const k of this.#claimed) w.fixed(fromHexKey(k), 32, 'claimed');
    return w.finish().slice();
  }

  #read(bytes: Uint8Array): void {
    try {
      const r = new Reader(bytes);
      if (r.u8() !== 1) throw new ChannelError('invalid_data', 'unknown payment state version');
      for (let n = r.u32(); n > 0; n--) {
        const paymentHash = r.bytes(32).slice();
        const paymentSecret = r.bytes(32).slice();
        const preimage = readOpt(r);
        const amountMsat = r.u8() === 1 ? r.u64() : undefined;
        const expiresAt = Number(r.u64());
        const minFinalCltvExpiryDelta = r.u16();
        this.#inbound.set(toHex(paymentHash), {
          paymentHash,
          paymentSecret,
          ...(preimage !== undefined && { preimage }),
          ...(amountMsat !== undefined && { amountMsat }),
          expiresAt,
          minFinalCltvExpiryDelta,
        });
      }
      for (let n = r.u32(); n > 0; n--) {
        const paymentHash = r.bytes(32).slice();
        const totalMsat = r.u64();
        const announced = r.u8() === 1;
        const ticks = r.u16();
        const parts: ClaimablePart[] = [];
        for (let m = r.u32(); m > 0; m--) {
          parts.push({
            channelId: r.bytes(32).slice() as ChannelId,
            counterpartyNodeId: r.bytes(33).slice() as NodeId,
            htlcId: r.u64(),
            amountMsat: r.u64(),
            cltvExpiry: r.u32(),
            sharedSecret: r.bytes(32).slice(),
          });
        }
        this.#claimable.set(toHex(paymentHash), { paymentHash, totalMsat, parts, announced, ticks });
      }
      for (let n = r.u32(); n > 0; n--) {
        const paymentId = r.bytes(32).slice();
        const paymentHash = r.bytes(32).slice();
        const st = r.u8();
        this.#outbound.set(toHex(paymentId), { paymentId, paymentHash, status: st === 0 ? 'pending' : st === 1 ? 'fulfilled' : 'failed' });
      }
      for (let n = r.u32(); n > 0; n--) this.#claimed.add(toHex(r.bytes(32)));
      r.end('payment state');
    } catch (cause) {
      if (cause instanceof ChannelError) throw cause;
      throw new ChannelError('invalid_data', 'malformed payment state', { cause });
    }
  }

  /** Payment ids we sent and their status (for tests and listPayments-like views). */
  outboundStatus(paymentId: Uint8Array): 'pending' | 'fulfilled' | 'failed' | undefined {
    return this.#outbound.get(toHex(paymentId))?.status;
  }
}

function writeOpt(w: Writer, b: Uint8Array | undefined): void {
  w.u8(b === undefined ? 0 : 1);
  if (b !== undefined) w.fixed(b, 32, 'bytes32');
}

function readOpt(r: Reader): Uint8Array | undefined {
  return r.u8() === 1 ? r.bytes(32).slice() : undefined;
}

function fromHexKey(k: string): Uint8Array {
  const out = new Uint8Array(k.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(k.slice(i * 2, i * 2 + 2), 16);
  return out;
}
