import { defaultSecp256k1, sha256, type Secp256k1Backend } from 'ln-crypto';
import type { InvoiceCurrency } from 'ln-invoice';
import type { FailureMessage } from 'ln-onion';
import { paymentParametersForNode, type BlindedPaymentPath, type FirstHop, type Path, type RouteParameters, type Router, type ScoreUpdate } from 'ln-router-api';
import type { EntropySource, NodeSigner } from 'ln-signer-api';
import { concatBytes, equalBytes, fromHex, isLogEnabled, toHex, u64ToBytes, type ChannelId, type Logger, type NodeId, type ShortChannelId } from 'ln-types';
import { FEATURES, isFeatureBitSet, type TlvRecord } from 'ln-wire';
import { decoding, readCount, readFixed, readOptionalBytes, Reader, readVersion, writeOptionalBytes, writer } from './binary.js';
import { ClaimablePayments, type FailBack } from './claimable.js';
import { CLTV_FAR_FAR_AWAY, HTLC_FAIL_BACK_BUFFER, MIN_FINAL_CLTV_EXPIRY_DELTA } from './constants.js';
import { createBlindedReceivePath, type BlindedPathHop } from './blinded-receive.js';
import { PaymentError } from './errors.js';
import type { HtlcDestination, PaymentEvent } from './events.js';
import { failureForUpstream, fulfillAttribution, type HtlcFailReason, type UpstreamFailure } from './fail-back.js';
import { checkForward, type ForwardingPolicy, type OutgoingChannel } from './forward-checks.js';
import { decodeHtlcSource, encodeHtlcSource, readPrevHop, writePrevHop, type HtlcSource, type PrevHop } from './htlc-source.js';
import { createInboundPayment, createInboundPaymentForHash, expandInboundPaymentKeys, type InboundPayment, type InboundPaymentKeys } from './inbound-payment.js';
import { isInterceptScid, makeInterceptScid } from './intercept.js';
import { createInvoice, type CreatedInvoice, type CreateInvoiceParams } from './invoice.js';
import { planInvoicePayment, type InvoicePaymentOptions } from './invoice-payer.js';
import type { OutboundFailure } from './failure-decode.js';
import { OutboundPayments, type OutboundHtlc, type PaymentDetails, type RetryStrategy, type RoutingEnv } from './outbound.js';
import type { RecipientFields } from './outbound-onion.js';
import { peelIncomingHtlc, type PeeledHtlc } from './peel.js';
import { checkReceive } from './receive-checks.js';
import type { InvoiceChannel } from './route-hints.js';

/** One of our channels as the payment logic sees it (the manager's view, refreshed on every call). */
export interface PaymentChannel {
  readonly channelId: ChannelId;
  readonly counterpartyNodeId: NodeId;
  /** The confirmed scid, once there is one. */
  readonly shortChannelId?: ShortChannelId;
  /** The alias we gave the peer (onions naming it reach this channel). */
  readonly outboundScidAlias?: ShortChannelId;
  /** The alias the peer gave us (what our invoices' hints name for an unannounced channel). */
  readonly inboundScidAlias?: ShortChannelId;
  readonly isPublic: boolean;
  /** Ready and the peer connected (updates can flow). */
  readonly isUsable: boolean;
  /** Our channel_update for it says disabled. */
  readonly disabled?: boolean;
  /** The largest and smallest HTLC we can add now. */
  readonly nextOutboundHtlcLimitMsat: bigint;
  readonly nextOutboundHtlcMinimumMsat: bigint;
  /** What the peer can send us now. */
  readonly inboundCapacityMsat: bigint;
  /** Our forwarding policy over it. */
  readonly forwardingPolicy: ForwardingPolicy;
  /** The peer's policy towards us (for invoice hints). */
  readonly counterpartyForwarding?: { readonly feeBaseMsat: number; readonly feeProportionalMillionths: number; readonly cltvExpiryDelta: number };
  readonly counterpartyFeatures: Uint8Array;
  readonly channelFeatures: Uint8Array;
  /** Our channel_update with `scid` in it, as failures carry it (type prefix included); absent: none is sent. */
  channelUpdate?(scid: ShortChannelId): Uint8Array | undefined;
}

/** An HTLC for the manager to add. */
export interface HtlcAdd {
  readonly amountMsat: bigint;
  readonly paymentHash: Uint8Array;
  readonly cltvExpiry: number;
  readonly onion: Uint8Array;
  /** update_add_htlc's path_key (blinded routes). */
  readonly pathKey?: Uint8Array;
  /** The HtlcSource bytes to keep with the HTLC (and in its monitor). */
  readonly source: Uint8Array;
}

/** Whether the channel took the HTLC (it is then committed and will end in outboundFulfilled/outboundFailed). */
export type AddHtlcResult = { readonly ok: true } | { readonly ok: false; readonly error: string };

/**
 * The manager's HTLC primitives, as the payment logic uses them. claimHtlc
 * resolves once the claim is durable (the preimage in the channel's monitor).
 */
export interface PaymentHost {
  channels(): readonly PaymentChannel[];
  addHtlc(channelId: ChannelId, add: HtlcAdd): AddHtlcResult | Promise<AddHtlcResult>;
  claimHtlc(channelId: ChannelId, htlcId: bigint, preimage: Uint8Array, attributionData?: Uint8Array): void | Promise<void>;
  failHtlc(channelId: ChannelId, htlcId: bigint, failure: UpstreamFailure): void | Promise<void>;
  /** A payment event for the user (queued with the manager's own). */
  emit(event: PaymentEvent): void;
}

/** An incoming HTLC irrevocably committed in both commitments. */
export interface LockedInHtlc {
  readonly channelId: ChannelId;
  readonly counterpartyNodeId: NodeId;
  /** The incoming channel's scid (for events), when it has one. */
  readonly shortChannelId?: ShortChannelId;
  readonly htlcId: bigint;
  readonly amountMsat: bigint;
  readonly paymentHash: Uint8Array;
  readonly cltvExpiry: number;
  readonly onion: Uint8Array;
  readonly pathKey?: Uint8Array;
}

