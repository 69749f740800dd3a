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
  flagRecord,
  s64Record,
  readPoint,
} from './codec/fields.js';
export type { MessageCodec, CodecMessage } from './messages/codec.js';
export { readExtension, writeExtension, withExtension } from './messages/extension.js';
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
export type { ChannelKeys } from './messages/bolt2/channel-keys.js';
export {
  openChannelCodec,
  acceptChannelCodec,
  openChannelTlvStream,
  type OpenChannelMessage,
  type AcceptChannelMessage,
  type OpenChannelTlvs,
} from './messages/bolt2/channel-open.js';
export {
  openChannel2Codec,
  acceptChannel2Codec,
  openChannel2TlvStream,
  type OpenChannel2Message,
  type AcceptChannel2Message,
  type OpenChannel2Tlvs,
} from './messages/bolt2/channel-open2.js';
export {
  fundingCreatedCodec,
  fundingSignedCodec,
  channelReadyCodec,
  channelReadyTlvStream,
  type FundingCreatedMessage,
  type FundingSignedMessage,
  type ChannelReadyMessage,
  type ChannelReadyTlvs,
} from './messages/bolt2/funding.js';
export {
  txAddInputCodec,
  txAddOutputCodec,
  txRemoveInputCodec,
  txRemoveOutputCodec,
  txCompleteCodec,
  txSignaturesCodec,
  txAddInputTlvStream,
  txSignaturesTlvStream,
  type TxAddInputMessage,
  type TxAddOutputMessage,
  type TxRemoveInputMessage,
  type TxRemoveOutputMessage,
  type TxCompleteMessage,
  type TxSignaturesMessage,
  type TxAddInputTlvs,
  type TxSignaturesTlvs,
} from './messages/bolt2/interactive-tx.js';
export {
  txInitRbfCodec,
  txAckRbfCodec,
  txAbortCodec,
  txRbfTlvStream,
  type TxInitRbfMessage,
  type TxAckRbfMessage,
  type TxAbortMessage,
  type TxRbfTlvs,
} from './messages/bolt2/tx-rbf.js';
export {
  stfuCodec,
  spliceInitCodec,
  spliceAckCodec,
  spliceLockedCodec,
  spliceTlvStream,
  type StfuMessage,
  type SpliceInitMessage,
  type SpliceAckMessage,
  type SpliceLockedMessage,
  type SpliceTlvs,
} from './messages/bolt2/splice.js';
export {
  shutdownCodec,
  closingSignedCodec,
  closingCompleteCodec,
  closingSigCodec,
  closingSignedTlvStream,
  closingTlvStream,
  type ShutdownMessage,
  type ClosingSignedMessage,
  type ClosingCompleteMessage,
  type ClosingSigMessage,
  type ClosingSignedTlvs,
  type ClosingTlvs,
  type FeeRange,
} from './messages/bolt2/closing.js';
export {
  updateAddHtlcCodec,
  updateFulfillHtlcCodec,
  updateFailHtlcCodec,
  updateFailMalformedHtlcCodec,
  updateFeeCodec,
  updateAddHtlcTlvStream,
  attributionTlvStream,
  ONION_PACKET_LENGTH,
  ATTRIBUTION_HOPS,
  ATTRIBUTION_HMAC_COUNT,
  type AttributionData,
  type UpdateAddHtlcMessage,
  type UpdateFulfillHtlcMessage,
  type UpdateFailHtlcMessage,
  type UpdateFailMalformedHtlcMessage,
  type UpdateFeeMessage,
  type UpdateAddHtlcTlvs,
  type AttributionTlvs,
} from './messages/bolt2/htlc-updates.js';
export {
  startBatchCodec,
  commitmentSignedCodec,
  revokeAndAckCodec,
  startBatchTlvStream,
  commitmentSignedTlvStream,
  type StartBatchMessage,
  type CommitmentSignedMessage,
  type RevokeAndAckMessage,
  type StartBatchTlvs,
  type CommitmentSignedTlvs,
} from './messages/bolt2/commitment.js';
export {
  channelReestablishCodec,
  channelReestablishTlvStream,
  type ChannelReestablishMessage,
  type ChannelReestablishTlvs,
  type FundingRetransmit,
} from './messages/bolt2/channel-reestablish.js';
export { onionMessageCodec, type OnionMessageMessage } from './messages/bolt4/onion-message.js';
// BOLT 7
export { announcementSignaturesCodec, type AnnouncementSignaturesMessage } from './messages/bolt7/announcement-signatures.js';
export { channelAnnouncementCodec, CHANNEL_ANNOUNCEMENT_SIGNED_OFFSET, type ChannelAnnouncementMessage } from './messages/bolt7/channel-announcement.js';
export { nodeAnnouncementCodec, NODE_ANNOUNCEMENT_SIGNED_OFFSET, type NodeAnnouncementMessage } from './messages/bolt7/node-announcement.js';
export {
  channelUpdateCodec,
  CHANNEL_UPDATE_SIGNED_OFFSET,
  MESSAGE_FLAG_MUST_BE_ONE,
  MESSAGE_FLAG_DONT_FORWARD,
  CHANNEL_FLAG_DIRECTION,
  CHANNEL_FLAG_DISABLE,
  type ChannelUpdateMessage,
} from './messages/bolt7/channel-update.js';
export { readAddresses, writeAddresses, type NodeAddress } from './messages/bolt7/addresses.js';
export {
  queryShortChannelIdsCodec,
  queryShortChannelIdsTlvStream,
  replyShortChannelIdsEndCodec,
  QUERY_FLAG,
  type QueryShortChannelIdsMessage,
  type QueryShortChannelIdsTlvs,
  type ReplyShortChannelIdsEndMessage,
} from './messages/bolt7/scid-queries.js';
export {
  queryChannelRangeCodec,
  queryChannelRangeTlvStream,
  replyChannelRangeCodec,
  replyChannelRangeTlvStream,
  QUERY_OPTION,
  type QueryChannelRangeMessage,
  type QueryChannelRangeTlvs,
  type ReplyChannelRangeMessage,
  type ReplyChannelRangeTlvs,
  type ChecksumPair,
} from './messages/bolt7/range-queries.js';
export { gossipTimestampFilterCodec, type GossipTimestampFilterMessage } from './messages/bolt7/timestamp-filter.js';
export {
  readEncodedShortIds,
  writeEncodedShortIds,
  readEncodedTimestamps,
  writeEncodedTimestamps,
  readEncodedQueryFlags,
  writeEncodedQueryFlags,
  inflateBounded,
  MAX_INFLATED_LIST_BYTES,
  type ListEncoding,
  type TimestampPair,
} from './messages/bolt7/encoded-list.js';
export { gossipSignedBytes, rawGossipSignedBytes, channelUpdateChecksum, crc32c, type SignedGossipMessage } from './messages/bolt7/signed-bytes.js';
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
