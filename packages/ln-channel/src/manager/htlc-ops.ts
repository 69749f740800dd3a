// The manager's HTLC primitives, the API the payments layer builds on:
// offering an HTLC on a channel, claiming or failing an incoming one, and
// forwarding one from a channel to another (with the claim or failure carried
// back upstream). Each goes through the channel's queue and holding cell.

import { sha256 } from 'ln-crypto';
import { createFailurePacket, encodeFailureMessage, FAILURE_CODES, malformedHtlcFailure, OnionError, parseOnionPacket, peelOnionPacket, type FailureMessage } from 'ln-onion';
import { type ChannelId, equalBytes, toHex } from 'ln-types';
import { ApiError } from '../errors.js';
import { outboundLimits } from '../channel/fees.js';
import { removableIncoming } from '../channel/htlc-updates.js';
import type { Htlc } from '../channel/types.js';
import type { FundedChannel } from './channel-handle.js';
import { requestFlush } from './commit-flow.js';
import type { ManagerCore } from './core.js';

/** An HTLC to offer on a channel. */
export interface HtlcToSend {
  readonly amountMsat: bigint;
  readonly paymentHash: Uint8Array;
  readonly cltvExpiry: number;
  /** The 1366-byte onion for the next hop. */
  readonly onion: Uint8Array;
  readonly blindingPoint?: Uint8Array;
  /** Where it comes from (encodeHtlcSource), handed back when it settles. */
  readonly source: Uint8Array;
}

/**
 * Offers an HTLC on a channel (it goes out with the next commitment_signed, at
 * once or after the pending revocation). Checked now against the channel's
 * limits; re-checked when it leaves the holding cell.
 * @throws ApiError when the channel cannot carry it
 */
export function addHtlc(core: ManagerCore, ch: FundedChannel, h: HtlcToSend): void {
  const s = ch.state;
  if (ch.closed || ch.halted) throw new ApiError('channel_unavailable', 'the channel is closed');
  if (s.status !== 'ready') throw new ApiError('channel_unavailable', `the channel is ${s.status}`);
  if (s.shutdownSent || s.remoteShutdownScript !== undefined) throw new ApiError('channel_unavailable', 'the channel is shutting down');
  if (h.onion.length !== 1366) throw new ApiError('invalid_argument', 'an onion is 1366 bytes');
  if (h.paymentHash.length !== 32) throw new ApiError('invalid_argument', 'a payment hash is 32 bytes');
  if (!Number.isInteger(h.cltvExpiry) || h.cltvExpiry <= 0 || h.cltvExpiry >= 500_000_000) throw new ApiError('invalid_argument', 'cltv_expiry must be a block height');
  const limits = outboundLimits(s, core.feerate('maximum_fee_estimate'));
  if (h.amountMsat < limits.nextOutboundHtlcMinimumMsat) throw new ApiError('invalid_argument', `amount below the peer's htlc_minimum_msat (${limits.nextOutboundHtlcMinimumMsat})`);
  if (h.amountMsat > limits.nextOutboundHtlcLimitMsat) throw new ApiError('insufficient_funds', `amount above what the channel can send now (${limits.nextOutboundHtlcLimitMsat} msat)`);
  // Into the holding cell at once, so further calls see it in the limits.
  s.holdingCell = [
    ...s.holdingCell,
    {
      kind: 'add',
      amountMsat: h.amountMsat,
      paymentHash: h.paymentHash,
      cltvExpiry: h.cltvExpiry,
      onion: h.onion,
      ...(h.blindingPoint !== undefined && { blindingPoint: h.blindingPoint }),
      source: h.source,
    },
  ];
  core.markDirty();
  requestFlush(core, ch);
}

/**
 * Claims an incoming HTLC with its preimage: the monitor learns the preimage
 * first (so it can claim on chain), then update_fulfill_htlc goes out.
 * Works on a closed channel too (the monitor then claims on chain).
 */
export function claimHtlc(core: ManagerCore, channelId: ChannelId, htlcId: bigint, preimage: Uint8Array, attribution?: Uint8Array): void {
  const ch = core.channels.get(toHex(channelId));
  if (ch === undefined || ch.kind !== 'funded' || ch.closed) {
    preimageToClosedMonitor(core, channelId, preimage);
    return;
  }
  core.enqueue(ch, () => {
    const s = ch.state;
    const ok = removableIncoming(s, htlcId);
    if ('why' in ok) {
      core.log('warn', `cannot claim HTLC ${htlcId}: ${ok.why}`, ch.channelId);
      return;
    }
    if (!equalBytes(sha256(preimage), ok.htlc.paymentHash)) {
      core.log('error', `claim of HTLC ${htlcId} with a wrong preimage`, ch.channelId);
      return;
    }
    core.updateMonitor(ch, [{ kind: 'payment_preimage', preimage }]);
    s.holdingCell = [...s.holdingCell, { kind: 'fulfill', id: htlcId, preimage, ...(attribution !== undefined && { attribution }) }];
    requestFlush(core, ch);
  });
}

