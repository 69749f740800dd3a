import { compareBytes, equalBytes, type ShortChannelId } from 'ln-types';
import type { CandidateHop, ChannelUsage, Direction, NetworkGraphView, Path, Score } from 'ln-router-api';
import {
  BUCKETS,
  currentBounds,
  historicalSuccessProbability,
  newDirectionLiquidity,
  recordBuckets,
  settle,
  settleBuckets,
  uniformSuccessProbability,
  type DirectionLiquidity,
} from './liquidity.js';
import { RouterDataError } from '../errors.js';

/** Penalty weights and decay of the ProbabilisticScorer (defaults after LDK's). */
export interface ProbabilisticScoringParams {
  /** Flat penalty per hop, msat (default 1000). */
  readonly basePenaltyMsat: number;
  /** Penalty per hop per 2^30 msat sent (default 8192). */
  readonly basePenaltyAmountMultiplierMsat: number;
  /** Multiplies -log10(success probability) (default 30,000). */
  readonly liquidityPenaltyMultiplierMsat: number;
  /** Multiplies -log10(probability) per 2^20 msat sent (default 192). */
  readonly liquidityPenaltyAmountMultiplierMsat: number;
  /** Multiplies -log10(historical probability) (default 10,000). */
  readonly historicalLiquidityPenaltyMultiplierMsat: number;
  /** Multiplies -log10(historical probability) per 2^20 msat (default 1,250). */
  readonly historicalLiquidityPenaltyAmountMultiplierMsat: number;
  /** Learned bounds halve towards "unknown" every this many ms (default 6 hours). */
  readonly liquidityOffsetHalfLifeMs: number;
  /** Historical buckets halve every this many ms without updates (default 14 days). */
  readonly historicalNoUpdatesHalfLifeMs: number;
}

/** The defaults. */
export const DEFAULT_PROBABILISTIC_SCORING_PARAMS: ProbabilisticScoringParams = {
  basePenaltyMsat: 1000,
  basePenaltyAmountMultiplierMsat: 8192,
  liquidityPenaltyMultiplierMsat: 30_000,
  liquidityPenaltyAmountMultiplierMsat: 192,
  historicalLiquidityPenaltyMultiplierMsat: 10_000,
  historicalLiquidityPenaltyAmountMultiplierMsat: 1_250,
  liquidityOffsetHalfLifeMs: 6 * 3600_000,
  historicalNoUpdatesHalfLifeMs: 14 * 24 * 3600_000,
};

/** -log10 of probabilities below 1% counts as 1% (LDK's bound): penalties stay finite. */
const NEGATIVE_LOG10_UPPER_BOUND = 2;
const TWO_POW_20 = 2 ** 20;
const TWO_POW_30 = 2 ** 30;

interface ChannelEntry {
  readonly scid: ShortChannelId;
  readonly dirs: [DirectionLiquidity | undefined, DirectionLiquidity | undefined];
}

/**
 * Scores public channels by the probability that they can forward an amount,
 * learning liquidity bounds from payment and probe outcomes (they decay over
 * a half-life) and keeping a history of bounds in 32 buckets per direction
 * (decaying much more slowly). Keyed by short channel id; the graph view
 * gives capacities and maps a candidate's channel index to its scid.
 *
 * Choices: a success records that the hop had at least the amount (the
 * probability of that amount rises); a failure at a hop records that it had
 * less, and that the hops before it had at least what they carried. Channels
 * not in the graph (route hints, blinded paths) get the base penalty only.
 */
export class ProbabilisticScorer implements Score {
  readonly params: ProbabilisticScoringParams;
  private readonly byScid = new Map<bigint, ChannelEntry>();
  /** Channel index -> entry, so a lookup for a channel without data costs one array read. */
  private byIndex: (ChannelEntry | undefined)[] = [];
  private nowMs: number;
  private readonly bounds: [number, number] = [0, 0];

  constructor(private view: NetworkGraphView, params: Partial<ProbabilisticScoringParams> = {}, nowMs = 0) {
    this.params = { ...DEFAULT_PROBABILISTIC_SCORING_PARAMS, ...params };
    this.nowMs = nowMs;
  }

