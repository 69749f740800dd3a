import type { BlockHeaderData, BlockSource, ChainTip } from 'ln-chain-api';
import type { Block } from 'ln-tx';
import { type BlockHash, type Txid, blockHashToHex, equalBytes, toHex, txidToHex } from 'ln-types';
import { ChainSourceError } from '../errors.js';
import { bodyJson, bodySnippet } from '../http/body.js';
import { asArray, asBlockHash, asBoolean, asHeight, asHex, asInteger, asNumber, asObject, asString, asTxid } from '../http/json-shape.js';
import { describe, HttpTransport, type HttpTransportOptions } from '../http/transport.js';
import type { BroadcastSource, CallOptions, FeeRateSource, HeaderRangeSource, MempoolAcceptResult, PackageResult, TxOutInfo } from '../source-types.js';
import { checkedBlock, checkedHeader, checkedTransaction } from '../verify/checked.js';
import { type BitcoindAuth, basicAuthorization } from './auth.js';
import { btcToSat, btcPerKvbToSatPerKw } from './amounts.js';

/** Options of {@link BitcoindRpcClient}. */
export interface BitcoindRpcOptions extends HttpTransportOptions {
  /** The RPC endpoint, e.g. `http://127.0.0.1:8332` (add `/wallet/<name>` for wallet calls). */
  readonly url: string;
  /** User and password, or the cookie; none for a server without authentication. */
  readonly auth?: BitcoindAuth;
}

/** One call of a batch. */
export interface RpcCall {
  readonly method: string;
  readonly params: readonly unknown[];
}

/** One call's outcome in a batch: its result, or its own typed error. */
export type RpcOutcome = { readonly ok: true; readonly result: unknown } | { readonly ok: false; readonly error: ChainSourceError };

/** bitcoind's "not found" codes: RPC_INVALID_ADDRESS_OR_KEY (-5) for blocks and transactions. */
const RPC_INVALID_ADDRESS_OR_KEY = -5;
/** RPC_INVALID_PARAMETER (-8): also "Block height out of range". */
const RPC_INVALID_PARAMETER = -8;

/** Most headers one getHeadersAfter asks for (two batches of this many calls). */
const MAX_HEADERS_PER_BATCH = 2000;

/** Estimate modes of `estimatesmartfee`. */
export type EstimateMode = 'conservative' | 'economical' | 'unset';

/** The answer of `estimatesmartfee`. */
export interface SmartFeeEstimate {
  /** The rate in sat per 1000 weight, when bitcoind has one. */
  readonly feeRateSatPerKw?: number;
  /** The target the estimate is actually for (bitcoind may widen it). */
  readonly blocks: number;
  /** Why there is no estimate (e.g. "Insufficient data or no feerate found"). */
  readonly errors: readonly string[];
}

/**
 * A client for bitcoind's JSON-RPC over HTTP: a {@link BlockSource} (headers
 * and blocks fetched in hex and checked against the hash asked for, merkle root
 * and witness commitment), plus the calls a Lightning node needs. Calls can be
 * batched into one HTTP request with {@link batch}. Every request has a
 * timeout and a response size cap; every failure is a {@link ChainSourceError}.
 * Works in browsers and Node (global fetch).
 */
export class BitcoindRpcClient implements BlockSource, HeaderRangeSource, FeeRateSource, BroadcastSource {
  readonly #url: string;
  readonly #http: HttpTransport;
  readonly #headers: Record<string, string>;
  #nextId = 1;

  constructor(options: BitcoindRpcOptions) {
    this.#url = options.url;
    this.#http = new HttpTransport(options);
    this.#headers = { 'content-type': 'application/json' };
    if (options.auth !== undefined) this.#headers['authorization'] = basicAuthorization(options.auth);
  }

  /** Calls one RPC method; resolves with its `result`. */
  async call(method: string, params: readonly unknown[] = [], options: CallOptions = {}): Promise<unknown> {
    const id = this.#nextId++;
    const json = await this.#post(JSON.stringify({ jsonrpc: '1.0', id, method, params }), method, options);
    return outcome(json, id, method, true);
  }

