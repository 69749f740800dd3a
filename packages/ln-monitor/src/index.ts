export { MonitorError, type MonitorErrorCode } from './errors.js';
export {
  LATENCY_GRACE_PERIOD_BLOCKS,
  CLTV_CLAIM_BUFFER,
  MAX_BLOCKS_FOR_CONF,
  URGENT_DEADLINE_BLOCKS,
  IDLE_PERSIST_INTERVAL_BLOCKS,
} from './constants.js';
export type { SpendableOutputsEvent, AnchorDescriptor, HtlcDescriptor, BumpTransactionEvent, ChainMonitorEvent } from './events.js';
export { ChannelMonitor, type ChannelMonitorOptions, type MonitorHooks, monitorName } from './monitor/channel-monitor.js';
export type { MonitorState, TrackedOutput, TrackedOutputKind, FundingSpend, FundingSpendKind, ClaimPackage, PackageKind } from './monitor/state.js';
export { encodeMonitorState, decodeMonitorState, MONITOR_SERIALIZATION_VERSION } from './codec/monitor-codec.js';
export type { Persist, PersistResult } from './persist/persist.js';
export {
  KVStorePersister,
  type KVStorePersisterOptions,
  MONITOR_NAMESPACE,
  MONITOR_UPDATE_NAMESPACE,
  ARCHIVED_MONITOR_NAMESPACE,
} from './persist/kv-store-persister.js';
export { ChainMonitor, type ChainMonitorOptions, ARCHIVAL_DELAY_BLOCKS } from './chain-monitor/chain-monitor.js';
export { EventNotifier } from './notifier.js';
export { BumpTransactionEventHandler, type BumpTransactionEventHandlerOptions } from './bump/bump-handler.js';
export { selectUtxos, CHANGE_DUST_SAT } from './bump/coin-selection.js';
export { OutputSweeper, type OutputSweeperOptions, SPENDABLE_OUTPUTS_NAMESPACE, SWEEP_BUMP_INTERVAL_BLOCKS } from './sweeper/output-sweeper.js';
export { type TrackedSpendableOutput, type SweepStatus, encodeTrackedOutput, decodeTrackedOutput } from './sweeper/tracked-output.js';
export { buildSignedSweep, type StaticOutputSigner } from './sweeper/sweep-tx.js';
