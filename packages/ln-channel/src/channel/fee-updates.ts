// update_fee (BOLT 2 "Updating Fees"): only the opener sends it; the receiver
// checks the rate is neither too low for timely confirmation nor unreasonably
// high, and that it does not blow its dust exposure.

import type { UpdateFeeMessage } from 'ln-wire';
import { failChannel } from '../errors.js';
import { CONCURRENT_INBOUND_HTLC_FEE_BUFFER } from './constants.js';
import { commitmentFeeMsat, anchorsCostMsat, dustExposure, maxDustExposureMsat, projectedSpec, projectedWithHoldingCell } from './fees.js';
import type { ChannelState } from './types.js';
import type { CommitmentSpec } from './types.js';

/** The fee rates (sat/kw) a peer's update_fee must lie between, from our FeeEstimator. */
export interface RemoteFeeBounds {
  /** Below this, the commitment may not confirm in time: fail the channel (unless it raises the current rate). */
  readonly minimum: number;
  /** Above this, the rate is unreasonable: fail the channel. */
  readonly maximum: number;
  /** The dust exposure limiting fee rate (`maximum_fee_estimate`). */
  readonly limitingFeerate: number;
}

/**
 * Checks a fee rate a peer proposes (in open_channel or update_fee). A rate
 * below the minimum is accepted when it still raises the current one (LDK: a
 * raise only helps); one above the maximum is refused.
 * @returns why it is refused, or undefined
 */
export function checkRemoteFeerate(feeratePerKw: number, bounds: RemoteFeeBounds, currentFeerate?: number): string | undefined {
  if (feeratePerKw < bounds.minimum && !(currentFeerate !== undefined && feeratePerKw > currentFeerate)) {
    return `fee rate ${feeratePerKw} sat/kw is below our minimum ${bounds.minimum}`;
  }
  if (feeratePerKw > bounds.maximum && !(currentFeerate !== undefined && feeratePerKw <= currentFeerate)) {
    return `fee rate ${feeratePerKw} sat/kw is above our maximum ${bounds.maximum}`;
  }
  return undefined;
}

/** Receives update_fee: fails the channel when it comes from the non-opener, is out of bounds, or over-exposes us to dust. */
export function receiveUpdateFee(state: ChannelState, msg: UpdateFeeMessage, bounds: RemoteFeeBounds): void {
  if (state.params.isOutbound) failChannel('update_fee from the non-opener');
  if (state.status !== 'ready' && state.status !== 'shutting_down') failChannel('update_fee while the channel is not in normal operation');
  const current = projectedSpec(state).feeratePerKw;
  const why = checkRemoteFeerate(msg.feeratePerKw, bounds, current);
  if (why !== undefined) failChannel(`update_fee: ${why}`);
  const next = { ...projectedSpec(state), feeratePerKw: msg.feeratePerKw };
  const limit = maxDustExposureMsat(state.config.maxDustHtlcExposure, bounds.limitingFeerate);
  const exposure = dustExposure(state, next, bounds.limitingFeerate);
  if (exposure.holderMsat > limit || exposure.counterpartyMsat > limit) failChannel(`update_fee to ${msg.feeratePerKw} sat/kw over-exposes us to dust HTLCs`);
  state.remoteChanges = { ...state.remoteChanges, proposed: [...state.remoteChanges.proposed, { kind: 'fee', feeratePerKw: msg.feeratePerKw }] };
}

/**
 * Whether we (the opener) can send update_fee to `feeratePerKw` now: our
 * balance must pay both commitments' fee at that rate for the HTLCs in flight
 * plus a buffer of concurrent ones, above the reserve, without over-exposing
 * us to dust (LDK's send_update_fee).
 */
export function canSendFeerate(state: ChannelState, feeratePerKw: number, limitingFeerate: number): boolean {
  const { spec } = projectedWithHoldingCell(state);
  const next = { ...spec, feeratePerKw };
  const reserve = state.params.counterparty.channelReserveSat * 1000n;
  const fee = commitmentFeeMsat(state, next, 'holder', feeratePerKw, CONCURRENT_INBOUND_HTLC_FEE_BUFFER);
  const feeRemote = commitmentFeeMsat(state, next, 'counterparty', feeratePerKw, CONCURRENT_INBOUND_HTLC_FEE_BUFFER);
  const cost = (fee > feeRemote ? fee : feeRemote) + anchorsCostMsat(state.params.format);
  if (next.toLocalMsat < reserve + cost) return false;
  const limit = maxDustExposureMsat(state.config.maxDustHtlcExposure, limitingFeerate);
  const exposure = dustExposure(state, next, limitingFeerate);
  return exposure.holderMsat <= limit && exposure.counterpartyMsat <= limit;
}

/**
 * BOLT 2: when the receiver of update_fee commits to it, the opener must
 * still afford the new fee on our commitment above the reserve we require
 * (LDK checks this on commitment_signed: "Funding remote cannot afford proposed new fee").
 */
export function openerAffordsLocalCommitment(state: ChannelState, spec: CommitmentSpec): boolean {
  if (state.params.isOutbound) return true;
  const fee = commitmentFeeMsat(state, spec, 'holder') + anchorsCostMsat(state.params.format);
  return spec.toRemoteMsat >= fee + state.params.holder.channelReserveSat * 1000n;
}