  /**
   * Sends several calls in one HTTP request (JSON-RPC batch). Resolves with one
   * outcome per call, in the order given; a call's own RPC error does not fail
   * the others. Rejects only when the request as a whole fails.
   */
  async batch(calls: readonly RpcCall[], options: CallOptions = {}): Promise<RpcOutcome[]> {
    if (calls.length === 0) return [];
    const first = this.#nextId;
    this.#nextId += calls.length;
    const body = JSON.stringify(calls.map((c, i) => ({ jsonrpc: '1.0', id: first + i, method: c.method, params: c.params })));
    const json = await this.#post(body, `batch of ${calls.length}`, options);
    // A batch refused as a whole comes back as one error object.
    if (!Array.isArray(json)) outcome(json, null, 'batch', false);
    const answers = asArray(json, 'batch answer');
    const byId = new Map<number, unknown>();
    for (const a of answers) {
      const id = asObject(a, 'batch answer item')['id'];
      if (typeof id === 'number') byId.set(id, a);
    }
    return calls.map((c, i) => {
      const a = byId.get(first + i);
      if (a === undefined) return { ok: false, error: new ChainSourceError('bad_json', `batch answer has no reply to ${c.method} (id ${first + i})`) };
      try {
        return { ok: true, result: outcome(a, first + i, c.method, false) };
      } catch (error) {
        return { ok: false, error: error as ChainSourceError };
      }
    });
  }

