// Pure routing helpers shared by the page and by Node (tests, bench): the same
// code finds the route the page draws and times the same pairs in both runtimes.
import type { NetworkGraph } from 'ln-gossip';
import { DefaultRouter, ProbabilisticScorer } from 'ln-router';
import { NO_IN_FLIGHT_HTLCS, paymentParametersForNode, type Route } from 'ln-router-api';
import { decodeMessage } from 'ln-wire';
import { fromHex, nodeIdFromHex, toHex, type NodeId } from 'ln-types';

/** One hop of a route as the page shows it. */
export interface HopView {
  readonly nodeId: string;
  readonly alias: string | undefined;
  readonly shortChannelId: string;
  readonly amountMsat: bigint;
  readonly feeMsat: bigint;
  readonly cltvExpiryDelta: number;
}

/** A found route as the page shows it. */
export interface RouteView {
  readonly payer: string;
  readonly payerAlias: string | undefined;
  readonly hops: readonly HopView[];
  readonly totalFeeMsat: bigint;
  readonly totalCltvExpiryDelta: number;
  readonly amountMsat: bigint;
}

/** A (payer, payee) pair by node id, hex (indices differ between graphs; ids do not). */
export interface Pair {
  readonly payer: string;
  readonly payee: string;
}

const FINAL_CLTV = 18;
const DEFAULT_AMOUNT_MSAT = 50_000_000n;

/** The alias from a node's node_announcement, or undefined (no announcement, e.g. after RGS). */
export function nodeAlias(graph: NetworkGraph, nodeId: Uint8Array): string | undefined {
  const n = graph.nodeIndex(nodeId);
  if (n < 0) return undefined;
  const raw = graph.nodeAnnouncement(n);
  if (raw === undefined) return undefined;
  try {
    const m = decodeMessage(raw);
    if (m.type !== 'node_announcement') return undefined;
    const end = m.alias.indexOf(0);
    const text = new TextDecoder('utf-8', { fatal: false }).decode(end < 0 ? m.alias : m.alias.subarray(0, end)).trim();
    return text === '' ? undefined : text;
  } catch {
    return undefined;
  }
}

/** A router over the graph (probabilistic scorer, LDK's defaults). */
export function routerFor(graph: NetworkGraph): DefaultRouter {
  return new DefaultRouter(graph, new ProbabilisticScorer(graph));
}

/** Finds a route for a pair; undefined when there is none. */
export function routePair(router: DefaultRouter, pair: Pair, amountMsat: bigint = DEFAULT_AMOUNT_MSAT): Route | undefined {
  try {
    const r = router.findRoute(nodeIdFromHex(pair.payer), { paymentParams: paymentParametersForNode(nodeIdFromHex(pair.payee), FINAL_CLTV), finalValueMsat: amountMsat }, undefined, NO_IN_FLIGHT_HTLCS);
    return r instanceof Promise ? undefined : r;
  } catch {
    return undefined; // RouteError: no path for this pair
  }
}

/** The page's view of a route's first path. */
export function viewRoute(graph: NetworkGraph, payer: NodeId | Uint8Array, route: Route): RouteView {
  const path = route.paths[0]!;
  const hops = path.hops.map((h) => ({
    nodeId: toHex(h.nodeId),
    alias: nodeAlias(graph, h.nodeId),
    shortChannelId: formatScid(h.shortChannelId),
    amountMsat: h.amountMsat,
    feeMsat: h.feeMsat,
    cltvExpiryDelta: h.cltvExpiryDelta,
  }));
  return {
    payer: toHex(payer),
    payerAlias: nodeAlias(graph, payer),
    hops,
    totalFeeMsat: hops.reduce((s, h) => s + h.feeMsat, 0n),
    totalCltvExpiryDelta: path.hops[0]!.cltvExpiryDelta,
    amountMsat: path.hops.at(-1)!.amountMsat,
  };
}

/** `block x tx x output`, the usual human form of a short channel id. */
export function formatScid(scid: bigint): string {
  return `${scid >> 40n}x${(scid >> 16n) & 0xffffffn}x${scid & 0xffffn}`;
}

/** Node ids of the graph sorted, so that pair choices do not depend on insertion order. */
function sortedNodeIds(graph: NetworkGraph): string[] {
  const ids: string[] = [];
  for (let n = 0; n < graph.nodeCount; n++) if (graph.nodeExists(n)) ids.push(toHex(graph.nodeId(n)));
  return ids.sort();
}

/**
 * `count` pairs picked with a fixed seed (xorshift) from the graph's node ids:
 * the same graph content gives the same pairs in the browser and in Node.
 */
export function seededPairs(graph: NetworkGraph, count: number, seed = 20261124): Pair[] {
  const ids = sortedNodeIds(graph);
  if (ids.length < 2) return [];
  let s = seed >>> 0 || 1;
  const next = () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s % ids.length;
  };
  const pairs: Pair[] = [];
  while (pairs.length < count) {
    const a = next();
    const b = next();
    if (a !== b) pairs.push({ payer: ids[a]!, payee: ids[b]! });
  }
  return pairs;
}

/**
 * The route the page shows: the first pair, in seeded order, with a route of
 * at least two hops (a one-hop route draws little; in a breadth-first piece of
 * mainnet most nodes hang off a few hubs). Falls back to the first route of
 * any length; undefined when none of `tries` pairs has a route.
 */
export function demoRoute(graph: NetworkGraph, tries = 200): RouteView | undefined {
  const router = routerFor(graph);
  let fallback: RouteView | undefined;
  for (const pair of seededPairs(graph, tries)) {
    const route = routePair(router, pair);
    if (route === undefined) continue;
    const view = viewRoute(graph, fromHex(pair.payer), route);
    if (view.hops.length >= 2) return view;
    fallback ??= view;
  }
  return fallback;
}

/**
 * Routes every pair once: milliseconds per pair, for the whole loop (browsers
 * coarsen `performance.now()` to 0.1 ms, so per-pair times are only indicative
 * there) and how many pairs had a route.
 */
export function timeRoutes(graph: NetworkGraph, pairs: readonly Pair[], now: () => number): { readonly ms: number[]; readonly totalMs: number; readonly found: number } {
  const router = routerFor(graph);
  const ms: number[] = [];
  let found = 0;
  const start = now();
  for (const p of pairs) {
    const t0 = now();
    const r = routePair(router, p);
    const t = now() - t0;
    if (r !== undefined) found++;
    ms.push(t);
  }
  return { ms, totalMs: now() - start, found };
}
