import type { NodeId } from 'ln-types';
import type { ErrorMessage, Message, WarningMessage } from 'ln-wire';

/**
 * A message a handler wants sent; the PeerManager collects these with
 * `getAndClearPendingMsgEvents()` on every `processEvents()` (after LDK's
 * MessageSendEvent, reduced to the delivery shapes).
 */
export type MessageSendEvent =
  /** Send to one connected peer (dropped when that peer is not connected). */
  | { readonly kind: 'send'; readonly nodeId: NodeId; readonly message: Message }
  /**
   * Gossip to every connected peer except `exceptNodeId`. Broadcasts are the
   * first thing dropped for a slow peer (its outbound buffer over the gossip bound).
   */
  | { readonly kind: 'broadcast'; readonly message: Message; readonly exceptNodeId?: NodeId }
  /** A message of a type ln-wire does not know (custom messages), as raw bytes starting with the 2-byte type. */
  | { readonly kind: 'send_raw'; readonly nodeId: NodeId; readonly bytes: Uint8Array }
  /** Disconnect a peer, optionally telling it why first. */
  | { readonly kind: 'disconnect'; readonly nodeId: NodeId; readonly message?: ErrorMessage | WarningMessage };

/** Anything that queues messages for the PeerManager to send. */
export interface MessageSendEventsProvider {
  /** The queued events, oldest first; the queue is empty afterwards. */
  getAndClearPendingMsgEvents(): MessageSendEvent[];
}
