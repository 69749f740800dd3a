/**
 * Tells the application that events are waiting (LDK's Notifier / Future): the
 * ChainMonitor calls {@link notify}; the application awaits {@link wait} (or
 * subscribes a callback) and then processes events. A notification given while
 * nobody waits is kept until the next `wait`.
 */
export class EventNotifier {
  private pending = false;
  private waiters: (() => void)[] = [];
  private readonly listeners = new Set<() => void>();

  /** Signals that events are waiting. */
  notify(): void {
    for (const l of this.listeners) l();
    if (this.waiters.length === 0) {
      this.pending = true;
      return;
    }
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  /** Resolves at the next notification (at once if one came since the last wait). */
  wait(): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Calls `listener` on every notification; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
