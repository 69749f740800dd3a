import { sha256 } from 'ln-crypto';
import { equalBytes, equalBytesConstantTime, toHex, type NodeId } from 'ln-types';
import type { TlvRecord } from 'ln-wire';
import { decoding, invalid, readCount, readFixed, readOptionalBytes, Reader, readVersion, writeOptionalBytes, writer, type Writer } from './binary.js';
import { HTLC_FAIL_BACK_BUFFER, MPP_TIMEOUT_TICKS } from './constants.js';
import { PaymentError } from './errors.js';
import type { PaymentClaimableEvent, PaymentClaimedEvent, PaymentPurpose } from './events.js';
import type { HtlcFailReason } from './fail-back.js';
import { readPrevHop, writePrevHop, type PrevHop } from './htlc-source.js';
import type { AcceptedPart } from './receive-checks.js';

/** One HTLC of a payment to us. */
export interface ClaimableHtlc {
  readonly prev: PrevHop;
  readonly senderIntendedValueMsat: bigint;
  readonly totalMsat: bigint;
}

/** A payment to us, from its first part to its claim. */
interface ClaimablePayment {
  readonly paymentHash: Uint8Array;
  readonly purpose: PaymentPurpose;
  readonly paymentMetadata?: Uint8Array;
  readonly customRecords: readonly TlvRecord[];
  readonly htlcs: ClaimableHtlc[];
  /** collecting: waiting for parts; claimable: PaymentClaimable sent; claiming: the user claimed, parts being settled. */
  state: 'collecting' | 'claimable' | 'claiming';
  ticks: number;
  /** Parts whose claim is durable (state claiming). */
  claimed: Set<string>;
  preimage?: Uint8Array;
}

/** An incoming HTLC to fail back, and why. */
export interface FailBack {
  readonly prev: PrevHop;
  readonly reason: HtlcFailReason;
  readonly paymentHash: Uint8Array;
}

/** An incoming HTLC to fulfill with a preimage. */
export interface ClaimHtlc {
  readonly prev: PrevHop;
  readonly paymentHash: Uint8Array;
  readonly preimage: Uint8Array;
}

/** What a step of the receive state machine asks the manager to do. */
export interface ClaimableActions {
  readonly fail: FailBack[];
  readonly events: (PaymentClaimableEvent | PaymentClaimedEvent)[];
}

const htlcKey = (p: PrevHop): string => `${toHex(p.channelId)}:${p.htlcId}`;
const unknownDetails = (prev: PrevHop, height: number): HtlcFailReason => ({
  kind: 'local',
  failure: { name: 'incorrect_or_unknown_payment_details', htlcMsat: prev.amountMsat, height },
});

function samePurpose(a: PaymentPurpose, b: PaymentPurpose): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'bolt11_invoice_payment' && b.kind === 'bolt11_invoice_payment') return equalBytesConstantTime(a.paymentSecret, b.paymentSecret);
  return true;
}

/**
 * Payments to us being collected (multi-part: parts gathered by payment hash
 * until they reach total_msat, or failed with mpp_timeout after
 * MPP_TIMEOUT_TICKS timer ticks), claimable (PaymentClaimable emitted), and
 * being claimed (PaymentClaimed once every part's claim is durable). It holds
 * state only; the manager performs the fulfills and fails it returns.
 */
export class ClaimablePayments {
  readonly #payments = new Map<string, ClaimablePayment>();
  readonly #nodeId: NodeId;

  /** `nodeId`: ours (named in the events). */
  constructor(nodeId: NodeId) {
    this.#nodeId = nodeId;
  }

  /** Number of payments held (any state). */
  get size(): number {
    return this.#payments.size;
  }

