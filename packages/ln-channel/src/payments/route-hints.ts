import type { NodeId, ShortChannelId } from 'ln-types';
import { toHex } from 'ln-types';
import type { RouteHintHop } from 'ln-invoice';
import { MAX_ROUTE_HINTS } from './constants.js';

/**
 * One of our channels as invoice creation needs it (the manager builds these
 * from its channel list). The hint describes the direction counterparty -> us,
 * so it uses the counterparty's forwarding policy for that direction.
 */
export interface InvoiceChannel {
  readonly counterpartyNodeId: NodeId;
  /** The scid payers put in the onion: the real one, or our inbound alias for an unannounced channel. */
  readonly inboundScid?: ShortChannelId;
  /** True when the channel is announced (payers find it in the graph). */
  readonly isPublic: boolean;
  /** Ready and the peer connected. */
  readonly isUsable: boolean;
  /** What the counterparty can send us now, in msat. */
  readonly inboundCapacityMsat: bigint;
  /** The counterparty's channel_update for its direction to us, when it sent one. */
  readonly counterpartyForwarding?: {
    readonly feeBaseMsat: number;
    readonly feeProportionalMillionths: number;
    readonly cltvExpiryDelta: number;
  };
}

/**
 * The route hints for an invoice (after LDK's choice): none when a usable
 * public channel exists (payers find us in the graph); otherwise, for private
 * channels, the channel with the most inbound capacity per counterparty,
 * preferring channels that can carry `amountMsat` alone, largest first, at most
 * MAX_ROUTE_HINTS. Channels without the counterparty's forwarding policy or
 * without an scid cannot be described and are left out.
 */
export function selectRouteHints(channels: readonly InvoiceChannel[], amountMsat?: bigint): RouteHintHop[][] {
  const candidates = channels.filter((c) => c.isUsable && c.inboundScid !== undefined && c.counterpartyForwarding !== undefined);
  if (channels.some((c) => c.isUsable && c.isPublic)) return [];
  const best = new Map<string, InvoiceChannel>();
  for (const c of candidates) {
    const key = toHex(c.counterpartyNodeId);
    const prev = best.get(key);
    if (prev === undefined || c.inboundCapacityMsat > prev.inboundCapacityMsat) best.set(key, c);
  }
  const ranked = [...best.values()].sort((a, b) => {
    if (amountMsat !== undefined) {
      const fa = a.inboundCapacityMsat >= amountMsat ? 1 : 0;
      const fb = b.inboundCapacityMsat >= amountMsat ? 1 : 0;
      if (fa !== fb) return fb - fa;
    }
    return a.inboundCapacityMsat === b.inboundCapacityMsat ? 0 : a.inboundCapacityMsat > b.inboundCapacityMsat ? -1 : 1;
  });
  return ranked.slice(0, MAX_ROUTE_HINTS).map((c) => [
    {
      nodeId: c.counterpartyNodeId,
      shortChannelId: c.inboundScid!,
      feeBaseMsat: c.counterpartyForwarding!.feeBaseMsat,
      feeProportionalMillionths: c.counterpartyForwarding!.feeProportionalMillionths,
      cltvExpiryDelta: c.counterpartyForwarding!.cltvExpiryDelta,
    },
  ]);
}
