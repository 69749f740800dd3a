// Handlers that take nothing and send nothing, so a node can run with only
// some parts (gossip only, channels only, or just the connection layer).
import type { ChannelMessageHandler, CustomMessageHandler, MessageHandlers, OnionMessageHandler, RoutingMessageHandler } from './handlers.js';

const lifecycle = {
  peerConnected: () => undefined,
  peerDisconnected: () => undefined,
  provideInitFeatures: () => new Uint8Array(0),
  provideNodeFeatures: () => new Uint8Array(0),
  getAndClearPendingMsgEvents: () => [],
};

/** A channel handler that ignores channel messages and has no channels. */
export function ignoringChannelMessageHandler(): ChannelMessageHandler {
  return { ...lifecycle, handleMessage: () => undefined, handleError: () => undefined, hasChannelsWith: () => false };
}

/** A routing handler that ignores gossip. */
export function ignoringRoutingMessageHandler(): RoutingMessageHandler {
  return { ...lifecycle, handleMessage: () => undefined };
}

/** An onion-message handler that ignores onion messages. */
export function ignoringOnionMessageHandler(): OnionMessageHandler {
  return { ...lifecycle, handleMessage: () => undefined };
}

/** A custom handler that takes no type (unknown odd messages are then ignored, unknown even ones disconnect). */
export function ignoringCustomMessageHandler(): CustomMessageHandler {
  return { ...lifecycle, handlesType: () => false, handleMessage: () => undefined };
}

/** A full set of handlers: the given ones, ignoring ones for the rest. */
export function messageHandlers(given: Partial<MessageHandlers> = {}): MessageHandlers {
  return {
    channel: given.channel ?? ignoringChannelMessageHandler(),
    routing: given.routing ?? ignoringRoutingMessageHandler(),
    onion: given.onion ?? ignoringOnionMessageHandler(),
    custom: given.custom ?? ignoringCustomMessageHandler(),
  };
}