  /**
   * Adds an accepted HTLC to its payment. Returns the fails (this part or,
   * never, others) and the PaymentClaimable event when the total is reached.
   * The same HTLC given twice (a replay after restart) is ignored.
   */
  addPart(paymentHash: Uint8Array, prev: PrevHop, part: AcceptedPart, height: number): ClaimableActions {
    const key = toHex(paymentHash);
    const existing = this.#payments.get(key);
    const htlc: ClaimableHtlc = { prev, senderIntendedValueMsat: part.senderIntendedValueMsat, totalMsat: part.totalMsat };
    const refuse = (): ClaimableActions => ({ fail: [{ prev, reason: unknownDetails(prev, height), paymentHash }], events: [] });
    if (existing !== undefined) {
      if (existing.htlcs.some((h) => htlcKey(h.prev) === htlcKey(prev))) return { fail: [], events: [] };
      if (existing.state !== 'collecting') return refuse();
      if (!samePurpose(existing.purpose, part.purpose)) return refuse();
      if (existing.htlcs[0]!.totalMsat !== part.totalMsat) return refuse();
      // A keysend without payment_data is single-part: a second HTLC is a duplicate.
      if (part.purpose.kind === 'spontaneous_payment' && part.totalMsat === part.senderIntendedValueMsat) return refuse();
      existing.htlcs.push(htlc);
      return this.#completeIfReached(existing, height);
    }
    const payment: ClaimablePayment = {
      paymentHash: paymentHash.slice(),
      purpose: part.purpose,
      ...(part.paymentMetadata !== undefined && { paymentMetadata: part.paymentMetadata }),
      customRecords: part.customRecords,
      htlcs: [htlc],
      state: 'collecting',
      ticks: 0,
      claimed: new Set(),
    };
    this.#payments.set(key, payment);
    return this.#completeIfReached(payment, height);
  }

  #completeIfReached(p: ClaimablePayment, height: number): ClaimableActions {
    const total = p.htlcs[0]!.totalMsat;
    const sum = p.htlcs.reduce((s, h) => s + h.senderIntendedValueMsat, 0n);
    if (sum < total) return { fail: [], events: [] };
    p.state = 'claimable';
    return { fail: [], events: [this.#claimableEvent(p, height)] };
  }

  #claimableEvent(p: ClaimablePayment, _height: number): PaymentClaimableEvent {
    const secret = p.purpose.kind === 'bolt11_invoice_payment' ? p.purpose.paymentSecret : undefined;
    const channels = new Map(p.htlcs.map((h) => [toHex(h.prev.channelId), h.prev.channelId]));
    return {
      kind: 'payment_claimable',
      paymentHash: p.paymentHash,
      amountMsat: p.htlcs.reduce((s, h) => s + h.prev.amountMsat, 0n),
      purpose: p.purpose,
      onionFields: {
        ...(secret !== undefined && { paymentSecret: secret }),
        ...(p.paymentMetadata !== undefined && { paymentMetadata: p.paymentMetadata }),
        customRecords: p.customRecords,
      },
      receiverNodeId: this.#nodeId,
      viaChannelId: p.htlcs[0]!.prev.channelId,
      viaChannelIds: [...channels.values()],
      claimDeadline: Math.min(...p.htlcs.map((h) => h.prev.cltvExpiry)) - HTLC_FAIL_BACK_BUFFER,
    };
  }

  /**
   * The user claims with the preimage: returns the HTLCs to fulfill. The
   * payment must be claimable (all parts in).
   * @throws PaymentError `unknown_payment` (no claimable payment with that hash), `invalid_state` (already being claimed)
   */
  claim(preimage: Uint8Array): ClaimHtlc[] {
    if (!(preimage instanceof Uint8Array) || preimage.length !== 32) throw new PaymentError('invalid_length', 'a preimage is 32 bytes');
    const paymentHash = sha256(preimage);
    const p = this.#payments.get(toHex(paymentHash));
    if (p === undefined || p.state === 'collecting') throw new PaymentError('unknown_payment', 'no claimable payment for that preimage');
    if (p.state === 'claiming') throw new PaymentError('invalid_state', 'the payment is already being claimed');
    p.state = 'claiming';
    p.preimage = preimage.slice();
    return p.htlcs.map((h) => ({ prev: h.prev, paymentHash, preimage: p.preimage! }));
  }

