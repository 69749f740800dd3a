import { defaultSecp256k1, sha256, type Secp256k1Backend } from 'ln-crypto';
import {
  addPathToInFlight,
  NO_IN_FLIGHT_HTLCS,
  pathFeeMsat,
  pathFinalValueMsat,
  pathTotalCltvExpiryDelta,
  RouteError,
  routeParametersFromJson,
  routeParametersToJson,
  type FirstHop,
  type InFlightHtlcs,
  type Path,
  type Route,
  type RouteParameters,
  type Router,
  type ScoreUpdate,
} from 'ln-router-api';
import type { EntropySource } from 'ln-signer-api';
import { bytesToUtf8, concatBytes, equalBytes, isLnError, toHex, utf8ToBytes, type NodeId, type ShortChannelId } from 'ln-types';
import type { TlvRecord } from 'ln-wire';
import { decoding, invalid, readBool, readCount, readFixed, readOptionalBytes, readPath, readScid, Reader, readVersion, writeOptionalBytes, writePath, writer, type Writer } from './binary.js';
import { IDEMPOTENCY_TIMEOUT_TICKS } from './constants.js';
import { PaymentError } from './errors.js';
import type { PaymentEvent, PaymentFailureReason } from './events.js';
import { decodePathFailure, type OutboundFailure } from './failure-decode.js';
import type { HtlcSource } from './htlc-source.js';
import { buildPathOnion, pathSharedSecrets, type RecipientFields } from './outbound-onion.js';

/** How long a payment keeps retrying failed parts on other paths. */
export type RetryStrategy =
  /** At most this many routing attempts after the first. */
  | { readonly kind: 'attempts'; readonly count: number }
  /** Retry while fewer than this many timer ticks have passed since the payment started. */
  | { readonly kind: 'timeout'; readonly ticks: number };

/** No retries. */
export const NO_RETRY: RetryStrategy = { kind: 'attempts', count: 0 };

/** A payment to start. */
export interface SendPaymentRequest {
  /** 32 bytes chosen by the caller: the same id never pays twice. */
  readonly paymentId: Uint8Array;
  readonly paymentHash: Uint8Array;
  readonly recipient: RecipientFields;
  /** Who to pay and how much (finalValueMsat), with the fee limit (maxTotalRoutingFeeMsat) and cltv limit (paymentParams.maxTotalCltvExpiryDelta). */
  readonly routeParams: RouteParameters;
  readonly retry: RetryStrategy;
  /** Unix time after which no retry is made (the invoice's expiry). */
  readonly expiresAt?: number;
}

/** Where and how to route: our node, the router, our usable channels, the chain height. */
export interface RoutingEnv {
  readonly payer: NodeId;
  readonly router: Router;
  /** Our usable channels (ChannelManager's list, with their outbound limits now). */
  readonly firstHops: readonly FirstHop[];
  /** The best block height. */
  readonly height: number;
  /** The highest time seen (seconds), for the payment's expiry; absent: not checked. */
  readonly nowSeconds?: number;
}

/** An HTLC for the manager to add to a channel (the first hop of a path). */
export interface OutboundHtlc {
  readonly firstHopScid: ShortChannelId;
  readonly counterpartyNodeId: NodeId;
  readonly amountMsat: bigint;
  readonly paymentHash: Uint8Array;
  readonly cltvExpiry: number;
  readonly onion: Uint8Array;
  readonly source: Extract<HtlcSource, { kind: 'outbound' }>;
}

/** A part's state. */
type PartState = 'inflight' | 'fulfilled' | 'failed';

interface Part {
  readonly path: Path;
  readonly sessionKey: Uint8Array;
  readonly startHeight: number;
  state: PartState;
}

/** A payment of ours, from its start until its id is released. */
interface Payment {
  readonly paymentId: Uint8Array;
  readonly paymentHash: Uint8Array;
  readonly recipient: RecipientFields;
  readonly totalMsat: bigint;
  readonly routeParams: RouteParameters;
  readonly retry: RetryStrategy;
  readonly expiresAt?: number;
  readonly isProbe: boolean;
  readonly parts: Map<string, Part>;
  /** pending: parts out or to retry; fulfilled: preimage known; abandoned: no more attempts. */
  state: 'pending' | 'fulfilled' | 'abandoned';
  attempts: number;
  ticks: number;
  /** Amount whose parts failed and wait for a retry. */
  retryMsat: bigint;
  failedScids: ShortChannelId[];
  failedBlindedPaths: number[];
  preimage?: Uint8Array;
  abandonReason?: PaymentFailureReason;
  /** The final event (PaymentSent once every part is resolved, or PaymentFailed) has gone out. */
  finished: boolean;
  /** Ticks left before the id is released (counting once finished). */
  removeIn: number;
}

