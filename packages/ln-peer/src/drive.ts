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

/** Anything else driven by the same clock (a P2PGossipSync forwarding gossip, say). */
export interface Tickable {
  timerTickOccurred(): void;
}

/**
 * Drives the manager's clock: `timerTickOccurred()` of the manager and of each
 * of `alsoTick` (handlers with periodic work, such as a P2PGossipSync that
 * forwards accepted gossip on ticks), then `processEvents()`, every `tickMs`
 * (default 10 s, LDK's recommendation). In Node the timer does not keep the
 * process alive.
 */
export function startTimers(manager: PeerManager, options: { tickMs?: number; alsoTick?: readonly Tickable[] } = {}): { stop(): void } {
  const alsoTick = options.alsoTick ?? [];
  const timer = setInterval(() => {
    manager.timerTickOccurred();
    for (const t of alsoTick) t.timerTickOccurred();
    manager.processEvents();
  }, options.tickMs ?? 10_000);
  (timer as { unref?: () => void }).unref?.();
  return { stop: () => clearInterval(timer) };
}
