import * as ldk from 'lightningdevkit';
import type { Core } from './core.js';
import type { EventLog } from './event-log.js';
import { type EventReactions, drainEvents } from './event-reactions.js';

/** What the loop works on; `core()` changes when the node restarts. */
export interface EventLoopContext {
  core(): Core;
  readonly reactions: EventReactions;
  readonly events: EventLog;
  /** Harness errors (a reaction LDK or the wallet refused). */
  readonly errors: string[];
  /** Write the ChannelManager whenever LDK says it changed. */
  readonly persistManager: boolean;
}

/**
 * The node's event loop, run on `setImmediate` whenever something may have
 * given LDK work (bytes in, a call from the test, a block, one of LDK's
 * futures): PeerManager messages out, ChainMonitor and ChannelManager events
 * answered and logged, the ChannelManager written when it changed.
 */
export class EventLoop {
  private scheduled = false;
  private processing = false;
  private stopped = false;
  private managerFutureArmed = false;
  private monitorFutureArmed = false;
  /** The ChannelManager as last written (what a crash leaves). */
  managerBytes: Uint8Array | undefined;
  /**
   * The callbacks LDK's futures call. LDK keeps only a weak reference to a
   * JavaScript trait object: one the garbage collector reclaims while a future
   * still holds it makes LDK panic ("Got function call on GC'd JS object").
   */
  private readonly managerFutureCallback = ldk.FutureCallback.new_impl({
    call: () => {
      this.managerFutureArmed = false;
      this.schedule();
    },
  });
  private readonly monitorFutureCallback = ldk.FutureCallback.new_impl({
    call: () => {
      this.monitorFutureArmed = false;
      this.schedule();
    },
  });

  constructor(private readonly ctx: EventLoopContext) {}

  /** Runs the loop soon (never inside the caller: it may be inside an LDK call). */
  schedule(): void {
    if (this.scheduled || this.stopped) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.runNow();
    });
  }

  /** Processes what LDK has pending now: messages, events, forwards, persistence. */
  runNow(): void {
    if (this.stopped || this.processing) return;
    this.processing = true;
    const core = this.ctx.core();
    try {
      for (let round = 0; round < 50; round++) {
        core.peerManager.process_events();
        const raw = drainEvents(core);
        if (raw.length === 0) break;
        for (const r of raw) {
          try {
            this.ctx.reactions.react(r);
          } catch (err) {
            this.ctx.errors.push(`${r.event.kind}: ${err instanceof Error ? err.message : String(err)}`);
          }
          this.ctx.events.push(r.event);
        }
      }
      core.peerManager.process_events();
      const cm = core.channelManager;
      if (cm !== undefined && this.ctx.persistManager && cm.get_and_clear_needs_persistence()) this.managerBytes = cm.write();
    } finally {
      this.processing = false;
    }
    this.armFutures();
  }

  /**
   * LDK's futures complete when it has events or needs persisting: each wakes
   * the loop once, then is armed again. Their callbacks may run inside an LDK
   * call, so they only schedule.
   */
  armFutures(): void {
    if (this.stopped) return;
    const core = this.ctx.core();
    const cm = core.channelManager;
    if (!this.managerFutureArmed && cm !== undefined) {
      this.managerFutureArmed = true;
      cm.get_event_or_persistence_needed_future().register_callback_fn(this.managerFutureCallback);
    }
    if (!this.monitorFutureArmed) {
      this.monitorFutureArmed = true;
      this.core().chainMonitor.get_update_future().register_callback_fn(this.monitorFutureCallback);
    }
  }

  private core(): Core {
    return this.ctx.core();
  }

  /** Stops running (a restart resumes with {@link resume} on the new LDK objects). */
  pause(): void {
    this.stopped = true;
  }

  /** Resumes on a new incarnation: its futures are new, so arm them again. */
  resume(): void {
    this.stopped = false;
    this.managerBytes = undefined;
    this.managerFutureArmed = false;
    this.monitorFutureArmed = false;
    this.armFutures();
    this.schedule();
  }
}
