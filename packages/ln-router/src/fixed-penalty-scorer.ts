import type { CandidateHop, ChannelUsage, Path, Score } from 'ln-router-api';
import type { ShortChannelId } from 'ln-types';

/**
 * A scorer that gives every hop the same penalty and learns nothing: with
 * penalty 0 the router finds the cheapest route by fees alone.
 */
export class FixedPenaltyScorer implements Score {
  constructor(private readonly penaltyMsat = 0) {}

  channelPenaltyMsat(_candidate: CandidateHop, _usage: ChannelUsage): number {
    return this.penaltyMsat;
  }
  paymentPathFailed(_path: Path, _scid: ShortChannelId, _nowMs: number): void {}
  paymentPathSuccessful(_path: Path, _nowMs: number): void {}
  probeFailed(_path: Path, _scid: ShortChannelId, _nowMs: number): void {}
  probeSuccessful(_path: Path, _nowMs: number): void {}
  timePassed(_nowMs: number): void {}
}