/** How an HTLC we offered ended without a preimage. */
export type OfferedHtlcFailure =
  | { readonly kind: 'fail'; readonly reason: Uint8Array; readonly attributionData?: Uint8Array }
  | { readonly kind: 'malformed'; readonly failureCode: number; readonly sha256OfOnion: Uint8Array }
  /** Dropped before it was committed (the channel closed, a local check). */
  | { readonly kind: 'local'; readonly reason: string }
  /** Timed out on chain. */
  | { readonly kind: 'on_chain' };

/** Where an HTLC we offered was (for events). */
export interface OfferedHtlcInfo {
  readonly channelId: ChannelId;
  readonly counterpartyNodeId: NodeId;
  /** Settled by a transaction rather than a message. */
  readonly onChain?: boolean;
}

/** Options of {@link PaymentEngine}. */
export interface PaymentEngineOptions {
  readonly nodeSigner: NodeSigner;
  readonly entropy: EntropySource;
  readonly router: Router;
  readonly host: PaymentHost;
  /** The invoice currency of our network. */
  readonly currency: InvoiceCurrency;
  /** Told about path outcomes (a remote router's client can pass them to its server). */
  readonly scorer?: ScoreUpdate;
  readonly secp256k1?: Secp256k1Backend;
  /** Accept keysend payments (default true). */
  readonly acceptKeysend?: boolean;
  /** Hold HTLCs to our intercept scids for the user (default false: they fail as unknown_next_peer). */
  readonly acceptInterceptHtlcs?: boolean;
  /**
   * Forward over unannounced channels (default false, as LDK: a node that is
   * not reliably online should not take forwarding risk for its private peers).
   */
  readonly acceptForwardsToPrivateChannels?: boolean;
  readonly logger?: Logger;
}

/** An HTLC held for the user (forward_intercepted). */
interface Intercepted {
  readonly interceptId: Uint8Array;
  readonly prev: PrevHop;
  readonly paymentHash: Uint8Array;
  readonly requestedScid: ShortChannelId;
  readonly amountToForwardMsat: bigint;
  readonly outgoingCltvValue: number;
  readonly onion: Uint8Array;
  readonly pathKey?: Uint8Array;
}

/** What paying with an explicit route parameters set needs. */
export interface SendPaymentArgs {
  readonly paymentId: Uint8Array;
  readonly paymentHash: Uint8Array;
  readonly recipient: RecipientFields;
  readonly routeParams: RouteParameters;
  readonly retry: RetryStrategy;
  readonly expiresAt?: number;
  /** Leave over this channel only (LDK's first_hops override; retries too). */
  readonly firstHopChannelId?: ChannelId;
}

const ENGINE_VERSION = 1;

/**
 * The payment logic of ChannelManager (issue 15): receives (peels, checks,
 * gathers multi-part payments, claims), forwards (checks against our policy,
 * relays failures and preimages back), sends (routes through the Router
 * contract, retries, probes) and intercepts. The manager calls it when an
 * incoming HTLC is locked in, when an HTLC it offered ends, on blocks and
 * timer ticks; it answers through the manager's HTLC primitives (PaymentHost).
 */
export class PaymentEngine {
  readonly #o: PaymentEngineOptions;
  readonly #secp: Secp256k1Backend;
  readonly #keys: InboundPaymentKeys;
  readonly #interceptKey: Uint8Array;
  #outbound: OutboundPayments;
  #claimables: ClaimablePayments;
  readonly #intercepted = new Map<string, Intercepted>();
  #height = 0;
  #timestamp = 0;
  readonly #work = new Set<Promise<unknown>>();
  #retrying: Promise<void> | undefined;
  #retryAgain = false;
  /**
   * Incoming HTLCs handed to htlcLockedIn and possibly not decided in their
   * channel yet (persisted: after a restart they are decided again). Pruned
   * against the HTLCs still committed (pruneUndecided).
   */
  readonly #undecided = new Set<string>();
  /** Forwards whose preimage went upstream lately: a second report (from a monitor, on restart) claims again but emits nothing. */
  readonly #claimedForwards = new Set<string>();

  constructor(options: PaymentEngineOptions, restored?: { interceptKey: Uint8Array; outbound: OutboundPayments; claimables: ClaimablePayments; height: number; timestamp: number }) {
    this.#o = options;
    this.#secp = options.secp256k1 ?? defaultSecp256k1;
    this.#keys = expandInboundPaymentKeys(options.nodeSigner.getInboundPaymentKeyMaterial());
    this.#interceptKey = restored?.interceptKey ?? options.entropy.getSecureRandomBytes().slice(0, 32);
    this.#outbound = restored?.outbound ?? this.#newOutbound();
    this.#claimables = restored?.claimables ?? new ClaimablePayments(options.nodeSigner.getNodeId());
    this.#height = restored?.height ?? 0;
    this.#timestamp = restored?.timestamp ?? 0;
  }

  #newOutbound(cookie?: Uint8Array): OutboundPayments {
    return new OutboundPayments({
      entropy: this.#o.entropy,
      secp256k1: this.#secp,
      ...(this.#o.scorer !== undefined && { scorer: this.#o.scorer }),
      ...(cookie !== undefined && { probingCookie: cookie }),
    });
  }

