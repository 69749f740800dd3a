// Which updates of one monitor are durably stored. ChannelManager may go on
// after update N only when N and every update before it are stored (a stored N
// without N-1 is lost on reload: updates are replayed without gaps), so
// completion is reported for the highest id with nothing pending below it.

export class UpdateTracker {
  private readonly inFlight = new Set<bigint>();
  private highestStarted: bigint;
  private reported: bigint;

  /** `persistedUpTo`: the last update id already durable (a monitor read from storage). */
  constructor(persistedUpTo: bigint) {
    this.highestStarted = persistedUpTo;
    this.reported = persistedUpTo;
  }

  /** An update's write started. */
  start(updateId: bigint): void {
    this.inFlight.add(updateId);
    if (updateId > this.highestStarted) this.highestStarted = updateId;
  }

  /** True while an update below `updateId` is still being written. */
  blockedBelow(updateId: bigint): boolean {
    for (const id of this.inFlight) if (id < updateId) return true;
    return false;
  }

  get pending(): boolean {
    return this.inFlight.size > 0;
  }

  /** Update `updateId` alone is durable. Returns the id to report as completed, if the completed prefix grew. */
  completeOne(updateId: bigint): bigint | undefined {
    this.inFlight.delete(updateId);
    return this.advance();
  }

  /** Every update up to `updateId` is durable (a whole-monitor write). Returns the id to report, if it grew. */
  completeUpTo(updateId: bigint): bigint | undefined {
    for (const id of this.inFlight) if (id <= updateId) this.inFlight.delete(id);
    return this.advance();
  }

  private advance(): bigint | undefined {
    let upTo = this.highestStarted;
    for (const id of this.inFlight) if (id - 1n < upTo) upTo = id - 1n;
    if (upTo > this.reported) {
      this.reported = upTo;
      return upTo;
    }
    return undefined;
  }

  /** The highest id reported durable. */
  get completedUpTo(): bigint {
    return this.reported;
  }
}