  /** Rebinds to a new view of the graph (indexes are re-resolved). */
  setGraph(view: NetworkGraphView): void {
    this.view = view;
    this.byIndex = [];
    for (const e of this.byScid.values()) this.indexEntry(e);
  }

  /** Number of channels with learned data. */
  get size(): number {
    return this.byScid.size;
  }

  channelPenaltyMsat(candidate: CandidateHop, usage: ChannelUsage): number {
    const p = this.params;
    const amount = usage.amountMsat + usage.inflightHtlcMsat;
    let penalty = p.basePenaltyMsat + (p.basePenaltyAmountMultiplierMsat * amount) / TWO_POW_30;
    const c = candidate.channelIndex;
    if (candidate.kind !== 'public' || c < 0) return penalty;
    const capSat = this.view.channelCapacitySat(c);
    const capacity = capSat >= 0 ? capSat * 1000 : usage.effectiveCapacityMsat;
    if (amount > capacity) return Infinity;
    const entry = this.byIndex[c];
    const liquidity = entry?.dirs[candidate.direction];
    let prob: number;
    if (liquidity === undefined) {
      prob = uniformSuccessProbability(amount, 0, capacity);
    } else {
      const [min, max] = currentBounds(liquidity, capacity, this.nowMs, p.liquidityOffsetHalfLifeMs, this.bounds);
      prob = uniformSuccessProbability(amount, min, max);
    }
    const amountUnits = amount / TWO_POW_20;
    penalty += (p.liquidityPenaltyMultiplierMsat + p.liquidityPenaltyAmountMultiplierMsat * amountUnits) * negLog10(prob);
    if (liquidity !== undefined && capacity > 0) {
      const hist = historicalSuccessProbability(liquidity, amount / capacity);
      if (hist !== undefined) {
        penalty += (p.historicalLiquidityPenaltyMultiplierMsat + p.historicalLiquidityPenaltyAmountMultiplierMsat * amountUnits) * negLog10(hist);
      }
    }
    return penalty;
  }

  /** The current success probability the scorer assigns (for tests and display); 1 for unknown channels. */
  successProbability(scid: ShortChannelId, direction: Direction, amountMsat: number): number {
    const c = this.view.channelIndex(scid);
    if (c < 0) return 1;
    const capacity = this.view.channelCapacitySat(c) * 1000;
    const l = this.byScid.get(scid)?.dirs[direction];
    if (l === undefined) return uniformSuccessProbability(amountMsat, 0, capacity);
    const [min, max] = currentBounds(l, capacity, this.nowMs, this.params.liquidityOffsetHalfLifeMs, this.bounds);
    return uniformSuccessProbability(amountMsat, min, max);
  }

  /** The historical success probability, or undefined without history. */
  historicalSuccessProbability(scid: ShortChannelId, direction: Direction, amountMsat: number): number | undefined {
    const c = this.view.channelIndex(scid);
    const l = this.byScid.get(scid)?.dirs[direction];
    if (c < 0 || l === undefined) return undefined;
    return historicalSuccessProbability(l, amountMsat / (this.view.channelCapacitySat(c) * 1000));
  }

  paymentPathFailed(path: Path, shortChannelId: ShortChannelId, nowMs: number): void {
    this.failedAt(path, shortChannelId, nowMs);
  }
  paymentPathSuccessful(path: Path, nowMs: number): void {
    this.succeeded(path, nowMs);
  }
  probeFailed(path: Path, shortChannelId: ShortChannelId, nowMs: number): void {
    this.failedAt(path, shortChannelId, nowMs);
  }
  probeSuccessful(path: Path, nowMs: number): void {
    this.succeeded(path, nowMs);
  }
  timePassed(nowMs: number): void {
    if (nowMs > this.nowMs) this.nowMs = nowMs;
  }

