// Driving a PeerManager from an event loop, in any runtime (Node, browsers,
// workers): coalesced processEvents after I/O, and the timer tick.
import type { PeerManager } from './peer-manager.js';

const scheduled = new WeakSet<PeerManager>();
// setImmediate runs after pending I/O in Node; elsewhere a zero timeout does the same job.
const soon: (fn: () => void) => void =
  typeof (globalThis as { setImmediate?: unknown }).setImmediate === 'function'
    ? (fn) => void (globalThis as unknown as { setImmediate(fn: () => void): unknown }).setImmediate(fn)
    : (fn) => void setTimeout(fn, 0);

/** Runs `processEvents` once after the current I/O callbacks (several calls coalesce). */
export function scheduleProcessEvents(manager: PeerManager): void {
  if (scheduled.has(manager)) return;
  scheduled.add(manager);
  soon(() => {
    scheduled.delete(manager);
    manager.processEvents();
  });
}

/**
 * Drives the manager's clock: `timerTickOccurred()` then `processEvents()`
 * every `tickMs` (default 10 s, LDK's recommendation). In Node the timer does
 * not keep the process alive.
 */
export function startTimers(manager: PeerManager, options: { tickMs?: number } = {}): { stop(): void } {
  const timer = setInterval(() => {
    manager.timerTickOccurred();
    manager.processEvents();
  }, options.tickMs ?? 10_000);
  (timer as { unref?: () => void }).unref?.();
  return { stop: () => clearInterval(timer) };
}