  async #post(body: string, what: string, options: CallOptions): Promise<unknown> {
    const res = await this.#http.request({
      url: this.#url,
      method: 'POST',
      headers: this.#headers,
      body,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    });
    const where = `${describe({ method: 'POST', url: this.#url })} ${what}`;
    if (res.status === 401 || res.status === 403) throw new ChainSourceError('auth', `${where}: the server refused the credentials (${res.status})`, { status: res.status });
    // Legacy JSON-RPC answers errors with 500 (404 for an unknown method) and a JSON body.
    if (res.status !== 200 && res.status !== 500 && res.status !== 404) {
      throw new ChainSourceError('http_status', `${where}: HTTP ${res.status} ${bodySnippet(res.body)}`, { status: res.status });
    }
    let json: unknown;
    try {
      json = bodyJson(res.body, where);
    } catch (error) {
      if (res.status !== 200) throw new ChainSourceError('http_status', `${where}: HTTP ${res.status} ${bodySnippet(res.body)}`, { status: res.status, cause: error });
      throw error;
    }
    return json;
  }

  // ---- BlockSource ----

  /** The tip, from `getblockchaininfo` (hash and height from one consistent answer). */
  async getBestBlock(options: CallOptions = {}): Promise<ChainTip> {
    const info = asObject(await this.call('getblockchaininfo', [], options), 'getblockchaininfo');
    return { hash: asBlockHash(info['bestblockhash'], 'getblockchaininfo.bestblockhash'), height: asHeight(info['blocks'], 'getblockchaininfo.blocks') };
  }

  /** A header by hash: its 80 bytes in hex and its height, in one batched request; checked to hash to `hash`. */
  async getHeader(hash: BlockHash, _heightHint?: number, options: CallOptions = {}): Promise<BlockHeaderData> {
    const hex = blockHashToHex(hash);
    const [raw, verbose] = await this.batch(
      [
        { method: 'getblockheader', params: [hex, false] },
        { method: 'getblockheader', params: [hex, true] },
      ],
      options,
    );
    if (!raw!.ok) throw notFoundIf(raw!.error, RPC_INVALID_ADDRESS_OR_KEY);
    if (!verbose!.ok) throw notFoundIf(verbose!.error, RPC_INVALID_ADDRESS_OR_KEY);
    const height = asHeight(asObject(verbose!.result, 'getblockheader')['height'], 'getblockheader.height');
    return checkedHeader(asHex(raw!.result, 'getblockheader'), hash, height);
  }

  /** A block by hash, from `getblock <hash> 0`; checked against the hash, merkle root and witness commitment. */
  async getBlock(hash: BlockHash, options: CallOptions = {}): Promise<Block> {
    const result = await this.call('getblock', [blockHashToHex(hash), 0], options).catch((e: unknown) => {
      throw notFoundIf(e, RPC_INVALID_ADDRESS_OR_KEY);
    });
    return checkedBlock(asHex(result, 'getblock'), hash);
  }

  /**
   * Headers after `hash` on the best chain, in two batched requests: the
   * hashes at the following heights (with `hash`'s own, to see it is still on
   * the best chain), then their headers in hex, each checked to hash to its id.
   */
  async getHeadersAfter(hash: BlockHash, height: number, count: number, options: CallOptions = {}): Promise<BlockHeaderData[]> {
    const n = Math.max(0, Math.min(count, MAX_HEADERS_PER_BATCH));
    const hashes = await this.batch(
      Array.from({ length: n + 1 }, (_, i) => ({ method: 'getblockhash', params: [height + i] })),
      options,
    );
    const first = hashes[0]!;
    if (!first.ok || !equalBytes(asBlockHash(first.result, 'getblockhash'), hash)) return [];
    const ids: BlockHash[] = [];
    for (const h of hashes.slice(1)) {
      if (!h.ok) break; // past the tip
      ids.push(asBlockHash(h.result, 'getblockhash'));
    }
    if (ids.length === 0) return [];
    const headers = await this.batch(
      ids.map((id) => ({ method: 'getblockheader', params: [blockHashToHex(id), false] })),
      options,
    );
    return headers.map((r, i) => {
      if (!r.ok) throw r.error;
      return checkedHeader(asHex(r.result, 'getblockheader'), ids[i]!, height + 1 + i);
    });
  }

  // ---- chain queries ----

  /** The best chain's block hash at `height` (`not_found` above the tip). */
  async getBlockHash(height: number, options: CallOptions = {}): Promise<BlockHash> {
    const result = await this.call('getblockhash', [height], options).catch((e: unknown) => {
      throw notFoundIf(e, RPC_INVALID_PARAMETER);
    });
    return asBlockHash(result, 'getblockhash');
  }

  /**
   * A transaction's raw bytes, checked to have `txid`. Without `-txindex`,
   * bitcoind finds confirmed transactions only with the block they are in.
   */
  async getRawTransaction(txid: Txid, blockHash?: BlockHash, options: CallOptions = {}): Promise<Uint8Array> {
    const params: unknown[] = [txidToHex(txid), false];
    if (blockHash !== undefined) params.push(blockHashToHex(blockHash));
    const result = await this.call('getrawtransaction', params, options).catch((e: unknown) => {
      throw notFoundIf(e, RPC_INVALID_ADDRESS_OR_KEY);
    });
    return checkedTransaction(asHex(result, 'getrawtransaction'), txid).raw;
  }

  /** An unspent output (`gettxout`), or undefined when it is spent or never existed. */
  async getTxOut(txid: Txid, vout: number, includeMempool = true, options: CallOptions = {}): Promise<TxOutInfo | undefined> {
    const result = await this.call('gettxout', [txidToHex(txid), vout, includeMempool], options);
    if (result === null) return undefined;
    const o = asObject(result, 'gettxout');
    const spk = asObject(o['scriptPubKey'], 'gettxout.scriptPubKey');
    return {
      valueSat: btcToSat(asNumber(o['value'], 'gettxout.value'), 'gettxout.value'),
      script: asHex(spk['hex'], 'gettxout.scriptPubKey.hex'),
      confirmations: asInteger(o['confirmations'], 'gettxout.confirmations'),
      coinbase: asBoolean(o['coinbase'], 'gettxout.coinbase'),
      bestBlock: asBlockHash(o['bestblock'], 'gettxout.bestblock'),
    };
  }

  /** Whether an output is unspent (`gettxout`), in the chain only by default or with the mempool's spends. */
  async isOutputUnspent(txid: Txid, vout: number, includeMempool = false, options: CallOptions = {}): Promise<boolean> {
    return (await this.getTxOut(txid, vout, includeMempool, options)) !== undefined;
  }

  /** `estimatesmartfee`, converted from BTC/kvB to sat per 1000 weight. */
  async estimateSmartFee(confTarget: number, mode: EstimateMode = 'conservative', options: CallOptions = {}): Promise<SmartFeeEstimate> {
    return parseSmartFee(await this.call('estimatesmartfee', [confTarget, mode], options));
  }

  /** Estimates for several targets in one batched request (the FeeRateSource a CachingFeeEstimator uses). */
  async estimateFeeRates(confTargets: readonly number[], options: CallOptions = {}): Promise<ReadonlyMap<number, number>> {
    const answers = await this.batch(
      confTargets.map((t) => ({ method: 'estimatesmartfee', params: [t, 'conservative'] })),
      options,
    );
    const out = new Map<number, number>();
    answers.forEach((a, i) => {
      if (!a.ok) throw a.error;
      const rate = parseSmartFee(a.result).feeRateSatPerKw;
      if (rate !== undefined) out.set(confTargets[i]!, rate);
    });
    return out;
  }

  // ---- broadcasting ----

  /** `sendrawtransaction`; resolves with the txid. `maxFeeRateBtcPerKvb` 0 lifts bitcoind's fee cap. */
  async sendRawTransaction(raw: Uint8Array, maxFeeRateBtcPerKvb?: number, options: CallOptions = {}): Promise<Txid> {
    const params: unknown[] = [toHex(raw)];
    if (maxFeeRateBtcPerKvb !== undefined) params.push(maxFeeRateBtcPerKvb);
    return asTxid(await this.call('sendrawtransaction', params, options), 'sendrawtransaction');
  }

  /** BroadcastSource: {@link sendRawTransaction} with bitcoind's default fee cap. */
  broadcastTransaction(raw: Uint8Array, options: CallOptions = {}): Promise<Txid> {
    return this.sendRawTransaction(raw, undefined, options);
  }

  /** `submitpackage`: parents first, then the child paying for them. */
  async submitPackage(raws: readonly Uint8Array[], options: CallOptions = {}): Promise<PackageResult> {
    return parsePackageResult(await this.call('submitpackage', [raws.map(toHex)], options), 'submitpackage');
  }

  /** BroadcastSource: {@link submitPackage}. */
  broadcastPackage(raws: readonly Uint8Array[], options: CallOptions = {}): Promise<PackageResult> {
    return this.submitPackage(raws, options);
  }

  /** `testmempoolaccept`: would these be accepted (as a package when several), without sending them. */
  async testMempoolAccept(raws: readonly Uint8Array[], options: CallOptions = {}): Promise<MempoolAcceptResult[]> {
    const answer = asArray(await this.call('testmempoolaccept', [raws.map(toHex)], options), 'testmempoolaccept');
    return answer.map((item, i) => {
      const o = asObject(item, `testmempoolaccept[${i}]`);
      const allowed = o['allowed'] === undefined ? false : asBoolean(o['allowed'], `testmempoolaccept[${i}].allowed`);
      const reason = o['reject-reason'] ?? o['package-error'];
      const fees = o['fees'] === undefined ? undefined : asObject(o['fees'], `testmempoolaccept[${i}].fees`);
      return {
        txid: asTxid(o['txid'], `testmempoolaccept[${i}].txid`),
        allowed,
        ...(typeof reason === 'string' ? { rejectReason: reason } : {}),
        ...(typeof o['vsize'] === 'number' ? { vsize: asInteger(o['vsize'], `testmempoolaccept[${i}].vsize`) } : {}),
        ...(fees !== undefined && typeof fees['base'] === 'number' ? { feeSat: btcToSat(fees['base'], `testmempoolaccept[${i}].fees.base`) } : {}),
      };
    });
  }
}

