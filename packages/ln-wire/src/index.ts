export { WireError, type WireErrorCode } from './errors.js';
export { Reader } from './codec/reader.js';
export { Writer, encodeBigSize, bigSizeLength } from './codec/writer.js';
export {
  type TlvRecord,
  type TlvField,
  type TlvStream,
  type TlvStreamValue,
  readTlvRecords,
  writeTlvRecords,
  tlvField,
  defineTlvStream,
  emptyTlvStream,
} from './codec/tlv.js';
export {
  tu64Record,
  tu32Record,
  tu16Record,
  u16Record,
  u32Record,
  u64Record,
  bytesRecord,
  fixedBytesRecord,
  pointRecord,
  shortChannelIdRecord,
  fixedListRecord,
  readPoint,
} from './codec/fields.js';
export type { MessageCodec, CodecMessage } from './messages/codec.js';
export { readExtension, writeExtension } from './messages/extension.js';
export { MESSAGE_CODECS, CODEC_BY_TYPE_ID, CODEC_BY_NAME, messageTypeId, type Message, type MessageName, type MessageOf } from './messages/registry.js';
export { decodeMessage, encodeMessage, peekMessageType, MAX_MESSAGE_LENGTH, type UnknownMessage, type DecodedMessage } from './messages/decode.js';
export { initCodec, initTlvStream, initFeatures, type InitMessage, type InitTlvs } from './messages/bolt1/init.js';
export { errorCodec, warningCodec, type ErrorMessage, type WarningMessage } from './messages/bolt1/error-warning.js';
export { pingCodec, pongCodec, MAX_PONG_BYTES, type PingMessage, type PongMessage } from './messages/bolt1/ping-pong.js';
export {
  peerStorageCodec,
  peerStorageRetrievalCodec,
  type PeerStorageMessage,
  type PeerStorageRetrievalMessage,
} from './messages/bolt1/peer-storage.js';
export { FEATURES, featureOfBit, type FeatureName, type FeatureInfo, type FeatureContext } from './features/table.js';
export {
  isFeatureBitSet,
  featureBitsOf,
  featuresFromBits,
  withFeatureBits,
  mergeFeatures,
  minimalFeatures,
  supportsFeature,
  requiresFeature,
  withFeature,
  unknownRequiredBits,
  missingFeatureDependencies,
  featureNamesOf,
} from './features/bits.js';
