export { type RgsSnapshot, type RgsAnnouncement, type RgsPolicy, type RgsUpdate, RGS_BACKDATE_SECONDS, RGS_STALE_AFTER_SECONDS } from './snapshot.js';
export { RgsError, type RgsErrorCode } from './errors.js';
export { decodeRgsSnapshot, RGS_PREFIX_V1 } from './decode.js';
export { encodeRgsSnapshot, rgsDefaults } from './encode.js';
export { buildRgsSnapshot, type RgsChannelState, type RgsPolicyRecord } from './build.js';