/** A summary of a payment for the user (after LDK's RecentPaymentDetails). */
export interface PaymentDetails {
  readonly paymentId: Uint8Array;
  readonly paymentHash: Uint8Array;
  readonly state: 'pending' | 'fulfilled' | 'abandoned';
  readonly totalMsat: bigint;
  readonly inflightParts: number;
  readonly isProbe: boolean;
}

/** Options of {@link OutboundPayments}. */
export interface OutboundPaymentsOptions {
  /** Session keys and probe cookies come from here. */
  readonly entropy: EntropySource;
  readonly secp256k1?: Secp256k1Backend;
  /** Path outcomes are fed to it (a remote router's client can forward them to its server). */
  readonly scorer?: ScoreUpdate;
  /** The secret probe hashes are derived from (random by default; restored by decode). */
  readonly probingCookie?: Uint8Array;
}

const idKey = (id: Uint8Array): string => toHex(id);

function checkId(id: Uint8Array, what: string): void {
  if (!(id instanceof Uint8Array) || id.length !== 32) throw new PaymentError('invalid_length', `${what} must be 32 bytes`);
}

function retryAllowed(p: Payment, nowSeconds: number | undefined): PaymentFailureReason | undefined {
  if (p.expiresAt !== undefined && nowSeconds !== undefined && nowSeconds > p.expiresAt) return 'payment_expired';
  if (p.retry.kind === 'attempts' ? p.attempts > p.retry.count : p.ticks >= p.retry.ticks) return 'retries_exhausted';
  return undefined;
}

/**
 * Our outgoing payments (LDK's OutboundPayments): ids with idempotency,
 * routes through the Router contract, onions per path, parts tracked per
 * session key, retries on other paths within a budget, fee and cltv limits,
 * probes, and the events PaymentSent / PaymentPathSuccessful /
 * PaymentPathFailed / PaymentFailed / ProbeSuccessful / ProbeFailed. It holds
 * state only: the manager adds the HTLCs it returns and reports how each ends.
 */
export class OutboundPayments {
  readonly #payments = new Map<string, Payment>();
  readonly #entropy: EntropySource;
  readonly #secp: Secp256k1Backend;
  readonly #scorer: ScoreUpdate | undefined;
  readonly #probingCookie: Uint8Array;

