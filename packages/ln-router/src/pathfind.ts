import type { CandidateHop, ChannelUsage, Direction, ScoreLookUp } from 'ln-router-api';
import { forwardingFeeMsat } from './fees.js';
import { IndexedMinHeap } from './heap.js';
import type { SearchSpace } from './search-space.js';

/** One channel of a found path, from `from` to `to` (node slots). */
export interface Step {
  /** Extra edge index, or -1 for a public channel. */
  readonly extra: number;
  /** Public channel index (-1 for an extra edge). */
  readonly channel: number;
  readonly dir: Direction;
  readonly from: number;
  readonly to: number;
}

/** What one search looks for. */
export interface SearchRequest {
  /** The slot the search starts from (the payee, or the anonymous target behind blinded paths). */
  readonly target: number;
  /** Amount that must arrive at the target, msat. */
  readonly amountMsat: number;
  /** Cltv delta required at the target (the payee's final delta; 0 behind blinded paths). */
  readonly targetCltv: number;
  /** RouteHops after the target: 0 for a payee, -1 for the blinded target (its edge is not a hop). */
  readonly targetHops: number;
  /** A public channel may carry at most capacity / 2^shift in total. */
  readonly saturationShift: number;
  readonly maxCltv: number;
  readonly maxHops: number;
  /** Largest total fee, msat. */
  readonly feeBudgetMsat: number;
}

/** The policy of a step as numbers. */
export interface StepPolicy {
  feeBaseMsat: number;
  feeProportionalMillionths: number;
  cltvExpiryDelta: number;
  htlcMinimumMsat: number;
  htlcMaximumMsat: number;
  /** Total the direction may carry (saturation applied), before usage. */
  limitMsat: number;
  usedMsat: number;
}

/** Fills `out` with the policy and usage of a step. */
export function stepPolicy(space: SearchSpace, step: Step, saturationShift: number, out: StepPolicy): StepPolicy {
  if (step.extra >= 0) {
    const e = space.extra[step.extra]!;
    out.feeBaseMsat = e.feeBaseMsat;
    out.feeProportionalMillionths = e.feeProportionalMillionths;
    out.cltvExpiryDelta = e.cltvExpiryDelta;
    out.htlcMinimumMsat = e.htlcMinimumMsat;
    out.htlcMaximumMsat = e.htlcMaximumMsat;
    out.limitMsat = e.liquidityMsat;
    out.usedMsat = space.extraUsed[step.extra]!;
    return out;
  }
  const v = space.view;
  const c = step.channel;
  const d = step.dir;
  out.feeBaseMsat = v.policyFeeBaseMsat(c, d);
  out.feeProportionalMillionths = v.policyFeeProportionalMillionths(c, d);
  out.cltvExpiryDelta = v.policyCltvExpiryDelta(c, d);
  out.htlcMinimumMsat = v.policyHtlcMinimumMsat(c, d);
  out.htlcMaximumMsat = v.policyHtlcMaximumMsat(c, d);
  const capSat = v.channelCapacitySat(c);
  out.limitMsat = capSat < 0 ? Number.MAX_SAFE_INTEGER : Math.floor((capSat * 1000) / 2 ** saturationShift);
  out.usedMsat = space.publicUsed[c * 2 + d]!;
  return out;
}

/** Label arrays and heap for searches over up to `capacity` node slots, reused across queries. */
export class SearchBuffers {
  readonly cost: Float64Array;
  readonly amt: Float64Array;
  readonly fee: Float64Array;
  readonly cltv: Float64Array;
  readonly hops: Int16Array;
  readonly viaExtra: Int32Array;
  readonly viaChannel: Int32Array;
  readonly next: Int32Array;
  readonly settled: Uint8Array;
  readonly heap: IndexedMinHeap;

  constructor(readonly capacity: number) {
    this.cost = new Float64Array(capacity);
    this.amt = new Float64Array(capacity);
    this.fee = new Float64Array(capacity);
    this.cltv = new Float64Array(capacity);
    this.hops = new Int16Array(capacity);
    this.viaExtra = new Int32Array(capacity);
    this.viaChannel = new Int32Array(capacity);
    this.next = new Int32Array(capacity);
    this.settled = new Uint8Array(capacity);
    this.heap = new IndexedMinHeap(capacity);
  }
}

