// Fees, reserves and dust: what each side can afford (BOLT 2 "Adding an HTLC",
// "Updating Fees"; BOLT 3 "Fees"), with LDK's fee-spike buffer and dust
// exposure rules where BOLT 2 leaves the policy to implementations.

import {
  ANCHOR_OUTPUT_VALUE_SAT,
  type CommitmentFormat,
  commitmentFee,
  htlcSuccessFee,
  htlcTimeoutFee,
  isHtlcTrimmed,
} from 'ln-tx';
import type { MaxDustHtlcExposure } from '../config.js';
import { CONCURRENT_INBOUND_HTLC_FEE_BUFFER, FEE_SPIKE_BUFFER_FEE_INCREASE_MULTIPLE } from './constants.js';
import { reduceSpec } from './spec.js';
import type { ChannelState, CommitmentSpec, DirectedHtlc } from './types.js';

/** Which side's commitment transaction. */
export type CommitmentSide = 'holder' | 'counterparty';

/** The two anchors' cost (paid by the opener), in msat. */
export function anchorsCostMsat(format: CommitmentFormat): bigint {
  return format === 'anchors' ? 2n * ANCHOR_OUTPUT_VALUE_SAT * 1000n : 0n;
}

/** The dust limit of one side's commitment. */
export function dustLimitOf(state: ChannelState, side: CommitmentSide): bigint {
  return side === 'holder' ? state.params.holder.dustLimitSat : state.params.counterparty.dustLimitSat;
}

/** True when an HTLC (seen from us) has an output on `side`'s commitment at `feerate`. */
export function isUntrimmed(h: DirectedHtlc, side: CommitmentSide, format: CommitmentFormat, feeratePerKw: number, dustLimitSat: bigint): boolean {
  // On the holder's commitment our outgoing HTLCs are offered; on the counterparty's, its outgoing (our incoming) are.
  const offered = side === 'holder' ? h.direction === 'out' : h.direction === 'in';
  return !isHtlcTrimmed({ offered, amountMsat: h.htlc.amountMsat, cltvExpiry: h.htlc.cltvExpiry, paymentHash: h.htlc.paymentHash }, format, feeratePerKw, dustLimitSat);
}

/** The commitment fee (msat) of `side`'s commitment for a spec, plus `extraHtlcs` untrimmed outputs. */
export function commitmentFeeMsat(state: ChannelState, spec: CommitmentSpec, side: CommitmentSide, feeratePerKw = spec.feeratePerKw, extraHtlcs = 0): bigint {
  const format = state.params.format;
  const dust = dustLimitOf(state, side);
  let untrimmed = extraHtlcs;
  for (const h of spec.htlcs) if (isUntrimmed(h, side, format, feeratePerKw, dust)) untrimmed++;
  return commitmentFee(format, feeratePerKw, untrimmed) * 1000n;
}

/**
 * The spec once every update known so far (sent or received, signed or not) is
 * applied: the pessimistic view for checking new updates against balances.
 */
export function projectedSpec(state: ChannelState): CommitmentSpec {
  const latestRemote = state.nextRemoteCommit?.spec ?? state.remoteCommit.spec;
  return reduceSpec(latestRemote, state.localChanges.proposed, [...state.remoteChanges.acked, ...state.remoteChanges.proposed]);
}

/** Our balance and HTLCs in the projected spec after the holding cell's adds and removals are applied too. */
export function projectedWithHoldingCell(state: ChannelState): { spec: CommitmentSpec; heldAddsMsat: bigint; heldAdds: number } {
  let spec = projectedSpec(state);
  let heldAddsMsat = 0n;
  let heldAdds = 0;
  const htlcs: DirectedHtlc[] = [...spec.htlcs];
  let toLocal = spec.toLocalMsat;
  let toRemote = spec.toRemoteMsat;
  const incoming = new Map<bigint, DirectedHtlc>();
  for (const h of htlcs) if (h.direction === 'in') incoming.set(h.htlc.id, h);
  let fakeId = -1n;
  for (const u of state.holdingCell) {
    if (u.kind === 'add') {
      heldAddsMsat += u.amountMsat;
      heldAdds++;
      toLocal -= u.amountMsat;
      htlcs.push({ direction: 'out', htlc: { id: fakeId--, amountMsat: u.amountMsat, paymentHash: u.paymentHash, cltvExpiry: u.cltvExpiry, onion: u.onion } });
    } else {
      const h = incoming.get(u.id);
      if (h === undefined) continue;
      const i = htlcs.indexOf(h);
      if (i >= 0) htlcs.splice(i, 1);
      if (u.kind === 'fulfill') toLocal += h.htlc.amountMsat;
      else toRemote += h.htlc.amountMsat;
    }
  }
  const feerate = state.holdingCellFee ?? spec.feeratePerKw;
  spec = { htlcs, toLocalMsat: toLocal, toRemoteMsat: toRemote, feeratePerKw: feerate };
  return { spec, heldAddsMsat, heldAdds };
}

