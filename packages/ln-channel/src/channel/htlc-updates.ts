// update_add_htlc, update_fulfill_htlc, update_fail_htlc,
// update_fail_malformed_htlc: the BOLT 2 receiver checks (a violation fails the
// channel) and the sender-side checks we run before offering or removing an HTLC.

import { sha256 } from 'ln-crypto';
import { equalBytes } from 'ln-types';
import type { UpdateAddHtlcMessage, UpdateFailHtlcMessage, UpdateFailMalformedHtlcMessage, UpdateFulfillHtlcMessage } from 'ln-wire';
import { failChannel } from '../errors.js';
import { CLTV_TIMESTAMP_THRESHOLD } from './constants.js';
import { theyAreRemoving, weAreRemoving } from './changes.js';
import { anchorsCostMsat, commitmentFeeMsat, dustExposure, feeSpikeBufferOk, maxDustExposureMsat, projectedSpec } from './fees.js';
import { findHtlc, reduceSpec } from './spec.js';
import type { ChannelState, Htlc } from './types.js';

/** An accepted incoming HTLC may still have to be failed back (not the channel): why, as a BOLT 4 failure code. */
export interface AddOutcome {
  readonly htlc: Htlc;
  /** Set when policy (fee-spike buffer, dust exposure, shutdown) means the HTLC must be failed once committed. */
  readonly failCode?: number;
  readonly failReason?: string;
}

/** BOLT 4 temporary_channel_failure (UPDATE | 7). */
export const TEMPORARY_CHANNEL_FAILURE = 0x1007;

/**
 * BOLT 2 "Adding an HTLC", receiving side: checks an update_add_htlc and adds it
 * to the counterparty's proposed updates. Fails the channel on: a channel not
 * in normal operation, an add after the counterparty's shutdown, a skipped id,
 * a zero amount or one below our htlc_minimum_msat, more HTLCs or more value in
 * flight than we allow, a sender that cannot afford it (reserve and, if it
 * opened, fee and anchors), or a cltv_expiry that is a timestamp.
 */
export function receiveAdd(state: ChannelState, msg: UpdateAddHtlcMessage, limitingFeeratePerKw: number): AddOutcome {
  const p = state.params;
  if (state.status !== 'ready' && state.status !== 'shutting_down') failChannel('update_add_htlc while the channel is not in normal operation');
  if (state.remoteShutdownScript !== undefined) failChannel('update_add_htlc after shutdown');
  if (msg.id !== state.remoteNextHtlcId) failChannel(`update_add_htlc id ${msg.id}, expected ${state.remoteNextHtlcId}`);
  if (msg.amountMsat === 0n) failChannel('update_add_htlc for 0 msat');
  if (msg.amountMsat > p.channelValueSat * 1000n) failChannel('update_add_htlc above the channel value');
  if (msg.amountMsat < p.holder.htlcMinimumMsat) failChannel(`update_add_htlc below our htlc_minimum_msat (${p.holder.htlcMinimumMsat})`);
  if (msg.cltvExpiry >= CLTV_TIMESTAMP_THRESHOLD) failChannel('update_add_htlc cltv_expiry is a timestamp');
  const htlc: Htlc = {
    id: msg.id,
    amountMsat: msg.amountMsat,
    paymentHash: msg.paymentHash,
    cltvExpiry: msg.cltvExpiry,
    onion: msg.onionRoutingPacket,
    ...(msg.tlvs?.blindedPath !== undefined && { blindingPoint: msg.tlvs.blindedPath }),
  };
  const before = projectedSpec(state);
  const after = reduceSpec(before, [], [{ kind: 'add', htlc }]);
  let inCount = 0;
  let inFlight = 0n;
  for (const h of after.htlcs) {
    if (h.direction === 'in') {
      inCount++;
      inFlight += h.htlc.amountMsat;
    }
  }
  if (inCount > p.holder.maxAcceptedHtlcs) failChannel(`update_add_htlc over our max_accepted_htlcs (${p.holder.maxAcceptedHtlcs})`);
  if (inFlight > p.holder.maxHtlcValueInFlightMsat) failChannel(`update_add_htlc over our max_htlc_value_in_flight_msat (${p.holder.maxHtlcValueInFlightMsat})`);
  if (after.toRemoteMsat < 0n) failChannel('update_add_htlc overdraws the sender');
  // The sender keeps the reserve we asked for; an opener also its commitment's fee and the anchors.
  const senderCost = p.isOutbound ? 0n : commitmentFeeMsat(state, after, 'counterparty') + anchorsCostMsat(p.format);
  if (after.toRemoteMsat < senderCost) failChannel('update_add_htlc leaves the sender unable to pay the commitment fee');
  if (after.toRemoteMsat - senderCost < p.holder.channelReserveSat * 1000n) failChannel('update_add_htlc takes the sender below its channel reserve');
  state.remoteChanges = { ...state.remoteChanges, proposed: [...state.remoteChanges.proposed, { kind: 'add', htlc }] };
  state.remoteNextHtlcId = msg.id + 1n;

  // Policy checks: the HTLC stays in the channel but is failed back once committed.
  if (state.localShutdownScript !== undefined && state.shutdownSent) return { htlc, failCode: 0x4008, failReason: 'shutdown was already sent' };
  const limit = maxDustExposureMsat(state.config.maxDustHtlcExposure, limitingFeeratePerKw);
  const exposure = dustExposure(state, after, limitingFeeratePerKw);
  const exposureBefore = dustExposure(state, before, limitingFeeratePerKw);
  if ((exposure.holderMsat > limit && exposure.holderMsat > exposureBefore.holderMsat) || (exposure.counterpartyMsat > limit && exposure.counterpartyMsat > exposureBefore.counterpartyMsat)) {
    return { htlc, failCode: TEMPORARY_CHANNEL_FAILURE, failReason: 'dust exposure limit exceeded' };
  }
  if (!p.isOutbound && !feeSpikeBufferOk(state, after)) return { htlc, failCode: TEMPORARY_CHANNEL_FAILURE, failReason: 'fee spike buffer violation' };
  if (p.isOutbound) {
    // We pay the fee: if their HTLC leaves us unable to, fail it rather than the channel.
    const ourCost = commitmentFeeMsat(state, after, 'holder') + anchorsCostMsat(p.format) + p.counterparty.channelReserveSat * 1000n;
    if (after.toLocalMsat < ourCost) return { htlc, failCode: TEMPORARY_CHANNEL_FAILURE, failReason: 'we cannot afford the commitment fee with this HTLC' };
  }
  return { htlc };
}

