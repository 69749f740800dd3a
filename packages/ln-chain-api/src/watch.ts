import type { ChannelMonitorUpdate, NewChannelMonitor } from './monitor-data.js';
import type { MonitorEvent } from './monitor-event.js';

/**
 * How persisting a monitor change went (LDK's ChannelMonitorUpdateStatus).
 *
 * - `completed`: durably stored; ChannelManager may send what depends on it now.
 * - `in_progress`: being stored (an asynchronous store, a remote watchtower);
 *   the channel pauses (sends nothing that depends on it) until an
 *   `update_completed` {@link MonitorEvent} covers it.
 * - `unrecoverable_error`: it can never be stored; the channel cannot go on safely.
 *   ChannelManager stops the channel (and the node should shut down and alert):
 *   continuing would send messages whose punishment data is not kept anywhere.
 */
export type ChannelMonitorUpdateStatus = 'completed' | 'in_progress' | 'unrecoverable_error';

/** `watchChannel`'s answer: a status, or `duplicate` when a monitor for that funding outpoint or channel exists already. */
export type WatchChannelStatus = ChannelMonitorUpdateStatus | 'duplicate';

/**
 * Where ChannelManager hands its monitors' data (LDK's chain::Watch), usually
 * a ChainMonitor (ln-monitor) that persists each change and watches the chain,
 * possibly in another process. ChannelManager calls these while handling
 * messages; it never sends a message that depends on a change before the
 * change is `completed` (at once, or through an `update_completed` event).
 */
export interface Watch {
  /** Start watching a new channel (before its first commitment can be broadcast). */
  watchChannel(monitor: NewChannelMonitor): WatchChannelStatus;
  /** Apply and persist an update. Updates of one channel come in `updateId` order. */
  updateChannel(update: ChannelMonitorUpdate): ChannelMonitorUpdateStatus;
  /** Events since the last call, oldest first (the queue is empty afterwards). Called by ChannelManager on every event-processing pass. */
  releasePendingMonitorEvents(): MonitorEvent[];
}