/**
 * Dijkstra's search run backwards from the payee over one query's search
 * space, with labels in reusable buffers.
 */
export class PathSearch {
  private readonly candidate: CandidateHop = { kind: 'public', channelIndex: -1, direction: 0, shortChannelId: undefined };
  private readonly usage: ChannelUsage = { amountMsat: 0, inflightHtlcMsat: 0, effectiveCapacityMsat: 0 };

  constructor(
    private readonly space: SearchSpace,
    private readonly scorer: ScoreLookUp,
    private readonly buf: SearchBuffers = new SearchBuffers(space.nodeTotal),
  ) {}

  /** The cheapest path (fees plus penalties) from the payer to the target, or undefined. */
  search(req: SearchRequest): Step[] | undefined {
    const { space } = this;
    const view = space.view;
    const payer = space.payer;
    const { cost, amt, fee, cltv, hops, viaExtra, viaChannel, next, settled, heap } = this.buf;
    const n = space.nodeTotal;
    cost.fill(Infinity, 0, n);
    settled.fill(0, 0, n);
    heap.clear();
    const t = req.target;
    cost[t] = 0;
    amt[t] = req.amountMsat;
    fee[t] = 0;
    cltv[t] = req.targetCltv;
    hops[t] = req.targetHops;
    next[t] = -1;
    heap.push(t, 0);
    const graphNodes = view.nodeCount;
    const skipPayerPublic = space.skipPayerPublic;
    const shift = 2 ** req.saturationShift;
    const candidate = this.candidate;
    const usage = this.usage;
    const scorer = this.scorer;

    // Relaxes the edge u -> v (u's policy) given v's settled label.
    const relax = (
      u: number,
      v: number,
      extra: number,
      channel: number,
      base: number,
      prop: number,
      delta: number,
      used: number,
      effectiveCapacity: number,
    ): void => {
      const av = amt[v]!;
      let penalty = 0;
      if (extra < 0 || space.extra[extra]!.kind !== 'first_hop') {
        usage.amountMsat = av;
        usage.inflightHtlcMsat = used;
        usage.effectiveCapacityMsat = effectiveCapacity;
        penalty = scorer.channelPenaltyMsat(candidate, usage);
        if (!(penalty < Infinity)) return;
      }
      let newCost: number;
      if (u === payer) {
        if (hops[v]! + 1 > req.maxHops) return;
        newCost = cost[v]! + penalty;
        if (newCost < cost[u]!) {
          cost[u] = newCost;
          amt[u] = av;
          fee[u] = fee[v]!;
          cltv[u] = cltv[v]!;
          hops[u] = hops[v]! + 1;
          viaExtra[u] = extra;
          viaChannel[u] = channel;
          next[u] = v;
          heap.push(u, newCost);
        }
        return;
      }
      if (hops[v]! + 2 > req.maxHops) return;
      const f = forwardingFeeMsat(base, prop, av);
      const feeTotal = fee[v]! + f;
      if (feeTotal > req.feeBudgetMsat) return;
      const c = cltv[v]! + delta;
      if (c > req.maxCltv) return;
      newCost = cost[v]! + f + penalty;
      if (newCost < cost[u]!) {
        cost[u] = newCost;
        amt[u] = av + f;
        fee[u] = feeTotal;
        cltv[u] = c;
        hops[u] = hops[v]! + 1;
        viaExtra[u] = extra;
        viaChannel[u] = channel;
        next[u] = v;
        heap.push(u, newCost);
      }
    };

    while (heap.length > 0) {
      const v = heap.pop();
      if (v === payer) return this.walk();
      settled[v] = 1;
      const av = amt[v]!;
      if (v < graphNodes) {
        const degree = view.nodeChannelCount(v);
        for (let k = 0; k < degree; k++) {
          const c = view.nodeChannelAt(v, k);
          if (space.banned[c] === 1) continue;
          const n1 = view.channelNode1(c);
          const u = n1 === v ? view.channelNode2(c) : n1;
          if (settled[u] === 1) continue;
          if (u === payer && skipPayerPublic) continue;
          const d: Direction = n1 === v ? 1 : 0;
          if (!view.policyEnabled(c, d)) continue;
          if (av < view.policyHtlcMinimumMsat(c, d)) continue;
          const htlcMax = view.policyHtlcMaximumMsat(c, d);
          if (av > htlcMax) continue;
          const used = space.publicUsed[c * 2 + d]!;
          const capSat = view.channelCapacitySat(c);
          let effective = htlcMax;
          if (capSat >= 0) {
            const capMsat = capSat * 1000;
            if (av + used > Math.floor(capMsat / shift)) continue;
            effective = Math.min(htlcMax, capMsat);
          }
          candidate.kind = 'public';
          candidate.channelIndex = c;
          candidate.direction = d;
          candidate.shortChannelId = undefined;
          relax(
            u,
            v,
            -1,
            c,
            view.policyFeeBaseMsat(c, d),
            view.policyFeeProportionalMillionths(c, d),
            view.policyCltvExpiryDelta(c, d),
            used,
            effective,
          );
        }
      }
      const incoming = space.extraIn.get(v);
      if (incoming !== undefined) {
        for (const i of incoming) {
          const e = space.extra[i]!;
          const u = e.source;
          if (settled[u] === 1) continue;
          if (av < e.htlcMinimumMsat || av > e.htlcMaximumMsat) continue;
          const used = space.extraUsed[i]!;
          if (av + used > e.liquidityMsat) continue;
          candidate.kind = e.kind;
          candidate.channelIndex = -1;
          candidate.direction = 0;
          candidate.shortChannelId = e.shortChannelId;
          relax(u, v, i, -1, e.feeBaseMsat, e.feeProportionalMillionths, e.cltvExpiryDelta, used, e.liquidityMsat);
        }
      }
    }
    return undefined;
  }

