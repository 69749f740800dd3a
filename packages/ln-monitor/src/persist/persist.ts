import type { ChannelMonitorUpdate, ChannelMonitorUpdateStatus } from 'ln-chain-api';
import type { ChannelMonitor } from '../monitor/channel-monitor.js';

/**
 * How a write went: a status at once, or a promise for a write still running
 * (resolves when it is durable, rejects when it failed: the ChainMonitor writes the
 * whole monitor again on its next block or timer tick).
 */
export type PersistResult = ChannelMonitorUpdateStatus | Promise<void>;

/**
 * Where a ChainMonitor stores its monitors (LDK's chain::chainmonitor::Persist).
 * `name` is the monitor's storage name (`<funding txid display hex>_<index>`).
 * Implementations serialize the monitor (or encode the update) before returning:
 * the monitor changes after the call.
 *
 * Returning `in_progress` (a remote copy, a watchtower) obliges the implementation
 * to call `ChainMonitor.channelMonitorUpdated(channelId, updateId)` once the write
 * is durable; returning a promise lets the ChainMonitor do that itself.
 */
export interface Persist {
  /** A new channel's monitor (update id 0). */
  persistNewChannel(name: string, monitor: ChannelMonitor): PersistResult;
  /**
   * An update applied to the monitor (`update` given), or the monitor's chain state
   * changed (`update` undefined: write the whole monitor; nothing waits on it but
   * the release of the monitor's events).
   */
  updatePersistedChannel(name: string, update: ChannelMonitorUpdate | undefined, monitor: ChannelMonitor): PersistResult;
  /** The channel is closed and settled on chain: move its data out of the live set. */
  archivePersistedChannel(name: string): Promise<void>;
}
