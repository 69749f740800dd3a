import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { nodeId, shortChannelId, type NodeId } from 'ln-types';
import {
  RouteError,
  addPathToInFlight,
  firstHopsFromJson,
  firstHopsToJson,
  inFlightHtlcsFromJson,
  inFlightHtlcsToJson,
  pathFeeMsat,
  pathFinalValueMsat,
  paymentParametersForBlinded,
  paymentParametersForNode,
  routeFeeMsat,
  routeFinalValueMsat,
  routeFromJson,
  routeParametersFromJson,
  routeParametersToJson,
  routeToJson,
  supportsFeature,
  hasFeatureBit,
  type Path,
  type Route,
  type RouteParameters,
} from '../src/index.js';

const arbNodeId = fc
  .tuple(fc.constantFrom(2, 3), fc.uint8Array({ minLength: 32, maxLength: 32 }))
  .map(([p, x]) => nodeId(Uint8Array.of(p, ...x)));
const arbU64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
const arbScid = arbU64.map(shortChannelId);
const arbBytes = fc.uint8Array({ maxLength: 40 });
const arbU32 = fc.nat({ max: 0xffffffff });

const arbHop = fc.record({
  nodeId: arbNodeId,
  nodeFeatures: arbBytes,
  shortChannelId: arbScid,
  channelFeatures: arbBytes,
  amountMsat: arbU64,
  feeMsat: arbU64,
  cltvExpiryDelta: arbU32,
  announced: fc.boolean(),
});
const arbBlindedHop = fc.record({ blindedNodeId: arbBytes, encryptedPayload: arbBytes });
const arbPath: fc.Arbitrary<Path> = fc.record(
  {
    hops: fc.array(arbHop, { maxLength: 4 }),
    blindedTail: fc.record({
      hops: fc.array(arbBlindedHop, { maxLength: 3 }),
      blindingPoint: arbBytes,
      excessFinalCltvExpiryDelta: arbU32,
      finalValueMsat: arbU64,
    }),
  },
  { requiredKeys: ['hops'] },
);
const arbRoute: fc.Arbitrary<Route> = fc.record({ paths: fc.array(arbPath, { maxLength: 3 }) });

const arbHint = fc.array(
  fc.record(
    {
      sourceNodeId: arbNodeId,
      shortChannelId: arbScid,
      feeBaseMsat: arbU32,
      feeProportionalMillionths: arbU32,
      cltvExpiryDelta: fc.nat({ max: 0xffff }),
      htlcMinimumMsat: arbU64,
      htlcMaximumMsat: arbU64,
    },
    { requiredKeys: ['sourceNodeId', 'shortChannelId', 'feeBaseMsat', 'feeProportionalMillionths', 'cltvExpiryDelta'] },
  ),
  { maxLength: 3 },
);
const arbBlindedPath = fc.record({
  introductionNodeId: arbNodeId,
  blindingPoint: arbBytes,
  hops: fc.array(arbBlindedHop, { maxLength: 3 }),
  feeBaseMsat: arbU32,
  feeProportionalMillionths: arbU32,
  cltvExpiryDelta: arbU32,
  htlcMinimumMsat: arbU64,
  htlcMaximumMsat: arbU64,
  features: arbBytes,
});
const arbParams: fc.Arbitrary<RouteParameters> = fc
  .tuple(
    fc.oneof(
      fc.tuple(arbNodeId, fc.nat({ max: 0xffff }), fc.array(arbHint, { maxLength: 2 }), fc.option(arbBytes, { nil: undefined })).map(
        ([id, cltv, routeHints, features]) =>
          paymentParametersForNode(id, cltv, features === undefined ? { routeHints } : { routeHints, features }),
      ),
      fc.array(arbBlindedPath, { maxLength: 2 }).map((paths) => paymentParametersForBlinded(paths)),
    ),
    arbU64,
    fc.option(arbU64, { nil: undefined }),
    fc.array(arbScid, { maxLength: 3 }),
  )
  .map(([pp, finalValueMsat, maxFee, failed]) => {
    const paymentParams = { ...pp, previouslyFailedChannels: failed };
    return maxFee === undefined ? { paymentParams, finalValueMsat } : { paymentParams, finalValueMsat, maxTotalRoutingFeeMsat: maxFee };
  });

/** JSON.stringify then parse: what goes over HTTP. */
function wire(v: unknown): unknown {
  return JSON.parse(JSON.stringify(v));
}

