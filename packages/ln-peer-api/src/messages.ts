// Which wire messages go to which handler. The unions are written over ln-wire's
// `Message`: a name whose codec ln-wire does not have yet contributes nothing
// (Extract gives never), and starts to count as soon as the codec is added, so
// the handlers pick up BOLT 2/7 messages without a change here.
import type { Message } from 'ln-wire';

/** BOLT 2 (channel) messages, and the peer storage messages of BOLT 1 that LDK also gives the channel handler. */
export const CHANNEL_MESSAGE_NAMES = [
  'open_channel',
  'accept_channel',
  'funding_created',
  'funding_signed',
  'channel_ready',
  'open_channel2',
  'accept_channel2',
  'tx_add_input',
  'tx_add_output',
  'tx_remove_input',
  'tx_remove_output',
  'tx_complete',
  'tx_signatures',
  'tx_init_rbf',
  'tx_ack_rbf',
  'tx_abort',
  'stfu',
  'splice_init',
  'splice_ack',
  'splice_locked',
  'shutdown',
  'closing_signed',
  'closing_complete',
  'closing_sig',
  'update_add_htlc',
  'update_fulfill_htlc',
  'update_fail_htlc',
  'update_fail_malformed_htlc',
  'commitment_signed',
  'revoke_and_ack',
  'update_fee',
  'channel_reestablish',
  'announcement_signatures',
  'peer_storage',
  'peer_storage_retrieval',
] as const;

/** BOLT 7 gossip and gossip-query messages. */
export const ROUTING_MESSAGE_NAMES = [
  'channel_announcement',
  'node_announcement',
  'channel_update',
  'query_short_channel_ids',
  'reply_short_channel_ids_end',
  'query_channel_range',
  'reply_channel_range',
  'gossip_timestamp_filter',
] as const;

/** BOLT 4 onion messages. */
export const ONION_MESSAGE_NAMES = ['onion_message'] as const;

/** The BOLT 1 messages the PeerManager handles itself. */
export const CONNECTION_MESSAGE_NAMES = ['init', 'error', 'warning', 'ping', 'pong'] as const;

export type ChannelMessageName = (typeof CHANNEL_MESSAGE_NAMES)[number];
export type RoutingMessageName = (typeof ROUTING_MESSAGE_NAMES)[number];
export type OnionMessageName = (typeof ONION_MESSAGE_NAMES)[number];

/** Every message a {@link ChannelMessageHandler} receives. */
export type ChannelMessage = Extract<Message, { type: ChannelMessageName }>;
/** Every message a {@link RoutingMessageHandler} receives. */
export type RoutingMessage = Extract<Message, { type: RoutingMessageName }>;
/** Every message an {@link OnionMessageHandler} receives. */
export type OnionMessage = Extract<Message, { type: OnionMessageName }>;

const CHANNEL_SET: ReadonlySet<string> = new Set(CHANNEL_MESSAGE_NAMES);
const ROUTING_SET: ReadonlySet<string> = new Set(ROUTING_MESSAGE_NAMES);
const ONION_SET: ReadonlySet<string> = new Set(ONION_MESSAGE_NAMES);

/** True for messages the channel handler receives. */
export function isChannelMessage(m: Message): m is ChannelMessage {
  return CHANNEL_SET.has(m.type);
}

/** True for gossip and gossip-query messages. */
export function isRoutingMessage(m: Message): m is RoutingMessage {
  return ROUTING_SET.has(m.type);
}

/** True for onion messages. */
export function isOnionMessage(m: Message): m is OnionMessage {
  return ONION_SET.has(m.type);
}
