export { ChannelManager, type ChannelManagerOptions } from './manager/channel-manager.js';
export type { ChannelManagerArgs } from './manager/core.js';
export type { ChannelManagerReadArgs, ReadResult } from './serialization/manager-codec.js';
export type { ChannelDetails } from './manager/details.js';
export {
  type UserConfig,
  type UserConfigOverrides,
  type ChannelHandshakeConfig,
  type ChannelHandshakeLimits,
  type ChannelConfig,
  type MaxDustHtlcExposure,
  DEFAULT_USER_CONFIG,
  BREAKDOWN_TIMEOUT,
  MAX_LOCAL_BREAKDOWN_TIMEOUT,
  userConfig,
} from './config.js';
export type { Event, EventKind, ClosureReason } from './events.js';
export { ChannelError, type ChannelErrorCode, ApiError, type ApiErrorCode, ProtocolViolation, type ProtocolReaction } from './errors.js';
export type { HtlcHandler, LockedInHtlc as ManagerLockedInHtlc, HtlcFailure, OutboundHtlcInfo, OfferedHtlc, PaymentsContext } from './manager/htlc-handler.js';
export type { HtlcToSend } from './manager/htlc-ops.js';
export type { InvoiceRequest, InboundPaymentOptions, DirectPayment } from './manager/payments-api.js';
export { PaymentsHandler, type PaymentsOptions } from './payments/manager-handler.js';
export { directPeerRouter } from './payments/direct-router.js';
export type { Htlc, CommitmentSpec, DirectedHtlc, ChannelState, FundedStatus } from './channel/types.js';
export { encodeChannelType, parseChannelType, type ChannelTypeInfo } from './channel/channel-type.js';
export * from './payments/index.js';