  /**
   * One part's claim is durable (the preimage is in its channel's monitor).
   * Returns PaymentClaimed when it was the last.
   */
  partClaimed(paymentHash: Uint8Array, prev: PrevHop): PaymentClaimedEvent | undefined {
    const key = toHex(paymentHash);
    const p = this.#payments.get(key);
    if (p === undefined || p.state !== 'claiming') return undefined;
    const k = htlcKey(prev);
    if (!p.htlcs.some((h) => htlcKey(h.prev) === k)) return undefined;
    p.claimed.add(k);
    if (p.claimed.size < p.htlcs.length) return undefined;
    this.#payments.delete(key);
    return {
      kind: 'payment_claimed',
      paymentHash: p.paymentHash,
      amountMsat: p.htlcs.reduce((s, h) => s + h.prev.amountMsat, 0n),
      purpose: p.purpose,
      receiverNodeId: this.#nodeId,
      htlcs: p.htlcs.map((h) => ({ channelId: h.prev.channelId, htlcId: h.prev.htlcId, amountMsat: h.prev.amountMsat, cltvExpiry: h.prev.cltvExpiry })),
      senderIntendedTotalMsat: p.htlcs[0]!.totalMsat,
    };
  }

  /** The claims still to settle (after a restart: hand them to the channels again). */
  pendingClaims(): ClaimHtlc[] {
    const out: ClaimHtlc[] = [];
    for (const p of this.#payments.values()) {
      if (p.state !== 'claiming') continue;
      for (const h of p.htlcs) if (!p.claimed.has(htlcKey(h.prev))) out.push({ prev: h.prev, paymentHash: p.paymentHash, preimage: p.preimage! });
    }
    return out;
  }

  /**
   * The user refuses a payment (failHtlcBackwards): every part is failed with
   * incorrect_or_unknown_payment_details. Returns nothing for an unknown hash
   * or a payment already being claimed.
   */
  failPayment(paymentHash: Uint8Array, height: number): FailBack[] {
    const key = toHex(paymentHash);
    const p = this.#payments.get(key);
    if (p === undefined || p.state === 'claiming') return [];
    this.#payments.delete(key);
    return p.htlcs.map((h) => ({ prev: h.prev, reason: unknownDetails(h.prev, height), paymentHash: p.paymentHash }));
  }

  /** A timer tick: incomplete payments age; after MPP_TIMEOUT_TICKS their parts fail with mpp_timeout. */
  timerTick(): FailBack[] {
    const out: FailBack[] = [];
    for (const [key, p] of this.#payments) {
      if (p.state !== 'collecting') continue;
      p.ticks++;
      if (p.ticks < MPP_TIMEOUT_TICKS) continue;
      this.#payments.delete(key);
      for (const h of p.htlcs) out.push({ prev: h.prev, reason: { kind: 'local', failure: { name: 'mpp_timeout' } }, paymentHash: p.paymentHash });
    }
    return out;
  }

  /**
   * A new best height: payments not yet claimed whose earliest HTLC expires
   * within HTLC_FAIL_BACK_BUFFER blocks are failed back, before the channel
   * would have to go on chain for them.
   */
  bestBlockUpdated(height: number): FailBack[] {
    const out: FailBack[] = [];
    for (const [key, p] of this.#payments) {
      if (p.state === 'claiming') continue;
      if (!p.htlcs.some((h) => h.prev.cltvExpiry <= height + HTLC_FAIL_BACK_BUFFER)) continue;
      this.#payments.delete(key);
      for (const h of p.htlcs) out.push({ prev: h.prev, reason: unknownDetails(h.prev, height), paymentHash: p.paymentHash });
    }
    return out;
  }

  /** The claimable (not yet claimed) payment for a hash, as its event, or undefined. */
  claimable(paymentHash: Uint8Array): PaymentClaimableEvent | undefined {
    const p = this.#payments.get(toHex(paymentHash));
    return p === undefined || p.state !== 'claimable' ? undefined : this.#claimableEvent(p, 0);
  }

