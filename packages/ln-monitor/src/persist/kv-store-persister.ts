import { decodeChannelMonitorUpdate, encodeChannelMonitorUpdate, type ChannelMonitorUpdate } from 'ln-chain-api';
import type { KVStore } from 'ln-types';
import { MonitorError } from '../errors.js';
import { ChannelMonitor, type ChannelMonitorOptions } from '../monitor/channel-monitor.js';
import type { Persist, PersistResult } from './persist.js';

// The default Persist (after LDK's MonitorUpdatingPersister): a new monitor is
// written whole; each update is written alone under the monitor's name, and every
// `maximumPendingUpdates` updates (and on every chain-state change) the whole
// monitor is written again and the updates it contains are removed. Reading
// applies the stored updates newer than the stored monitor, in order.

/** KVStore names (MONEY.md). */
export const MONITOR_NAMESPACE = 'monitors';
export const MONITOR_UPDATE_NAMESPACE = 'monitor_updates';
export const ARCHIVED_MONITOR_NAMESPACE = 'archived_monitors';

/** Options of {@link KVStorePersister}. */
export interface KVStorePersisterOptions {
  /** Updates written alone before the whole monitor is written again (default 100). */
  readonly maximumPendingUpdates?: number;
}

export class KVStorePersister implements Persist {
  private readonly store: KVStore;
  private readonly maximumPendingUpdates: number;
  /** The last write of each monitor: writes of one monitor run in order. */
  private readonly tails = new Map<string, Promise<void>>();

  constructor(store: KVStore, options: KVStorePersisterOptions = {}) {
    this.store = store;
    this.maximumPendingUpdates = Math.max(1, options.maximumPendingUpdates ?? 100);
  }

  private serial(name: string, write: () => Promise<void>): Promise<void> {
    const previous = this.tails.get(name) ?? Promise.resolve();
    // A failed write does not stop the ones after it (each reports its own outcome).
    const next = previous.catch(() => undefined).then(write);
    this.tails.set(name, next);
    void next.finally(() => {
      if (this.tails.get(name) === next) this.tails.delete(name);
    }).catch(() => undefined);
    return next;
  }

  persistNewChannel(name: string, monitor: ChannelMonitor): PersistResult {
    const bytes = monitor.serialize();
    return this.serial(name, () => this.store.write(MONITOR_NAMESPACE, '', name, bytes));
  }

  updatePersistedChannel(name: string, update: ChannelMonitorUpdate | undefined, monitor: ChannelMonitor): PersistResult {
    if (update !== undefined && update.updateId % BigInt(this.maximumPendingUpdates) !== 0n) {
      const bytes = encodeChannelMonitorUpdate(update);
      return this.serial(name, () => this.store.write(MONITOR_UPDATE_NAMESPACE, name, update.updateId.toString(), bytes));
    }
    const bytes = monitor.serialize();
    const upTo = monitor.latestUpdateId;
    return this.serial(name, async () => {
      await this.store.write(MONITOR_NAMESPACE, '', name, bytes);
      await this.removeUpdates(name, upTo);
    });
  }

  private async removeUpdates(name: string, upTo: bigint): Promise<void> {
    const keys = await this.store.list(MONITOR_UPDATE_NAMESPACE, name);
    for (const key of keys) if (/^\d+$/.test(key) && BigInt(key) <= upTo) await this.store.remove(MONITOR_UPDATE_NAMESPACE, name, key, true);
  }

  async archivePersistedChannel(name: string): Promise<void> {
    await this.serial(name, async () => {
      const bytes = await this.store.read(MONITOR_NAMESPACE, '', name);
      if (bytes !== undefined) await this.store.write(ARCHIVED_MONITOR_NAMESPACE, '', name, bytes);
      await this.removeUpdates(name, (1n << 64n) - 1n);
      await this.store.remove(MONITOR_NAMESPACE, '', name);
    });
  }

  /** Names of the stored (live) monitors. */
  async listMonitorNames(): Promise<string[]> {
    return (await this.store.list(MONITOR_NAMESPACE, '')).sort();
  }

  /**
   * Reads one monitor with its pending updates applied.
   * @throws MonitorError `malformed` / `unsupported_version` / `persistence` (missing)
   */
  async readChannelMonitor(name: string, options: ChannelMonitorOptions): Promise<ChannelMonitor> {
    const bytes = await this.store.read(MONITOR_NAMESPACE, '', name);
    if (bytes === undefined) throw new MonitorError('persistence', `no monitor ${name}`);
    const monitor = ChannelMonitor.read(bytes, options);
    if (monitor.name !== name) throw new MonitorError('inconsistent', `monitor stored as ${name} is ${monitor.name}`);
    const ids = (await this.store.list(MONITOR_UPDATE_NAMESPACE, name))
      .filter((k) => /^\d+$/.test(k))
      .map((k) => BigInt(k))
      .filter((id) => id > monitor.latestUpdateId)
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (const id of ids) {
      // Only a gapless run of updates counts: a later one without its predecessors was never acknowledged.
      if (id !== monitor.latestUpdateId + 1n) break;
      const raw = await this.store.read(MONITOR_UPDATE_NAMESPACE, name, id.toString());
      if (raw === undefined) break;
      monitor.applyUpdate(decodeChannelMonitorUpdate(raw));
    }
    return monitor;
  }

  /** Reads every stored monitor (see {@link readChannelMonitor}). */
  async readAllChannelMonitors(options: ChannelMonitorOptions): Promise<ChannelMonitor[]> {
    const out: ChannelMonitor[] = [];
    for (const name of await this.listMonitorNames()) out.push(await this.readChannelMonitor(name, options));
    return out;
  }
}
