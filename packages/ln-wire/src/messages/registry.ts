import { errorCodec, warningCodec } from './bolt1/error-warning.js';
import { initCodec } from './bolt1/init.js';
import { peerStorageCodec, peerStorageRetrievalCodec } from './bolt1/peer-storage.js';
import { pingCodec, pongCodec } from './bolt1/ping-pong.js';
import { acceptChannelCodec, openChannelCodec } from './bolt2/channel-open.js';
import { acceptChannel2Codec, openChannel2Codec } from './bolt2/channel-open2.js';
import { channelReestablishCodec } from './bolt2/channel-reestablish.js';
import { closingCompleteCodec, closingSigCodec, closingSignedCodec, shutdownCodec } from './bolt2/closing.js';
import { commitmentSignedCodec, revokeAndAckCodec, startBatchCodec } from './bolt2/commitment.js';
import { channelReadyCodec, fundingCreatedCodec, fundingSignedCodec } from './bolt2/funding.js';
import { updateAddHtlcCodec, updateFailHtlcCodec, updateFailMalformedHtlcCodec, updateFeeCodec, updateFulfillHtlcCodec } from './bolt2/htlc-updates.js';
import { txAddInputCodec, txAddOutputCodec, txCompleteCodec, txRemoveInputCodec, txRemoveOutputCodec, txSignaturesCodec } from './bolt2/interactive-tx.js';
import { spliceAckCodec, spliceInitCodec, spliceLockedCodec, stfuCodec } from './bolt2/splice.js';
import { txAbortCodec, txAckRbfCodec, txInitRbfCodec } from './bolt2/tx-rbf.js';
import { onionMessageCodec } from './bolt4/onion-message.js';
import { announcementSignaturesCodec } from './bolt7/announcement-signatures.js';
import { channelAnnouncementCodec } from './bolt7/channel-announcement.js';
import { channelUpdateCodec } from './bolt7/channel-update.js';
import { nodeAnnouncementCodec } from './bolt7/node-announcement.js';
import { queryChannelRangeCodec, replyChannelRangeCodec } from './bolt7/range-queries.js';
import { queryShortChannelIdsCodec, replyShortChannelIdsEndCodec } from './bolt7/scid-queries.js';
import { gossipTimestampFilterCodec } from './bolt7/timestamp-filter.js';
import type { CodecMessage, MessageCodec } from './codec.js';

/**
 * Every message type ln-wire knows. Adding a message: write its codec in the
 * folder of its BOLT and list it here; the `Message` union, the decoder table
 * and `encodeMessage` pick it up.
 */
export const MESSAGE_CODECS = [
  // BOLT 1
  warningCodec,
  peerStorageCodec,
  peerStorageRetrievalCodec,
  initCodec,
  errorCodec,
  pingCodec,
  pongCodec,
  // BOLT 2
  stfuCodec,
  openChannelCodec,
  acceptChannelCodec,
  fundingCreatedCodec,
  fundingSignedCodec,
  channelReadyCodec,
  shutdownCodec,
  closingSignedCodec,
  closingCompleteCodec,
  closingSigCodec,
  openChannel2Codec,
  acceptChannel2Codec,
  txAddInputCodec,
  txAddOutputCodec,
  txRemoveInputCodec,
  txRemoveOutputCodec,
  txCompleteCodec,
  txSignaturesCodec,
  txInitRbfCodec,
  txAckRbfCodec,
  txAbortCodec,
  spliceLockedCodec,
  spliceInitCodec,
  spliceAckCodec,
  startBatchCodec,
  updateAddHtlcCodec,
  updateFulfillHtlcCodec,
  updateFailHtlcCodec,
  commitmentSignedCodec,
  revokeAndAckCodec,
  updateFeeCodec,
  updateFailMalformedHtlcCodec,
  channelReestablishCodec,
  // BOLT 4
  onionMessageCodec,
  // BOLT 7
  channelAnnouncementCodec,
  nodeAnnouncementCodec,
  channelUpdateCodec,
  announcementSignaturesCodec,
  queryShortChannelIdsCodec,
  replyShortChannelIdsEndCodec,
  queryChannelRangeCodec,
  replyChannelRangeCodec,
  gossipTimestampFilterCodec,
] as const;

/** Any message ln-wire can decode, discriminated by `type` (the spec's name). */
export type Message = CodecMessage<(typeof MESSAGE_CODECS)[number]>;

/** The spec name of every known message. */
export type MessageName = Message['type'];

/** The message of one name. */
export type MessageOf<N extends MessageName> = Extract<Message, { type: N }>;

type AnyCodec = MessageCodec<{ type: string }>;

/** Codecs by wire type number (a dense table: lookups are one array index). */
export const CODEC_BY_TYPE_ID: ReadonlyArray<AnyCodec | undefined> = (() => {
  const table: (AnyCodec | undefined)[] = [];
  for (const c of MESSAGE_CODECS as readonly AnyCodec[]) {
    if (table[c.typeId] !== undefined) throw new Error(`duplicate message type ${c.typeId}`);
    table[c.typeId] = c;
  }
  return table;
})();

/** Codecs by spec name. */
export const CODEC_BY_NAME: ReadonlyMap<string, AnyCodec> = new Map((MESSAGE_CODECS as readonly AnyCodec[]).map((c) => [c.name, c]));

/** The wire type number of a message name. */
export function messageTypeId(name: MessageName): number {
  return CODEC_BY_NAME.get(name)!.typeId;
}