function outgoingForRemoval(state: ChannelState, id: bigint, what: string): Htlc {
  // BOLT 2: the id must name an HTLC in our current commitment transaction.
  const htlc = findHtlc(state.localCommit.spec, 'out', id);
  if (htlc === undefined) failChannel(`${what} for unknown or uncommitted HTLC ${id}`);
  if (theyAreRemoving(state, id)) failChannel(`${what} for HTLC ${id}, already removed`);
  return htlc;
}

/** BOLT 2 "Removing an HTLC", receiving update_fulfill_htlc: the preimage must hash to the HTLC's payment hash. */
export function receiveFulfill(state: ChannelState, msg: UpdateFulfillHtlcMessage): Htlc {
  const htlc = outgoingForRemoval(state, msg.id, 'update_fulfill_htlc');
  if (!equalBytes(sha256(msg.paymentPreimage), htlc.paymentHash)) failChannel(`update_fulfill_htlc with a wrong preimage for HTLC ${msg.id}`);
  const attribution = msg.tlvs?.attributionData;
  state.remoteChanges = {
    ...state.remoteChanges,
    proposed: [...state.remoteChanges.proposed, { kind: 'fulfill', id: msg.id, preimage: msg.paymentPreimage, ...(attribution !== undefined && { attribution: encodeAttribution(attribution) }) }],
  };
  return htlc;
}

/** Receiving update_fail_htlc. */
export function receiveFail(state: ChannelState, msg: UpdateFailHtlcMessage): Htlc {
  const htlc = outgoingForRemoval(state, msg.id, 'update_fail_htlc');
  const attribution = msg.tlvs?.attributionData;
  state.remoteChanges = {
    ...state.remoteChanges,
    proposed: [...state.remoteChanges.proposed, { kind: 'fail', id: msg.id, reason: msg.reason, ...(attribution !== undefined && { attribution: encodeAttribution(attribution) }) }],
  };
  return htlc;
}

/** Receiving update_fail_malformed_htlc: BOLT 2 requires the BADONION bit in the failure code. */
export function receiveFailMalformed(state: ChannelState, msg: UpdateFailMalformedHtlcMessage): Htlc {
  if ((msg.failureCode & 0x8000) === 0) failChannel('update_fail_malformed_htlc without the BADONION bit');
  const htlc = outgoingForRemoval(state, msg.id, 'update_fail_malformed_htlc');
  state.remoteChanges = {
    ...state.remoteChanges,
    proposed: [...state.remoteChanges.proposed, { kind: 'fail_malformed', id: msg.id, sha256OfOnion: msg.sha256OfOnion, failureCode: msg.failureCode }],
  };
  return htlc;
}

/**
 * Whether we may remove incoming HTLC `id` now (BOLT 2: only once it is
 * irrevocably committed in both commitments, and only once). Returns the HTLC or why not.
 */
export function removableIncoming(state: ChannelState, id: bigint): { htlc: Htlc } | { why: string } {
  const inLocal = findHtlc(state.localCommit.spec, 'in', id);
  const inRemote = findHtlc(state.remoteCommit.spec, 'in', id);
  if (inLocal === undefined || inRemote === undefined) return { why: `incoming HTLC ${id} is not irrevocably committed` };
  if (weAreRemoving(state, id)) return { why: `incoming HTLC ${id} is already being removed` };
  return { htlc: inLocal };
}

// Attribution data travels opaquely with a removal: 20 u32 hold times then 840 bytes of HMACs.
export function encodeAttribution(a: { readonly htlcHoldTimes: readonly number[]; readonly truncatedHmacs: Uint8Array }): Uint8Array {
  const out = new Uint8Array(a.htlcHoldTimes.length * 4 + a.truncatedHmacs.length);
  const view = new DataView(out.buffer);
  a.htlcHoldTimes.forEach((t, i) => view.setUint32(i * 4, t));
  out.set(a.truncatedHmacs, a.htlcHoldTimes.length * 4);
  return out;
}

/** The wire form of stored attribution data. */
export function decodeAttribution(bytes: Uint8Array): { htlcHoldTimes: number[]; truncatedHmacs: Uint8Array } | undefined {
  if (bytes.length !== 20 * 4 + 840) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const htlcHoldTimes: number[] = [];
  for (let i = 0; i < 20; i++) htlcHoldTimes.push(view.getUint32(i * 4));
  return { htlcHoldTimes, truncatedHmacs: bytes.slice(80) };
}
