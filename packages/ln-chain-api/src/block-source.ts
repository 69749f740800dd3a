import type { BlockHash } from 'ln-types';
import type { Block, BlockHeader } from 'ln-tx';

/** A header with where it sits in the chain. */
export interface BlockHeaderData {
  readonly header: BlockHeader;
  readonly hash: BlockHash;
  readonly height: number;
}

/** The tip a source follows. */
export interface ChainTip {
  readonly hash: BlockHash;
  readonly height: number;
}

/**
 * Where a block sync driver gets the chain from (lightning-block-sync's
 * BlockSource): bitcoind over JSON-RPC or REST, an Esplora server, or anything
 * else that serves headers and blocks. Implementations check what they return
 * (a header hashes to the hash asked for; a block matches its header's merkle
 * root) and reject with a typed error rather than return bad data.
 */
export interface BlockSource {
  /** The source's best chain tip. */
  getBestBlock(): Promise<ChainTip>;
  /** The header of a block by hash; `heightHint` helps sources indexed by height. */
  getHeader(hash: BlockHash, heightHint?: number): Promise<BlockHeaderData>;
  /** A whole block by hash. */
  getBlock(hash: BlockHash): Promise<Block>;
}
