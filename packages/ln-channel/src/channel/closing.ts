// Mutual close (BOLT 2 "Channel Close"): shutdown checks and the closing_signed
// fee negotiation with fee_range, after LDK's closing fee limits.

import { buildClosingTx, isValidShutdownScript, txWeight, type Tx } from 'ln-tx';
import { equalBytes } from 'ln-types';
import type { ClosingSignedMessage, ShutdownMessage } from 'ln-wire';
import { failChannel } from '../errors.js';
import { hasPendingUpdates } from './changes.js';
import type { ChannelState, ClosingNegotiation } from './types.js';

/**
 * Checks a peer's shutdown (BOLT 2 "Closing Initiation: shutdown"): a valid
 * script (option_shutdown_anysegwit if both support it), the upfront script if
 * it committed to one, and no uncommitted updates of its own.
 */
export function checkShutdown(state: ChannelState, msg: ShutdownMessage, anySegwit: boolean): void {
  if (!isValidShutdownScript(msg.scriptpubkey, { anySegwit, opReturn: false })) failChannel('shutdown scriptpubkey is not acceptable');
  const upfront = state.params.counterparty.upfrontShutdownScript;
  if (upfront !== undefined && !equalBytes(upfront, msg.scriptpubkey)) failChannel('shutdown scriptpubkey differs from the upfront shutdown script');
  if (state.remoteShutdownScript !== undefined && !equalBytes(state.remoteShutdownScript, msg.scriptpubkey)) failChannel('a second shutdown with a different scriptpubkey');
  if (state.remoteChanges.proposed.length > 0) failChannel('shutdown with uncommitted updates of its own');
}

/** True when shutdown is complete both ways and nothing is in flight: closing_signed may start. */
export function readyToNegotiate(state: ChannelState): boolean {
  return state.shutdownSent && state.remoteShutdownScript !== undefined && !hasPendingUpdates(state) && state.localCommit.spec.htlcs.length === 0 && state.remoteCommit.spec.htlcs.length === 0;
}

/** The closing transaction for a fee: the opener pays it; outputs under `dustLimitSat` are left out (BOLT 3). */
export function closingTransaction(state: ChannelState, feeSat: bigint, dustLimitSat: bigint, dropOurOutput = false): Tx {
  const spec = state.localCommit.spec;
  const p = state.params;
  let local = spec.toLocalMsat / 1000n;
  let remote = spec.toRemoteMsat / 1000n;
  if (p.isOutbound) local -= feeSat;
  else remote -= feeSat;
  if (local < 0n) local = 0n;
  if (remote < 0n) remote = 0n;
  return buildClosingTx({
    fundingOutpoint: p.fundingOutpoint,
    fundingAmountSat: p.channelValueSat,
    localScript: state.localShutdownScript!,
    localAmountSat: dropOurOutput ? 0n : local,
    remoteScript: state.remoteShutdownScript!,
    remoteAmountSat: remote,
    dustLimitSat,
  });
}

/** Weight of the closing transaction with both outputs and a 2-of-2 witness (for fee proposals). */
export function closingWeight(state: ChannelState): number {
  const tx = closingTransaction(state, 0n, 0n);
  // Witness: 0, two signatures (73 each at most), the 71-byte funding script.
  const witness = [new Uint8Array(0), new Uint8Array(73), new Uint8Array(73), new Uint8Array(71)];
  return txWeight({ ...tx, inputs: [{ ...tx.inputs[0]!, witness }] });
}

/**
 * Our acceptable fee range (LDK's calculate_closing_fee_limits): from the
 * channel_close_minimum rate up to, for the opener, the non-anchor commitment
 * rate plus `force_close_avoidance_max_fee_satoshis`; the fundee accepts any
 * fee the opener's balance can pay. A target fee rate from closeChannel raises both.
 */
