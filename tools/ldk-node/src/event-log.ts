import { LdkNodeError } from './errors.js';
import type { LdkEvent, LdkEventKind, LdkEventOf } from './events.js';

/** An event as logged: its position and when it was seen. */
export type LoggedEvent = LdkEvent & { readonly seq: number; readonly atMs: number };

interface Waiter {
  readonly kinds: readonly LdkEventKind[];
  readonly predicate: (e: LdkEvent) => boolean;
  readonly resolve: (e: LoggedEvent) => void;
}

/**
 * Every event a node's LDK produced, in order. `waitFor` hands each event out
 * at most once per kind-and-predicate wait: two waits for `PaymentSent` get
 * two different events, whether they happened before or after the call.
 */
export class EventLog {
  readonly all: LoggedEvent[] = [];
  private readonly taken = new Set<number>();
  private readonly waiters = new Set<Waiter>();

  constructor(
    private readonly describe: () => string,
    private readonly nowMs: () => number = () => Date.now(),
  ) {}

  push(event: LdkEvent): LoggedEvent {
    const logged = { ...event, seq: this.all.length, atMs: this.nowMs() } as LoggedEvent;
    this.all.push(logged);
    for (const w of this.waiters) {
      if (w.kinds.includes(logged.kind) && !this.taken.has(logged.seq) && w.predicate(logged)) {
        this.taken.add(logged.seq);
        this.waiters.delete(w);
        w.resolve(logged);
      }
    }
    return logged;
  }

  /** Every event of `kind` so far. */
  of<K extends LdkEventKind>(kind: K): (LdkEventOf<K> & { seq: number; atMs: number })[] {
    return this.all.filter((e) => e.kind === kind) as (LdkEventOf<K> & { seq: number; atMs: number })[];
  }

  /** Number of waits in progress (the node polls LDK while there are any). */
  get waiting(): number {
    return this.waiters.size;
  }

  /**
   * The first event of `kind` matching `predicate` not yet returned by another
   * wait, now or when it comes.
   * @throws LdkNodeError `timeout` after `timeoutMs`, quoting the node's state and LDK's log tail
   */
  waitFor<K extends LdkEventKind>(kind: K, predicate: (e: LdkEventOf<K>) => boolean = () => true, timeoutMs = 30_000): Promise<LdkEventOf<K> & { seq: number; atMs: number }> {
    return this.waitForAny([kind], predicate, timeoutMs);
  }

  /** Like {@link waitFor}, for the first event of any of `kinds`. */
  waitForAny<K extends LdkEventKind>(kinds: readonly K[], predicate: (e: LdkEventOf<K>) => boolean = () => true, timeoutMs = 30_000): Promise<LdkEventOf<K> & { seq: number; atMs: number }> {
    type Found = LdkEventOf<K> & { seq: number; atMs: number };
    const match = (e: LdkEvent) => (kinds as readonly LdkEventKind[]).includes(e.kind) && predicate(e as LdkEventOf<K>);
    for (const e of this.all) {
      if (!this.taken.has(e.seq) && match(e)) {
        this.taken.add(e.seq);
        return Promise.resolve(e as Found);
      }
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        kinds,
        predicate: match,
        resolve: (e) => {
          clearTimeout(timer);
          resolve(e as Found);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        const seen = this.all.slice(-12).map((e) => e.kind).join(', ');
        reject(new LdkNodeError('timeout', `no ${kinds.join(' or ')} event within ${timeoutMs} ms (last events: ${seen || 'none'})\n${this.describe()}`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }
}
