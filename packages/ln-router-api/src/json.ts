import { nodeId, shortChannelId, type NodeId, type ShortChannelId } from 'ln-types';
import type { FirstHop } from './first-hop.js';
import type { InFlightEntry, InFlightHtlcs } from './in-flight.js';
import {
  arrayCodec,
  bigintCodec,
  booleanCodec,
  bytesCodec,
  literalCodec,
  objectCodec,
  refine,
  uintCodec,
  unionCodec,
  type Codec,
  type Json,
} from './json-codec.js';
import type { BlindedPaymentPath, Payee, PaymentParameters, RouteHintHop, RouteParameters } from './params.js';
import type { BlindedHop, BlindedTail, Path, Route, RouteHop } from './route.js';

const nodeIdCodec: Codec<NodeId> = refine(bytesCodec, nodeId, 'a 33-byte node id');
const scidCodec: Codec<ShortChannelId> = refine(bigintCodec, shortChannelId, 'a short channel id');
const directionCodec: Codec<0 | 1> = refine(uintCodec, (v) => {
  if (v !== 0 && v !== 1) throw new RangeError('direction');
  return v;
}, 'a direction 0 or 1');

const routeHopCodec = objectCodec<RouteHop>({
  nodeId: nodeIdCodec,
  nodeFeatures: bytesCodec,
  shortChannelId: scidCodec,
  channelFeatures: bytesCodec,
  amountMsat: bigintCodec,
  feeMsat: bigintCodec,
  cltvExpiryDelta: uintCodec,
  announced: booleanCodec,
});
const blindedHopCodec = objectCodec<BlindedHop>({ blindedNodeId: bytesCodec, encryptedPayload: bytesCodec });
const blindedTailCodec = objectCodec<BlindedTail>({
  hops: arrayCodec(blindedHopCodec),
  blindingPoint: bytesCodec,
  excessFinalCltvExpiryDelta: uintCodec,
  finalValueMsat: bigintCodec,
});
/** JSON codec of a Path. */
export const pathCodec: Codec<Path> = objectCodec<Path>({ hops: arrayCodec(routeHopCodec), blindedTail: blindedTailCodec }, ['blindedTail']);
/** JSON codec of a Route. */
export const routeCodec: Codec<Route> = objectCodec<Route>({ paths: arrayCodec(pathCodec) });

const routeHintHopCodec = objectCodec<RouteHintHop>(
  {
    sourceNodeId: nodeIdCodec,
    shortChannelId: scidCodec,
    feeBaseMsat: uintCodec,
    feeProportionalMillionths: uintCodec,
    cltvExpiryDelta: uintCodec,
    htlcMinimumMsat: bigintCodec,
    htlcMaximumMsat: bigintCodec,
  },
  ['htlcMinimumMsat', 'htlcMaximumMsat'],
);
const blindedPaymentPathCodec = objectCodec<BlindedPaymentPath>({
  introductionNodeId: nodeIdCodec,
  blindingPoint: bytesCodec,
  hops: arrayCodec(blindedHopCodec),
  feeBaseMsat: uintCodec,
  feeProportionalMillionths: uintCodec,
  cltvExpiryDelta: uintCodec,
  htlcMinimumMsat: bigintCodec,
  htlcMaximumMsat: bigintCodec,
  features: bytesCodec,
});
const payeeCodec = unionCodec<Payee>({
  clear: objectCodec<Extract<Payee, { kind: 'clear' }>>(
    {
      kind: literalCodec('clear'),
      nodeId: nodeIdCodec,
      routeHints: arrayCodec(arrayCodec(routeHintHopCodec)),
      features: bytesCodec,
      finalCltvExpiryDelta: uintCodec,
    },
    ['features'],
  ),
  blinded: objectCodec<Extract<Payee, { kind: 'blinded' }>>(
    { kind: literalCodec('blinded'), paths: arrayCodec(blindedPaymentPathCodec), features: bytesCodec },
    ['features'],
  ),
});
/** JSON codec of PaymentParameters. */
export const paymentParametersCodec: Codec<PaymentParameters> = objectCodec<PaymentParameters>({
  payee: payeeCodec,
  maxTotalCltvExpiryDelta: uintCodec,
  maxPathCount: uintCodec,
  maxChannelSaturationPowerOfHalf: uintCodec,
  previouslyFailedChannels: arrayCodec(scidCodec),
  previouslyFailedBlindedPathIdxs: arrayCodec(uintCodec),
});
/** JSON codec of RouteParameters. */
export const routeParametersCodec: Codec<RouteParameters> = objectCodec<RouteParameters>(
  { paymentParams: paymentParametersCodec, finalValueMsat: bigintCodec, maxTotalRoutingFeeMsat: bigintCodec },
  ['maxTotalRoutingFeeMsat'],
);
/** JSON codec of one FirstHop. */
export const firstHopCodec: Codec<FirstHop> = objectCodec<FirstHop>({
  counterpartyNodeId: nodeIdCodec,
  shortChannelId: scidCodec,
  nextOutboundHtlcLimitMsat: bigintCodec,
  nextOutboundHtlcMinimumMsat: bigintCodec,
  counterpartyFeatures: bytesCodec,
  channelFeatures: bytesCodec,
});
/** JSON codec of InFlightHtlcs. */
export const inFlightHtlcsCodec: Codec<InFlightHtlcs> = objectCodec<InFlightHtlcs>({
  entries: arrayCodec(objectCodec<InFlightEntry>({ shortChannelId: scidCodec, direction: directionCodec, usedMsat: bigintCodec })),
});

/** A Route as JSON (bigint as decimal strings, bytes as hex). */
export function routeToJson(route: Route): Json {
  return routeCodec.encode(route);
}
/** A Route from JSON. @throws RouteError `invalid_json` */
export function routeFromJson(json: unknown): Route {
  return routeCodec.decode(json);
}
/** RouteParameters as JSON. */
export function routeParametersToJson(params: RouteParameters): Json {
  return routeParametersCodec.encode(params);
}
/** RouteParameters from JSON. @throws RouteError `invalid_json` */
export function routeParametersFromJson(json: unknown): RouteParameters {
  return routeParametersCodec.decode(json);
}
/** InFlightHtlcs as JSON. */
export function inFlightHtlcsToJson(v: InFlightHtlcs): Json {
  return inFlightHtlcsCodec.encode(v);
}
/** InFlightHtlcs from JSON. @throws RouteError `invalid_json` */
export function inFlightHtlcsFromJson(json: unknown): InFlightHtlcs {
  return inFlightHtlcsCodec.decode(json);
}
/** First hops as JSON. */
export function firstHopsToJson(v: readonly FirstHop[]): Json {
  return arrayCodec(firstHopCodec).encode(v);
}
/** First hops from JSON. @throws RouteError `invalid_json` */
export function firstHopsFromJson(json: unknown): readonly FirstHop[] {
  return arrayCodec(firstHopCodec).decode(json);
}
