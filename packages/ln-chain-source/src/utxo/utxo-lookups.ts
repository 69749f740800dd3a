import { type UtxoLookup, type UtxoResult, utxoFound, utxoMissing } from 'ln-chain-api';
import type { Block } from 'ln-tx';
import { type BlockHash, type ChainHash, type ShortChannelId, type Txid, equalBytes, shortChannelIdParts, toHex } from 'ln-types';
import { ChainSourceError } from '../errors.js';
import type { EsploraClient } from '../esplora/esplora-client.js';
import type { CallOptions } from '../source-types.js';

/** What {@link BitcoindUtxoLookup} needs from a source: the height index, checked blocks and the UTXO set. Both bitcoind clients have it. */
export interface BlockUtxoSource {
  getBlockHash(height: number, options?: CallOptions): Promise<BlockHash>;
  getBlock(hash: BlockHash, options?: CallOptions): Promise<Block>;
  isOutputUnspent(txid: Txid, vout: number, includeMempool?: boolean, options?: CallOptions): Promise<boolean>;
}

/** Options of the UtxoLookup implementations. */
export interface UtxoLookupOptions {
  /** Blocks kept decoded for further lookups (default 4: announcements of one block tend to arrive together). */
  readonly blockCacheSize?: number;
  /** Count an output spent by a mempool transaction as spent (default false: only the chain counts). */
  readonly includeMempool?: boolean;
}

function unknownChainOr(genesis: BlockHash, chainHash: ChainHash): UtxoResult | undefined {
  return equalBytes(genesis, chainHash) ? undefined : utxoMissing('unknown_chain');
}

function isNotFound(error: unknown): boolean {
  return error instanceof ChainSourceError && error.code === 'not_found';
}

/**
 * The gossip funding check over bitcoind (JSON-RPC or REST): a short channel
 * id's block height gives the best chain's block hash, the block (checked
 * against its header) gives the transaction at the index and its output, and
 * the UTXO set says whether it is still unspent. A chain hash other than the
 * source's genesis answers `unknown_chain`; no such block, transaction or
 * output, or a spent one, answers `unknown_tx`. Source failures reject with a
 * ChainSourceError (ln-gossip then refuses the announcement; peers send it again).
 */
export class BitcoindUtxoLookup implements UtxoLookup {
  readonly #source: BlockUtxoSource;
  readonly #cacheSize: number;
  readonly #includeMempool: boolean;
  readonly #blocks = new Map<string, Block>();
  #genesis: Promise<BlockHash> | undefined;

  constructor(source: BlockUtxoSource, options: UtxoLookupOptions = {}) {
    this.#source = source;
    this.#cacheSize = Math.max(0, options.blockCacheSize ?? 4);
    this.#includeMempool = options.includeMempool ?? false;
  }

  async getUtxo(chainHash: ChainHash, shortChannelId: ShortChannelId): Promise<UtxoResult> {
    const chain = unknownChainOr(await this.#genesisHash(), chainHash);
    if (chain !== undefined) return chain;
    const { block: height, txIndex, outputIndex } = shortChannelIdParts(shortChannelId);
    let hash: BlockHash;
    try {
      hash = await this.#source.getBlockHash(height);
    } catch (error) {
      if (isNotFound(error)) return utxoMissing('unknown_tx');
      throw error;
    }
    const block = await this.#block(hash);
    const tx = block.transactions[txIndex];
    const output = tx?.tx.outputs[outputIndex];
    if (tx === undefined || output === undefined) return utxoMissing('unknown_tx');
    if (!(await this.#source.isOutputUnspent(tx.txid, outputIndex, this.#includeMempool))) return utxoMissing('unknown_tx');
    return utxoFound({ script: output.script, valueSat: output.amount });
  }

  #genesisHash(): Promise<BlockHash> {
    const pending = (this.#genesis ??= this.#source.getBlockHash(0));
    // A failed look-up is asked again next time.
    pending.catch(() => {
      if (this.#genesis === pending) this.#genesis = undefined;
    });
    return pending;
  }

  async #block(hash: BlockHash): Promise<Block> {
    const key = toHex(hash);
    const cached = this.#blocks.get(key);
    if (cached !== undefined) return cached;
    const block = await this.#source.getBlock(hash);
    if (this.#cacheSize > 0) {
      this.#blocks.set(key, block);
      if (this.#blocks.size > this.#cacheSize) this.#blocks.delete(this.#blocks.keys().next().value!);
    }
    return block;
  }
}

/**
 * The gossip funding check over Esplora, without downloading blocks: the
 * block hash at the height, the txid at the index, the transaction (checked
 * against its txid) proven in that block by its merkle proof (checked against
 * the block header), its output, and the output's spend status.
 * Answers and failures as {@link BitcoindUtxoLookup}.
 */
export class EsploraUtxoLookup implements UtxoLookup {
  readonly #esplora: EsploraClient;
  readonly #includeMempool: boolean;
  #genesis: Promise<BlockHash> | undefined;

  constructor(esplora: EsploraClient, options: Pick<UtxoLookupOptions, 'includeMempool'> = {}) {
    this.#esplora = esplora;
    this.#includeMempool = options.includeMempool ?? false;
  }

  async getUtxo(chainHash: ChainHash, shortChannelId: ShortChannelId): Promise<UtxoResult> {
    const pending = (this.#genesis ??= this.#esplora.getBlockHash(0));
    pending.catch(() => {
      if (this.#genesis === pending) this.#genesis = undefined;
    });
    const chain = unknownChainOr(await pending, chainHash);
    if (chain !== undefined) return chain;
    const { block: height, txIndex, outputIndex } = shortChannelIdParts(shortChannelId);
    try {
      const hash = await this.#esplora.getBlockHash(height);
      const txid = await this.#esplora.getBlockTxid(hash, txIndex);
      const { transaction } = await this.#esplora.getConfirmedTransaction(txid, hash);
      if (transaction.index !== txIndex) throw new ChainSourceError('invalid_data', `transaction ${txIndex} of block ${height} is proven at position ${transaction.index}`);
      const output = transaction.tx.outputs[outputIndex];
      if (output === undefined) return utxoMissing('unknown_tx');
      const spend = await this.#esplora.getOutputSpend(txid, outputIndex);
      if (spend.spent && (this.#includeMempool || spend.status.confirmed)) return utxoMissing('unknown_tx');
      return utxoFound({ script: output.script, valueSat: output.amount });
    } catch (error) {
      if (isNotFound(error)) return utxoMissing('unknown_tx');
      throw error;
    }
  }
}