  get #nowMs(): number | undefined {
    return this.#timestamp > 0 ? this.#timestamp * 1000 : undefined;
  }

  /** The best block height the engine knows. */
  get height(): number {
    return this.#height;
  }

  /** Resolves when no background work (HTLC decisions, retries) is left. */
  async idle(): Promise<void> {
    while (this.#work.size > 0) await Promise.allSettled([...this.#work]);
  }

  #track<T>(p: Promise<T>): Promise<T> {
    this.#work.add(p);
    void p.finally(() => this.#work.delete(p)).catch(() => undefined);
    return p;
  }

  #emit(events: readonly PaymentEvent[]): void {
    for (const e of events) this.#o.host.emit(e);
  }

  #log(level: 'debug' | 'info' | 'warn', message: string, fields?: Record<string, unknown>): void {
    const logger = this.#o.logger;
    if (logger === undefined || !isLogEnabled(logger, level)) return;
    logger.log({ level, message, module: 'ln-channel/payments', ...(fields !== undefined && { fields }) });
  }

  // ---- channels -------------------------------------------------------------------------------

  #channelByScid(scid: ShortChannelId): PaymentChannel | undefined {
    return this.#o.host.channels().find((c) => c.shortChannelId === scid || c.outboundScidAlias === scid);
  }

  #outgoing(c: PaymentChannel | undefined, scid: ShortChannelId | undefined): OutgoingChannel | undefined {
    if (c === undefined) return undefined;
    const named = scid ?? c.shortChannelId ?? c.outboundScidAlias;
    const update = named === undefined ? undefined : c.channelUpdate?.(named);
    return {
      channelId: c.channelId,
      counterpartyNodeId: c.counterpartyNodeId,
      shortChannelId: named ?? (0n as ShortChannelId),
      usable: c.isUsable,
      ...(c.disabled !== undefined && { disabled: c.disabled }),
      policy: c.forwardingPolicy,
      ...(update !== undefined && { channelUpdate: update }),
    };
  }

  /** Our usable channels as the router's first hops. */
  firstHops(): FirstHop[] {
    const out: FirstHop[] = [];
    for (const c of this.#o.host.channels()) {
      const scid = c.shortChannelId ?? c.outboundScidAlias;
      if (!c.isUsable || scid === undefined) continue;
      out.push({
        counterpartyNodeId: c.counterpartyNodeId,
        shortChannelId: scid,
        nextOutboundHtlcLimitMsat: c.nextOutboundHtlcLimitMsat,
        nextOutboundHtlcMinimumMsat: c.nextOutboundHtlcMinimumMsat,
        counterpartyFeatures: c.counterpartyFeatures,
        channelFeatures: c.channelFeatures,
      });
    }
    return out;
  }

  #env(onlyChannel?: ChannelId): RoutingEnv {
    let firstHops = this.firstHops();
    if (onlyChannel !== undefined) {
      const c = this.#o.host.channels().find((x) => equalBytes(x.channelId, onlyChannel));
      const scid = c?.shortChannelId ?? c?.outboundScidAlias;
      firstHops = firstHops.filter((h) => h.shortChannelId === scid);
    }
    return { payer: this.#o.nodeSigner.getNodeId(), router: this.#o.router, firstHops, height: this.#height, ...(this.#timestamp > 0 && { nowSeconds: this.#timestamp }) };
  }

  // ---- receiving and forwarding ------------------------------------------------------------------

  /**
   * An incoming HTLC is irrevocably committed: peel its onion and forward,
   * receive or fail it. Each call ends in exactly one claim or fail of it (now,
   * or later for held HTLCs). Calling it again for an HTLC already held is a no-op.
   */
  htlcLockedIn(htlc: LockedInHtlc): Promise<void> {
    this.#undecided.add(`${toHex(htlc.channelId)}:${htlc.htlcId}`);
    return this.#track(this.#lockedIn(htlc));
  }

  /** True when an incoming HTLC was handed to htlcLockedIn and may still wait for its decision in its channel. */
  isUndecided(channelId: ChannelId, htlcId: bigint): boolean {
    return this.#undecided.has(`${toHex(channelId)}:${htlcId}`);
  }

  /** Forgets the HTLCs no longer committed (`committed`: keys `channel id hex:htlc id` of the incoming HTLCs still committed and not being removed). */
  pruneUndecided(committed: ReadonlySet<string>): void {
    for (const k of this.#undecided) if (!committed.has(k)) this.#undecided.delete(k);
  }

  async #lockedIn(htlc: LockedInHtlc): Promise<void> {
    if (this.#claimables.holds({ channelId: htlc.channelId, htlcId: htlc.htlcId })) return;
    for (const i of this.#intercepted.values()) if (equalBytes(i.prev.channelId, htlc.channelId) && i.prev.htlcId === htlc.htlcId) return;
    const peeled = await peelIncomingHtlc(
      { amountMsat: htlc.amountMsat, paymentHash: htlc.paymentHash, cltvExpiry: htlc.cltvExpiry, onionRoutingPacket: htlc.onion, ...(htlc.pathKey !== undefined && { pathKey: htlc.pathKey }) },
      { signer: this.#o.nodeSigner, secp256k1: this.#secp },
    );
    if (peeled.kind === 'malformed') {
      this.#log('debug', 'unreadable onion', { reason: peeled.reason });
      await this.#o.host.failHtlc(htlc.channelId, htlc.htlcId, { kind: 'malformed', failureCode: peeled.failureCode, sha256OfOnion: peeled.sha256OfOnion });
      this.#emit([{ kind: 'htlc_handling_failed', prevChannelId: htlc.channelId, failedNextDestination: { kind: 'invalid_onion' } }]);
      return;
    }
    const prev: PrevHop = {
      channelId: htlc.channelId,
      counterpartyNodeId: htlc.counterpartyNodeId,
      htlcId: htlc.htlcId,
      ...(htlc.shortChannelId !== undefined && { shortChannelId: htlc.shortChannelId }),
      amountMsat: htlc.amountMsat,
      cltvExpiry: htlc.cltvExpiry,
      sharedSecret: peeled.sharedSecret,
      blinded: peeled.blinded,
      sha256OfOnion: peeled.sha256OfOnion,
    };
    if (peeled.kind === 'fail') {
      this.#log('debug', 'refused onion payload', { reason: peeled.reason });
      await this.#failBack(prev, { kind: 'local', failure: peeled.failure }, { kind: 'invalid_onion' }, peeled.failure);
      return;
    }
    if (peeled.kind === 'forward') {
      await this.#forward(prev, htlc, peeled);
      return;
    }
    const check = checkReceive(peeled.payload, htlc, {
      keys: this.#keys,
      height: this.#height,
      nowSeconds: this.#timestamp,
      ...(this.#o.acceptKeysend !== undefined && { acceptKeysend: this.#o.acceptKeysend }),
    });
    if (!check.ok) {
      this.#log('debug', 'refused payment', { reason: check.reason });
      await this.#failBack(prev, { kind: 'local', failure: check.failure }, { kind: 'failed_payment', paymentHash: htlc.paymentHash }, check.failure);
      return;
    }
    const actions = this.#claimables.addPart(htlc.paymentHash, prev, check.part, this.#height);
    await this.#applyFailBacks(actions.fail);
    this.#emit(actions.events);
  }

  async #forward(prev: PrevHop, htlc: LockedInHtlc, f: Extract<PeeledHtlc, { kind: 'forward' }>): Promise<void> {
    let channel: PaymentChannel | undefined;
    let scid: ShortChannelId | undefined;
    if (f.next.kind === 'scid') {
      scid = f.next.shortChannelId;
      channel = this.#channelByScid(scid);
      if (channel === undefined && this.#o.acceptInterceptHtlcs === true && isInterceptScid(this.#interceptKey, scid)) {
        this.#intercept(prev, htlc, f, scid);
        return;
      }
    } else {
      const node = f.next.nodeId;
      channel = this.#o.host.channels().find((c) => equalBytes(c.counterpartyNodeId, node) && c.isUsable) ?? this.#o.host.channels().find((c) => equalBytes(c.counterpartyNodeId, node));
    }
    // Refusing to forward over a private channel must look like not having it (LDK).
    if (channel !== undefined && !channel.isPublic && this.#o.acceptForwardsToPrivateChannels !== true) channel = undefined;
    const destination: HtlcDestination =
      channel === undefined
        ? { kind: 'unknown_next_hop', requestedForwardScid: scid ?? (0n as ShortChannelId) }
        : { kind: 'next_hop_channel', nodeId: channel.counterpartyNodeId, channelId: channel.channelId };
    const outgoing = this.#outgoing(channel, scid);
    const check = checkForward(f, htlc, outgoing, this.#height);
    if (!check.ok) {
      this.#log('debug', 'refused forward', { reason: check.reason });
      await this.#failBack(prev, { kind: 'local', failure: check.failure }, destination, check.failure);
      return;
    }
    await this.#addForward(prev, channel!, outgoing!, f.amountToForwardMsat, htlc.paymentHash, f.outgoingCltvValue, f.nextOnion, f.nextPathKey);
  }

  async #addForward(prev: PrevHop, channel: PaymentChannel, outgoing: OutgoingChannel, amountMsat: bigint, paymentHash: Uint8Array, cltvExpiry: number, onion: Uint8Array, pathKey?: Uint8Array): Promise<void> {
    const source = encodeHtlcSource({ kind: 'forward', prev, outgoingAmountMsat: amountMsat });
    let result: AddHtlcResult;
    try {
      result = await this.#o.host.addHtlc(channel.channelId, { amountMsat, paymentHash, cltvExpiry, onion, ...(pathKey !== undefined && { pathKey }), source });
    } catch (e) {
      result = { ok: false, error: (e as Error).message };
    }
    if (result.ok) return;
    this.#log('debug', 'the outgoing channel refused the forward', { error: result.error });
    const failure: FailureMessage = { name: 'temporary_channel_failure', channelUpdate: outgoing.channelUpdate ?? new Uint8Array(0) };
    await this.#failBack(prev, { kind: 'local', failure }, { kind: 'next_hop_channel', nodeId: channel.counterpartyNodeId, channelId: channel.channelId }, failure);
  }

  async #failBack(prev: PrevHop, why: HtlcFailReason, destination: HtlcDestination | undefined, failure?: FailureMessage): Promise<void> {
    await this.#o.host.failHtlc(prev.channelId, prev.htlcId, failureForUpstream(prev, why));
    if (destination !== undefined) this.#emit([{ kind: 'htlc_handling_failed', prevChannelId: prev.channelId, failedNextDestination: destination, ...(failure !== undefined && { failure }) }]);
  }

  async #applyFailBacks(fails: readonly FailBack[]): Promise<void> {
    for (const f of fails) {
      const failure = f.reason.kind === 'local' ? f.reason.failure : undefined;
      await this.#failBack(f.prev, f.reason, { kind: 'failed_payment', paymentHash: f.paymentHash }, failure);
    }
  }

  // ---- interception -------------------------------------------------------------------------

  /** A new intercept scid for an invoice's route hint (LSP just-in-time channels). */
  getInterceptScid(): ShortChannelId {
    return makeInterceptScid(this.#interceptKey, this.#o.entropy.getSecureRandomBytes());
  }

  #intercept(prev: PrevHop, htlc: LockedInHtlc, f: Extract<PeeledHtlc, { kind: 'forward' }>, scid: ShortChannelId): void {
    const interceptId = sha256(concatBytes(prev.channelId, u64ToBytes(prev.htlcId)));
    const held: Intercepted = {
      interceptId,
      prev,
      paymentHash: htlc.paymentHash,
      requestedScid: scid,
      amountToForwardMsat: f.amountToForwardMsat,
      outgoingCltvValue: f.outgoingCltvValue,
      onion: f.nextOnion,
      ...(f.nextPathKey !== undefined && { pathKey: f.nextPathKey }),
    };
    this.#intercepted.set(toHex(interceptId), held);
    this.#emit([
      {
        kind: 'htlc_intercepted',
        interceptId,
        requestedNextHopScid: scid,
        paymentHash: htlc.paymentHash,
        inboundAmountMsat: htlc.amountMsat,
        expectedOutboundAmountMsat: f.amountToForwardMsat,
      },
    ]);
  }

  /**
   * Forwards an intercepted HTLC over `nextChannelId` (to `nextNodeId`), with
   * `amountToForwardMsat` (at most what the onion asks; less when an LSP keeps
   * a fee, which the recipient must accept).
   * @throws PaymentError `unknown_payment`, `invalid_params`, `invalid_amount`
   */
  async forwardInterceptedHtlc(interceptId: Uint8Array, nextChannelId: ChannelId, nextNodeId: NodeId, amountToForwardMsat: bigint): Promise<void> {
    const held = this.#intercepted.get(toHex(interceptId));
    if (held === undefined) throw new PaymentError('unknown_payment', 'no intercepted HTLC with this id');
    const channel = this.#o.host.channels().find((c) => equalBytes(c.channelId, nextChannelId));
    if (channel === undefined || !equalBytes(channel.counterpartyNodeId, nextNodeId)) throw new PaymentError('invalid_params', 'no such channel with that peer');
    if (amountToForwardMsat <= 0n || amountToForwardMsat > held.amountToForwardMsat) throw new PaymentError('invalid_amount', 'forward at most what the onion asks');
    this.#intercepted.delete(toHex(interceptId));
    await this.#track(this.#addForward(held.prev, channel, this.#outgoing(channel, undefined)!, amountToForwardMsat, held.paymentHash, held.outgoingCltvValue, held.onion, held.pathKey));
  }

  /** Fails an intercepted HTLC back (unknown_next_peer). @throws PaymentError `unknown_payment` */
  async failInterceptedHtlc(interceptId: Uint8Array): Promise<void> {
    const held = this.#intercepted.get(toHex(interceptId));
    if (held === undefined) throw new PaymentError('unknown_payment', 'no intercepted HTLC with this id');
    this.#intercepted.delete(toHex(interceptId));
    const failure: FailureMessage = { name: 'unknown_next_peer' };
    await this.#track(this.#failBack(held.prev, { kind: 'local', failure }, { kind: 'unknown_next_hop', requestedForwardScid: held.requestedScid }, failure));
  }

  // ---- HTLCs we offered ---------------------------------------------------------------------

  /**
   * An HTLC we offered was fulfilled (by message or on chain): a forward's
   * preimage goes upstream (PaymentForwarded); a part of ours settles the payment.
   */
  outboundFulfilled(sourceBytes: Uint8Array, preimage: Uint8Array, info: OfferedHtlcInfo, attributionData?: Uint8Array): Promise<void> {
    return this.#track(this.#fulfilled(sourceBytes, preimage, info, attributionData));
  }

  async #fulfilled(sourceBytes: Uint8Array, preimage: Uint8Array, info: OfferedHtlcInfo, attributionData?: Uint8Array): Promise<void> {
    const source = this.#source(sourceBytes);
    if (source === undefined) return;
    if (source.kind === 'outbound') {
      this.#emit(this.#outbound.htlcFulfilled(source, preimage, this.#nowMs));
      return;
    }
    const prev = source.prev;
    await this.#o.host.claimHtlc(prev.channelId, prev.htlcId, preimage, this.#fulfillAttribution(prev, attributionData));
    const key = `${toHex(prev.channelId)}:${prev.htlcId}`;
    if (this.#claimedForwards.has(key)) return;
    this.#claimedForwards.add(key);
    if (this.#claimedForwards.size > 10_000) this.#claimedForwards.delete(this.#claimedForwards.values().next().value!);
    this.#emit([
      {
        kind: 'payment_forwarded',
        prevChannelId: prev.channelId,
        nextChannelId: info.channelId,
        prevNodeId: prev.counterpartyNodeId,
        nextNodeId: info.counterpartyNodeId,
        totalFeeEarnedMsat: prev.amountMsat - source.outgoingAmountMsat,
        outboundAmountForwardedMsat: source.outgoingAmountMsat,
        claimFromOnchainTx: info.onChain === true,
      },
    ]);
  }

  /**
   * An HTLC we offered failed: a forward's failure goes upstream (re-wrapped
   * with our secret); a part of ours is read, and retried when allowed.
   */
  outboundFailed(sourceBytes: Uint8Array, failure: OfferedHtlcFailure, info: OfferedHtlcInfo): Promise<void> {
    return this.#track(this.#failed(sourceBytes, failure, info));
  }

  async #failed(sourceBytes: Uint8Array, failure: OfferedHtlcFailure, info: OfferedHtlcInfo): Promise<void> {
    const source = this.#source(sourceBytes);
    if (source === undefined) return;
    if (source.kind === 'outbound') {
      if (failure.kind === 'fail' || failure.kind === 'malformed') {
        const f: OutboundFailure =
          failure.kind === 'fail'
            ? { kind: 'fail', reason: failure.reason, ...(failure.attributionData !== undefined && { attributionData: failure.attributionData }) }
            : failure;
        this.#emit(this.#outbound.htlcFailed(source, f, this.#nowMs));
      } else {
        this.#emit(this.#outbound.htlcSendFailed(source, failure.kind === 'local' ? failure.reason : 'timed out on chain'));
      }
      this.#scheduleRetries();
      return;
    }
    const prev = source.prev;
    let why: HtlcFailReason;
    let local: FailureMessage | undefined;
    if (failure.kind === 'fail') why = { kind: 'downstream', reason: failure.reason, ...(failure.attributionData !== undefined && { attributionData: failure.attributionData }) };
    else if (failure.kind === 'malformed') why = { kind: 'downstream_malformed', failureCode: failure.failureCode, sha256OfOnion: failure.sha256OfOnion };
    else {
      const channel = this.#o.host.channels().find((c) => equalBytes(c.channelId, info.channelId));
      const update = channel === undefined ? undefined : this.#outgoing(channel, undefined)?.channelUpdate;
      local = failure.kind === 'on_chain' || channel === undefined ? { name: 'permanent_channel_failure' } : { name: 'temporary_channel_failure', channelUpdate: update ?? new Uint8Array(0) };
      why = { kind: 'local', failure: local };
    }
    await this.#failBack(prev, why, { kind: 'next_hop_channel', nodeId: info.counterpartyNodeId, channelId: info.channelId }, local);
  }

  #source(bytes: Uint8Array): HtlcSource | undefined {
    try {
      return decodeHtlcSource(bytes);
    } catch (e) {
      this.#log('warn', 'an HTLC source that does not decode', { error: (e as Error).message });
      return undefined;
    }
  }

  // ---- blocks and ticks ---------------------------------------------------------------------

  /** A new best block: held HTLCs close to expiry are failed back; retries see the new time. */
  bestBlockUpdated(height: number, timestamp: number): Promise<void> {
    this.#height = height;
    this.#timestamp = Math.max(this.#timestamp, timestamp);
    const fails = this.#claimables.bestBlockUpdated(height);
    const expiring = [...this.#intercepted.values()].filter((i) => i.prev.cltvExpiry <= height + HTLC_FAIL_BACK_BUFFER);
    return this.#track(
      (async () => {
        await this.#applyFailBacks(fails);
        for (const i of expiring) {
          this.#intercepted.delete(toHex(i.interceptId));
          const failure: FailureMessage = { name: 'temporary_node_failure' };
          await this.#failBack(i.prev, { kind: 'local', failure }, { kind: 'unknown_next_hop', requestedForwardScid: i.requestedScid }, failure);
        }
      })(),
    );
  }

  /** A timer tick: incomplete multi-part payments time out; retries advance; finished payment ids are released. */
  timerTickOccurred(): Promise<void> {
    const now = this.#nowMs;
    if (now !== undefined) this.#o.scorer?.timePassed(now);
    const fails = this.#claimables.timerTick();
    this.#outbound.timerTick();
    this.#scheduleRetries();
    return this.#track(this.#applyFailBacks(fails));
  }

  // ---- sending -------------------------------------------------------------------------------

  #scheduleRetries(): void {
    if (!this.#outbound.hasPendingRetries) return;
    if (this.#retrying !== undefined) {
      this.#retryAgain = true;
      return;
    }
    this.#retrying = this.#track(
      (async () => {
        try {
          do {
            this.#retryAgain = false;
            const { htlcs, events } = await this.#outbound.processPendingRetries(this.#env());
            this.#emit(events);
            await this.#sendHtlcs(htlcs);
          } while (this.#retryAgain || this.#outbound.hasPendingRetries);
        } finally {
          this.#retrying = undefined;
        }
      })(),
    );
  }

  /** Adds our HTLCs; a channel that refuses one makes the part fail (and be retried). Returns true when all were taken. */
  async #sendHtlcs(htlcs: readonly OutboundHtlc[]): Promise<boolean> {
    let all = true;
    for (const h of htlcs) {
      const channel = this.#channelByScid(h.firstHopScid);
      let result: AddHtlcResult;
      if (channel === undefined || !equalBytes(channel.counterpartyNodeId, h.counterpartyNodeId)) result = { ok: false, error: 'the first channel is gone' };
      else {
        try {
          result = await this.#o.host.addHtlc(channel.channelId, { amountMsat: h.amountMsat, paymentHash: h.paymentHash, cltvExpiry: h.cltvExpiry, onion: h.onion, source: encodeHtlcSource(h.source) });
        } catch (e) {
          result = { ok: false, error: (e as Error).message };
        }
      }
      if (!result.ok) {
        all = false;
        this.#emit(this.#outbound.htlcSendFailed(h.source, result.error));
      }
    }
    return all;
  }

  /**
   * Sends a payment: reserves `paymentId` (the same id never pays twice, until
   * it is released IDEMPOTENCY_TIMEOUT_TICKS after the payment's last event),
   * routes it through the Router, adds its HTLCs, and retries failed parts on
   * other paths within `retry`. The outcome comes as payment_sent or
   * payment_failed (with payment_path_* events on the way).
   * @throws PaymentError `duplicate_payment`, `route_not_found` (nothing was sent; the id is free), `no_usable_channel`
   */
  sendPayment(args: SendPaymentArgs): Promise<void> {
    return this.#track(
      (async () => {
        const htlcs = await this.#outbound.send(
          {
            paymentId: args.paymentId,
            paymentHash: args.paymentHash,
            recipient: args.recipient,
            routeParams: args.routeParams,
            retry: args.retry,
            ...(args.expiresAt !== undefined && { expiresAt: args.expiresAt }),
          },
          this.#env(args.firstHopChannelId),
        );
        if (!(await this.#sendHtlcs(htlcs))) this.#scheduleRetries();
      })(),
    );
  }

  /**
   * Pays a BOLT 11 invoice (decoded, checked for expiry and network, its
   * hints, features, secret and metadata used).
   * @throws PaymentError as sendPayment, and `invalid_invoice` / `invalid_amount`
   */
  async payInvoice(invoice: string, paymentId: Uint8Array, retry: RetryStrategy, options: Partial<InvoicePaymentOptions> = {}): Promise<Uint8Array> {
    const plan = planInvoicePayment(invoice, { nowSeconds: this.#timestamp, secp256k1: this.#secp, currency: this.#o.currency, ...options });
    await this.sendPayment({ paymentId, paymentHash: plan.paymentHash, recipient: plan.recipient, routeParams: plan.routeParams, retry, expiresAt: plan.expiresAt });
    return plan.paymentHash;
  }

  /**
   * A spontaneous (keysend) payment: the preimage (random when not given)
   * travels in the payee's onion layer. Single-path unless `maxPathCount` > 1
   * (the payee must then accept multi-part keysend). Returns the payment hash.
   */
  async sendSpontaneousPayment(args: {
    readonly paymentId: Uint8Array;
    readonly payee: NodeId;
    readonly amountMsat: bigint;
    readonly retry: RetryStrategy;
    readonly preimage?: Uint8Array;
    readonly customRecords?: readonly TlvRecord[];
    readonly finalCltvExpiryDelta?: number;
    readonly maxTotalRoutingFeeMsat?: bigint;
    readonly maxTotalCltvExpiryDelta?: number;
    readonly maxPathCount?: number;
  }): Promise<Uint8Array> {
    const preimage = args.preimage ?? this.#o.entropy.getSecureRandomBytes().slice(0, 32);
    if (preimage.length !== 32) throw new PaymentError('invalid_length', 'a preimage is 32 bytes');
    const paymentHash = sha256(preimage);
    const maxPaths = args.maxPathCount ?? 1;
    const recipient: RecipientFields = {
      keysendPreimage: preimage,
      // A multi-part keysend needs a secret tying the parts together: a random one.
      ...(maxPaths > 1 && { paymentSecret: this.#o.entropy.getSecureRandomBytes().slice(0, 32) }),
      ...(args.customRecords !== undefined && { customRecords: args.customRecords }),
    };
    await this.sendPayment({
      paymentId: args.paymentId,
      paymentHash,
      recipient,
      routeParams: {
        paymentParams: paymentParametersForNode(args.payee, args.finalCltvExpiryDelta ?? MIN_FINAL_CLTV_EXPIRY_DELTA, {
          maxPathCount: maxPaths,
          ...(args.maxTotalCltvExpiryDelta !== undefined && { maxTotalCltvExpiryDelta: args.maxTotalCltvExpiryDelta }),
        }),
        finalValueMsat: args.amountMsat,
        ...(args.maxTotalRoutingFeeMsat !== undefined && { maxTotalRoutingFeeMsat: args.maxTotalRoutingFeeMsat }),
      },
      retry: args.retry,
    });
    return paymentHash;
  }

  /**
   * Sends a probe along `path` (its first hop one of our channels): the result
   * comes as probe_successful or probe_failed and goes to the scorer.
   * @throws PaymentError `invalid_params`, `no_usable_channel`
   */
  async sendProbe(path: Path): Promise<{ paymentId: Uint8Array; paymentHash: Uint8Array }> {
    const { paymentId, paymentHash, htlc } = this.#outbound.sendProbe(path, this.#height);
    await this.#track(this.#sendHtlcs([htlc]));
    return { paymentId, paymentHash };
  }

  /** Stops retrying a payment; payment_failed (user_abandoned) once no part is in flight. */
  abandonPayment(paymentId: Uint8Array): void {
    this.#emit(this.#outbound.abandon(paymentId));
  }

  /** Our payments still known (pending, or finished within the idempotency window). */
  listRecentPayments(): PaymentDetails[] {
    return this.#outbound.list();
  }

  // ---- receiving: the user's side -------------------------------------------------------------

  /** A stateless inbound payment (hash and secret from the node's keys). */
  createInboundPayment(args: { readonly minAmountMsat?: bigint; readonly expirySeconds: number; readonly nowSeconds: number; readonly minFinalCltvExpiryDelta?: number }): InboundPayment {
    return createInboundPayment(this.#keys, args, this.#o.entropy.getSecureRandomBytes());
  }

  /**
   * A blinded path to us for an inbound payment (BOLT 12 invoices carry such
   * paths): `hops` are the nodes before us, the introduction node first, each
   * with the channel it forwards over and its relay terms.
   */
  createBlindedReceivePath(payment: InboundPayment, hops: readonly BlindedPathHop[], options: { readonly maxCltvExpiry?: number; readonly htlcMinimumMsat?: bigint; readonly htlcMaximumMsat?: bigint } = {}): BlindedPaymentPath {
    return createBlindedReceivePath({
      payee: this.#o.nodeSigner.getNodeId(),
      paymentSecret: payment.paymentSecret,
      hops,
      maxCltvExpiry: options.maxCltvExpiry ?? this.#height + CLTV_FAR_FAR_AWAY,
      htlcMinimumMsat: options.htlcMinimumMsat ?? 1n,
      htlcMaximumMsat: options.htlcMaximumMsat ?? 21_000_000n * 100_000_000_000n,
      minFinalCltvExpiryDelta: payment.minFinalCltvExpiryDelta,
      sessionKey: this.#o.entropy.getSecureRandomBytes().slice(0, 32),
      secp256k1: this.#secp,
    });
  }

  /** A stateless inbound payment for a hash whose preimage the user keeps. */
  createInboundPaymentForHash(paymentHash: Uint8Array, args: { readonly minAmountMsat?: bigint; readonly expirySeconds: number; readonly nowSeconds: number; readonly minFinalCltvExpiryDelta?: number }): InboundPayment {
    return createInboundPaymentForHash(this.#keys, paymentHash, args);
  }

  /** A BOLT 11 invoice for our node, with route hints from our private channels. */
  createInvoice(params: Omit<CreateInvoiceParams, 'currency' | 'channels'> & { readonly currency?: InvoiceCurrency }): Promise<CreatedInvoice> {
    const channels: InvoiceChannel[] = this.#o.host.channels().map((c) => {
      const inboundScid = c.isPublic ? c.shortChannelId ?? c.inboundScidAlias : c.inboundScidAlias ?? c.shortChannelId;
      return {
        counterpartyNodeId: c.counterpartyNodeId,
        ...(inboundScid !== undefined && { inboundScid }),
        isPublic: c.isPublic,
        isUsable: c.isUsable,
        inboundCapacityMsat: c.inboundCapacityMsat,
        ...(c.counterpartyForwarding !== undefined && { counterpartyForwarding: c.counterpartyForwarding }),
      };
    });
    return createInvoice({ ...params, currency: params.currency ?? this.#o.currency, channels }, { signer: this.#o.nodeSigner, entropy: this.#o.entropy, keys: this.#keys, secp256k1: this.#secp });
  }

  /**
   * Claims a claimable payment with its preimage: every part is fulfilled
   * (in the background: see idle()); payment_claimed once every claim is
   * handed to its channel.
   * @throws PaymentError `unknown_payment`, `invalid_state` (at once)
   */
  claimFunds(preimage: Uint8Array): void {
    const claims = this.#claimables.claim(preimage);
    void this.#track(this.#runClaims(claims));
  }

  /**
   * Hold times for successful payments go upstream only to a peer that
   * understands them (option_attribution_data): they cost 20 HMACs per hop and
   * tell a payer nothing it needs. Failures always carry attribution data.
   */
  #fulfillAttribution(prev: PrevHop, downstream?: Uint8Array): Uint8Array | undefined {
    const peer = this.#o.host.channels().find((c) => equalBytes(c.channelId, prev.channelId));
    const bit = FEATURES.option_attribution_data.bit;
    if (peer === undefined || !(isFeatureBitSet(peer.counterpartyFeatures, bit) || isFeatureBitSet(peer.counterpartyFeatures, bit + 1))) return undefined;
    return fulfillAttribution(prev, 0, downstream);
  }

  async #runClaims(claims: ReturnType<ClaimablePayments['claim']>): Promise<void> {
    for (const c of claims) {
      await this.#o.host.claimHtlc(c.prev.channelId, c.prev.htlcId, c.preimage, this.#fulfillAttribution(c.prev));
      const done = this.#claimables.partClaimed(c.paymentHash, c.prev);
      if (done !== undefined) this.#emit([done]);
    }
  }

  /** After a restart: hands the claims not yet durable to the channels again. */
  replayPendingClaims(): Promise<void> {
    return this.#track(this.#runClaims(this.#claimables.pendingClaims()));
  }

  /** Fails every part of a claimable payment back (incorrect_or_unknown_payment_details). */
  failHtlcBackwards(paymentHash: Uint8Array): Promise<void> {
    return this.#track(this.#applyFailBacks(this.#claimables.failPayment(paymentHash, this.#height)));
  }

  /**
   * At start-up, for each HTLC we offered that a monitor still knows: a part of
   * ours the saved state lost is recreated so its id stays reserved.
   */
  restoreOfferedHtlc(sourceBytes: Uint8Array, paymentHash: Uint8Array): void {
    const source = this.#source(sourceBytes);
    if (source?.kind === 'outbound') this.#outbound.restoreFromMonitor(source, paymentHash);
  }

  // ---- persistence ---------------------------------------------------------------------------

  /** The engine's state (versioned), for the manager's bytes. */
  write(): Uint8Array {
    const w = writer().u8(ENGINE_VERSION).u32(this.#height).u64(BigInt(this.#timestamp)).fixed(this.#interceptKey, 32, 'intercept key');
    this.#outbound.write(w);
    this.#claimables.write(w);
    w.bigSize(this.#intercepted.size);
    for (const i of this.#intercepted.values()) {
      w.fixed(i.interceptId, 32, 'intercept id');
      writePrevHop(w, i.prev);
      w.fixed(i.paymentHash, 32, 'payment hash').u64(i.requestedScid).u64(i.amountToForwardMsat).u32(i.outgoingCltvValue).u16Bytes(i.onion);
      writeOptionalBytes(w, i.pathKey);
    }
    w.bigSize(this.#undecided.size);
    for (const k of this.#undecided) {
      const [channel, id] = k.split(':') as [string, string];
      w.fixed(fromHex(channel), 32, 'channel id').u64(BigInt(id));
    }
    return w.finish().slice();
  }

  /**
   * Reads {@link write}'s bytes back.
   * @throws PaymentError `invalid_data`, `unsupported_version`
   */
  static read(bytes: Uint8Array, options: PaymentEngineOptions): PaymentEngine {
    return decoding('payment engine', () => {
      const r = new Reader(bytes);
      readVersion(r, ENGINE_VERSION, 'payment engine');
      const height = r.u32('height');
      const timestamp = Number(r.u64('timestamp'));
      const interceptKey = readFixed(r, 32, 'intercept key');
      const outbound = OutboundPayments.read(r, {
        entropy: options.entropy,
        ...(options.secp256k1 !== undefined && { secp256k1: options.secp256k1 }),
        ...(options.scorer !== undefined && { scorer: options.scorer }),
      });
      const claimables = ClaimablePayments.read(r, options.nodeSigner.getNodeId());
      const engine = new PaymentEngine(options, { interceptKey, outbound, claimables, height, timestamp });
      const n = readCount(r, 100_000, 'intercepted HTLCs');
      for (let i = 0; i < n; i++) {
        const interceptId = readFixed(r, 32, 'intercept id');
        const prev = readPrevHop(r);
        const paymentHash = readFixed(r, 32, 'payment hash');
        const requestedScid = r.u64('scid') as ShortChannelId;
        const amountToForwardMsat = r.u64('amount');
        const outgoingCltvValue = r.u32('cltv');
        const onion = r.u16Bytes('onion').slice();
        const pathKey = readOptionalBytes(r, 'path key');
        engine.#intercepted.set(toHex(interceptId), { interceptId, prev, paymentHash, requestedScid, amountToForwardMsat, outgoingCltvValue, onion, ...(pathKey !== undefined && { pathKey }) });
      }
      const u = readCount(r, 1_000_000, 'undecided HTLCs');
      for (let i = 0; i < u; i++) engine.#undecided.add(`${toHex(readFixed(r, 32, 'channel id'))}:${r.u64('htlc id')}`);
      r.end('payment engine');
      return engine;
    });
  }
}
