export { type TxOut, type UtxoLookup, type UtxoLookupError, type UtxoResult, utxoFound, utxoMissing } from './utxo-lookup.js';
export type { BestBlock } from './best-block.js';
export {
  type ConfirmationTarget,
  type FeeEstimator,
  CONFIRMATION_TARGETS,
  FEERATE_FLOOR_SAT_PER_KW,
  feerateWithFloor,
} from './fee-estimator.js';
export type { BroadcasterInterface } from './broadcaster.js';
export type { Filter, WatchedOutput } from './filter.js';
export type { Listen } from './listen.js';
export type { Confirm, RelevantTxid } from './confirm.js';
export type { BlockSource, BlockHeaderData, ChainTip } from './block-source.js';
export type {
  MonitorHtlc,
  MonitorCommitmentData,
  HolderCommitment,
  CounterpartyCommitment,
  NewChannelMonitor,
  ChannelMonitorUpdateStep,
  ChannelMonitorUpdateStepKind,
  ChannelMonitorUpdate,
  MonitorOutboundHtlc,
  ChannelMonitorView,
} from './monitor-data.js';
export type { MonitorEvent, MonitorEventKind } from './monitor-event.js';
export type { ChannelMonitorUpdateStatus, WatchChannelStatus, Watch } from './watch.js';
export type { SpendableOutputDescriptor } from './spendable-output.js';
export type { Utxo, WalletSource } from './wallet-source.js';
export { ChainDataError, type ChainDataErrorCode } from './errors.js';
export {
  encodeNewChannelMonitor,
  decodeNewChannelMonitor,
  encodeChannelMonitorUpdate,
  decodeChannelMonitorUpdate,
  encodeMonitorEvent,
  decodeMonitorEvent,
} from './codec/monitor-codec.js';
export { ANTI_REORG_DELAY } from './reorg.js';
