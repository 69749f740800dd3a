// Small hand-built graphs for the router tests, and an independent checker
// of routes (written from BOLT 7's rules, not from the router's code).
import { compareBytes, equalBytes, nodeId, shortChannelId, type NodeId } from 'ln-types';
import type { Path, Route, RouteParameters } from 'ln-router-api';
import { TypedGraph, type ChannelData, type PolicyData } from '../../src/index.js';

/** Node id number i: 02 i 00..00 (so ids sort by i). */
export function idOf(i: number): NodeId {
  const b = new Uint8Array(33);
  b[0] = 2;
  b[1] = i;
  return nodeId(b);
}

export interface Pol {
  base?: number;
  prop?: number;
  cltv?: number;
  min?: bigint;
  max?: bigint;
  disabled?: boolean;
}

/** A channel from node `a` to `b`: `ab` is a's policy, `ba` b's (null: no update). */
export interface Chan {
  a: number;
  b: number;
  scid: bigint;
  capSat: bigint;
  ab: Pol | null;
  ba: Pol | null;
}

function policy(p: Pol | null, capSat: bigint): PolicyData | null {
  if (p === null) return null;
  return {
    feeBaseMsat: p.base ?? 0,
    feeProportionalMillionths: p.prop ?? 0,
    cltvExpiryDelta: p.cltv ?? 0,
    htlcMinimumMsat: p.min ?? 0n,
    htlcMaximumMsat: p.max ?? capSat * 1000n,
    disabled: p.disabled ?? false,
  };
}

export function buildGraph(nodeCount: number, chans: readonly Chan[]): TypedGraph {
  return buildGraphWithIds(Array.from({ length: nodeCount }, (_, i) => idOf(i)), chans);
}

/** As {@link buildGraph}, with node `i` of the channels being `ids[i]` (e.g. real public keys). */
export function buildGraphWithIds(ids: readonly NodeId[], chans: readonly Chan[]): TypedGraph {
  const nodes = ids.map((id) => ({ nodeId: id, features: Uint8Array.of(0x02, 0x02, 0x00) }));
  const channels: ChannelData[] = chans.map((c) => {
    const aFirst = compareBytes(ids[c.a]!, ids[c.b]!) < 0;
    const pa = policy(c.ab, c.capSat);
    const pb = policy(c.ba, c.capSat);
    return {
      shortChannelId: c.scid,
      node1: aFirst ? c.a : c.b,
      node2: aFirst ? c.b : c.a,
      capacitySat: c.capSat,
      policies: aFirst ? [pa, pb] : [pb, pa],
    };
  });
  return new TypedGraph({ nodes, channels });
}

/** BOLT 7 fee. */
export function fee(p: Pol, amount: bigint): bigint {
  return BigInt(p.base ?? 0) + (amount * BigInt(p.prop ?? 0)) / 1_000_000n;
}

/** The policy `from` uses on channel `scid` towards `to`, or undefined if the channel does not join them. */
function policyOf(chans: readonly Chan[], scid: bigint, from: NodeId, to: NodeId): { pol: Pol | null; capSat: bigint } | undefined {
  const c = chans.find((x) => x.scid === scid);
  if (c === undefined) return undefined;
  if (equalBytes(idOf(c.a), from) && equalBytes(idOf(c.b), to)) return { pol: c.ab, capSat: c.capSat };
  if (equalBytes(idOf(c.b), from) && equalBytes(idOf(c.a), to)) return { pol: c.ba, capSat: c.capSat };
  return undefined;
}

/**
 * Checks a path against the channels: each hop joins the previous node to its
 * node over an enabled direction, carries within htlc min/max and capacity,
 * and amounts and cltv follow from the next hop by the forwarding node's policy.
 * Returns a reason, or undefined if valid.
 */
export function checkPath(chans: readonly Chan[], payer: NodeId, path: Path, finalCltv: number): string | undefined {
  let from = payer;
  for (let i = 0; i < path.hops.length; i++) {
    const hop = path.hops[i]!;
    const p = policyOf(chans, hop.shortChannelId, from, hop.nodeId);
    if (p === undefined) return `hop ${i}: channel ${hop.shortChannelId} does not join the nodes`;
    if (p.pol === null || p.pol.disabled === true) return `hop ${i}: direction disabled`;
    const max = p.pol.max ?? p.capSat * 1000n;
    if (hop.amountMsat < (p.pol.min ?? 0n) || hop.amountMsat > max || hop.amountMsat > p.capSat * 1000n) return `hop ${i}: amount out of bounds`;
    const next = path.hops[i + 1];
    if (next !== undefined) {
      const np = policyOf(chans, next.shortChannelId, hop.nodeId, next.nodeId);
      if (np === undefined || np.pol === null) return `hop ${i + 1}: no policy`;
      if (hop.amountMsat !== next.amountMsat + fee(np.pol, next.amountMsat)) return `hop ${i}: amount does not add the fee`;
      if (hop.feeMsat !== hop.amountMsat - next.amountMsat) return `hop ${i}: feeMsat`;
      if (hop.cltvExpiryDelta !== next.cltvExpiryDelta + (np.pol.cltv ?? 0)) return `hop ${i}: cltv does not add the delta`;
    } else {
      if (hop.feeMsat !== 0n) return 'last hop fee';
      if (hop.cltvExpiryDelta !== finalCltv) return 'final cltv';
    }
    from = hop.nodeId;
  }
  return undefined;
}

/** Checks a whole route: every path valid, final amounts sum exactly, limits kept. */
export function checkRoute(chans: readonly Chan[], payer: NodeId, route: Route, params: RouteParameters): string | undefined {
  const payee = params.paymentParams.payee;
  if (payee.kind !== 'clear') return 'checker handles clear payees';
  let total = 0n;
  for (const path of route.paths) {
    const why = checkPath(chans, payer, path, payee.finalCltvExpiryDelta);
    if (why !== undefined) return why;
    const last = path.hops[path.hops.length - 1]!;
    if (!equalBytes(last.nodeId, payee.nodeId)) return 'path does not end at the payee';
    if (path.hops[0]!.cltvExpiryDelta > params.paymentParams.maxTotalCltvExpiryDelta) return 'cltv limit';
    total += last.amountMsat;
  }
  if (total !== params.finalValueMsat) return `paths deliver ${total}, not ${params.finalValueMsat}`;
  if (route.paths.length > params.paymentParams.maxPathCount) return 'too many paths';
  const fees = route.paths.reduce((s, p) => s + p.hops[0]!.amountMsat - p.hops[p.hops.length - 1]!.amountMsat, 0n);
  if (params.maxTotalRoutingFeeMsat !== undefined && fees > params.maxTotalRoutingFeeMsat) return 'fee limit';
  return undefined;
}

export const MPP_FEATURES = Uint8Array.of(0x02, 0x42, 0x00); // var_onion (9), payment_secret (14), basic_mpp (17)
export const NO_MPP_FEATURES = Uint8Array.of(0x42, 0x00); // var_onion (9), payment_secret (14)

export { shortChannelId };
