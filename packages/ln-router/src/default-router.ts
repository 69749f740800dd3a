import { shortChannelId, type NodeId } from 'ln-types';
import { supportsFeature } from 'ln-wire';
import {
  RouteError,
  type BlindedTail,
  type FirstHop,
  type InFlightHtlcs,
  type NetworkGraphView,
  type Path,
  type Route,
  type RouteHop,
  type RouteParameters,
  type Router,
  type ScoreLookUp,
} from 'ln-router-api';
import { FINAL_PAYLOAD_BYTES, blindedPayloadBytes, maxRouteHops } from './onion-size.js';
import { evaluatePath, largestDeliverable, usePath, type PathAmounts } from './path-amounts.js';
import { PathSearch, SearchBuffers, type SearchRequest, type Step } from './pathfind.js';
import { SearchSpace, msatNumber, requireParam } from './search-space.js';

/** Tuning of the router. */
export interface DefaultRouterOptions {
  /** Most searches one multi-path query may run (default 8 per allowed path). */
  readonly maxSearchesPerPath?: number;
}

const EMPTY = new Uint8Array(0);

/**
 * The default Router: Dijkstra's search backwards from the payee over the
 * graph view, costs being fees plus the scorer's penalties, with multi-path
 * splitting when one path cannot carry the amount or when halves cost less
 * (fees plus penalties) than one path. Synchronous; the view and
 * scorer are read during the call only.
 */
export class DefaultRouter implements Router {
  constructor(
    private view: NetworkGraphView,
    private readonly scorer: ScoreLookUp,
    private readonly options: DefaultRouterOptions = {},
  ) {}

  /** Switches to a new graph view (e.g. a fresher snapshot). */
  setGraph(view: NetworkGraphView): void {
    this.view = view;
  }

  findRoute(payer: NodeId, params: RouteParameters, firstHops: readonly FirstHop[] | undefined, inFlightHtlcs: InFlightHtlcs): Route {
    const pp = params.paymentParams;
    const final = params.finalValueMsat;
    requireParam(final > 0n && final <= BigInt(Number.MAX_SAFE_INTEGER), 'finalValueMsat must be in [1, 2^53 - 1]');
    requireParam(Number.isInteger(pp.maxPathCount) && pp.maxPathCount >= 1, 'maxPathCount must be at least 1');
    requireParam(Number.isInteger(pp.maxChannelSaturationPowerOfHalf) && pp.maxChannelSaturationPowerOfHalf >= 0 && pp.maxChannelSaturationPowerOfHalf <= 64, 'maxChannelSaturationPowerOfHalf out of range');
    const payee = pp.payee;
    if (payee.features !== undefined && payee.kind === 'clear' && !supportsFeature(payee.features, 'var_onion_optin')) {
      throw new RouteError('payee_unsupported', 'the payee does not support variable-length onions');
    }

    const space = new SearchSpace(this.view, payer, this.workspaceFor(this.view));
    try {
      return this.route(space, params, firstHops, inFlightHtlcs);
    } finally {
      space.release();
    }
  }

  /** Arrays reused across queries on the same view (given back zeroed by each query). */
  private workspace: { view: NetworkGraphView; banned: Uint8Array; publicUsed: Float64Array; search: SearchBuffers } | undefined;

  private workspaceFor(view: NetworkGraphView): { banned: Uint8Array; publicUsed: Float64Array } {
    if (this.workspace?.view !== view || this.workspace.banned.length < view.channelCount) {
      this.workspace = {
        view,
        banned: new Uint8Array(view.channelCount),
        publicUsed: new Float64Array(view.channelCount * 2),
        search: new SearchBuffers(view.nodeCount + 64),
      };
    }
    return this.workspace;
  }

