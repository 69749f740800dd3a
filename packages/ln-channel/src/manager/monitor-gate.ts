// Monitor gating: no message that depends on a monitor update leaves before the
// update is persisted (ARCHITECTURE.md, "Persistence ordering is a contract").
// Each outgoing message records the latest monitor update id of its channel
// when it was produced; it is released only once every update up to that id is
// completed, in order, and only on the connection it was produced for.

import type { ChannelMonitorUpdate } from 'ln-chain-api';
import type { Message } from 'ln-wire';

/** A message waiting for its monitor updates (and its connection). */
export interface OutboxItem {
  readonly message: Message;
  /** Every monitor update up to this id must be completed first. */
  readonly dependsOn: bigint;
  /** The connection epoch it belongs to (a disconnection drops older ones). */
  readonly epoch: number;
}

/** An update given to the Watch and not yet known to be persisted. */
export interface InFlightUpdate {
  readonly update: ChannelMonitorUpdate;
  /** The Watch said `completed` for it, but an older one is still in progress. */
  done: boolean;
}

/** The per-channel half of the gate: in-flight updates and the outbox. */
export class MonitorGate {
  /** Updates not yet persisted, oldest first (LDK's in_flight_monitor_updates). */
  inFlight: InFlightUpdate[] = [];
  /** Every update with an id up to this is persisted. */
  completedUpdateId: bigint;
  outbox: OutboxItem[] = [];

  constructor(completedUpdateId: bigint) {
    this.completedUpdateId = completedUpdateId;
  }

  /** Records the Watch's answer to an update. */
  recordUpdate(update: ChannelMonitorUpdate, completed: boolean): void {
    if (completed && this.inFlight.length === 0) {
      this.completedUpdateId = update.updateId;
      return;
    }
    this.inFlight.push({ update, done: completed });
    this.#advance();
  }

  /** The monitor persisted every update up to `updateId`. */
  completedThrough(updateId: bigint): void {
    for (const f of this.inFlight) if (f.update.updateId <= updateId) f.done = true;
    if (updateId > this.completedUpdateId && this.inFlight.length === 0) this.completedUpdateId = updateId;
    this.#advance();
  }

  #advance(): void {
    while (this.inFlight.length > 0 && this.inFlight[0]!.done) {
      this.completedUpdateId = this.inFlight[0]!.update.updateId;
      this.inFlight.shift();
    }
  }

  /** True while some update is not persisted yet. */
  get blocked(): boolean {
    return this.inFlight.length > 0;
  }

  /** Queues a message depending on updates up to `dependsOn`. */
  queue(message: Message, dependsOn: bigint, epoch: number): void {
    this.outbox.push({ message, dependsOn, epoch });
  }

  /**
   * Takes the messages that may leave now, in order, for the current epoch
   * (older epochs are dropped: their connection is gone).
   */
  release(epoch: number): Message[] {
    const out: Message[] = [];
    let i = 0;
    for (; i < this.outbox.length; i++) {
      const item = this.outbox[i]!;
      if (item.epoch !== epoch) continue;
      if (item.dependsOn > this.completedUpdateId) break;
      out.push(item.message);
    }
    this.outbox = this.outbox.slice(i).filter((item) => item.epoch === epoch);
    return out;
  }

  /** Drops every queued message (the connection went away). */
  clearOutbox(): void {
    this.outbox = [];
  }
}
