export { PaymentError, type PaymentErrorCode } from './errors.js';
export * from './constants.js';
export {
  expandInboundPaymentKeys,
  createInboundPayment,
  createInboundPaymentForHash,
  verifyInboundPayment,
  inboundPaymentPreimage,
  type InboundPaymentKeys,
  type InboundPaymentTerms,
  type InboundPayment,
  type InboundPaymentMethod,
  type VerifiedInboundPayment,
  type InboundVerifyFailure,
} from './inbound-payment.js';
export { selectRouteHints, type InvoiceChannel } from './route-hints.js';
export { createInvoice, invoiceFeatures, type CreateInvoiceParams, type InvoiceContext, type CreatedInvoice } from './invoice.js';
export { peelIncomingHtlc, type IncomingHtlc, type PeeledHtlc, type PeelContext, type BlindedRole, type NextHop, type ReceivePayload } from './peel.js';
export { checkForward, requiredForwardingFeeMsat, type ForwardingPolicy, type OutgoingChannel, type ForwardCheck } from './forward-checks.js';
export { checkReceive, type AcceptedPart, type ReceiveContext, type ReceiveCheck } from './receive-checks.js';
export { encodeHtlcSource, decodeHtlcSource, type HtlcSource, type PrevHop } from './htlc-source.js';
export { failureForUpstream, fulfillAttribution, malformedToFailure, type HtlcFailReason, type UpstreamFailure } from './fail-back.js';
export { ClaimablePayments, type ClaimableHtlc, type FailBack, type ClaimHtlc, type ClaimableActions } from './claimable.js';
export { buildPathOnion, pathOnionHops, pathSharedSecrets, onionHopKeys, type RecipientFields, type PathOnion } from './outbound-onion.js';
export { decodePathFailure, type DecodedPathFailure, type OutboundFailure } from './failure-decode.js';
export {
  OutboundPayments,
  NO_RETRY,
  type RetryStrategy,
  type SendPaymentRequest,
  type RoutingEnv,
  type OutboundHtlc,
  type PaymentDetails,
  type OutboundPaymentsOptions,
} from './outbound.js';
export type * from './events.js';
export { planInvoicePayment, type InvoicePaymentOptions, type InvoicePaymentPlan } from './invoice-payer.js';
export { makeInterceptScid, isInterceptScid } from './intercept.js';
export {
  PaymentEngine,
  type PaymentEngineOptions,
  type PaymentHost,
  type PaymentChannel,
  type HtlcAdd,
  type AddHtlcResult,
  type LockedInHtlc,
  type OfferedHtlcFailure,
  type OfferedHtlcInfo,
  type SendPaymentArgs,
} from './engine.js';
export { createBlindedReceivePath, type BlindedPathHop, type BlindedReceivePathParams } from './blinded-receive.js';
export { directPeerRouter } from './direct-router.js';
