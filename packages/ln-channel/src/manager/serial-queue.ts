// One channel's work, in order. PeerManager hands messages over synchronously;
// processing them needs promises (signers), so each channel runs its inputs one
// after another on its own queue: a slow signer pauses that channel only.

/** Called with whatever a task throws. */
export type TaskErrorHandler = (error: unknown) => void;

/** Counts tasks in flight across many queues, so callers can wait until all are done. */
export class Activity {
  #pending = 0;
  #waiters: (() => void)[] = [];

  get pending(): number {
    return this.#pending;
  }

  start(): void {
    this.#pending++;
  }

  end(): void {
    this.#pending--;
    if (this.#pending === 0) {
      const waiters = this.#waiters;
      this.#waiters = [];
      for (const w of waiters) w();
    }
  }

  /** Resolves once no task is pending (at once if none is). */
  idle(): Promise<void> {
    if (this.#pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }
}

/** A FIFO of asynchronous tasks run one at a time. */
export class SerialQueue {
  #tail: Promise<void> = Promise.resolve();
  #length = 0;
  readonly #activity: Activity;
  readonly #onError: TaskErrorHandler;

  constructor(activity: Activity, onError: TaskErrorHandler) {
    this.#activity = activity;
    this.#onError = onError;
  }

  /** Tasks queued or running. */
  get length(): number {
    return this.#length;
  }

  /** Queues `task` after every task queued before it. */
  push(task: () => void | Promise<void>): void {
    this.#length++;
    this.#activity.start();
    this.#tail = this.#tail
      .then(task)
      .catch((e: unknown) => this.#onError(e))
      .finally(() => {
        this.#length--;
        this.#activity.end();
      });
  }
}
