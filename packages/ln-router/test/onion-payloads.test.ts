// Issue 8: "plain data in, plain data out: a route can be turned into onion
// hop payloads by ln-onion without the router knowing onions". End to end: a
// graph of real node keys, a route from DefaultRouter, an onion built by
// ln-onion from the route's fields, and every node peeling its layer and
// finding exactly the HTLC the graph's policies say it must forward.
import { describe, expect, it } from '@jest/globals';
import { ecdh, publicKeyFromPrivate, sha256 } from 'ln-crypto';
import { buildOnionPacket, decodeHopPayload, encodeHopPayload, peelOnionPacket, validateHopPayload, type OnionPacket } from 'ln-onion';
import { NO_IN_FLIGHT_HTLCS, paymentParametersForNode, routeFinalValueMsat, type Path, type Route, type RouteParameters } from 'ln-router-api';
import { equalBytes, nodeId, type NodeId } from 'ln-types';
import { DefaultRouter, FixedPenaltyScorer } from '../src/index.js';
import { buildGraphWithIds, fee, MPP_FEATURES, NO_MPP_FEATURES, type Chan } from './helpers/graph.js';
import { pathHopPayloads } from './helpers/onion.js';

const HEIGHT = 850_000;
const FINAL_CLTV = 18;
const paymentHash = sha256(new TextEncoder().encode('preimage'));
const paymentSecret = new Uint8Array(32).fill(0x5e);
const scid = (n: number) => BigInt(n) << 40n;

/** Node i holds private key i + 1; its node id is the matching public key. */
const privateKeys = Array.from({ length: 6 }, (_, i) => {
  const k = new Uint8Array(32);
  k[31] = i + 1;
  return k;
});
const ids: NodeId[] = privateKeys.map((k) => nodeId(publicKeyFromPrivate(k)));
const keyOf = (id: Uint8Array): Uint8Array => privateKeys[ids.findIndex((x) => equalBytes(x, id))]!;

/** The policy the node at `from` applies on channel `shortChannelId` (the graph's, not the route's). */
function policyOf(chans: readonly Chan[], shortChannelId: bigint, from: Uint8Array) {
  const c = chans.find((x) => x.scid === shortChannelId)!;
  const pol = equalBytes(ids[c.a]!, from) ? c.ab : c.ba;
  if (pol === null) throw new Error('no policy in that direction');
  return pol;
}

interface Htlc {
  amountMsat: bigint;
  cltvExpiry: number;
  shortChannelId: bigint;
}

/**
 * The HTLC each hop of a path must receive, computed from the graph alone:
 * the payee gets the path's share at height + final cltv; each earlier hop
 * adds the fee and cltv delta of the node that forwards over the next channel.
 */
function expectedHtlcs(chans: readonly Chan[], path: Path, share: bigint): Htlc[] {
  const hops = path.hops;
  const out: Htlc[] = new Array<Htlc>(hops.length);
  out[hops.length - 1] = { amountMsat: share, cltvExpiry: HEIGHT + FINAL_CLTV, shortChannelId: hops[hops.length - 1]!.shortChannelId };
  for (let i = hops.length - 2; i >= 0; i--) {
    const next = out[i + 1]!;
    const pol = policyOf(chans, hops[i + 1]!.shortChannelId, hops[i]!.nodeId);
    out[i] = { amountMsat: next.amountMsat + fee(pol, next.amountMsat), cltvExpiry: next.cltvExpiry + (pol.cltv ?? 0), shortChannelId: hops[i]!.shortChannelId };
  }
  return out;
}

/**
 * Sends a path's HTLC through its onion: the payer offers the first HTLC, each
 * node peels its layer with its own key, checks the BOLT 4 reader rules and
 * what it is told against what the graph says, and forwards. Returns what the
 * payee was told.
 */
function sendAlong(chans: readonly Chan[], path: Path, share: bigint, totalMsat: bigint): { amountMsat: bigint; totalMsat: bigint } {
  const payloads = pathHopPayloads(path, HEIGHT, { paymentSecret, totalMsat });
  const { packet } = buildOnionPacket(
    new Uint8Array(32).fill(0x42),
    path.hops.map((h, i) => ({ publicKey: h.nodeId, payload: encodeHopPayload(payloads[i]!) })),
    paymentHash,
  );
  const expected = expectedHtlcs(chans, path, share);
  // The payer's own HTLC: what the route says the first hop carries.
  let incoming: Htlc = { amountMsat: path.hops[0]!.amountMsat, cltvExpiry: HEIGHT + path.hops[0]!.cltvExpiryDelta, shortChannelId: path.hops[0]!.shortChannelId };
  expect(incoming).toEqual(expected[0]);
  let onion: OnionPacket | undefined = packet;
  for (let i = 0; i < path.hops.length; i++) {
    const node = path.hops[i]!.nodeId;
    const key = keyOf(node);
    const peeled = peelOnionPacket(onion!, paymentHash, (point) => ecdh(key, point));
    const isFinal = i === path.hops.length - 1;
    expect(peeled.next === undefined).toBe(isFinal);
    const read = decodeHopPayload(peeled.payload);
    validateHopPayload(read, { isFinal, pathKeyInUpdateAdd: false });
    if (isFinal) {
      // BOLT 4 final node: told exactly what arrives, with the payment secret and the payment's total.
      expect(read.amtToForward).toBe(incoming.amountMsat);
      expect(read.outgoingCltvValue).toBe(incoming.cltvExpiry);
      expect(read.shortChannelId).toBeUndefined();
      expect(read.paymentData?.paymentSecret).toEqual(paymentSecret);
      return { amountMsat: read.amtToForward!, totalMsat: read.paymentData!.totalMsat };
    }
    const forward: Htlc = { amountMsat: read.amtToForward!, cltvExpiry: read.outgoingCltvValue!, shortChannelId: read.shortChannelId! };
    expect(read.paymentData).toBeUndefined();
    expect(forward).toEqual(expected[i + 1]);
    // The forwarding node's own checks pass exactly: its fee and delta, not more, not less.
    const pol = policyOf(chans, forward.shortChannelId, node);
    expect(incoming.amountMsat - forward.amountMsat).toBe(fee(pol, forward.amountMsat));
    expect(incoming.cltvExpiry - forward.cltvExpiry).toBe(pol.cltv ?? 0);
    incoming = forward;
    onion = peeled.next;
  }
  throw new Error('the path has no hops');
}

