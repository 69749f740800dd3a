export { type Direction, type NetworkGraphView, otherEnd, directionFrom } from './graph-view.js';
export {
  type RouteHop,
  type BlindedHop,
  type BlindedTail,
  type Path,
  type Route,
  pathFinalValueMsat,
  pathAmountSentMsat,
  pathFeeMsat,
  pathTotalCltvExpiryDelta,
  routeFinalValueMsat,
  routeFeeMsat,
} from './route.js';
export {
  type RouteHintHop,
  type RouteHint,
  type BlindedPaymentPath,
  type Payee,
  type PaymentParameters,
  type RouteParameters,
  paymentParametersForNode,
  paymentParametersForBlinded,
  DEFAULT_PAYMENT_LIMITS,
} from './params.js';
export { type FirstHop } from './first-hop.js';
export { type InFlightEntry, type InFlightHtlcs, NO_IN_FLIGHT_HTLCS, addPathToInFlight } from './in-flight.js';
export {
  type CandidateHopKind,
  type CandidateHop,
  type ChannelUsage,
  type ScoreLookUp,
  type ScoreUpdate,
  type Score,
} from './scoring.js';
export { type Router, type RouteErrorCode, RouteError } from './router.js';
export {
  type Json,
  type Codec,
  bigintCodec,
  uintCodec,
  booleanCodec,
  bytesCodec,
  literalCodec,
  refine,
  arrayCodec,
  objectCodec,
  unionCodec,
} from './json-codec.js';
export {
  pathCodec,
  routeCodec,
  paymentParametersCodec,
  routeParametersCodec,
  firstHopCodec,
  inFlightHtlcsCodec,
  routeToJson,
  routeFromJson,
  routeParametersToJson,
  routeParametersFromJson,
  inFlightHtlcsToJson,
  inFlightHtlcsFromJson,
  firstHopsToJson,
  firstHopsFromJson,
} from './json.js';
export { FEATURE_VAR_ONION_OPTIN, FEATURE_PAYMENT_SECRET, FEATURE_BASIC_MPP, FEATURE_ROUTE_BLINDING, hasFeatureBit, supportsFeature } from './features.js';
