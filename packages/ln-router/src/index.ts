export { RouterDataError, type RouterDataErrorCode } from './errors.js';
export { TypedGraph, buildTypedGraph, type GraphData, type NodeData, type ChannelData, type PolicyData } from './typed-graph.js';
export { forwardingFeeMsat } from './fees.js';
export { ONION_PAYLOADS_BYTES, INTERMEDIATE_PAYLOAD_BYTES, FINAL_PAYLOAD_BYTES, blindedPayloadBytes, maxRouteHops } from './onion-size.js';
export { DefaultRouter, type DefaultRouterOptions } from './default-router.js';
export { FixedPenaltyScorer } from './fixed-penalty-scorer.js';
export {
  ProbabilisticScorer,
  type ProbabilisticScoringParams,
  DEFAULT_PROBABILISTIC_SCORING_PARAMS,
} from './scorer/probabilistic-scorer.js';
export { SCORER_KV_KEY, persistScorer, readScorer } from './scorer/persist.js';