  /**
   * What the search would charge for a fixed path carrying `amounts` (see
   * evaluatePath): its fees plus every hop's scorer penalty, with the liquidity
   * already used by earlier paths of the same route as in-flight. Used to
   * compare a single path with a split.
   */
  pathCost(steps: readonly Step[], amounts: readonly number[], feeMsat: number): number {
    const { space, candidate, usage, scorer } = this;
    const view = space.view;
    let total = feeMsat;
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i]!;
      usage.amountMsat = amounts[i]!;
      if (step.extra < 0) {
        const c = step.channel;
        const d = step.dir;
        const htlcMax = view.policyHtlcMaximumMsat(c, d);
        const capSat = view.channelCapacitySat(c);
        candidate.kind = 'public';
        candidate.channelIndex = c;
        candidate.direction = d;
        candidate.shortChannelId = undefined;
        usage.inflightHtlcMsat = space.publicUsed[c * 2 + d]!;
        usage.effectiveCapacityMsat = capSat >= 0 ? Math.min(htlcMax, capSat * 1000) : htlcMax;
      } else {
        const e = space.extra[step.extra]!;
        if (e.kind === 'first_hop') continue;
        candidate.kind = e.kind;
        candidate.channelIndex = -1;
        candidate.direction = 0;
        candidate.shortChannelId = e.shortChannelId;
        usage.inflightHtlcMsat = space.extraUsed[step.extra]!;
        usage.effectiveCapacityMsat = e.liquidityMsat;
      }
      total += scorer.channelPenaltyMsat(candidate, usage);
    }
    return total;
  }

  private walk(): Step[] {
    const steps: Step[] = [];
    const view = this.space.view;
    const { next, viaExtra, viaChannel } = this.buf;
    let u = this.space.payer;
    while (next[u]! >= 0) {
      const to = next[u]!;
      const extra = viaExtra[u]!;
      const channel = viaChannel[u]!;
      const dir: Direction = extra >= 0 ? 0 : view.channelNode1(channel) === u ? 0 : 1;
      steps.push({ extra, channel, dir, from: u, to });
      u = to;
    }
    return steps;
  }
}
