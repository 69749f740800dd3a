import * as ldk from 'lightningdevkit';
import { type OutPoint, outPoint, reverseBytes, toHex, txid as brandTxid } from 'ln-types';
import { LdkNodeError } from './errors.js';
import { expectOk, isNullObject } from './result.js';

/** How the persister answers LDK: at once, or later when the test says so. */
export type PersistMode = 'sync' | 'async';

/** A monitor update LDK is waiting on (async mode). */
export interface PendingMonitorUpdate {
  /** Storage name of the monitor: `<funding txid display hex>_<output index>`. */
  readonly monitor: string;
  readonly fundingOutpoint: OutPoint;
  readonly updateId: bigint;
}

interface Pending extends PendingMonitorUpdate {
  readonly bytes: Uint8Array;
  readonly seq: number;
}

/**
 * LDK's Persist for ChainMonitor, keeping each ChannelMonitor's serialized bytes
 * under its storage name. In `sync` mode every update is durable when the call
 * returns (Completed). In `async` mode updates carrying a ChannelMonitorUpdate
 * answer InProgress and become durable only when the test completes them
 * (ChainMonitor::channel_monitor_updated): LDK must hold the messages that depend
 * on them. Chain-sync writes (no update) are always written at once.
 */
export class MonitorPersister {
  readonly persist: ldk.Persist;
  /** Durable monitors by storage name: what a crash leaves behind. */
  readonly durable = new Map<string, Uint8Array>();
  readonly archived = new Set<string>();
  private readonly pending: Pending[] = [];
  /** Write order of what is in `durable`, so a late completion never replaces newer bytes. */
  private readonly durableSeq = new Map<string, number>();
  private seq = 0;
  private chainMonitor: ldk.ChainMonitor | undefined;

  constructor(public mode: PersistMode = 'sync') {
    this.persist = ldk.Persist.new_impl({
      persist_new_channel: (funding: ldk.OutPoint, monitor: ldk.ChannelMonitor) => this.write(funding, monitor, true),
      update_persisted_channel: (funding: ldk.OutPoint, update: ldk.ChannelMonitorUpdate | null, monitor: ldk.ChannelMonitor) =>
        this.write(funding, monitor, !isNullObject(update)),
      archive_persisted_channel: (funding: ldk.OutPoint) => {
        const name = monitorName(funding);
        this.archived.add(name);
        this.durable.delete(name);
      },
    });
  }

  /** The ChainMonitor to tell when async updates complete (set once it exists). */
  attach(chainMonitor: ldk.ChainMonitor): void {
    this.chainMonitor = chainMonitor;
  }

  /** Updates LDK is still waiting on, oldest first. */
  pendingUpdates(): PendingMonitorUpdate[] {
    return this.pending.map(({ monitor, fundingOutpoint, updateId }) => ({ monitor, fundingOutpoint, updateId }));
  }

  /**
   * Makes pending updates durable (all, or the first `count`) and tells
   * ChainMonitor, which then lets ChannelManager release what waited on them.
   * @returns how many were completed
   */
  complete(count = Infinity): number {
    const chainMonitor = this.chainMonitor;
    if (chainMonitor === undefined) throw new LdkNodeError('stopped', 'no ChainMonitor attached');
    let done = 0;
    while (this.pending.length > 0 && done < count) {
      const p = this.pending.shift()!;
      this.store(p.monitor, p.bytes, p.seq);
      const funding = ldk.OutPoint.constructor_new(p.fundingOutpoint.txid, p.fundingOutpoint.index);
      expectOk(chainMonitor.channel_monitor_updated(funding, p.updateId), ldk.Result_NoneAPIErrorZ_OK, `completing monitor update ${p.updateId} of ${p.monitor}`);
      done++;
    }
    return done;
  }

  /** Forgets pending updates without completing them (a crash before they were written). */
  dropPending(): void {
    this.pending.length = 0;
  }

  private store(name: string, bytes: Uint8Array, seq: number): void {
    if ((this.durableSeq.get(name) ?? 0) > seq) return;
    this.durable.set(name, bytes);
    this.durableSeq.set(name, seq);
  }

  private write(funding: ldk.OutPoint, monitor: ldk.ChannelMonitor, carriesUpdate: boolean): ldk.ChannelMonitorUpdateStatus {
    // Both arguments are borrowed for this call only: serialize now.
    const name = monitorName(funding);
    const bytes = monitor.write();
    const seq = ++this.seq;
    if (this.mode === 'sync' || !carriesUpdate) {
      this.store(name, bytes, seq);
      return ldk.ChannelMonitorUpdateStatus.LDKChannelMonitorUpdateStatus_Completed;
    }
    this.pending.push({ monitor: name, fundingOutpoint: outPoint(brandTxid(funding.get_txid()), funding.get_index()), updateId: monitor.get_latest_update_id(), bytes, seq });
    return ldk.ChannelMonitorUpdateStatus.LDKChannelMonitorUpdateStatus_InProgress;
  }
}

/** The storage name of a monitor (MONEY.md): funding txid in display hex, underscore, output index. */
export function monitorName(funding: ldk.OutPoint): string {
  return `${toHex(reverseBytes(funding.get_txid()))}_${funding.get_index()}`;
}