function outcome(json: unknown, id: number | null, method: string, single: boolean): unknown {
  const o = asObject(json, `${method} answer`);
  if (single && o['id'] !== id) throw new ChainSourceError('bad_json', `${method} answer has id ${String(o['id'])}, expected ${id}`);
  const error = o['error'];
  if (error !== null && error !== undefined) {
    const e = asObject(error, `${method} error`);
    const code = typeof e['code'] === 'number' ? e['code'] : undefined;
    const message = typeof e['message'] === 'string' ? e['message'] : 'no message';
    throw new ChainSourceError('rpc_error', `${method}: ${message}${code === undefined ? '' : ` (${code})`}`, code === undefined ? {} : { rpcCode: code });
  }
  if (!('result' in o)) throw new ChainSourceError('bad_json', `${method} answer has neither result nor error`);
  return o['result'];
}

function notFoundIf(error: unknown, rpcCode: number): unknown {
  if (error instanceof ChainSourceError && error.code === 'rpc_error' && error.rpcCode === rpcCode) {
    return new ChainSourceError('not_found', error.message, { rpcCode, cause: error });
  }
  return error;
}

function parseSmartFee(result: unknown): SmartFeeEstimate {
  const o = asObject(result, 'estimatesmartfee');
  const errors = o['errors'] === undefined ? [] : asArray(o['errors'], 'estimatesmartfee.errors').map((e) => String(e));
  const blocks = asInteger(o['blocks'], 'estimatesmartfee.blocks');
  if (o['feerate'] === undefined) return { blocks, errors };
  const btcPerKvb = asNumber(o['feerate'], 'estimatesmartfee.feerate');
  if (btcPerKvb < 0) throw new ChainSourceError('bad_json', 'estimatesmartfee.feerate is negative');
  return { feeRateSatPerKw: btcPerKvbToSatPerKw(btcPerKvb), blocks, errors };
}

/** Reads bitcoind's `submitpackage` answer (also what Esplora's `/txs/package` relays). */
export function parsePackageResult(result: unknown, what: string): PackageResult {
  const o = asObject(result, what);
  const txResults = o['tx-results'] === undefined ? {} : asObject(o['tx-results'], `${what}.tx-results`);
  const transactions: { txid: Txid; error?: string }[] = [];
  for (const [wtxid, value] of Object.entries(txResults)) {
    const r = asObject(value, `${what}.tx-results.${wtxid}`);
    const error = r['error'];
    transactions.push({ txid: asTxid(r['txid'], `${what}.tx-results.${wtxid}.txid`), ...(typeof error === 'string' ? { error } : {}) });
  }
  const msg = o['package_msg'];
  if (msg !== undefined) {
    const message = asString(msg, `${what}.package_msg`);
    return { accepted: message === 'success', message, transactions };
  }
  const failed = transactions.filter((t) => t.error !== undefined);
  return { accepted: failed.length === 0 && transactions.length > 0, message: failed.length === 0 ? 'success' : failed.map((t) => t.error).join('; '), transactions };
}