  constructor(options: OutboundPaymentsOptions) {
    this.#entropy = options.entropy;
    this.#secp = options.secp256k1 ?? defaultSecp256k1;
    this.#scorer = options.scorer;
    this.#probingCookie = options.probingCookie?.slice() ?? options.entropy.getSecureRandomBytes().slice(0, 32);
    if (this.#probingCookie.length !== 32) throw new PaymentError('invalid_length', 'the probing cookie must be 32 bytes');
  }

  /** The probe hash secret (persisted with the state). */
  get probingCookie(): Uint8Array {
    return this.#probingCookie.slice();
  }

  /** True while the id is reserved (a payment under it is pending or recently finished). */
  has(paymentId: Uint8Array): boolean {
    return this.#payments.has(idKey(paymentId));
  }

  /** Every payment still known. */
  list(): PaymentDetails[] {
    return [...this.#payments.values()].map((p) => ({
      paymentId: p.paymentId,
      paymentHash: p.paymentHash,
      state: p.state,
      totalMsat: p.totalMsat,
      inflightParts: [...p.parts.values()].filter((x) => x.state === 'inflight').length,
      isProbe: p.isProbe,
    }));
  }

  /** Our HTLCs in flight, for the router (payments and probes). */
  inFlightHtlcs(payer: NodeId): InFlightHtlcs {
    let inflight = NO_IN_FLIGHT_HTLCS;
    for (const p of this.#payments.values()) for (const part of p.parts.values()) if (part.state === 'inflight') inflight = addPathToInFlight(inflight, payer, part.path);
    return inflight;
  }

  /**
   * Starts a payment: reserves the id, asks the router for a route, builds an
   * onion per path, and returns the HTLCs to add. The id is released again if
   * no route is found (nothing was sent).
   * @throws PaymentError `duplicate_payment`, `route_not_found`, `no_usable_channel`, `invalid_params`, `invalid_length`
   */
  async send(request: SendPaymentRequest, env: RoutingEnv): Promise<OutboundHtlc[]> {
    checkId(request.paymentId, 'payment id');
    checkId(request.paymentHash, 'payment hash');
    const total = request.routeParams.finalValueMsat;
    if (total <= 0n) throw new PaymentError('invalid_amount', 'a payment sends a positive amount');
    const key = idKey(request.paymentId);
    if (this.#payments.has(key)) throw new PaymentError('duplicate_payment', 'a payment with this id exists');
    if (request.recipient.keysendPreimage !== undefined && !equalBytes(sha256(request.recipient.keysendPreimage), request.paymentHash)) {
      throw new PaymentError('invalid_params', 'the keysend preimage does not hash to the payment hash');
    }
    const payment: Payment = {
      paymentId: request.paymentId.slice(),
      paymentHash: request.paymentHash.slice(),
      recipient: request.recipient,
      totalMsat: total,
      routeParams: request.routeParams,
      retry: request.retry,
      ...(request.expiresAt !== undefined && { expiresAt: request.expiresAt }),
      isProbe: false,
      parts: new Map(),
      state: 'pending',
      attempts: 0,
      ticks: 0,
      retryMsat: 0n,
      failedScids: [...request.routeParams.paymentParams.previouslyFailedChannels],
      failedBlindedPaths: [...request.routeParams.paymentParams.previouslyFailedBlindedPathIdxs],
      finished: false,
      removeIn: IDEMPOTENCY_TIMEOUT_TICKS,
    };
    if (env.firstHops.length === 0) throw new PaymentError('no_usable_channel', 'no usable channel to send through');
    this.#payments.set(key, payment);
    try {
      const route = await this.#route(payment, total, env);
      return this.#launch(payment, route, env.height);
    } catch (e) {
      this.#payments.delete(key);
      throw e;
    }
  }

  /** The route parameters for (a retry of) `amount`, with what was learned so far. */
  #params(p: Payment, amount: bigint): RouteParameters {
    const spent = this.#feesCommitted(p);
    const limit = p.routeParams.maxTotalRoutingFeeMsat;
    return {
      paymentParams: { ...p.routeParams.paymentParams, previouslyFailedChannels: [...p.failedScids], previouslyFailedBlindedPathIdxs: [...p.failedBlindedPaths] },
      finalValueMsat: amount,
      ...(limit !== undefined && { maxTotalRoutingFeeMsat: limit > spent ? limit - spent : 0n }),
    };
  }

  #feesCommitted(p: Payment): bigint {
    let fee = 0n;
    for (const part of p.parts.values()) if (part.state !== 'failed') fee += pathFeeMsat(part.path);
    return fee;
  }

  async #route(p: Payment, amount: bigint, env: RoutingEnv): Promise<Route> {
    const params = this.#params(p, amount);
    p.attempts++;
    let route: Route;
    try {
      route = await env.router.findRoute(env.payer, params, env.firstHops, this.inFlightHtlcs(env.payer));
    } catch (cause) {
      if (cause instanceof RouteError || isLnError(cause)) throw new PaymentError('route_not_found', `no route: ${(cause as Error).message}`, { cause });
      throw cause;
    }
    this.#checkRoute(route, params, env);
    return route;
  }

  /** A router's answer is checked before money moves: amount, fee and cltv limits, usable first hops. */
  #checkRoute(route: Route, params: RouteParameters, env: RoutingEnv): void {
    if (route.paths.length === 0) throw new PaymentError('route_not_found', 'the router returned no path');
    if (route.paths.length > params.paymentParams.maxPathCount) throw new PaymentError('route_not_found', 'the route has more paths than allowed');
    let delivered = 0n;
    let fee = 0n;
    for (const path of route.paths) {
      if (path.hops.length === 0) throw new PaymentError('route_not_found', 'the route has an empty path');
      const first = path.hops[0]!;
      if (!env.firstHops.some((h) => h.shortChannelId === first.shortChannelId && equalBytes(h.counterpartyNodeId, first.nodeId))) {
        throw new PaymentError('route_not_found', `the route starts with channel ${first.shortChannelId}, not one of our usable channels`);
      }
      if (pathTotalCltvExpiryDelta(path) > params.paymentParams.maxTotalCltvExpiryDelta) throw new PaymentError('route_not_found', 'a path exceeds the cltv limit');
      const payee = params.paymentParams.payee;
      if (payee.kind === 'clear' && path.blindedTail === undefined && !equalBytes(path.hops[path.hops.length - 1]!.nodeId, payee.nodeId)) {
        throw new PaymentError('route_not_found', 'a path does not end at the payee');
      }
      for (let i = 0; i < path.hops.length; i++) {
        const h = path.hops[i]!;
        const next = path.hops[i + 1];
        if (h.amountMsat <= 0n || (next !== undefined && (h.amountMsat < next.amountMsat || h.cltvExpiryDelta < next.cltvExpiryDelta))) {
          throw new PaymentError('route_not_found', 'a path has inconsistent amounts or cltv values');
        }
      }
      delivered += pathFinalValueMsat(path);
      fee += pathFeeMsat(path);
    }
    if (delivered !== params.finalValueMsat) throw new PaymentError('route_not_found', `the route delivers ${delivered} msat, not ${params.finalValueMsat}`);
    if (params.maxTotalRoutingFeeMsat !== undefined && fee > params.maxTotalRoutingFeeMsat) throw new PaymentError('route_not_found', `the route's fee ${fee} msat exceeds the limit`);
  }

  #sessionKey(): Uint8Array {
    for (;;) {
      const k = this.#entropy.getSecureRandomBytes().slice(0, 32);
      if (k.length === 32 && this.#secp.isValidPrivateKey(k)) return k;
    }
  }

  #launch(p: Payment, route: Route, bestHeight: number): OutboundHtlc[] {
    const height = bestHeight + 1;
    return route.paths.map((path) => {
      const sessionKey = this.#sessionKey();
      const built = buildPathOnion(path, p.recipient, p.totalMsat, height, p.paymentHash, sessionKey, this.#secp);
      p.parts.set(toHex(sessionKey), { path, sessionKey, startHeight: height, state: 'inflight' });
      const first = path.hops[0]!;
      return {
        firstHopScid: first.shortChannelId,
        counterpartyNodeId: first.nodeId,
        amountMsat: built.amountMsat,
        paymentHash: p.paymentHash,
        cltvExpiry: built.cltvExpiry,
        onion: built.onion,
        source: { kind: 'outbound', paymentId: p.paymentId, sessionKey, path, startHeight: height, isProbe: p.isProbe },
      };
    });
  }

  /**
   * A probe along `path` (LDK's send_probe): an HTLC whose hash nobody knows
   * the preimage of (derived from our probing cookie and the probe's id), so
   * the destination must refuse it. ProbeSuccessful when the refusal comes from
   * the last hop, ProbeFailed (with the channel) otherwise.
   */
  sendProbe(path: Path, height: number): { paymentId: Uint8Array; paymentHash: Uint8Array; htlc: OutboundHtlc } {
    if (path.hops.length === 0) throw new PaymentError('invalid_params', 'a probe needs a path');
    const paymentId = this.#sessionKey();
    const paymentHash = this.probeHash(paymentId);
    const amount = pathFinalValueMsat(path);
    const p: Payment = {
      paymentId,
      paymentHash,
      recipient: {},
      totalMsat: amount,
      routeParams: {
        paymentParams: {
          payee: { kind: 'clear', nodeId: path.hops[path.hops.length - 1]!.nodeId, routeHints: [], finalCltvExpiryDelta: 0 },
          maxTotalCltvExpiryDelta: pathTotalCltvExpiryDelta(path),
          maxPathCount: 1,
          maxChannelSaturationPowerOfHalf: 0,
          previouslyFailedChannels: [],
          previouslyFailedBlindedPathIdxs: [],
        },
        finalValueMsat: amount,
      },
      retry: NO_RETRY,
      isProbe: true,
      parts: new Map(),
      state: 'pending',
      attempts: 1,
      ticks: 0,
      retryMsat: 0n,
      failedScids: [],
      failedBlindedPaths: [],
      finished: false,
      removeIn: 0,
    };
    this.#payments.set(idKey(paymentId), p);
    const [htlc] = this.#launch(p, { paths: [path] }, height);
    return { paymentId, paymentHash, htlc: htlc! };
  }

  /** The payment hash of our probe `paymentId`. */
  probeHash(paymentId: Uint8Array): Uint8Array {
    return sha256(concatBytes(this.#probingCookie, paymentId));
  }

  #find(source: Extract<HtlcSource, { kind: 'outbound' }>): { p: Payment; part: Part } | undefined {
    const p = this.#payments.get(idKey(source.paymentId));
    if (p === undefined) return undefined;
    const part = p.parts.get(toHex(source.sessionKey));
    return part === undefined ? undefined : { p, part };
  }

  /**
   * Our first channel refused the HTLC before it left (no capacity, peer
   * gone): the part fails and its amount waits for a retry on another path.
   */
  htlcSendFailed(source: Extract<HtlcSource, { kind: 'outbound' }>, reason: string): PaymentEvent[] {
    const found = this.#find(source);
    if (found === undefined || found.part.state !== 'inflight') return [];
    const { p, part } = found;
    part.state = 'failed';
    const scid = part.path.hops[0]!.shortChannelId;
    if (p.isProbe) {
      this.#payments.delete(idKey(p.paymentId));
      return [{ kind: 'probe_failed', paymentId: p.paymentId, paymentHash: p.paymentHash, path: part.path, shortChannelId: scid }];
    }
    const events: PaymentEvent[] = [
      { kind: 'payment_path_failed', paymentId: p.paymentId, paymentHash: p.paymentHash, paymentFailedPermanently: false, failure: { kind: 'initial_send', error: reason }, path: part.path, shortChannelId: scid },
    ];
    if (p.state === 'pending') {
      p.retryMsat += pathFinalValueMsat(part.path);
      if (!p.failedScids.includes(scid)) p.failedScids.push(scid);
    }
    return [...events, ...this.#maybeFinish(p)];
  }

  /**
   * A part was fulfilled: PaymentSent at the first preimage (with the fees of
   * the parts not failed), PaymentPathSuccessful for the part, the scorer told.
   */
  htlcFulfilled(source: Extract<HtlcSource, { kind: 'outbound' }>, preimage: Uint8Array, nowMs?: number): PaymentEvent[] {
    const found = this.#find(source);
    if (found === undefined || found.part.state !== 'inflight') return [];
    const { p, part } = found;
    if (!equalBytes(sha256(preimage), p.paymentHash)) return [];
    part.state = 'fulfilled';
    const events: PaymentEvent[] = [];
    if (p.isProbe) {
      // Someone knew the preimage of a probe hash: impossible unless the cookie leaked. Record nothing else.
      this.#payments.delete(idKey(p.paymentId));
      return [];
    }
    if (p.preimage === undefined) {
      p.preimage = preimage.slice();
      p.state = 'fulfilled';
      p.retryMsat = 0n;
      events.push({ kind: 'payment_sent', paymentId: p.paymentId, paymentHash: p.paymentHash, paymentPreimage: p.preimage, feePaidMsat: this.#feesCommitted(p) });
    }
    events.push({ kind: 'payment_path_successful', paymentId: p.paymentId, paymentHash: p.paymentHash, path: part.path });
    if (this.#scorer !== undefined && nowMs !== undefined) this.#scorer.paymentPathSuccessful(part.path, nowMs);
    return [...events, ...this.#maybeFinish(p)];
  }

  /**
   * A part failed downstream (update_fail_htlc or update_fail_malformed_htlc
   * from our peer): the failure is read, PaymentPathFailed emitted, the blamed
   * channel given to the scorer and excluded from retries; a payee refusal
   * ends the payment.
   */
  htlcFailed(source: Extract<HtlcSource, { kind: 'outbound' }>, failure: OutboundFailure, nowMs?: number): PaymentEvent[] {
    const found = this.#find(source);
    if (found === undefined || found.part.state !== 'inflight') return [];
    const { p, part } = found;
    part.state = 'failed';
    const decoded = decodePathFailure(part.path, pathSharedSecrets(part.path, part.sessionKey, this.#secp), failure);
    const scid = decoded.shortChannelId;
    if (p.isProbe) {
      this.#payments.delete(idKey(p.paymentId));
      if (decoded.fromFinalHop && decoded.paymentFailedPermanently) {
        if (this.#scorer !== undefined && nowMs !== undefined) this.#scorer.probeSuccessful(part.path, nowMs);
        return [{ kind: 'probe_successful', paymentId: p.paymentId, paymentHash: p.paymentHash, path: part.path }];
      }
      if (this.#scorer !== undefined && nowMs !== undefined && scid !== undefined) this.#scorer.probeFailed(part.path, scid, nowMs);
      return [{ kind: 'probe_failed', paymentId: p.paymentId, paymentHash: p.paymentHash, path: part.path, ...(scid !== undefined && { shortChannelId: scid }) }];
    }
    if (this.#scorer !== undefined && nowMs !== undefined) {
      if (scid !== undefined) this.#scorer.paymentPathFailed(part.path, scid, nowMs);
      // The payee refused: the path carried the amount all the way (LDK scores it as a successful probe).
      else if (decoded.paymentFailedPermanently && decoded.fromFinalHop) this.#scorer.probeSuccessful(part.path, nowMs);
    }
    if (p.state === 'fulfilled') return this.#maybeFinish(p);
    const events: PaymentEvent[] = [
      {
        kind: 'payment_path_failed',
        paymentId: p.paymentId,
        paymentHash: p.paymentHash,
        paymentFailedPermanently: decoded.paymentFailedPermanently,
        failure: decoded.failure,
        path: part.path,
        ...(scid !== undefined && { shortChannelId: scid }),
      },
    ];
    if (decoded.paymentFailedPermanently) {
      this.#abandon(p, decoded.fromFinalHop ? 'recipient_rejected' : 'unexpected_error');
    } else if (p.state === 'pending') {
      p.retryMsat += pathFinalValueMsat(part.path);
      if (scid !== undefined && !p.failedScids.includes(scid)) p.failedScids.push(scid);
      if (decoded.failedWithinBlindedPath) this.#markBlindedPathFailed(p, part.path);
    }
    return [...events, ...this.#maybeFinish(p)];
  }

  #markBlindedPathFailed(p: Payment, path: Path): void {
    const payee = p.routeParams.paymentParams.payee;
    if (payee.kind !== 'blinded' || path.blindedTail === undefined) return;
    const idx = payee.paths.findIndex((bp) => equalBytes(bp.blindingPoint, path.blindedTail!.blindingPoint));
    if (idx >= 0 && !p.failedBlindedPaths.includes(idx)) p.failedBlindedPaths.push(idx);
  }

  #abandon(p: Payment, reason: PaymentFailureReason): void {
    if (p.state !== 'pending') return;
    p.state = 'abandoned';
    p.abandonReason = reason;
    p.retryMsat = 0n;
  }

  /** The final event once nothing is in flight: PaymentFailed for an abandoned payment; then the idempotency countdown. */
  #maybeFinish(p: Payment): PaymentEvent[] {
    if (p.finished) return [];
    const inflight = [...p.parts.values()].some((x) => x.state === 'inflight');
    if (inflight) return [];
    if (p.state === 'fulfilled') {
      p.finished = true;
      return [];
    }
    if (p.state === 'abandoned') {
      p.finished = true;
      return [{ kind: 'payment_failed', paymentId: p.paymentId, paymentHash: p.paymentHash, reason: p.abandonReason ?? 'unexpected_error' }];
    }
    return [];
  }

  /**
   * The user gives up on a payment: no more retries; PaymentFailed
   * (user_abandoned) once no part is in flight (parts already out may still
   * succeed, then PaymentSent comes instead).
   */
  abandon(paymentId: Uint8Array): PaymentEvent[] {
    const p = this.#payments.get(idKey(paymentId));
    if (p === undefined || p.state !== 'pending') return [];
    this.#abandon(p, 'user_abandoned');
    return this.#maybeFinish(p);
  }

  /**
   * Retries the failed amounts of pending payments on new routes (within each
   * payment's budget); a payment that cannot retry any more is abandoned.
   * Returns the new HTLCs to add and the events.
   */
  async processPendingRetries(env: RoutingEnv): Promise<{ htlcs: OutboundHtlc[]; events: PaymentEvent[] }> {
    const htlcs: OutboundHtlc[] = [];
    const events: PaymentEvent[] = [];
    for (const p of [...this.#payments.values()]) {
      if (p.state !== 'pending' || p.retryMsat === 0n) continue;
      const refusal = retryAllowed(p, env.nowSeconds);
      if (refusal !== undefined) {
        this.#abandon(p, refusal);
        events.push(...this.#maybeFinish(p));
        continue;
      }
      const amount = p.retryMsat;
      if (env.firstHops.length === 0) {
        this.#abandon(p, 'route_not_found');
        events.push(...this.#maybeFinish(p));
        continue;
      }
      let route: Route;
      try {
        route = await this.#route(p, amount, env);
      } catch (e) {
        if (!(e instanceof PaymentError)) throw e;
        this.#abandon(p, 'route_not_found');
        events.push(...this.#maybeFinish(p));
        continue;
      }
      // The payment may have changed while the router answered (a part succeeded, the user abandoned it).
      if (p.state !== 'pending' || p.retryMsat !== amount) continue;
      p.retryMsat = 0n;
      htlcs.push(...this.#launch(p, route, env.height));
    }
    return { htlcs, events };
  }

  /** True when some payment has an amount waiting for a retry. */
  get hasPendingRetries(): boolean {
    for (const p of this.#payments.values()) if (p.state === 'pending' && p.retryMsat > 0n) return true;
    return false;
  }

  /** A timer tick: retry budgets in ticks advance; finished payments release their id after IDEMPOTENCY_TIMEOUT_TICKS. */
  timerTick(): void {
    for (const [key, p] of this.#payments) {
      p.ticks = Math.min(p.ticks + 1, 0xffff);
      if (!p.finished) continue;
      if (p.removeIn <= 0) this.#payments.delete(key);
      else p.removeIn--;
    }
  }

  /**
   * At start-up, an HTLC of ours found in a monitor whose payment this state
   * does not know (the manager was persisted before the payment): it is
   * recreated without retries, so the id stays reserved and the outcome is
   * reported. Returns true when a record was added.
   */
  restoreFromMonitor(source: Extract<HtlcSource, { kind: 'outbound' }>, paymentHash: Uint8Array): boolean {
    const key = idKey(source.paymentId);
    let p = this.#payments.get(key);
    const amount = pathFinalValueMsat(source.path);
    if (p === undefined) {
      p = {
        paymentId: source.paymentId.slice(),
        paymentHash: paymentHash.slice(),
        recipient: {},
        totalMsat: amount,
        routeParams: {
          paymentParams: {
            payee: { kind: 'clear', nodeId: source.path.hops[source.path.hops.length - 1]!.nodeId, routeHints: [], finalCltvExpiryDelta: 0 },
            maxTotalCltvExpiryDelta: pathTotalCltvExpiryDelta(source.path),
            maxPathCount: 1,
            maxChannelSaturationPowerOfHalf: 0,
            previouslyFailedChannels: [],
            previouslyFailedBlindedPathIdxs: [],
          },
          finalValueMsat: amount,
        },
        retry: NO_RETRY,
        isProbe: source.isProbe,
        parts: new Map(),
        state: 'pending',
        attempts: 1,
        ticks: 0,
        retryMsat: 0n,
        failedScids: [],
        failedBlindedPaths: [],
        finished: false,
        removeIn: IDEMPOTENCY_TIMEOUT_TICKS,
      };
      this.#payments.set(key, p);
    }
    const partKey = toHex(source.sessionKey);
    if (p.parts.has(partKey)) return false;
    p.parts.set(partKey, { path: source.path, sessionKey: source.sessionKey.slice(), startHeight: source.startHeight, state: 'inflight' });
    p.finished = false;
    return true;
  }

  /** Serializes every payment and the probing cookie (versioned). */
  write(w: Writer): void {
    w.u8(STATE_VERSION).fixed(this.#probingCookie, 32, 'probing cookie').bigSize(this.#payments.size);
    for (const p of this.#payments.values()) writePayment(w, p);
  }

  /** Reads what {@link write} wrote. */
  static read(r: Reader, options: Omit<OutboundPaymentsOptions, 'probingCookie'>): OutboundPayments {
    readVersion(r, STATE_VERSION, 'outbound payments');
    const probingCookie = readFixed(r, 32, 'probing cookie');
    const out = new OutboundPayments({ ...options, probingCookie });
    const n = readCount(r, 1_000_000, 'payments');
    for (let i = 0; i < n; i++) {
      const p = readPayment(r);
      out.#payments.set(idKey(p.paymentId), p);
    }
    return out;
  }

  /** The bytes of the whole state. */
  encode(): Uint8Array {
    const w = writer();
    this.write(w);
    return w.finish().slice();
  }

  /** Reads {@link encode}'s bytes. @throws PaymentError `invalid_data`, `unsupported_version` */
  static decode(bytes: Uint8Array, options: Omit<OutboundPaymentsOptions, 'probingCookie'>): OutboundPayments {
    return decoding('outbound payments', () => {
      const r = new Reader(bytes);
      const o = OutboundPayments.read(r, options);
      r.end('outbound payments');
      return o;
    });
  }
}

const STATE_VERSION = 1;
const STATES = ['pending', 'fulfilled', 'abandoned'] as const;
const PART_STATES = ['inflight', 'fulfilled', 'failed'] as const;
const REASONS: readonly PaymentFailureReason[] = ['recipient_rejected', 'user_abandoned', 'retries_exhausted', 'payment_expired', 'route_not_found', 'unexpected_error'];

function writeRecords(w: Writer, records: readonly TlvRecord[] | undefined): void {
  w.bigSize(records?.length ?? 0);
  for (const r of records ?? []) w.bigSize(r.type).u16Bytes(r.value);
}

function writePayment(w: Writer, p: Payment): void {
  w.fixed(p.paymentId, 32, 'payment id').fixed(p.paymentHash, 32, 'payment hash');
  writeOptionalBytes(w, p.recipient.paymentSecret);
  writeOptionalBytes(w, p.recipient.paymentMetadata);
  writeOptionalBytes(w, p.recipient.keysendPreimage);
  writeRecords(w, p.recipient.customRecords);
  w.u64(p.totalMsat);
  const json = utf8ToBytes(JSON.stringify(routeParametersToJson(p.routeParams)));
  w.bigSize(json.length).bytes(json);
  w.u8(p.retry.kind === 'attempts' ? 0 : 1).u32(p.retry.kind === 'attempts' ? p.retry.count : p.retry.ticks);
  if (p.expiresAt === undefined) w.u8(0);
  else w.u8(1).u64(BigInt(p.expiresAt));
  w.u8(p.isProbe ? 1 : 0).u8(STATES.indexOf(p.state)).u32(p.attempts).u16(p.ticks).u64(p.retryMsat);
  w.bigSize(p.failedScids.length);
  for (const s of p.failedScids) w.u64(s);
  w.bigSize(p.failedBlindedPaths.length);
  for (const i of p.failedBlindedPaths) w.u32(i);
  writeOptionalBytes(w, p.preimage);
  w.u8(p.abandonReason === undefined ? 0xff : REASONS.indexOf(p.abandonReason)).u8(p.finished ? 1 : 0).u8(Math.max(0, Math.min(p.removeIn, 255)));
  w.bigSize(p.parts.size);
  for (const part of p.parts.values()) {
    w.fixed(part.sessionKey, 32, 'session key').u32(part.startHeight).u8(PART_STATES.indexOf(part.state));
    writePath(w, part.path);
  }
}

function readPayment(r: Reader): Payment {
  const paymentId = readFixed(r, 32, 'payment id');
  const paymentHash = readFixed(r, 32, 'payment hash');
  const paymentSecret = readOptionalBytes(r, 'payment secret');
  const paymentMetadata = readOptionalBytes(r, 'metadata');
  const keysendPreimage = readOptionalBytes(r, 'keysend preimage');
  const nr = readCount(r, 10_000, 'custom records');
  const customRecords: TlvRecord[] = [];
  for (let i = 0; i < nr; i++) customRecords.push({ type: r.bigSize('record type'), value: r.u16Bytes('record').slice() });
  const recipient: RecipientFields = {
    ...(paymentSecret !== undefined && { paymentSecret }),
    ...(paymentMetadata !== undefined && { paymentMetadata }),
    ...(keysendPreimage !== undefined && { keysendPreimage }),
    ...(customRecords.length > 0 && { customRecords }),
  };
  const totalMsat = r.u64('total');
  const jsonLength = readCount(r, 10_000_000, 'route parameters');
  const text = bytesToUtf8(r.bytes(jsonLength, 'route parameters'));
  if (text === undefined) invalid('route parameters are not UTF-8');
  let routeParams: RouteParameters;
  try {
    routeParams = routeParametersFromJson(JSON.parse(text));
  } catch (cause) {
    throw new PaymentError('invalid_data', 'route parameters do not parse', { cause });
  }
  const retryKind = r.u8('retry kind');
  const retryValue = r.u32('retry value');
  if (retryKind > 1) invalid('unknown retry kind');
  const retry: RetryStrategy = retryKind === 0 ? { kind: 'attempts', count: retryValue } : { kind: 'timeout', ticks: retryValue };
  const hasExpiry = readBool(r, 'expiry flag');
  const expiresAt = hasExpiry ? Number(r.u64('expiry')) : undefined;
  const isProbe = readBool(r, 'probe');
  const state = STATES[r.u8('state')] ?? invalid('unknown payment state');
  const attempts = r.u32('attempts');
  const ticks = r.u16('ticks');
  const retryMsat = r.u64('retry amount');
  const nf = readCount(r, 100_000, 'failed channels');
  const failedScids: ShortChannelId[] = [];
  for (let i = 0; i < nf; i++) failedScids.push(readScid(r, 'failed scid'));
  const nb = readCount(r, 100_000, 'failed blinded paths');
  const failedBlindedPaths: number[] = [];
  for (let i = 0; i < nb; i++) failedBlindedPaths.push(r.u32('blinded path index'));
  const preimage = readOptionalBytes(r, 'preimage');
  if (preimage !== undefined && !equalBytes(sha256(preimage), paymentHash)) invalid('the preimage does not match the hash');
  if (state === 'fulfilled' && preimage === undefined) invalid('a fulfilled payment needs its preimage');
  const reasonByte = r.u8('abandon reason');
  const abandonReason = reasonByte === 0xff ? undefined : REASONS[reasonByte] ?? invalid('unknown failure reason');
  const finished = readBool(r, 'finished');
  const removeIn = r.u8('remove in');
  const np = readCount(r, 10_000, 'parts');
  const parts = new Map<string, Part>();
  for (let i = 0; i < np; i++) {
    const sessionKey = readFixed(r, 32, 'session key');
    const startHeight = r.u32('start height');
    const partState = PART_STATES[r.u8('part state')] ?? invalid('unknown part state');
    parts.set(toHex(sessionKey), { sessionKey, startHeight, state: partState, path: readPath(r) });
  }
  return {
    paymentId,
    paymentHash,
    recipient,
    totalMsat,
    routeParams,
    retry,
    ...(expiresAt !== undefined && { expiresAt }),
    isProbe,
    parts,
    state,
    attempts,
    ticks,
    retryMsat,
    failedScids,
    failedBlindedPaths,
    ...(preimage !== undefined && { preimage }),
    ...(abandonReason !== undefined && { abandonReason }),
    finished,
    removeIn,
  };
}