/** The dust exposure limit (msat) for a limiting fee rate. */
export function maxDustExposureMsat(limit: MaxDustHtlcExposure, limitingFeeratePerKw: number): bigint {
  return limit.kind === 'fixed_msat' ? limit.limitMsat : BigInt(limitingFeeratePerKw) * limit.multiplier;
}

/**
 * The fee rate at which HTLC dustiness is judged for exposure: the current rate
 * with headroom for a fee increase (LDK's dust buffer: max(+25%, +2530 sat/kw)).
 */
export function dustBufferFeerate(feeratePerKw: number): number {
  return Math.max(Math.ceil(feeratePerKw * 1.25), feeratePerKw + 2530);
}

/** How much of our balance sits in dust HTLCs on each side's commitment (LDK's on_*_tx_dust_exposure_msat). */
export interface DustExposure {
  readonly holderMsat: bigint;
  readonly counterpartyMsat: bigint;
}

/**
 * Dust exposure of a spec: HTLCs below each side's dust threshold (dust limit
 * plus the second-stage fee at the buffered fee rate, zero with anchors) are
 * lost to fees if that commitment confirms. With `limitingFeerate`, the fee the
 * counterparty's commitment pays above that rate counts as exposure too (LDK 0.1).
 */
export function dustExposure(state: ChannelState, spec: CommitmentSpec, limitingFeeratePerKw?: number): DustExposure {
  const format = state.params.format;
  const buffer = dustBufferFeerate(spec.feeratePerKw);
  const timeoutFee = htlcTimeoutFee(format, buffer);
  const successFee = htlcSuccessFee(format, buffer);
  const holderDust = state.params.holder.dustLimitSat;
  const cpDust = state.params.counterparty.dustLimitSat;
  let holderMsat = 0n;
  let counterpartyMsat = 0n;
  let cpNondust = 0;
  for (const h of spec.htlcs) {
    const sat = h.htlc.amountMsat / 1000n;
    // On our commitment our outgoing HTLCs use HTLC-timeout, incoming HTLC-success; mirrored on theirs.
    const holderThreshold = holderDust + (h.direction === 'out' ? timeoutFee : successFee);
    const cpThreshold = cpDust + (h.direction === 'in' ? timeoutFee : successFee);
    if (sat < holderThreshold) holderMsat += h.htlc.amountMsat;
    if (sat < cpThreshold) counterpartyMsat += h.htlc.amountMsat;
    else cpNondust++;
  }
  if (limitingFeeratePerKw !== undefined && spec.feeratePerKw > limitingFeeratePerKw) {
    const excess = spec.feeratePerKw - limitingFeeratePerKw;
    counterpartyMsat += commitmentFee(format, excess, cpNondust) * 1000n;
  }
  return { holderMsat, counterpartyMsat };
}

/** What the opener must keep on top of its reserve on `side`'s commitment: the fee (times the buffer multiple) and the anchors. */
function openerCommitmentCostMsat(state: ChannelState, spec: CommitmentSpec, side: CommitmentSide, extraHtlcs: number, spikeBuffer: boolean): bigint {
  const format = state.params.format;
  let fee = commitmentFeeMsat(state, spec, side, spec.feeratePerKw, extraHtlcs);
  if (spikeBuffer && format !== 'anchors') fee *= FEE_SPIKE_BUFFER_FEE_INCREASE_MULTIPLE;
  return fee + anchorsCostMsat(format);
}

/** Limits on the next HTLC we can offer (LDK's AvailableBalances). */
export interface OutboundLimits {
  /** The largest HTLC we can add now (0 if none). */
  readonly nextOutboundHtlcLimitMsat: bigint;
  /** The smallest HTLC the counterparty accepts. */
  readonly nextOutboundHtlcMinimumMsat: bigint;
  /** Our spendable balance ignoring per-HTLC limits. */
  readonly outboundCapacityMsat: bigint;
  /** What the counterparty could send us. */
  readonly inboundCapacityMsat: bigint;
}

/**
 * How much we can send in one more HTLC without breaking any of the
 * counterparty's checks: our reserve (counterparty-chosen), the commitment fee
 * with the fee-spike buffer if we open, the opener's fee on its own commitment
 * if it is the counterparty, its max_htlc_value_in_flight and max_accepted_htlcs,
 * and our dust exposure limit for a dust HTLC.
 */