  /** True when an HTLC (by incoming channel and id) is held here. */
  holds(prev: Pick<PrevHop, 'channelId' | 'htlcId'>): boolean {
    const k = `${toHex(prev.channelId)}:${prev.htlcId}`;
    for (const p of this.#payments.values()) if (p.htlcs.some((h) => htlcKey(h.prev) === k)) return true;
    return false;
  }

  /** Serializes every payment (versioned). */
  write(w: Writer): void {
    w.u8(STATE_VERSION).bigSize(this.#payments.size);
    for (const p of this.#payments.values()) {
      w.fixed(p.paymentHash, 32, 'payment hash');
      writePurpose(w, p.purpose);
      writeOptionalBytes(w, p.paymentMetadata);
      w.bigSize(p.customRecords.length);
      for (const r of p.customRecords) w.bigSize(r.type).u16Bytes(r.value);
      w.bigSize(p.htlcs.length);
      for (const h of p.htlcs) {
        writePrevHop(w, h.prev);
        w.u64(h.senderIntendedValueMsat).u64(h.totalMsat).u8(p.claimed.has(htlcKey(h.prev)) ? 1 : 0);
      }
      w.u8(['collecting', 'claimable', 'claiming'].indexOf(p.state)).u8(Math.min(p.ticks, 255));
      writeOptionalBytes(w, p.preimage);
    }
  }

  /** Reads what {@link write} wrote. @throws PaymentError `invalid_data`, `unsupported_version` */
  static read(r: Reader, nodeId: NodeId): ClaimablePayments {
    readVersion(r, STATE_VERSION, 'claimable payments');
    const out = new ClaimablePayments(nodeId);
    const n = readCount(r, 1_000_000, 'claimable payments');
    for (let i = 0; i < n; i++) {
      const paymentHash = readFixed(r, 32, 'payment hash');
      const purpose = readPurpose(r);
      const paymentMetadata = readOptionalBytes(r, 'metadata');
      const nr = readCount(r, 10_000, 'custom records');
      const customRecords: TlvRecord[] = [];
      for (let j = 0; j < nr; j++) customRecords.push({ type: r.bigSize('record type'), value: r.u16Bytes('record').slice() });
      const nh = readCount(r, 10_000, 'htlcs');
      if (nh === 0) invalid('a claimable payment has at least one HTLC');
      const htlcs: ClaimableHtlc[] = [];
      const claimed = new Set<string>();
      for (let j = 0; j < nh; j++) {
        const prev = readPrevHop(r);
        htlcs.push({ prev, senderIntendedValueMsat: r.u64('intended'), totalMsat: r.u64('total') });
        if (r.u8('claimed') === 1) claimed.add(htlcKey(prev));
      }
      const state = (['collecting', 'claimable', 'claiming'] as const)[r.u8('state')] ?? invalid('unknown claimable state');
      const ticks = r.u8('ticks');
      const preimage = readOptionalBytes(r, 'preimage');
      if (state === 'claiming' && (preimage === undefined || !equalBytes(sha256(preimage), paymentHash))) invalid('a payment being claimed needs its preimage');
      out.#payments.set(toHex(paymentHash), {
        paymentHash,
        purpose,
        ...(paymentMetadata !== undefined && { paymentMetadata }),
        customRecords,
        htlcs,
        state,
        ticks,
        claimed,
        ...(preimage !== undefined && { preimage }),
      });
    }
    return out;
  }

  /** The bytes of the whole state. */
  encode(): Uint8Array {
    const w = writer();
    this.write(w);
    return w.finish().slice();
  }

  /** Reads {@link encode}'s bytes. */
  static decode(bytes: Uint8Array, nodeId: NodeId): ClaimablePayments {
    return decoding('claimable payments', () => {
      const r = new Reader(bytes);
      const c = ClaimablePayments.read(r, nodeId);
      r.end('claimable payments');
      return c;
    });
  }
}

const STATE_VERSION = 1;

function writePurpose(w: Writer, p: PaymentPurpose): void {
  if (p.kind === 'bolt11_invoice_payment') {
    w.u8(0).fixed(p.paymentSecret, 32, 'payment secret');
    writeOptionalBytes(w, p.paymentPreimage);
  } else {
    w.u8(1).fixed(p.paymentPreimage, 32, 'preimage');
  }
}

function readPurpose(r: Reader): PaymentPurpose {
  const k = r.u8('purpose');
  if (k === 0) {
    const paymentSecret = readFixed(r, 32, 'payment secret');
    const paymentPreimage = readOptionalBytes(r, 'preimage');
    if (paymentPreimage !== undefined && paymentPreimage.length !== 32) invalid('preimage of the wrong length');
    return paymentPreimage === undefined ? { kind: 'bolt11_invoice_payment', paymentSecret } : { kind: 'bolt11_invoice_payment', paymentSecret, paymentPreimage };
  }
  if (k === 1) return { kind: 'spontaneous_payment', paymentPreimage: readFixed(r, 32, 'preimage') };
  return invalid(`unknown purpose ${k}`);
}
