import { LnError } from 'ln-types';

/** Why a channel operation failed (internal states, bad stored data, a refused API call). */
export type ChannelErrorCode =
  /** A bug: a state that should be impossible. */
  | 'internal'
  /** Stored bytes that do not decode (`ChannelManager.read`). */
  | 'invalid_data'
  /** A stored manager that cannot be reconciled with its monitors safely (LDK's DangerousValue). */
  | 'dangerous_state';

/** An error of ln-channel itself (not the peer's fault). */
export class ChannelError extends LnError<ChannelErrorCode> {}

/** Why an API call was refused (LDK's APIError). */
export type ApiErrorCode =
  /** An argument is out of range or malformed. */
  | 'invalid_argument'
  /** No such channel (or not with this counterparty). */
  | 'channel_not_found'
  /** The channel exists but cannot do this now (not ready, closing, peer disconnected...). */
  | 'channel_unavailable'
  /** Not enough balance (reserve, fees, limits) for the request. */
  | 'insufficient_funds'
  /** The call does not make sense in the channel's state (funding an inbound channel, say). */
  | 'api_misuse'
  /** The peer does not support what the call needs. */
  | 'incompatible_peer';

/** Thrown by ChannelManager's API methods when a request is refused. */
export class ApiError extends LnError<ApiErrorCode> {}

/**
 * How BOLT 1/2 tell us to react to a peer's message that breaks the protocol:
 * `close` sends an `error` and fails the channel (force close when funded);
 * `warn` sends a `warning` (the channel stays, the peer may reconnect);
 * `ignore` logs it.
 */
export type ProtocolReaction = 'close' | 'warn' | 'ignore';

/**
 * Thrown inside channel processing when the counterparty broke the protocol;
 * ChannelManager turns it into the reaction (never out of handleMessage).
 */
export class ProtocolViolation extends LnError<ProtocolReaction> {}

/** Shorthand for throwing a {@link ProtocolViolation} that fails the channel. */
export function failChannel(message: string): never {
  throw new ProtocolViolation('close', message);
}

/** Shorthand for throwing a {@link ProtocolViolation} answered with a warning. */
export function warnPeer(message: string): never {
  throw new ProtocolViolation('warn', message);
}
