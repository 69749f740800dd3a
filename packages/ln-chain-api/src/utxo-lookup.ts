import type { ChainHash, ShortChannelId } from 'ln-types';

/** A transaction output: its script and value. */
export interface TxOut {
  /** The scriptPubKey bytes. */
  readonly script: Uint8Array;
  readonly valueSat: bigint;
}

/**
 * Why an output could not be returned. `unknown_chain`: the source does not
 * follow this chain; `unknown_tx`: no transaction at that block position, or
 * no such output, or the output is already spent.
 */
export type UtxoLookupError = 'unknown_chain' | 'unknown_tx';

/** The answer to a lookup: the output, or why there is none. */
export type UtxoResult = { readonly ok: true; readonly output: TxOut } | { readonly ok: false; readonly error: UtxoLookupError };

/**
 * Looks up the unspent output a short channel id points at (block height,
 * transaction index in the block, output index), so gossip can check that an
 * announced channel is funded. The answer may come at once or later (a
 * promise), e.g. from an Electrum or block-explorer client; the gossip code
 * holds the announcement until it does.
 */
export interface UtxoLookup {
  getUtxo(chainHash: ChainHash, shortChannelId: ShortChannelId): UtxoResult | Promise<UtxoResult>;
}

/** An output found. */
export function utxoFound(output: TxOut): UtxoResult {
  return { ok: true, output };
}

/** No output, with the reason. */
export function utxoMissing(error: UtxoLookupError): UtxoResult {
  return { ok: false, error };
}
