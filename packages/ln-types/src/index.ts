export type { Brand } from './brand.js';
export { LnError, TypesError, isLnError, type TypesErrorCode } from './errors.js';
export {
  toHex,
  fromHex,
  equalBytes,
  equalBytesConstantTime,
  compareBytes,
  concatBytes,
  reverseBytes,
  utf8ToBytes,
  bytesToUtf8,
  assertLength,
  u64ToBytes,
  bytesToU64,
} from './bytes.js';
export { type PublicKey, type NodeId, PUBLIC_KEY_LENGTH, publicKey, nodeId, nodeIdFromHex, nodeIdToHex } from './node-id.js';
export {
  type ShortChannelId,
  type ShortChannelIdParts,
  shortChannelId,
  shortChannelIdFromParts,
  shortChannelIdParts,
  shortChannelIdBlock,
  formatShortChannelId,
  parseShortChannelId,
} from './short-channel-id.js';
export {
  type Txid,
  type BlockHash,
  type ChainHash,
  type ChannelId,
  type OutPoint,
  type Network,
  txid,
  txidFromHex,
  txidToHex,
  blockHash,
  blockHashFromHex,
  blockHashToHex,
  outPoint,
  formatOutPoint,
  outPointKey,
  channelId,
  channelIdFromFunding,
  ALL_CHANNELS,
  chainHash,
  CHAIN_HASHES,
  networkOfChainHash,
} from './chain.js';
export {
  type Msat,
  type Sat,
  MAX_U64,
  MAX_MONEY_SAT,
  MAX_MONEY_MSAT,
  satToMsat,
  msatToSatFloor,
  msatToSatCeil,
  assertAmount,
  formatMsat,
  btcToMsat,
} from './amount.js';
export { type LogLevel, type LogRecord, type Logger, LOG_LEVEL_ORDER, isLogEnabled, silentLogger, createJsonLogger } from './logger.js';
export { type KVStore, KV_MAX_NAME_LENGTH, validateKvKey, MemoryKVStore } from './kv-store.js';
