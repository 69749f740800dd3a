import type { Tx } from 'ln-tx';

/**
 * Puts transactions on the network (LDK's BroadcasterInterface). Called by
 * ChannelManager (funding, cooperative close) and ChannelMonitor (commitments,
 * claims, justice, CPFP children). Fire and forget: the caller re-broadcasts
 * what has not confirmed on later blocks, so an implementation may drop what
 * fails, but should retry transient errors.
 *
 * When `transactions` holds more than one, they are a package: children after
 * their parents, to be submitted together (bitcoind's `submitpackage`) so a
 * zero-fee parent (an anchor commitment) is accepted with the child paying for
 * it. Unrelated transactions are never passed together.
 */
export interface BroadcasterInterface {
  broadcastTransactions(transactions: readonly Tx[]): void;
}
