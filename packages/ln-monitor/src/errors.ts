import { LnError } from 'ln-types';

/**
 * Why ln-monitor refused something.
 *
 * - `malformed`: data that cannot be what it claims (a wrong length, a point off the curve,
 *   balances that do not add up to the channel, bytes that do not decode).
 * - `out_of_order`: an update id, commitment number or secret that is not the next one.
 * - `inconsistent`: data that contradicts what the monitor knows (another channel, a txid
 *   that is not the commitment the data builds, a secret that does not match the point).
 * - `invalid_signature`: the counterparty's signatures of a holder commitment do not verify.
 * - `channel_closed`: a new commitment for a channel whose funding output is spent or that
 *   the monitor force closed.
 * - `unknown_channel`: no monitor for that channel.
 * - `duplicate`: a monitor for that channel or funding outpoint exists already.
 * - `unsupported_version`: serialized data of a version this reader does not know.
 * - `persistence`: the store refused or failed.
 * - `wallet`: the wallet cannot pay for a fee bump (no or too few confirmed UTXOs).
 * - `watchtower`: the watchtower link broke or the tower refused.
 */
export type MonitorErrorCode =
  | 'malformed'
  | 'out_of_order'
  | 'inconsistent'
  | 'invalid_signature'
  | 'channel_closed'
  | 'unknown_channel'
  | 'duplicate'
  | 'unsupported_version'
  | 'persistence'
  | 'wallet'
  | 'watchtower';

/** Thrown (or rejected with) by ln-monitor. */
export class MonitorError extends LnError<MonitorErrorCode> {}
