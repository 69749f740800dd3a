export {
  CHANNEL_MESSAGE_NAMES,
  ROUTING_MESSAGE_NAMES,
  ONION_MESSAGE_NAMES,
  CONNECTION_MESSAGE_NAMES,
  type ChannelMessageName,
  type RoutingMessageName,
  type OnionMessageName,
  type ChannelMessage,
  type RoutingMessage,
  type OnionMessage,
  isChannelMessage,
  isRoutingMessage,
  isOnionMessage,
} from './messages.js';
export type { MessageSendEvent, MessageSendEventsProvider } from './events.js';
export type {
  PeerInit,
  PeerConnectedResult,
  PeerLifecycleHandler,
  ChannelMessageHandler,
  RoutingMessageHandler,
  OnionMessageHandler,
  CustomMessageHandler,
  MessageHandlers,
} from './handlers.js';
export {
  ignoringChannelMessageHandler,
  ignoringRoutingMessageHandler,
  ignoringOnionMessageHandler,
  ignoringCustomMessageHandler,
  messageHandlers,
} from './ignoring.js';
