// Commitment specs and how updates change them (BOLT 2 "Updating Fees" and
// "Adding an HTLC" / "Removing an HTLC"): a commitment is the previous one of the
// same side with a batch of updates applied.

import type { CommitmentSpec, DirectedHtlc, Htlc, Update } from './types.js';
import { ChannelError } from '../errors.js';

/** The HTLC with this direction and id in a spec, if any. */
export function findHtlc(spec: CommitmentSpec, direction: 'in' | 'out', id: bigint): Htlc | undefined {
  for (const h of spec.htlcs) if (h.direction === direction && h.htlc.id === id) return h.htlc;
  return undefined;
}

/**
 * Applies our updates (`ours`) and the counterparty's (`theirs`) to a spec:
 * adds first (ours become `out`, theirs `in`), then removals (our fulfill/fail
 * removes an incoming HTLC; theirs an outgoing one; a fulfill pays the HTLC to
 * the side it was offered to, a fail returns it), then the last fee update.
 * @throws ChannelError `internal` when a removal names an HTLC not in the spec (a bug: callers check first)
 */
export function reduceSpec(spec: CommitmentSpec, ours: readonly Update[], theirs: readonly Update[]): CommitmentSpec {
  if (ours.length === 0 && theirs.length === 0) return spec;
  let toLocal = spec.toLocalMsat;
  let toRemote = spec.toRemoteMsat;
  let feerate = spec.feeratePerKw;
  // Index by direction and id for large HTLC sets.
  const htlcs = new Map<string, DirectedHtlc>();
  for (const h of spec.htlcs) htlcs.set(key(h.direction, h.htlc.id), h);
  for (const u of ours) {
    if (u.kind === 'add') {
      toLocal -= u.htlc.amountMsat;
      htlcs.set(key('out', u.htlc.id), { direction: 'out', htlc: u.htlc });
    }
  }
  for (const u of theirs) {
    if (u.kind === 'add') {
      toRemote -= u.htlc.amountMsat;
      htlcs.set(key('in', u.htlc.id), { direction: 'in', htlc: u.htlc });
    }
  }
  for (const u of ours) {
    if (u.kind === 'fulfill' || u.kind === 'fail' || u.kind === 'fail_malformed') {
      const k = key('in', u.id);
      const h = htlcs.get(k);
      if (h === undefined) throw new ChannelError('internal', `our ${u.kind} names incoming HTLC ${u.id}, which is not in the commitment`);
      htlcs.delete(k);
      if (u.kind === 'fulfill') toLocal += h.htlc.amountMsat;
      else toRemote += h.htlc.amountMsat;
    } else if (u.kind === 'fee') feerate = u.feeratePerKw;
  }
  for (const u of theirs) {
    if (u.kind === 'fulfill' || u.kind === 'fail' || u.kind === 'fail_malformed') {
      const k = key('out', u.id);
      const h = htlcs.get(k);
      if (h === undefined) throw new ChannelError('internal', `their ${u.kind} names outgoing HTLC ${u.id}, which is not in the commitment`);
      htlcs.delete(k);
      if (u.kind === 'fulfill') toRemote += h.htlc.amountMsat;
      else toLocal += h.htlc.amountMsat;
    } else if (u.kind === 'fee') feerate = u.feeratePerKw;
  }
  return { htlcs: [...htlcs.values()], toLocalMsat: toLocal, toRemoteMsat: toRemote, feeratePerKw: feerate };
}

function key(direction: 'in' | 'out', id: bigint): string {
  return direction === 'in' ? `i${id}` : `o${id}`;
}

/** The spec seen from the other side (directions and balances swapped). */
export function flipSpec(spec: CommitmentSpec): CommitmentSpec {
  return {
    htlcs: spec.htlcs.map((h) => ({ direction: h.direction === 'in' ? 'out' : 'in', htlc: h.htlc })),
    toLocalMsat: spec.toRemoteMsat,
    toRemoteMsat: spec.toLocalMsat,
    feeratePerKw: spec.feeratePerKw,
  };
}

/** Sum of the HTLCs of one direction. */
export function htlcTotal(spec: CommitmentSpec, direction: 'in' | 'out'): bigint {
  let total = 0n;
  for (const h of spec.htlcs) if (h.direction === direction) total += h.htlc.amountMsat;
  return total;
}

/** Count of the HTLCs of one direction. */
export function htlcCount(spec: CommitmentSpec, direction: 'in' | 'out'): number {
  let n = 0;
  for (const h of spec.htlcs) if (h.direction === direction) n++;
  return n;
}

/** True when two specs hold the same balances, fee rate and HTLCs (order ignored). */
export function sameSpec(a: CommitmentSpec, b: CommitmentSpec): boolean {
  if (a.toLocalMsat !== b.toLocalMsat || a.toRemoteMsat !== b.toRemoteMsat || a.feeratePerKw !== b.feeratePerKw || a.htlcs.length !== b.htlcs.length) return false;
  const ids = new Set(a.htlcs.map((h) => `${h.direction}${h.htlc.id}:${h.htlc.amountMsat}`));
  return b.htlcs.every((h) => ids.has(`${h.direction}${h.htlc.id}:${h.htlc.amountMsat}`));
}
