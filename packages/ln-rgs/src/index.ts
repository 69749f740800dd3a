export {
  type RgsSnapshot,
  type RgsAnnouncement,
  type RgsPolicy,
  type RgsUpdate,
  type RgsNodeUpdate,
  type RgsVersion,
  RGS_BACKDATE_SECONDS,
  RGS_STALE_AFTER_SECONDS,
} from './snapshot.js';
export { RgsError, type RgsErrorCode } from './errors.js';
export { decodeRgsSnapshot, rgsSnapshotVersion, RGS_PREFIX_V1, RGS_PREFIX_V2 } from './decode.js';
export { encodeRgsSnapshot, rgsDefaults, rgsNodeFeatureDefaults, type RgsEncodeOptions } from './encode.js';
export { rgsCanCarryAddress } from './node-data.js';
export { buildRgsSnapshot, type RgsChannelState, type RgsPolicyRecord, type RgsNodeState, type RgsNodeRecord } from './build.js';
