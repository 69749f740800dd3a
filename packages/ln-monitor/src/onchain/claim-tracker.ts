import { outPointKey, toHex } from 'ln-types';
import { type ClaimInputSpec, claimInputFor } from '../claims/claim-input.js';
import { holderHtlcClaimable, holderHtlcDeadline } from '../claims/holder-claims.js';
import type { ClaimPackage, MonitorState, PackageKind, TrackedOutput } from '../monitor/state.js';
import { groupClaimInputs } from './package.js';
import { CLTV_CLAIM_BUFFER } from '../constants.js';

// The claims a monitor runs (LDK's OnchainTxHandler), recomputed on every block
// from the chain state: every watched output nobody has spent that we can spend
// now is in exactly one package. A package that loses an output (spent by
// someone, or reorganized away) is rebuilt from what is left; outputs that become
// claimable (a new block, a preimage, a reorg that undid a spend) form new
// packages. Packages keep their fee rate and bump schedule across blocks.

export type HolderHtlcOutput = Extract<TrackedOutput, { kind: 'holder_htlc' }>;

/** Something the monitor can claim now. */
export type Claimable =
  | { readonly type: 'malleable'; readonly spec: ClaimInputSpec }
  | { readonly type: 'holder_htlc'; readonly out: HolderHtlcOutput; readonly deadline: number }
  | { readonly type: 'holder_commitment'; readonly deadline: number };

/** At most this many zero-fee HTLC transactions go into one BumpTransaction event. */
const MAX_HTLCS_PER_BUMP = 50;

/** The funding outpoint's key: the package that broadcasts our commitment spends it. */
export function fundingKey(state: MonitorState): string {
  return outPointKey(state.parameters.fundingOutpoint);
}

/** The earliest deadline of the HTLCs on our commitment (what our broadcast races against). */
function holderCommitmentDeadline(state: MonitorState): number {
  let deadline = Number.MAX_SAFE_INTEGER;
  for (const h of state.holderCurrent.commitment.data.htlcs) {
    const d = h.offered ? h.cltvExpiry : state.preimages.has(toHex(h.paymentHash)) ? h.cltvExpiry - CLTV_CLAIM_BUFFER : Number.MAX_SAFE_INTEGER;
    deadline = Math.min(deadline, d);
  }
  return deadline;
}

/** Everything claimable at `height`, by outpoint key. */
export function collectClaimables(state: MonitorState, height: number): Map<string, Claimable> {
  const claimables = new Map<string, Claimable>();
  if (state.holderBroadcast !== undefined && state.fundingSpend === undefined) {
    claimables.set(fundingKey(state), { type: 'holder_commitment', deadline: holderCommitmentDeadline(state) });
  }
  for (const [key, out] of state.outputs) {
    if (out.spentBy !== undefined) continue;
    if (out.kind === 'holder_htlc') {
      if (holderHtlcClaimable(state, out, height)) claimables.set(key, { type: 'holder_htlc', out, deadline: holderHtlcDeadline(out) });
      continue;
    }
    const spec = claimInputFor(state, key, out, height);
    if (spec !== undefined) claimables.set(key, { type: 'malleable', spec });
  }
  return claimables;
}

function packageKindOf(state: MonitorState, c: Claimable): PackageKind {
  if (c.type === 'malleable') return 'malleable';
  if (c.type === 'holder_commitment') return 'holder_commitment';
  return state.parameters.format === 'anchors' ? 'anchor_htlc' : 'holder_htlc';
}

function newPackage(state: MonitorState, kind: PackageKind, outpoints: string[], height: number): ClaimPackage {
  const p: ClaimPackage = { id: state.nextPackageId++, kind, outpoints, feerate: 0, nextBumpHeight: height, stale: true };
  state.packages.push(p);
  return p;
}

/**
 * Brings the packages in line with what is claimable now. Returns true if any
 * package changed.
 */
export function reconcilePackages(state: MonitorState, claimables: Map<string, Claimable>, height: number): boolean {
  let changed = false;
  const assigned = new Set<string>();
  for (let i = state.packages.length - 1; i >= 0; i--) {
    const p = state.packages[i]!;
    const kept = p.outpoints.filter((k) => {
      const c = claimables.get(k);
      return c !== undefined && packageKindOf(state, c) === p.kind && !assigned.has(k);
    });
    if (kept.length !== p.outpoints.length) {
      p.outpoints = kept;
      p.stale = true;
      changed = true;
    }
    if (kept.length === 0) state.packages.splice(i, 1);
    for (const k of kept) assigned.add(k);
  }
  const fresh = [...claimables].filter(([k]) => !assigned.has(k));
  if (fresh.length === 0) return changed;
  const malleable: ClaimInputSpec[] = [];
  const anchorGroups = new Map<number, string[]>();
  for (const [key, c] of fresh) {
    switch (packageKindOf(state, c)) {
      case 'malleable':
        malleable.push((c as Extract<Claimable, { type: 'malleable' }>).spec);
        break;
      case 'holder_commitment':
      case 'holder_htlc':
        newPackage(state, packageKindOf(state, c), [key], height);
        break;
      case 'anchor_htlc': {
        // One locktime per transaction: HTLC-success (0) apart from each HTLC-timeout expiry.
        const out = (c as Extract<Claimable, { type: 'holder_htlc' }>).out;
        const locktime = out.htlc.offered ? out.htlc.cltvExpiry : 0;
        let group = anchorGroups.get(locktime);
        if (group === undefined) anchorGroups.set(locktime, (group = []));
        group.push(key);
        break;
      }
    }
  }
  for (const group of groupClaimInputs(malleable)) newPackage(state, 'malleable', group.map((i) => i.key), height);
  for (const keys of anchorGroups.values()) {
    for (let i = 0; i < keys.length; i += MAX_HTLCS_PER_BUMP) newPackage(state, 'anchor_htlc', keys.slice(i, i + MAX_HTLCS_PER_BUMP), height);
  }
  return true;
}