  private failedAt(path: Path, scid: ShortChannelId, nowMs: number): void {
    this.timePassed(nowMs);
    const k = path.hops.findIndex((h) => h.shortChannelId === scid);
    if (k < 0) return;
    for (let i = 0; i <= k; i++) {
      const hop = this.hopDirection(path, i);
      if (hop === undefined) continue;
      const amount = Number(path.hops[i]!.amountMsat);
      if (i < k) this.setMin(hop.c, hop.d, amount);
      else {
        this.setMax(hop.c, hop.d, amount - 1);
        // What could not go one way is on the other side.
        this.setMin(hop.c, (1 - hop.d) as Direction, this.view.channelCapacitySat(hop.c) * 1000 - amount + 1);
      }
    }
  }

  private succeeded(path: Path, nowMs: number): void {
    this.timePassed(nowMs);
    for (let i = 0; i < path.hops.length; i++) {
      const hop = this.hopDirection(path, i);
      if (hop !== undefined) this.setMin(hop.c, hop.d, Number(path.hops[i]!.amountMsat));
    }
  }

  /** The public channel and direction of hop i, or undefined if it is not in the graph. */
  private hopDirection(path: Path, i: number): { c: number; d: Direction } | undefined {
    const hop = path.hops[i]!;
    const c = this.view.channelIndex(hop.shortChannelId);
    if (c < 0 || this.view.channelCapacitySat(c) < 0) return undefined;
    const to = hop.nodeId;
    const n1 = this.view.nodeId(this.view.channelNode1(c));
    if (i > 0) {
      const from = path.hops[i - 1]!.nodeId;
      return { c, d: compareBytes(from, to) < 0 ? 0 : 1 };
    }
    // The payer is not in the path: the target's side tells the direction.
    return { c, d: equalBytes(n1, to) ? 1 : 0 };
  }

  private liquidity(c: number, d: Direction): DirectionLiquidity {
    const scid = this.view.channelScid(c);
    let entry = this.byScid.get(scid);
    if (entry === undefined) {
      entry = { scid, dirs: [undefined, undefined] };
      this.byScid.set(scid, entry);
      this.byIndex[c] = entry;
    }
    let l = entry.dirs[d];
    if (l === undefined) l = entry.dirs[d] = newDirectionLiquidity(this.nowMs);
    settle(l, this.nowMs, this.params.liquidityOffsetHalfLifeMs);
    settleBuckets(l, this.nowMs, this.params.historicalNoUpdatesHalfLifeMs);
    return l;
  }

  private setMin(c: number, d: Direction, amount: number): void {
    const cap = this.view.channelCapacitySat(c) * 1000;
    const l = this.liquidity(c, d);
    const min = Math.max(0, Math.min(cap, amount));
    if (min <= l.minMsat) return recordBuckets(l, cap);
    l.minMsat = min;
    // A lower bound above the upper one: the newer observation wins.
    if (cap - l.maxOffsetMsat < min) l.maxOffsetMsat = 0;
    recordBuckets(l, cap);
  }

  private setMax(c: number, d: Direction, amount: number): void {
    const cap = this.view.channelCapacitySat(c) * 1000;
    const l = this.liquidity(c, d);
    const max = Math.max(0, Math.min(cap, amount));
    if (cap - max <= l.maxOffsetMsat) return recordBuckets(l, cap);
    l.maxOffsetMsat = cap - max;
    if (l.minMsat > max) l.minMsat = 0;
    recordBuckets(l, cap);
  }

  private indexEntry(e: ChannelEntry): void {
    const c = this.view.channelIndex(e.scid);
    if (c >= 0) this.byIndex[c] = e;
  }

  /** Serializes what was learned (versioned JSON in UTF-8), for a KVStore. */
  serialize(): Uint8Array {
    const channels: unknown[] = [];
    for (const e of this.byScid.values()) {
      e.dirs.forEach((l, d) => {
        if (l !== undefined) {
          channels.push([e.scid.toString(), d, l.minMsat, l.maxOffsetMsat, l.updatedMs, l.bucketsUpdatedMs, [...l.minBuckets], [...l.maxBuckets]]);
        }
      });
    }
    return new TextEncoder().encode(JSON.stringify({ version: 1, nowMs: this.nowMs, channels }));
  }

