import type { BlockHash } from 'ln-types';

/**
 * The tip of the chain as a component last saw it (LDK's BestBlock). Components
 * store it with their state so that, after a restart, the sync driver can tell
 * them what they missed (and what was reorganized away) since.
 */
export interface BestBlock {
  readonly blockHash: BlockHash;
  readonly height: number;
}