describe('JSON codecs', () => {
  it('round-trip routes', () => {
    fc.assert(fc.property(arbRoute, (route) => expect(routeFromJson(wire(routeToJson(route)))).toEqual(route)));
  });

  it('round-trip route parameters', () => {
    fc.assert(
      fc.property(arbParams, (params) => expect(routeParametersFromJson(wire(routeParametersToJson(params)))).toEqual(params)),
    );
  });

  it('round-trip first hops and in-flight HTLCs', () => {
    const arbFirst = fc.record({
      counterpartyNodeId: arbNodeId,
      shortChannelId: arbScid,
      nextOutboundHtlcLimitMsat: arbU64,
      nextOutboundHtlcMinimumMsat: arbU64,
      counterpartyFeatures: arbBytes,
      channelFeatures: arbBytes,
    });
    fc.assert(fc.property(fc.array(arbFirst, { maxLength: 3 }), (hops) => expect(firstHopsFromJson(wire(firstHopsToJson(hops)))).toEqual(hops)));
    const arbInFlight = fc.record({
      entries: fc.array(fc.record({ shortChannelId: arbScid, direction: fc.constantFrom<0 | 1>(0, 1), usedMsat: arbU64 }), { maxLength: 4 }),
    });
    fc.assert(fc.property(arbInFlight, (v) => expect(inFlightHtlcsFromJson(wire(inFlightHtlcsToJson(v)))).toEqual(v)));
  });

  it('encodes bigint as decimal strings and bytes as hex', () => {
    const json = routeToJson({
      paths: [{ hops: [{ nodeId: nodeId(Uint8Array.of(2, ...new Uint8Array(32))), nodeFeatures: Uint8Array.of(2, 0), shortChannelId: shortChannelId(18446744073709551615n), channelFeatures: new Uint8Array(0), amountMsat: 9007199254740993n, feeMsat: 0n, cltvExpiryDelta: 40, announced: true }] }],
    }) as { paths: { hops: Record<string, unknown>[] }[] };
    const hop = json.paths[0]!.hops[0]!;
    expect(hop['amountMsat']).toBe('9007199254740993');
    expect(hop['shortChannelId']).toBe('18446744073709551615');
    expect(hop['nodeFeatures']).toBe('0200');
  });

  it('refuses malformed JSON with a typed error naming the field', () => {
    const good = routeParametersToJson(paymentParamsExample()) as Record<string, unknown>;
    const bad: unknown[] = [
      null,
      42,
      { ...good, finalValueMsat: 5 },
      { ...good, finalValueMsat: '-1' },
      { ...good, finalValueMsat: '18446744073709551616' },
      { ...good, paymentParams: { ...(good['paymentParams'] as object), payee: { kind: 'nope' } } },
      { ...good, paymentParams: { ...(good['paymentParams'] as object), maxPathCount: 1.5 } },
    ];
    for (const b of bad) expect(() => routeParametersFromJson(b)).toThrow(RouteError);
    expect(() => routeParametersFromJson({ ...good, finalValueMsat: 5 })).toThrow(/finalValueMsat/);
  });

  it('gives a RouteError or a value for arbitrary JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (json) => {
        for (const decode of [routeFromJson, routeParametersFromJson, inFlightHtlcsFromJson, firstHopsFromJson]) {
          try {
            decode(json);
          } catch (e) {
            expect(e).toBeInstanceOf(RouteError);
          }
        }
      }),
    );
  });
});

function paymentParamsExample(): RouteParameters {
  return { paymentParams: paymentParametersForNode(nodeId(Uint8Array.of(3, ...new Uint8Array(32).fill(7))), 18), finalValueMsat: 1000n };
}

describe('route helpers', () => {
  const a = nodeId(Uint8Array.of(2, ...new Uint8Array(32).fill(1)));
  const b = nodeId(Uint8Array.of(2, ...new Uint8Array(32).fill(2)));
  const payer = nodeId(Uint8Array.of(3, ...new Uint8Array(32).fill(9)));
  const hop = (id: NodeId, scid: bigint, amountMsat: bigint, feeMsat: bigint, cltv: number) => ({
    nodeId: id, nodeFeatures: new Uint8Array(0), shortChannelId: shortChannelId(scid), channelFeatures: new Uint8Array(0), amountMsat, feeMsat, cltvExpiryDelta: cltv, announced: true,
  });
  const path: Path = { hops: [hop(a, 1n, 1010n, 10n, 60), hop(b, 2n, 1000n, 0n, 18)] };

  it('sums fees and amounts', () => {
    expect(pathFeeMsat(path)).toBe(10n);
    expect(pathFinalValueMsat(path)).toBe(1000n);
    expect(routeFeeMsat({ paths: [path, path] })).toBe(20n);
    expect(routeFinalValueMsat({ paths: [path, path] })).toBe(2000n);
  });

  it('accumulates in-flight HTLCs per channel direction', () => {
    let inflight = addPathToInFlight({ entries: [] }, payer, path);
    inflight = addPathToInFlight(inflight, payer, path);
    // payer (03..) -> a (02..): a is smaller, so the HTLC goes in direction 1.
    expect(inflight.entries).toEqual([
      { shortChannelId: 1n, direction: 1, usedMsat: 2020n },
      { shortChannelId: 2n, direction: 0, usedMsat: 2000n },
    ]);
  });

  it('tests BOLT 9 bits big-endian', () => {
    expect(hasFeatureBit(Uint8Array.of(0x02, 0x00), 9)).toBe(true);
    expect(hasFeatureBit(Uint8Array.of(0x02, 0x00), 8)).toBe(false);
    expect(supportsFeature(Uint8Array.of(0x02, 0x00), 8)).toBe(true);
    expect(supportsFeature(Uint8Array.of(0x01), 16)).toBe(false);
  });
});
