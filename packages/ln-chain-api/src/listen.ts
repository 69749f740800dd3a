import type { Block, BlockHeader } from 'ln-tx';

/**
 * A component fed whole blocks in chain order (LDK's Listen): ChannelManager
 * and ChainMonitor implement it; a block sync driver calls it.
 *
 * Rules the caller keeps: blocks are connected one height at a time on top of
 * the last one given; before a reorganization replaces blocks, each stale block
 * is disconnected, tip first, with `blockDisconnected`; and each call's returned
 * promise (if any) is awaited before the next call. Methods may return a
 * promise because reacting to a block can need a signature from an
 * asynchronous signer (a justice transaction, say).
 */
export interface Listen {
  /** `block` was connected at `height` on top of the previous best block. */
  blockConnected(block: Block, height: number): void | Promise<void>;
  /** The block with `header` at `height` (the current tip) was disconnected. */
  blockDisconnected(header: BlockHeader, height: number): void | Promise<void>;
}