export function outboundLimits(state: ChannelState, limitingFeeratePerKw: number): OutboundLimits {
  const p = state.params;
  const { spec, heldAdds } = projectedWithHoldingCell(state);
  const ourReserveMsat = p.counterparty.channelReserveSat * 1000n;
  const theirReserveMsat = p.holder.channelReserveSat * 1000n;
  let available = spec.toLocalMsat - ourReserveMsat;
  if (p.isOutbound) {
    // We pay the fee on both commitments; keep the buffered fee of each with one more HTLC.
    // As sender we keep room for concurrent HTLCs the counterparty may add meanwhile (LDK's CONCURRENT_INBOUND_HTLC_FEE_BUFFER).
    const cost = bigMax(
      openerCommitmentCostMsat(state, spec, 'holder', 1 + CONCURRENT_INBOUND_HTLC_FEE_BUFFER, true),
      openerCommitmentCostMsat(state, spec, 'counterparty', 1 + CONCURRENT_INBOUND_HTLC_FEE_BUFFER, false),
    );
    available -= cost;
  }
  const outboundCapacity = bigMax(0n, spec.toLocalMsat - ourReserveMsat - (p.isOutbound ? openerCommitmentCostMsat(state, spec, 'holder', 0, false) : 0n));
  let inbound = spec.toRemoteMsat - theirReserveMsat - (p.isOutbound ? 0n : openerCommitmentCostMsat(state, spec, 'counterparty', 0, false));
  if (inbound < 0n) inbound = 0n;
  let limit = bigMax(0n, available);
  if (!p.isOutbound) {
    // The opener (counterparty) must still afford its commitment's fee with our HTLC, above the reserve we required of it.
    const openerSpare = spec.toRemoteMsat - theirReserveMsat - openerCommitmentCostMsat(state, spec, 'counterparty', 1, false);
    if (openerSpare < 0n) limit = 0n;
  }
  let inFlight = 0n;
  let count = heldAdds;
  for (const h of spec.htlcs) {
    if (h.direction === 'out') {
      inFlight += h.htlc.amountMsat;
      if (h.htlc.id >= 0n) count++;
    }
  }
  limit = bigMin(limit, p.counterparty.maxHtlcValueInFlightMsat - inFlight);
  if (count + 1 > p.counterparty.maxAcceptedHtlcs) limit = 0n;
  // A dust HTLC adds to our dust exposure; keep the limit below what the remaining exposure allows,
  // unless the HTLC would not be dust.
  const exposure = dustExposure(state, spec, limitingFeeratePerKw);
  const maxExposure = maxDustExposureMsat(state.config.maxDustHtlcExposure, limitingFeeratePerKw);
  const buffer = dustBufferFeerate(spec.feeratePerKw);
  const holderDustThreshold = (p.holder.dustLimitSat + htlcTimeoutFee(p.format, buffer)) * 1000n;
  const cpDustThreshold = (p.counterparty.dustLimitSat + htlcSuccessFee(p.format, buffer)) * 1000n;
  const headroom = bigMin(maxExposure - exposure.holderMsat, maxExposure - exposure.counterpartyMsat);
  const dustCeiling = bigMax(holderDustThreshold, cpDustThreshold);
  if (limit < dustCeiling && limit > headroom) limit = bigMax(0n, headroom);
  limit = bigMax(0n, limit);
  const minimum = p.counterparty.htlcMinimumMsat > 0n ? p.counterparty.htlcMinimumMsat : 1n;
  if (limit < minimum) limit = 0n;
  return { nextOutboundHtlcLimitMsat: limit, nextOutboundHtlcMinimumMsat: minimum, outboundCapacityMsat: outboundCapacity, inboundCapacityMsat: inbound };
}

/** The larger of two bigints. */
export function bigMax(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}

/** The smaller of two bigints. */
export function bigMin(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

/**
 * Whether the opener can afford `feeratePerKw` on `side`'s commitment of a
 * spec, keeping `reserveMsat` (and the fee-spike buffer when asked).
 */
export function openerCanAffordFeerate(state: ChannelState, spec: CommitmentSpec, side: CommitmentSide, feeratePerKw: number, reserveMsat: bigint, spikeBuffer: boolean): boolean {
  const openerBalance = state.params.isOutbound ? spec.toLocalMsat : spec.toRemoteMsat;
  const withRate = { ...spec, feeratePerKw };
  return openerBalance >= reserveMsat + openerCommitmentCostMsat(state, withRate, side, 0, spikeBuffer);
}

/**
 * The fee-spike buffer check an HTLC receiver runs when the opener is the
 * sender (LDK's can_accept_incoming_htlc): after the HTLC, the opener must
 * afford the fee of one more HTLC at twice the rate (anchors: the same rate)
 * above the reserve we require of it. Failing it fails the HTLC, not the channel.
 */
export function feeSpikeBufferOk(state: ChannelState, specWithHtlc: CommitmentSpec): boolean {
  const opener = specWithHtlc.toRemoteMsat;
  const reserve = state.params.holder.channelReserveSat * 1000n;
  return opener - reserve >= openerCommitmentCostMsat(state, specWithHtlc, 'counterparty', 1, true);
}
