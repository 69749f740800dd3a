// The commitment dance as transitions of the change lists (BOLT 2 "Committing
// Updates So Far" / "Completing the Transition to the Updated State"): which
// updates each side's next commitment takes, and where they go when signatures
// and revocations are exchanged. Pure bookkeeping: signatures and monitor
// updates are the caller's.

import { ChannelError } from '../errors.js';
import { reduceSpec } from './spec.js';
import type { ChannelState, CommitmentSpec, HoldingCellUpdate, LocalCommit, NextRemoteCommit, Update } from './types.js';

/** True when we have something to sign for the counterparty (our proposed updates, or its updates we acked). */
export function hasChangesToSign(state: ChannelState): boolean {
  return state.localChanges.proposed.length > 0 || state.remoteChanges.acked.length > 0;
}

/** The counterparty's next commitment spec: its current one with our proposed and its acked updates. */
export function nextRemoteSpec(state: ChannelState): CommitmentSpec {
  return reduceSpec(state.remoteCommit.spec, state.localChanges.proposed, state.remoteChanges.acked);
}

/** Our next commitment spec (what the counterparty's commitment_signed must sign). */
export function nextLocalSpec(state: ChannelState): CommitmentSpec {
  return reduceSpec(state.localCommit.spec, state.localChanges.acked, state.remoteChanges.proposed);
}

/** We sent commitment_signed for `next`: our proposed and its acked updates are now signed. */
export function applySentCommitment(state: ChannelState, next: NextRemoteCommit): void {
  if (state.nextRemoteCommit !== undefined) throw new ChannelError('internal', 'a commitment_signed is already awaiting revocation');
  const { localChanges: l, remoteChanges: r } = state;
  state.localChanges = { proposed: [], signed: l.proposed, acked: l.acked };
  state.remoteChanges = { proposed: r.proposed, acked: [], signed: r.acked };
  state.nextRemoteCommit = next;
  state.resendOrder = 'revoke_and_ack_first';
}

/** We accepted its commitment_signed: our acked and its proposed updates are in our new commitment. */
export function applyReceivedCommitment(state: ChannelState, commit: LocalCommit): void {
  const { localChanges: l, remoteChanges: r } = state;
  state.localChanges = { proposed: l.proposed, signed: l.signed, acked: [] };
  state.remoteChanges = { proposed: [], acked: [...r.acked, ...r.proposed], signed: r.signed };
  state.localCommit = commit;
  // Our revoke_and_ack for the previous commitment goes out after our last commitment_signed.
  state.resendOrder = 'commitment_first';
}

/**
 * Its revoke_and_ack arrived: its commitment we signed is now current. Returns
 * its updates that are now irrevocably committed on both sides (new incoming
 * HTLCs to act on, removals of our HTLCs to pass upstream).
 */
export function applyReceivedRevocation(state: ChannelState, nextPoint: Uint8Array): readonly Update[] {
  const next = state.nextRemoteCommit;
  if (next === undefined) throw new ChannelError('internal', 'no commitment awaits revocation');
  const { localChanges: l, remoteChanges: r } = state;
  state.remoteCommit = { number: next.number, spec: next.spec, txid: next.txid, point: next.point };
  state.nextRemoteCommit = undefined;
  state.remoteNextPoint = nextPoint;
  state.localChanges = { proposed: l.proposed, signed: [], acked: [...l.acked, ...l.signed] };
  state.remoteChanges = { proposed: r.proposed, acked: r.acked, signed: [] };
  return r.signed;
}

/**
 * On disconnection (BOLT 2 "Message Retransmission"): the counterparty's
 * updates not covered by a commitment_signed are forgotten, and so are ours
 * (they go back to the holding cell to be sent again after reestablishment).
 * Returns how many of its adds were dropped (their ids will be reused).
 */
export function dropUncommittedUpdates(state: ChannelState): void {
  const theirs = state.remoteChanges.proposed;
  const droppedAdds = theirs.filter((u) => u.kind === 'add').length;
  state.remoteNextHtlcId -= BigInt(droppedAdds);
  state.remoteChanges = { ...state.remoteChanges, proposed: [] };
  const ours = state.localChanges.proposed;
  if (ours.length === 0) return;
  const back: HoldingCellUpdate[] = [];
  let fee: number | undefined;
  let addsBack = 0;
  for (const u of ours) {
    if (u.kind === 'add') {
      addsBack++;
      const h = u.htlc;
      back.push({
        kind: 'add',
        amountMsat: h.amountMsat,
        paymentHash: h.paymentHash,
        cltvExpiry: h.cltvExpiry,
        onion: h.onion,
        ...(h.blindingPoint !== undefined && { blindingPoint: h.blindingPoint }),
        source: h.source ?? new Uint8Array(0),
      });
    } else if (u.kind === 'fee') fee = u.feeratePerKw;
    else back.push(u);
  }
  state.localNextHtlcId -= BigInt(addsBack);
  state.localChanges = { ...state.localChanges, proposed: [] };
  state.holdingCell = [...back, ...state.holdingCell];
  if (fee !== undefined && state.holdingCellFee === undefined) state.holdingCellFee = fee;
}

/** True when an update of ours removing incoming HTLC `id` exists anywhere (changes or holding cell). */
export function weAreRemoving(state: ChannelState, id: bigint): boolean {
  const l = state.localChanges;
  const hit = (u: Update | HoldingCellUpdate) => u.kind !== 'add' && u.kind !== 'fee' && u.id === id;
  return l.proposed.some(hit) || l.signed.some(hit) || l.acked.some(hit) || state.holdingCell.some(hit);
}

/** True when the counterparty already sent a removal of our HTLC `id` that is not fully settled. */
export function theyAreRemoving(state: ChannelState, id: bigint): boolean {
  const r = state.remoteChanges;
  const hit = (u: Update) => u.kind !== 'add' && u.kind !== 'fee' && u.id === id;
  return r.proposed.some(hit) || r.acked.some(hit) || r.signed.some(hit);
}

/** Whether any update is still on its way in either direction (BOLT 2: shutdown completes when none is). */
export function hasPendingUpdates(state: ChannelState): boolean {
  const l = state.localChanges;
  const r = state.remoteChanges;
  return (
    l.proposed.length + l.signed.length + l.acked.length + r.proposed.length + r.acked.length + r.signed.length > 0 ||
    state.nextRemoteCommit !== undefined ||
    state.holdingCell.length > 0 ||
    state.holdingCellFee !== undefined
  );
}

/** Whether any HTLC is in either side's commitment. */
export function hasHtlcs(state: ChannelState): boolean {
  return state.localCommit.spec.htlcs.length > 0 || state.remoteCommit.spec.htlcs.length > 0 || (state.nextRemoteCommit?.spec.htlcs.length ?? 0) > 0;
}
