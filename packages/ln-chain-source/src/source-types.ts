import type { BlockHeaderData } from 'ln-chain-api';
import type { BlockHash, Txid } from 'ln-types';

/** Per-call settings every client method accepts. */
export interface CallOptions {
  /** Abort the call early (it fails with `aborted`). */
  readonly signal?: AbortSignal;
  /** Overrides the client's timeout for this call, in ms. */
  readonly timeoutMs?: number;
}

/** What the source said about a package of transactions (bitcoind's `submitpackage`). */
export interface PackageResult {
  /** True when every transaction is in the mempool (accepted now or already there). */
  readonly accepted: boolean;
  /** bitcoind's `package_msg` ("success", or why the package failed), or a summary when the server gives none. */
  readonly message: string;
  /** Each transaction's outcome, in the order the source listed them. */
  readonly transactions: readonly { readonly txid: Txid; readonly error?: string }[];
}

/** One transaction's verdict from `testmempoolaccept`. */
export interface MempoolAcceptResult {
  readonly txid: Txid;
  readonly allowed: boolean;
  /** Why it would be rejected (bitcoind's `reject-reason`), when not allowed. */
  readonly rejectReason?: string;
  /** Virtual size, when allowed. */
  readonly vsize?: number;
  /** The fee in satoshis, when allowed. */
  readonly feeSat?: bigint;
}

/** An unspent output as bitcoind's `gettxout` describes it. */
export interface TxOutInfo {
  readonly valueSat: bigint;
  readonly script: Uint8Array;
  /** 0 for an output created in the mempool. */
  readonly confirmations: number;
  readonly coinbase: boolean;
  /** The tip the answer was computed at. */
  readonly bestBlock: BlockHash;
}

/** A transaction's place in the chain, as a source reports it (unchecked by itself). */
export type TxStatus =
  | { readonly confirmed: false }
  | { readonly confirmed: true; readonly blockHash: BlockHash; readonly height: number };

/** Where a source gets fee estimates: a rate per confirmation target in blocks, in sat per 1000 weight. */
export interface FeeRateSource {
  /**
   * Estimates for each target (in blocks). A target the source has no estimate
   * for is absent from the map. Rejects with a ChainSourceError when the source fails.
   */
  estimateFeeRates(confTargets: readonly number[], options?: CallOptions): Promise<ReadonlyMap<number, number>>;
}

/** Where a broadcaster sends transactions. */
export interface BroadcastSource {
  /** Sends one transaction; resolves with its txid. Rejects with a ChainSourceError (`rejected` or `rpc_error` when refused). */
  broadcastTransaction(raw: Uint8Array, options?: CallOptions): Promise<Txid>;
  /** Sends parents and children together so the children's fees count for the parents (`submitpackage`). */
  broadcastPackage(raws: readonly Uint8Array[], options?: CallOptions): Promise<PackageResult>;
}

/**
 * An optional capability of a block source: the headers that follow a block on
 * its best chain, many per request, so a sync driver catching up does not
 * walk back one request per header. The driver checks what it gets (each
 * header links to the one before and has its proof of work) and falls back to
 * walking back from the tip when the answer does not lead to the tip.
 */
export interface HeaderRangeSource {
  /**
   * Up to `count` headers after block `hash` (at `height`) on the source's best
   * chain, in chain order, each checked to hash to its id; empty when `hash`
   * is not on the best chain.
   */
  getHeadersAfter(hash: BlockHash, height: number, count: number, options?: CallOptions): Promise<BlockHeaderData[]>;
}
