import type { ShortChannelId } from 'ln-types';
import type { Direction } from './graph-view.js';
import type { Path } from './route.js';

/** Where a candidate hop's channel comes from. */
export type CandidateHopKind = 'public' | 'first_hop' | 'private_hint' | 'blinded';

/**
 * A channel direction the router considers. The router reuses one object for
 * every lookup of a search (no allocation per edge): a scorer must read it
 * during the call and not keep it.
 */
export interface CandidateHop {
  kind: CandidateHopKind;
  /** The channel's index in the graph view, -1 if it is not a public channel of the graph. */
  channelIndex: number;
  /** The direction (for public channels). */
  direction: Direction;
  /** The scid for non-public candidates (public ones: read `view.channelScid(channelIndex)` when needed). */
  shortChannelId: ShortChannelId | undefined;
}

/** How a candidate would be used, in msat (numbers: see NetworkGraphView on the 2^53 bound). */
export interface ChannelUsage {
  /** The amount this path would send over the channel. */
  amountMsat: number;
  /** Amount already in flight over it (our other HTLCs and other paths of this route). */
  inflightHtlcMsat: number;
  /** What the channel can carry at most in this direction (capacity, htlc_maximum, first-hop limit). */
  effectiveCapacityMsat: number;
}

/** Gives the router a penalty per candidate hop: higher means less likely to succeed or less wanted. */
export interface ScoreLookUp {
  /**
   * The penalty in msat (added to the fee in the router's cost) of sending
   * `usage.amountMsat` over the candidate; `Infinity` forbids the hop.
   */
  channelPenaltyMsat(candidate: CandidateHop, usage: ChannelUsage): number;
}

/**
 * Learns from payment outcomes. Times are milliseconds since the Unix epoch,
 * given by the caller (the library never reads a clock).
 */
export interface ScoreUpdate {
  /** A path failed at `shortChannelId` (the channel whose forwarding failed). */
  paymentPathFailed(path: Path, shortChannelId: ShortChannelId, nowMs: number): void;
  /** A path succeeded: every hop carried its amount. */
  paymentPathSuccessful(path: Path, nowMs: number): void;
  /** A probe failed at `shortChannelId`. */
  probeFailed(path: Path, shortChannelId: ShortChannelId, nowMs: number): void;
  /** A probe reached the end of the path. */
  probeSuccessful(path: Path, nowMs: number): void;
  /** Time went by (lets the scorer decay what it learned). */
  timePassed(nowMs: number): void;
}

/** A scorer used by a router and updated by the payment logic. */
export type Score = ScoreLookUp & ScoreUpdate;