  /**
   * Loads serialized scores.
   * @throws RouterDataError `invalid_scorer_data`
   */
  static deserialize(bytes: Uint8Array, view: NetworkGraphView, params: Partial<ProbabilisticScoringParams> = {}): ProbabilisticScorer {
    const data = parseScores(bytes);
    const scorer = new ProbabilisticScorer(view, params, data.nowMs);
    for (const [scid, d, l] of data.channels) scorer.put(scid, d, l);
    return scorer;
  }

  /**
   * Imports another node's scores: for each channel direction the more recent
   * bounds win and the historical buckets add up.
   */
  merge(other: ProbabilisticScorer): void {
    this.mergeSerialized(other.serialize());
  }

  /** {@link merge} from serialized bytes. @throws RouterDataError `invalid_scorer_data` */
  mergeSerialized(bytes: Uint8Array): void {
    const data = parseScores(bytes);
    this.timePassed(data.nowMs);
    for (const [scid, d, l] of data.channels) {
      const mine = this.byScid.get(scid)?.dirs[d];
      if (mine === undefined) {
        this.put(scid, d, l);
        continue;
      }
      const t = Math.max(mine.bucketsUpdatedMs, l.bucketsUpdatedMs);
      settleBuckets(mine, t, this.params.historicalNoUpdatesHalfLifeMs);
      settleBuckets(l, t, this.params.historicalNoUpdatesHalfLifeMs);
      for (let i = 0; i < BUCKETS; i++) {
        mine.minBuckets[i]! += l.minBuckets[i]!;
        mine.maxBuckets[i]! += l.maxBuckets[i]!;
      }
      if (l.updatedMs > mine.updatedMs) {
        mine.minMsat = l.minMsat;
        mine.maxOffsetMsat = l.maxOffsetMsat;
        mine.updatedMs = l.updatedMs;
      }
    }
  }

  private put(scid: ShortChannelId, d: Direction, l: DirectionLiquidity): void {
    let entry = this.byScid.get(scid);
    if (entry === undefined) {
      entry = { scid, dirs: [undefined, undefined] };
      this.byScid.set(scid, entry);
      this.indexEntry(entry);
    }
    entry.dirs[d] = l;
  }
}

function negLog10(p: number): number {
  if (p >= 1) return 0;
  if (p <= 0.01) return NEGATIVE_LOG10_UPPER_BOUND;
  return -Math.log10(p);
}

function parseScores(bytes: Uint8Array): { nowMs: number; channels: [ShortChannelId, Direction, DirectionLiquidity][] } {
  const bad = (why: string): never => {
    throw new RouterDataError('invalid_scorer_data', `scorer data: ${why}`);
  };
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return bad('not UTF-8 JSON');
  }
  const o = json as { version?: unknown; nowMs?: unknown; channels?: unknown };
  if (typeof o !== 'object' || o === null || o.version !== 1) return bad('unknown version');
  const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : bad('bad number'));
  const buckets = (v: unknown): Float64Array =>
    Array.isArray(v) && v.length === BUCKETS ? Float64Array.from(v.map(num)) : bad('bad buckets');
  if (!Array.isArray(o.channels)) return bad('no channels');
  const channels = o.channels.map((row: unknown): [ShortChannelId, Direction, DirectionLiquidity] => {
    if (!Array.isArray(row) || row.length !== 8) return bad('bad channel row');
    const [scidText, d, minMsat, maxOffsetMsat, updatedMs, bucketsUpdatedMs, minB, maxB] = row as unknown[];
    if (typeof scidText !== 'string' || !/^\d{1,20}$/.test(scidText) || BigInt(scidText) >= 1n << 64n) return bad('bad scid');
    if (d !== 0 && d !== 1) return bad('bad direction');
    return [
      BigInt(scidText) as ShortChannelId,
      d,
      {
        minMsat: num(minMsat),
        maxOffsetMsat: num(maxOffsetMsat),
        updatedMs: num(updatedMs),
        bucketsUpdatedMs: num(bucketsUpdatedMs),
        minBuckets: buckets(minB),
        maxBuckets: buckets(maxB),
      },
    ];
  });
  return { nowMs: num(o.nowMs), channels };
}
