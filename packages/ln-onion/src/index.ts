export { OnionError, type OnionErrorCode } from './errors.js';
export { generateKey, cipherStream, blindingFactor, type SphinxKeyType } from './keys.js';
export {
  PAYMENT_ONION_PAYLOADS_LENGTH,
  ONION_PACKET_OVERHEAD,
  serializeOnionPacket,
  parseOnionPacket,
  deriveSharedSecrets,
  generateFiller,
  buildOnionPacket,
  peelOnionPacket,
  type OnionPacket,
  type EcdhFunction,
  type SphinxHop,
  type SphinxOptions,
  type BuiltOnion,
  type PeeledOnion,
} from './sphinx.js';
export {
  hopPayloadStream,
  encodeHopPayload,
  decodeHopPayload,
  validateHopPayload,
  customRecords,
  KEYSEND_PREIMAGE_TYPE,
  CUSTOM_RECORD_MIN_TYPE,
  type HopPayload,
  type PaymentData,
  type HopContext,
} from './hop-payload.js';
export {
  BADONION,
  PERM,
  NODE,
  UPDATE,
  FAILURE_CODES,
  failureNameOf,
  failureCode,
  encodeFailureMessage,
  decodeFailureMessage,
  isBadOnionCode,
  type FailureName,
  type FailureMessage,
} from './failure-message.js';
export { decodeFailureChannelUpdate, failureChannelUpdate } from './failure-channel-update.js';
export {
  DEFAULT_FAILURE_PADDED_LENGTH,
  FAILURE_DECRYPTION_ROUNDS,
  buildFailurePayload,
  authenticateFailure,
  obfuscateFailure,
  createFailurePacket,
  decryptFailurePacket,
  type DecryptedFailure,
} from './failure-packet.js';
export { ATTRIBUTION_MAX_HOPS, ATTRIBUTION_DATA_LENGTH, addAttributionData, verifyAttributionData, type AttributionResult } from './attribution.js';
export { malformedHtlcFailure, checkMalformedFailureCode, type MalformedHtlcFailure } from './malformed.js';
export {
  encryptedDataStream,
  encodeEncryptedData,
  decodeEncryptedData,
  type EncryptedData,
  type PaymentRelay,
  type PaymentConstraints,
} from './encrypted-data.js';
export {
  createBlindedPath,
  decryptBlindedHopData,
  blindedHopEcdh,
  blindedNodeIdTweak,
  type BlindedPath,
  type BlindedHop,
  type BlindingHop,
  type UnblindedHop,
} from './route-blinding.js';
export {
  blindedPathOnionHops,
  aggregateBlindedPayInfo,
  blindedForwardingValues,
  type BlindedFinalHopData,
  type BlindedPayInfo,
} from './blinded-payment.js';
export {
  ONION_MESSAGE_PAYLOADS_LENGTHS,
  onionMessageTlvStream,
  readBlindedPath,
  writeBlindedPath,
  encodeOnionMessagePayload,
  decodeOnionMessagePayload,
  buildOnionMessage,
  serializeOnionMessagePacket,
  peelOnionMessage,
  type OnionMessagePayload,
  type OnionMessageContent,
  type OnionMessage,
  type PeeledOnionMessage,
} from './onion-message.js';
export { validateBlindedPaymentData, type BlindedHtlcContext } from './blinded-validation.js';
