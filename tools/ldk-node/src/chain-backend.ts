import type { Block } from 'ln-tx';
import type { BlockHash } from 'ln-types';

/** A block of the chain a node follows, with its raw bytes (what LDK's Listen takes). */
export interface ChainBlock {
  readonly height: number;
  readonly hash: BlockHash;
  readonly raw: Uint8Array;
  readonly block: Block;
}

/** The best block of a chain backend. */
export interface ChainTipInfo {
  readonly hash: BlockHash;
  readonly height: number;
  /** Header time (seconds). */
  readonly time: number;
}

/** Told about blocks in chain order; a reorganization disconnects stale blocks tip first. */
export interface ChainListener {
  blockConnected(block: ChainBlock): void;
  blockDisconnected(block: ChainBlock): void;
}

/**
 * What an LDK test node needs from a chain: its tip, any block of its best chain
 * by height (to catch up after a restart), block notifications, and a way to
 * broadcast. {@link RegtestChain} (ln-regtest in this process) and {@link BitcoindRpcChain}
 * (following a bitcoind-style JSON-RPC server such as ln-regtest) implement it.
 */
export interface ChainBackend {
  getTip(): Promise<ChainTipInfo>;
  getBlock(height: number): Promise<ChainBlock>;
  /** Any block the backend knows by hash, on the best chain or a stale branch (to unwind a restarted node). */
  getBlockByHash(hash: BlockHash): Promise<ChainBlock | undefined>;
  subscribe(listener: ChainListener): () => void;
  /**
   * Hands transactions to the chain (a package: parents first). Must not call
   * back into the node synchronously: LDK is in the middle of a call.
   */
  broadcast(transactions: readonly Uint8Array[]): void;
}