  private route(
    space: SearchSpace,
    params: RouteParameters,
    firstHops: readonly FirstHop[] | undefined,
    inFlightHtlcs: InFlightHtlcs,
  ): Route {
    const pp = params.paymentParams;
    const final = params.finalValueMsat;
    const payee = pp.payee;
    // BOLT 9: basic_mpp depends on payment_secret (the parts carry it with the total); a payee
    // that advertises one without the other gets a single path.
    const mppAllowed = payee.features !== undefined && supportsFeature(payee.features, 'basic_mpp') && supportsFeature(payee.features, 'payment_secret');
    const maxPaths = mppAllowed ? pp.maxPathCount : 1;
    if (firstHops !== undefined) space.addFirstHops(firstHops);
    space.banChannels(pp.previouslyFailedChannels);
    let target: number;
    let targetCltv: number;
    let targetHops: number;
    let payeeSlot = -1;
    let tailBytes: number;
    if (payee.kind === 'clear') {
      payeeSlot = space.slotOf(payee.nodeId);
      if (payeeSlot === space.payer) throw new RouteError('payer_is_payee', 'cannot route a payment to ourselves');
      for (const hint of payee.routeHints) space.addRouteHint(hint, payeeSlot);
      target = payeeSlot;
      targetCltv = payee.finalCltvExpiryDelta;
      targetHops = 0;
      tailBytes = FINAL_PAYLOAD_BYTES;
    } else {
      target = space.anonymousSlot();
      targetCltv = 0;
      targetHops = -1;
      const failed = new Set(pp.previouslyFailedBlindedPathIdxs);
      payee.paths.forEach((p, i) => {
        if (!failed.has(i)) space.addBlindedPath(p, i, target);
      });
      // One bound for all blinded paths: the largest tail decides.
      tailBytes = Math.max(0, ...payee.paths.map(blindedPayloadBytes));
    }
    space.finish(inFlightHtlcs);
    requireParam(targetCltv <= pp.maxTotalCltvExpiryDelta, 'the final cltv delta exceeds maxTotalCltvExpiryDelta');

    let buffers = this.workspace!.search;
    if (buffers.capacity < space.nodeTotal) buffers = this.workspace!.search = new SearchBuffers(space.nodeTotal + 64);
    const search = new PathSearch(space, this.scorer, buffers);
    const maxFee = params.maxTotalRoutingFeeMsat === undefined ? Number.MAX_SAFE_INTEGER : msatNumber(params.maxTotalRoutingFeeMsat);
    const baseRequest = {
      target,
      targetCltv,
      targetHops,
      maxCltv: pp.maxTotalCltvExpiryDelta,
      maxHops: maxRouteHops(tailBytes),
    };
    const collect = (saturationShift: number, shares: Shares = WHOLE) => {
      space.resetUsage();
      const request = { ...baseRequest, saturationShift };
      return this.collectPaths(space, search, request, Number(final), maxPaths, maxFee, params.maxTotalRoutingFeeMsat !== undefined, shares);
    };
    let chosen: ChosenPath[];
    // A single path may use a channel's whole capacity. Paths of a split keep
    // to the saturation limit first, then (like LDK) try again without it
    // rather than fail.
    const shift = maxPaths === 1 ? 0 : pp.maxChannelSaturationPowerOfHalf;
    try {
      chosen = collect(shift);
    } catch (e) {
      if (shift === 0 || !noRoute(e)) throw e;
      chosen = collect(0);
    }
    // One path carries it all: a split may still be cheaper, when the amount is
    // large for the channels (the scorer's penalties fall with the share), or
    // when a cheaper path carries only part of it. Two candidates: paths
    // searched for half the amount and kept to it, and paths searched for half
    // and then filled to what they can carry. The cheapest of the three wins.
    if (maxPaths > 1 && chosen.length === 1 && final >= 2n) {
      const half = Math.ceil(Number(final) / 2);
      for (const shares of [{ search: half, deliver: half }, { search: half, deliver: Infinity }]) {
        try {
          const split = collect(shift, shares);
          if (totalCost(split) < totalCost(chosen)) chosen = split;
        } catch (e) {
          if (!noRoute(e)) throw e;
        }
      }
    }
    return { paths: chosen.map((p) => this.toPath(space, p.steps, p.amounts, params, payeeSlot)) };
  }

