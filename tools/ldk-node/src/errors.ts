import { LnError } from 'ln-types';

/** Why the harness refused or failed. */
export type LdkNodeErrorCode =
  /** LDK answered an API call with an error (the message carries LDK's reason). */
  | 'ldk_refused'
  /** A wait (event, condition, peer) ran out of time; the message carries LDK's last log lines. */
  | 'timeout'
  /** A channel, peer, payment or output the caller named is unknown. */
  | 'not_found'
  /** The built-in wallet cannot do what was asked (not enough funds, a foreign input). */
  | 'wallet'
  /** The chain refused a transaction or a block, or a chain backend failed. */
  | 'chain'
  /** A bitcoind-style JSON-RPC call failed. */
  | 'rpc'
  /** The node was stopped or is restarting. */
  | 'stopped'
  /** Bad arguments from the test (wrong lengths, impossible amounts). */
  | 'invalid_argument';

/** Every failure of the LDK test node. */
export class LdkNodeError extends LnError<LdkNodeErrorCode> {}
