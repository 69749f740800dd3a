import type { Path, ScoreUpdate } from 'ln-router-api';
import type { ShortChannelId } from 'ln-types';
import type { RemoteRouter } from './remote-router.js';

/**
 * A ScoreUpdate that passes payment and probe outcomes to the routing
 * server's scorer, so a node routing through a server (ChannelManager's
 * payment logic takes a ScoreUpdate) teaches it what it learns. The reports
 * are sent in the background (ScoreUpdate is synchronous); a failed report is
 * given to `onError` and otherwise dropped: scoring is advisory. The server
 * keeps its own clock, so the times passed in are not sent.
 */
export function remoteScoreUpdate(router: Pick<RemoteRouter, 'reportPathFailed' | 'reportPathSucceeded' | 'reportProbeFailed' | 'reportProbeSucceeded'>, onError: (error: unknown) => void = () => undefined): ScoreUpdate & { settled(): Promise<void> } {
  const pending = new Set<Promise<void>>();
  const send = (p: Promise<void>): void => {
    const tracked = p.catch(onError).finally(() => pending.delete(tracked));
    pending.add(tracked);
  };
  return {
    paymentPathFailed(path: Path, shortChannelId: ShortChannelId): void {
      send(router.reportPathFailed(path, shortChannelId));
    },
    paymentPathSuccessful(path: Path): void {
      send(router.reportPathSucceeded(path));
    },
    probeFailed(path: Path, shortChannelId: ShortChannelId): void {
      send(router.reportProbeFailed(path, shortChannelId));
    },
    probeSuccessful(path: Path): void {
      send(router.reportProbeSucceeded(path));
    },
    timePassed(): void {},
    /** Resolves once every report sent so far was answered (or failed). */
    async settled(): Promise<void> {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
  };
}