export function closingFeeLimits(
  state: ChannelState,
  closeMinimumFeerate: number,
  normalFeerate: number,
  forceCloseAvoidanceMaxFeeSat: bigint,
): { minFeeSat: bigint; maxFeeSat: bigint } {
  const weight = BigInt(closingWeight(state));
  let proposed = closeMinimumFeerate;
  let maxRate = state.params.isOutbound ? normalFeerate : Number.MAX_SAFE_INTEGER;
  if (state.targetClosingFeerate !== undefined) {
    const min = state.params.isOutbound ? state.targetClosingFeerate : Math.min(state.localCommit.spec.feeratePerKw, state.targetClosingFeerate);
    proposed = Math.max(proposed, min);
    maxRate = Math.max(maxRate, min);
  }
  const minFeeSat = (BigInt(proposed) * weight) / 1000n;
  const openerBalanceSat = (state.params.isOutbound ? state.localCommit.spec.toLocalMsat : state.localCommit.spec.toRemoteMsat) / 1000n;
  let maxFeeSat: bigint;
  if (state.params.isOutbound) {
    const a = (BigInt(normalFeerate) * weight) / 1000n + forceCloseAvoidanceMaxFeeSat;
    const b = maxRate === Number.MAX_SAFE_INTEGER ? a : (BigInt(maxRate) * weight) / 1000n;
    maxFeeSat = a > b ? a : b;
  } else maxFeeSat = openerBalanceSat;
  if (maxFeeSat > openerBalanceSat) maxFeeSat = openerBalanceSat;
  return { minFeeSat: minFeeSat < maxFeeSat ? minFeeSat : maxFeeSat, maxFeeSat };
}

/** What to do with a closing_signed. */
export type ClosingStep =
  /** Agreement on `feeSat` (signed by both): sign if not yet, then broadcast. */
  | { readonly kind: 'agreed'; readonly feeSat: bigint; readonly reply: boolean }
  /** Counter-propose `feeSat`. */
  | { readonly kind: 'counter'; readonly feeSat: bigint };

/**
 * BOLT 2 "Closing Negotiation: closing_signed" with fee_range: the opener
 * accepts a fee in both ranges by echoing it; the fundee answers with a fee in
 * the overlap (the proposed one when it is inside). Without fee_range, the
 * legacy rule: accept a fee within our range or move strictly between.
 */
export function nextClosingStep(state: ChannelState, neg: ClosingNegotiation, msg: ClosingSignedMessage): ClosingStep {
  const fee = msg.feeSatoshis;
  if (neg.lastSentFeeSat !== undefined && fee === neg.lastSentFeeSat) return { kind: 'agreed', feeSat: fee, reply: false };
  const range = msg.tlvs?.feeRange;
  if (range !== undefined) {
    if (range.minFeeSatoshis > range.maxFeeSatoshis) failChannel('closing_signed fee_range has min above max');
    if (fee < range.minFeeSatoshis || fee > range.maxFeeSatoshis) failChannel('closing_signed fee_satoshis outside its own fee_range');
    const lo = range.minFeeSatoshis > neg.minFeeSat ? range.minFeeSatoshis : neg.minFeeSat;
    const hi = range.maxFeeSatoshis < neg.maxFeeSat ? range.maxFeeSatoshis : neg.maxFeeSat;
    if (lo > hi) failChannel(`closing_signed fee_range [${range.minFeeSatoshis}, ${range.maxFeeSatoshis}] does not overlap ours [${neg.minFeeSat}, ${neg.maxFeeSat}]`);
    if (fee >= lo && fee <= hi) return { kind: 'agreed', feeSat: fee, reply: true };
    if (state.params.isOutbound) failChannel('closing_signed fee outside the ranges overlap');
    return { kind: 'counter', feeSat: fee < lo ? lo : hi };
  }
  if (fee >= neg.minFeeSat && fee <= neg.maxFeeSat) return { kind: 'agreed', feeSat: fee, reply: true };
  const last = neg.lastSentFeeSat;
  if (last !== undefined) {
    // The legacy rule: the new fee must lie strictly between our last and theirs.
    const mid = (last + fee) / 2n;
    if (mid === last || mid === fee) return { kind: 'agreed', feeSat: fee, reply: true };
    return { kind: 'counter', feeSat: mid < neg.minFeeSat ? neg.minFeeSat : mid > neg.maxFeeSat ? neg.maxFeeSat : mid };
  }
  return { kind: 'counter', feeSat: fee < neg.minFeeSat ? neg.minFeeSat : neg.maxFeeSat };
}
