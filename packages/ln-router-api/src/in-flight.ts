import type { NodeId, ShortChannelId } from 'ln-types';
import { compareBytes } from 'ln-types';
import type { Path } from './route.js';

/** Liquidity already used by our pending HTLCs in one channel direction. */
export interface InFlightEntry {
  readonly shortChannelId: ShortChannelId;
  /** 0 when the HTLC goes from the channel's smaller node id to the larger (BOLT 7 direction). */
  readonly direction: 0 | 1;
  readonly usedMsat: bigint;
}

/** Our HTLCs in flight, as plain data: the router subtracts them from the liquidity it assumes. */
export interface InFlightHtlcs {
  readonly entries: readonly InFlightEntry[];
}

/** No HTLCs in flight. */
export const NO_IN_FLIGHT_HTLCS: InFlightHtlcs = { entries: [] };

/**
 * Adds the HTLCs of a path we sent (from `payer`) to an in-flight set,
 * merging entries of the same channel direction.
 */
export function addPathToInFlight(inFlight: InFlightHtlcs, payer: NodeId, path: Path): InFlightHtlcs {
  const used = new Map<string, InFlightEntry>();
  for (const e of inFlight.entries) used.set(`${e.shortChannelId}:${e.direction}`, e);
  let from: NodeId = payer;
  for (const hop of path.hops) {
    const direction: 0 | 1 = compareBytes(from, hop.nodeId) < 0 ? 0 : 1;
    const key = `${hop.shortChannelId}:${direction}`;
    const prev = used.get(key)?.usedMsat ?? 0n;
    used.set(key, { shortChannelId: hop.shortChannelId, direction, usedMsat: prev + hop.amountMsat });
    from = hop.nodeId;
  }
  return { entries: [...used.values()] };
}