/** A preimage for a channel that is closed: its monitor may still claim on chain. */
function preimageToClosedMonitor(core: ManagerCore, channelId: ChannelId, preimage: Uint8Array): void {
  const rec = core.closed.get(toHex(channelId));
  if (rec === undefined) {
    core.log('warn', 'claim for an unknown channel', channelId);
    return;
  }
  rec.latestUpdateId += 1n;
  core.applyUpdate(rec.gate, { channelId, updateId: rec.latestUpdateId, steps: [{ kind: 'payment_preimage', preimage }] });
  core.markDirty();
}

/** Fails an incoming HTLC back with an already-encrypted reason (update_fail_htlc). */
export function failHtlc(core: ManagerCore, channelId: ChannelId, htlcId: bigint, reason: Uint8Array, attribution?: Uint8Array): void {
  const ch = core.channels.get(toHex(channelId));
  if (ch === undefined || ch.kind !== 'funded' || ch.closed) return;
  core.enqueue(ch, () => {
    const ok = removableIncoming(ch.state, htlcId);
    if ('why' in ok) {
      core.log('warn', `cannot fail HTLC ${htlcId}: ${ok.why}`, ch.channelId);
      return;
    }
    ch.state.holdingCell = [...ch.state.holdingCell, { kind: 'fail', id: htlcId, reason, ...(attribution !== undefined && { attribution }) }];
    requestFlush(core, ch);
  });
}

/** Fails an incoming HTLC whose onion could not be parsed (update_fail_malformed_htlc, BADONION code). */
export function failMalformedHtlc(core: ManagerCore, channelId: ChannelId, htlcId: bigint, sha256OfOnion: Uint8Array, failureCode: number): void {
  const ch = core.channels.get(toHex(channelId));
  if (ch === undefined || ch.kind !== 'funded' || ch.closed) return;
  if ((failureCode & 0x8000) === 0) throw new ApiError('invalid_argument', 'a malformed failure code has the BADONION bit');
  core.enqueue(ch, () => {
    const ok = removableIncoming(ch.state, htlcId);
    if ('why' in ok) return;
    ch.state.holdingCell = [...ch.state.holdingCell, { kind: 'fail_malformed', id: htlcId, sha256OfOnion, failureCode }];
    requestFlush(core, ch);
  });
}

/** The shared secret of an incoming HTLC's onion, or the malformed failure to send instead. */
export async function onionSharedSecret(core: ManagerCore, htlc: Htlc): Promise<{ sharedSecret: Uint8Array } | { malformed: { sha256OfOnion: Uint8Array; failureCode: number } }> {
  try {
    const packet = parseOnionPacket(htlc.onion);
    const secrets = new Map<string, Uint8Array>();
    // peelOnionPacket takes a synchronous ECDH: compute it through the (possibly asynchronous) NodeSigner first.
    const shared = await core.nodeSigner.ecdh('node', packet.publicKey as never);
    secrets.set(toHex(packet.publicKey), shared);
    const peeled = peelOnionPacket(packet, htlc.paymentHash, (pk) => secrets.get(toHex(pk)) ?? new Uint8Array(32), { secp256k1: core.backend });
    return { sharedSecret: peeled.sharedSecret };
  } catch (e) {
    if (e instanceof OnionError) {
      const m = malformedHtlcFailure(htlc.onion, e);
      return { malformed: m ?? { sha256OfOnion: sha256(htlc.onion), failureCode: FAILURE_CODES.invalid_onion_version } };
    }
    throw e;
  }
}

/**
 * Fails an incoming HTLC with a BOLT 4 failure code (policy refusals): the
 * failure is encrypted with the HTLC's onion shared secret, or sent as
 * malformed when the onion cannot be read.
 */
export async function failInboundWithCode(core: ManagerCore, ch: FundedChannel, htlc: Htlc, code: number): Promise<void> {
  const r = await onionSharedSecret(core, htlc);
  if ('malformed' in r) {
    failMalformedHtlc(core, ch.channelId, htlc.id, r.malformed.sha256OfOnion, r.malformed.failureCode);
    return;
  }
  failHtlc(core, ch.channelId, htlc.id, createFailurePacket(r.sharedSecret, encodeFailureMessage(failureOfCode(code))));
}

/** A failure message for a code (channel_update left empty, as BOLT 4 now allows). */
export function failureOfCode(code: number): FailureMessage {
  switch (code) {
    case FAILURE_CODES.temporary_channel_failure:
      return { name: 'temporary_channel_failure', channelUpdate: new Uint8Array(0) };
    case FAILURE_CODES.permanent_channel_failure:
      return { name: 'permanent_channel_failure' };
    case FAILURE_CODES.temporary_node_failure:
      return { name: 'temporary_node_failure' };
    case FAILURE_CODES.unknown_next_peer:
      return { name: 'unknown_next_peer' };
    default:
      return { name: 'unknown', code, data: new Uint8Array(0) };
  }
}