  /**
   * Collects paths until they deliver `final` msat (or throws `no_route`): each
   * searched for at most `shares.search` msat, and delivering at most `shares.deliver`.
   */
  private collectPaths(
    space: SearchSpace,
    search: PathSearch,
    base: Omit<SearchRequest, 'amountMsat' | 'feeBudgetMsat'>,
    final: number,
    maxPaths: number,
    maxFee: number,
    hasFeeLimit: boolean,
    shares: Shares,
  ): ChosenPath[] {
    const chosen: ChosenPath[] = [];
    let remaining = final;
    let feeBudget = maxFee;
    let searches = 0;
    const searchLimit = maxPaths * (this.options.maxSearchesPerPath ?? 8);
    let feeLimited = false;
    while (remaining > 0) {
      if (chosen.length >= maxPaths) throw new RouteError('no_route', `no route for ${final} msat within ${maxPaths} paths`);
      const pathsLeft = maxPaths - chosen.length;
      // The smallest share worth searching for: below it, the remaining paths could not carry the rest.
      const floor = Math.max(1, Math.ceil(remaining / pathsLeft / 16));
      const share = Math.min(remaining, shares.deliver);
      let amount = Math.min(share, shares.search);
      let found: ChosenPath | undefined;
      while (found === undefined && amount >= floor && searches < searchLimit) {
        searches++;
        const req: SearchRequest = { ...base, amountMsat: amount, feeBudgetMsat: feeBudget };
        const steps = search.search(req);
        if (steps !== undefined) {
          const deliver = amount < share ? largestDeliverable(space, steps, amount, share, req) : amount;
          const amounts = evaluatePath(space, steps, deliver, req);
          // Costed before usePath: the path's own liquidity is not in flight yet.
          if (amounts !== undefined) found = { steps, amounts, cost: search.pathCost(steps, amounts.amounts, amounts.feeMsat) };
        } else if (hasFeeLimit) {
          feeLimited = true;
        }
        if (found === undefined) {
          if (maxPaths === 1) break;
          if (amount === Math.min(share, shares.search) && Math.ceil(amount / 2) > floor) {
            // Before halving step by step, check that the smallest share can
            // get through at all: a payment that cannot route fails after two
            // searches per attempt instead of a dozen.
            searches++;
            if (search.search({ ...base, amountMsat: floor, feeBudgetMsat: feeBudget }) === undefined) break;
          }
          amount = Math.ceil(amount / 2);
        }
      }
      if (found === undefined) {
        const why = feeLimited ? ' within the fee limit' : '';
        throw new RouteError('no_route', `no route for ${final} msat${why} (${remaining} msat left unrouted)`);
      }
      usePath(space, found.steps, found.amounts.amounts);
      chosen.push(found);
      remaining -= found.amounts.amounts[found.amounts.amounts.length - 1]!;
      feeBudget -= found.amounts.feeMsat;
    }
    return chosen;
  }

  private toPath(space: SearchSpace, steps: readonly Step[], a: PathAmounts, params: RouteParameters, payeeSlot: number): Path {
    const view = space.view;
    const payee = params.paymentParams.payee;
    const hops: RouteHop[] = [];
    let blindedTail: BlindedTail | undefined;
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i]!;
      const amount = a.amounts[i]!;
      const nextAmount = i + 1 < steps.length ? a.amounts[i + 1]! : amount;
      if (step.extra >= 0) {
        const e = space.extra[step.extra]!;
        if (e.kind === 'blinded' && payee.kind === 'blinded') {
          const bp = payee.paths[e.blindedIndex]!;
          blindedTail = {
            hops: bp.hops.map((h) => ({ blindedNodeId: h.blindedNodeId, encryptedPayload: h.encryptedPayload })),
            blindingPoint: bp.blindingPoint,
            excessFinalCltvExpiryDelta: 0,
            finalValueMsat: BigInt(amount),
          };
          continue;
        }
      }
      const to = step.to;
      let nodeFeatures: Uint8Array = EMPTY;
      if (to === payeeSlot && payee.features !== undefined) nodeFeatures = payee.features;
      else if (step.extra >= 0 && space.extra[step.extra]!.targetFeatures !== undefined) nodeFeatures = space.extra[step.extra]!.targetFeatures!;
      else if (to < view.nodeCount) nodeFeatures = view.nodeFeatures(to);
      const publicHop = step.extra < 0;
      hops.push({
        nodeId: space.idOf(to),
        nodeFeatures,
        shortChannelId: publicHop ? view.channelScid(step.channel) : shortChannelId(space.extra[step.extra]!.shortChannelId),
        channelFeatures: publicHop ? view.channelFeatures(step.channel) : space.extra[step.extra]!.channelFeatures,
        amountMsat: BigInt(amount),
        feeMsat: BigInt(amount - nextAmount),
        cltvExpiryDelta: a.cltvs[i]!,
        announced: publicHop,
      });
    }
    return blindedTail === undefined ? { hops } : { hops, blindedTail };
  }
}

/** How much each path of a split is searched for, and how much it may deliver (msat). */
interface Shares {
  readonly search: number;
  readonly deliver: number;
}

const WHOLE: Shares = { search: Infinity, deliver: Infinity };

/** A path of a route being built, with its amounts and its cost (fees plus penalties). */
interface ChosenPath {
  readonly steps: Step[];
  readonly amounts: PathAmounts;
  readonly cost: number;
}

function totalCost(paths: readonly ChosenPath[]): number {
  return paths.reduce((sum, p) => sum + p.cost, 0);
}

function noRoute(e: unknown): boolean {
  return e instanceof RouteError && e.code === 'no_route';
}