/** Sends every path of a route through its onion and checks the payee receives, and is told, the payment total. */
function payThrough(chans: readonly Chan[], route: Route, params: RouteParameters): void {
  const total = params.finalValueMsat;
  let received = 0n;
  for (const path of route.paths) {
    const share = path.hops[path.hops.length - 1]!.amountMsat;
    const told = sendAlong(chans, path, share, total);
    expect(told.totalMsat).toBe(total);
    received += told.amountMsat;
  }
  expect(received).toBe(total);
  expect(routeFinalValueMsat(route)).toBe(total);
}

describe('a route becomes ln-onion hop payloads without the router knowing onions', () => {
  // 0 -> 1 -> 2 -> 3 (fees and cltv compound), and a dearer shortcut 0 -> 4 -> 3.
  const chans: Chan[] = [
    { a: 0, b: 1, scid: scid(1), capSat: 1_000_000n, ab: { base: 1000, prop: 100, cltv: 10 }, ba: null },
    { a: 1, b: 2, scid: scid(2), capSat: 1_000_000n, ab: { base: 1000, prop: 1000, cltv: 40 }, ba: null },
    { a: 2, b: 3, scid: scid(3), capSat: 1_000_000n, ab: { base: 500, prop: 2000, cltv: 30 }, ba: null },
    { a: 0, b: 4, scid: scid(4), capSat: 1_000_000n, ab: { base: 0, prop: 0, cltv: 10 }, ba: null },
    { a: 4, b: 3, scid: scid(5), capSat: 1_000_000n, ab: { base: 50_000, prop: 0, cltv: 144 }, ba: null },
  ];
  const router = new DefaultRouter(buildGraphWithIds(ids, chans), new FixedPenaltyScorer());
  const single = (payee: number, amount: bigint): RouteParameters => ({
    paymentParams: paymentParametersForNode(ids[payee]!, FINAL_CLTV, { features: NO_MPP_FEATURES }),
    finalValueMsat: amount,
  });

  it('single path: each node reads the amount, cltv and channel the route makes it forward', () => {
    const params = single(3, 10_000_000n);
    const route = router.findRoute(ids[0]!, params, undefined, NO_IN_FLIGHT_HTLCS);
    expect(route.paths).toHaveLength(1);
    expect(route.paths[0]!.hops.map((h) => h.shortChannelId)).toEqual([scid(1), scid(2), scid(3)]);
    payThrough(chans, route, params);
  });

  it('a one-hop route carries only the final payload', () => {
    const params = single(1, 5_000_000n);
    const route = router.findRoute(ids[0]!, params, undefined, NO_IN_FLIGHT_HTLCS);
    expect(route.paths[0]!.hops).toHaveLength(1);
    payThrough(chans, route, params);
  });

  it('multi-path: every path has its onion, and every payee payload carries the payment total', () => {
    // Three disjoint 2-hop paths from 0 to 5 of 400k, 300k and 300k sat, with different fees and deltas.
    const mppChans: Chan[] = [
      { a: 0, b: 1, scid: scid(11), capSat: 400_000n, ab: { base: 1000, prop: 10, cltv: 6 }, ba: null },
      { a: 1, b: 5, scid: scid(12), capSat: 400_000n, ab: { base: 1000, prop: 10, cltv: 40 }, ba: null },
      { a: 0, b: 2, scid: scid(13), capSat: 300_000n, ab: { base: 2000, prop: 20, cltv: 6 }, ba: null },
      { a: 2, b: 5, scid: scid(14), capSat: 300_000n, ab: { base: 500, prop: 30, cltv: 80 }, ba: null },
      { a: 0, b: 3, scid: scid(15), capSat: 300_000n, ab: { base: 0, prop: 5, cltv: 6 }, ba: null },
      { a: 3, b: 5, scid: scid(16), capSat: 300_000n, ab: { base: 100, prop: 50, cltv: 144 }, ba: null },
    ];
    const mppRouter = new DefaultRouter(buildGraphWithIds(ids, mppChans), new FixedPenaltyScorer());
    const params: RouteParameters = {
      paymentParams: { ...paymentParametersForNode(ids[5]!, FINAL_CLTV, { features: MPP_FEATURES }), maxChannelSaturationPowerOfHalf: 0 },
      finalValueMsat: 900_000_000n,
    };
    const route = mppRouter.findRoute(ids[0]!, params, undefined, NO_IN_FLIGHT_HTLCS);
    expect(route.paths.length).toBeGreaterThan(1);
    payThrough(mppChans, route, params);
  });

  it('a payload that does not match the route is caught: the check can fail', () => {
    const params = single(3, 10_000_000n);
    const route = router.findRoute(ids[0]!, params, undefined, NO_IN_FLIGHT_HTLCS);
    const path = route.paths[0]!;
    // Off by one msat at the second hop: the node after it would be told the wrong amount.
    const wrong: Path = { hops: path.hops.map((h, i) => (i === 1 ? { ...h, amountMsat: h.amountMsat + 1n } : h)) };
    expect(() => payThrough(chans, { paths: [wrong] }, params)).toThrow(/expect/);
  });
});
