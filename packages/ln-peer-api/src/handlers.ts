import type { ChainHash, NodeId } from 'ln-types';
import type { ErrorMessage } from 'ln-wire';
import type { MessageSendEventsProvider } from './events.js';
import type { ChannelMessage, OnionMessage, RoutingMessage } from './messages.js';

/** What a peer announced in its `init`, as the handlers see it on connection. */
export interface PeerInit {
  /** The peer's features (`globalfeatures` OR `features`). */
  readonly features: Uint8Array;
  /** The chains it said it is interested in, when it said so. */
  readonly networks?: readonly ChainHash[];
  /** Our address as the peer sees it (a BOLT 7 address descriptor), when given. */
  readonly remoteAddr?: Uint8Array;
}

/** `"disconnect"` refuses the peer (the PeerManager then drops the connection). */
export type PeerConnectedResult = void | 'disconnect';

/** What every handler shares: peer lifecycle, features, and outgoing messages. */
export interface PeerLifecycleHandler extends MessageSendEventsProvider {
  /** Called once the init exchange succeeded; `inbound` is true when the peer connected to us. */
  peerConnected(peer: NodeId, init: PeerInit, inbound: boolean): PeerConnectedResult;
  /** Called when a peer that was passed to `peerConnected` goes away. */
  peerDisconnected(peer: NodeId): void;
  /** Feature bits this handler wants in our `init` to `peer` (merged with the other handlers'). */
  provideInitFeatures(peer: NodeId): Uint8Array;
  /** Feature bits this handler wants in our node_announcement. */
  provideNodeFeatures(): Uint8Array;
}

/** Channel messages (BOLT 2), after LDK's ChannelMessageHandler. */
export interface ChannelMessageHandler extends PeerLifecycleHandler {
  handleMessage(peer: NodeId, message: ChannelMessage): void;
  /** An `error` from the peer (an all-zero channel id means every channel with it). */
  handleError(peer: NodeId, message: ErrorMessage): void;
  /** True when we have a channel with `peer` (the inbound-peers limit spares such peers). */
  hasChannelsWith(peer: NodeId): boolean;
}

/** Gossip (BOLT 7), after LDK's RoutingMessageHandler. */
export interface RoutingMessageHandler extends PeerLifecycleHandler {
  handleMessage(peer: NodeId, message: RoutingMessage): void;
}

/** Onion messages (BOLT 4/7), after LDK's OnionMessageHandler. */
export interface OnionMessageHandler extends PeerLifecycleHandler {
  handleMessage(peer: NodeId, message: OnionMessage): void;
}

/** Messages of types ln-wire does not know, after LDK's CustomMessageHandler. */
export interface CustomMessageHandler extends PeerLifecycleHandler {
  /** True for the (unknown to ln-wire) type numbers this handler takes. */
  handlesType(typeId: number): boolean;
  /** `payload` is the message after its 2-byte type. */
  handleMessage(peer: NodeId, typeId: number, payload: Uint8Array): void;
}

/** The handlers a PeerManager dispatches to. */
export interface MessageHandlers {
  readonly channel: ChannelMessageHandler;
  readonly routing: RoutingMessageHandler;
  readonly onion: OnionMessageHandler;
  readonly custom: CustomMessageHandler;
}
