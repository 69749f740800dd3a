import type { BlockHeaderData, BlockSource, ChainTip } from 'ln-chain-api';
import { sha256 } from 'ln-crypto';
import { type Block, type BlockHeader, type BlockTransaction, blockHeaderHash, txidOfRaw } from 'ln-tx';
import { type BlockHash, type Txid, blockHash, blockHashToHex, equalBytes, fromHex, toHex, txid as brandTxid, txidToHex } from 'ln-types';
import { parsePackageResult } from '../bitcoind/rpc-client.js';
import { ChainSourceError } from '../errors.js';
import { bodyJson, bodySnippet, bodyText } from '../http/body.js';
import { asArray, asBlockHash, asBoolean, asHeight, asInteger, asNumber, asObject, asTxid, textHash } from '../http/json-shape.js';
import { describe, HttpTransport, type HttpResponse, type HttpTransportOptions } from '../http/transport.js';
import type { BroadcastSource, CallOptions, FeeRateSource, HeaderRangeSource, PackageResult, TxStatus } from '../source-types.js';
import { checkedBlock, checkedHeader, checkedTransaction, checkMerkleProof } from '../verify/checked.js';

/** Options of {@link EsploraClient}. */
export interface EsploraOptions extends HttpTransportOptions {
  /** The API's base URL, e.g. `https://blockstream.info/api` or `http://127.0.0.1:3002`. */
  readonly url: string;
}

/** Esplora's merkle proof of a transaction (`/tx/:txid/merkle-proof`), hashes in internal order. */
export interface MerkleProof {
  readonly blockHeight: number;
  readonly branch: readonly Uint8Array[];
  readonly pos: number;
}

/** Who spends an output (`/tx/:txid/outspend/:vout`). */
export type OutputSpend =
  | { readonly spent: false }
  | { readonly spent: true; readonly txid: Txid; readonly vin: number; readonly status: TxStatus };

/** An unspent output of an address or script (`/address/:a/utxo`, `/scripthash/:h/utxo`). */
export interface EsploraUtxo {
  readonly txid: Txid;
  readonly vout: number;
  readonly valueSat: bigint;
  readonly status: TxStatus;
}

/** A transaction proven to be in a block: the block's checked header, the transaction checked against its txid and the merkle proof. */
export interface ConfirmedTransaction {
  readonly header: BlockHeaderData;
  /** The transaction, with `index` its position in the block. */
  readonly transaction: BlockTransaction;
}

/**
 * A client for the Esplora HTTP API (Blockstream's and mempool.space's): a
 * {@link BlockSource} (header hex checked to hash to its id, raw blocks checked
 * against merkle root and witness commitment), transactions checked against
 * their txids, merkle proofs checked against the block header, outspends,
 * broadcasting (one transaction or a package) and fee estimates. Uses fetch,
 * so it runs in browsers. Every failure is a ChainSourceError.
 */
export class EsploraClient implements BlockSource, HeaderRangeSource, FeeRateSource, BroadcastSource {
  readonly #base: string;
  readonly #http: HttpTransport;

  constructor(options: EsploraOptions) {
    this.#base = options.url.replace(/\/+$/, '');
    this.#http = new HttpTransport(options);
  }

  async #send(method: 'GET' | 'POST', path: string, options: CallOptions, body?: string, contentType?: string): Promise<HttpResponse> {
    const url = this.#base + path;
    const res = await this.#http.request({
      url,
      method,
      ...(body === undefined ? {} : { body, headers: { 'content-type': contentType ?? 'text/plain' } }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    });
    if (res.status === 200) return res;
    const where = describe({ method, url });
    const text = bodySnippet(res.body);
    if (res.status === 404) throw new ChainSourceError('not_found', `${where}: ${text || 'not found'}`, { status: 404 });
    if (res.status === 401 || res.status === 403) throw new ChainSourceError('auth', `${where}: refused (${res.status})`, { status: res.status });
    if (method === 'POST' && res.status === 400) {
      const rpcCode = /"code"\s*:\s*(-?\d+)/.exec(text)?.[1];
      throw new ChainSourceError('rejected', `${where}: ${text}`, rpcCode === undefined ? { status: 400 } : { status: 400, rpcCode: Number(rpcCode) });
    }
    throw new ChainSourceError('http_status', `${where}: HTTP ${res.status} ${text}`, { status: res.status });
  }

  async #text(path: string, options: CallOptions): Promise<string> {
    return bodyText((await this.#send('GET', path, options)).body, `GET ${path}`);
  }

  async #json(path: string, options: CallOptions): Promise<unknown> {
    return bodyJson((await this.#send('GET', path, options)).body, `GET ${path}`);
  }

  // ---- BlockSource ----

  /** The tip: `/blocks/tip/hash`, then that block's height (so hash and height belong together). */
  async getBestBlock(options: CallOptions = {}): Promise<ChainTip> {
    const hash = await this.getTipHash(options);
    return { hash, height: await this.#blockHeight(hash, options) };
  }

  /** The tip's hash alone (`/blocks/tip/hash`). */
  async getTipHash(options: CallOptions = {}): Promise<BlockHash> {
    return blockHash(textHash(await this.#text('/blocks/tip/hash', options), 'tip hash'));
  }

  async #blockHeight(hash: BlockHash, options: CallOptions): Promise<number> {
    const info = asObject(await this.#json(`/block/${blockHashToHex(hash)}`, options), 'block');
    return asHeight(info['height'], 'block.height');
  }

  /** A header by hash: `/block/:hash/header` (hex, checked to hash to `hash`) with the height from `/block/:hash`. */
  async getHeader(hash: BlockHash, _heightHint?: number, options: CallOptions = {}): Promise<BlockHeaderData> {
    const hex = blockHashToHex(hash);
    const [text, height] = await Promise.all([this.#text(`/block/${hex}/header`, options), this.#blockHeight(hash, options)]);
    let bytes: Uint8Array;
    try {
      bytes = fromHex(text.trim());
    } catch (cause) {
      throw new ChainSourceError('invalid_data', `header of ${hex} is not hex`, { cause });
    }
    return checkedHeader(bytes, hash, height);
  }

  /**
   * Up to nine headers after `hash` in one request (`/blocks/:height`, the ten
   * blocks from a height down, as JSON): each rebuilt and checked to hash to
   * its id; empty when `hash` is no longer at `height` on the best chain.
   */
  async getHeadersAfter(hash: BlockHash, height: number, count: number, options: CallOptions = {}): Promise<BlockHeaderData[]> {
    if (count < 1) return [];
    const list = asArray(await this.#json(`/blocks/${height + Math.min(count, 9)}`, options), 'blocks');
    const byHeight = new Map<number, BlockHeaderData>();
    for (const [i, item] of list.entries()) {
      const h = headerFromEsploraJson(item, `blocks[${i}]`);
      byHeight.set(h.height, h);
    }
    const own = byHeight.get(height);
    if (own === undefined || !equalBytes(own.hash, hash)) return [];
    const out: BlockHeaderData[] = [];
    for (let h = height + 1; byHeight.has(h) && out.length < count; h++) out.push(byHeight.get(h)!);
    return out;
  }

  /** A block by hash from `/block/:hash/raw`, checked. */
  async getBlock(hash: BlockHash, options: CallOptions = {}): Promise<Block> {
    return checkedBlock((await this.#send('GET', `/block/${blockHashToHex(hash)}/raw`, options)).body, hash);
  }

  // ---- chain queries ----

  /** The best chain's block hash at `height` (`not_found` above the tip). */
  async getBlockHash(height: number, options: CallOptions = {}): Promise<BlockHash> {
    return blockHash(textHash(await this.#text(`/block-height/${height}`, options), 'block-height'));
  }

  /** The txid at position `index` of a block (`/block/:hash/txid/:index`), unchecked by itself. */
  async getBlockTxid(hash: BlockHash, index: number, options: CallOptions = {}): Promise<Txid> {
    return brandTxid(textHash(await this.#text(`/block/${blockHashToHex(hash)}/txid/${index}`, options), 'block txid'));
  }

  /** A transaction's raw bytes (`/tx/:txid/raw`), checked to have `txid`. */
  async getTransaction(txid: Txid, options: CallOptions = {}): Promise<BlockTransaction> {
    return checkedTransaction((await this.#send('GET', `/tx/${txidToHex(txid)}/raw`, options)).body, txid);
  }

  /** Where a transaction is (`/tx/:txid/status`); `not_found` when the source does not know it. */
  async getTxStatus(txid: Txid, options: CallOptions = {}): Promise<TxStatus> {
    return parseStatus(await this.#json(`/tx/${txidToHex(txid)}/status`, options), 'tx status');
  }

  /** The merkle proof of a confirmed transaction (`/tx/:txid/merkle-proof`), unchecked: see {@link getConfirmedTransaction}. */
  async getMerkleProof(txid: Txid, options: CallOptions = {}): Promise<MerkleProof> {
    const o = asObject(await this.#json(`/tx/${txidToHex(txid)}/merkle-proof`, options), 'merkle-proof');
    const merkle = asArray(o['merkle'], 'merkle-proof.merkle');
    if (merkle.length > 32) throw new ChainSourceError('invalid_data', 'merkle-proof: more than 32 levels');
    return {
      blockHeight: asHeight(o['block_height'], 'merkle-proof.block_height'),
      branch: merkle.map((h, i) => asTxid(h, `merkle-proof.merkle[${i}]`)),
      pos: asInteger(o['pos'], 'merkle-proof.pos', 0, 0xffffffff),
    };
  }

  /**
   * A transaction proven to be in block `blockHash`: the header (checked), the
   * transaction (checked against its txid) and its merkle proof checked to lead
   * from the txid to the header's merkle root, at the block's height.
   */
  async getConfirmedTransaction(txid: Txid, blockHash: BlockHash, options: CallOptions = {}): Promise<ConfirmedTransaction> {
    const [header, tx, proof] = await Promise.all([this.getHeader(blockHash, undefined, options), this.getTransaction(txid, options), this.getMerkleProof(txid, options)]);
    if (proof.blockHeight !== header.height) {
      throw new ChainSourceError('invalid_data', `merkle proof of ${txidToHex(txid)} is for height ${proof.blockHeight}, its block ${blockHashToHex(blockHash)} is at ${header.height}`);
    }
    checkMerkleProof(tx, proof.branch, proof.pos, header.header);
    return { header, transaction: { ...tx, index: proof.pos } };
  }

  /** Who spends output `vout` of `txid`. */
  async getOutputSpend(txid: Txid, vout: number, options: CallOptions = {}): Promise<OutputSpend> {
    return parseSpend(await this.#json(`/tx/${txidToHex(txid)}/outspend/${vout}`, options), 'outspend');
  }

  /** Who spends each output of `txid`, in output order. */
  async getOutputSpends(txid: Txid, options: CallOptions = {}): Promise<OutputSpend[]> {
    return asArray(await this.#json(`/tx/${txidToHex(txid)}/outspends`, options), 'outspends').map((s, i) => parseSpend(s, `outspends[${i}]`));
  }

  /** Unspent outputs paying an address. */
  async getAddressUtxos(address: string, options: CallOptions = {}): Promise<EsploraUtxo[]> {
    if (!/^[0-9A-Za-z]{1,100}$/.test(address)) throw new ChainSourceError('invalid_data', 'not an address');
    return parseUtxos(await this.#json(`/address/${address}/utxo`, options));
  }

  /** Unspent outputs paying a script (Esplora's scripthash is the SHA-256 of the script, not reversed). */
  async getScriptUtxos(script: Uint8Array, options: CallOptions = {}): Promise<EsploraUtxo[]> {
    return parseUtxos(await this.#json(`/scripthash/${toHex(sha256(script))}/utxo`, options));
  }

  /** Fee estimates (`/fee-estimates`): sat per 1000 weight by confirmation target in blocks. */
  async getFeeEstimates(options: CallOptions = {}): Promise<Map<number, number>> {
    const o = asObject(await this.#json('/fee-estimates', options), 'fee-estimates');
    const out = new Map<number, number>();
    for (const [key, value] of Object.entries(o)) {
      if (!/^\d{1,4}$/.test(key)) continue;
      const satPerVb = asNumber(value, `fee-estimates.${key}`);
      if (satPerVb < 0) throw new ChainSourceError('bad_json', `fee-estimates.${key} is negative`);
      out.set(Number(key), Math.ceil(satPerVb * 250));
    }
    return out;
  }

  /** FeeRateSource: for each target, the estimate of the largest target Esplora lists that is not above it. */
  async estimateFeeRates(confTargets: readonly number[], options: CallOptions = {}): Promise<ReadonlyMap<number, number>> {
    const table = await this.getFeeEstimates(options);
    const keys = [...table.keys()].sort((a, b) => a - b);
    const out = new Map<number, number>();
    for (const target of confTargets) {
      let best: number | undefined;
      for (const k of keys) if (k <= target) best = k;
      if (best !== undefined) out.set(target, table.get(best)!);
    }
    return out;
  }

  // ---- broadcasting ----

  /** `POST /tx`; resolves with the txid the server names (checked to be the transaction's). */
  async broadcastTransaction(raw: Uint8Array, options: CallOptions = {}): Promise<Txid> {
    let expected: Txid;
    try {
      expected = txidOfRaw(raw);
    } catch (cause) {
      throw new ChainSourceError('rejected', 'not a transaction', { cause });
    }
    const res = await this.#send('POST', '/tx', options, toHex(raw));
    const id = textHash(bodyText(res.body, 'POST /tx'), 'POST /tx');
    if (!equalBytes(id, expected)) throw new ChainSourceError('invalid_data', `the server answered POST /tx with txid ${toHex(id)}, not ${txidToHex(expected)}`);
    return expected;
  }

  /** `POST /txs/package` (mempool.space's Esplora; bitcoind's `submitpackage` answer). */
  async broadcastPackage(raws: readonly Uint8Array[], options: CallOptions = {}): Promise<PackageResult> {
    const res = await this.#send('POST', '/txs/package', options, JSON.stringify(raws.map(toHex)), 'application/json');
    return parsePackageResult(bodyJson(res.body, 'POST /txs/package'), 'txs/package');
  }
}

// Esplora's block JSON carries every header field: rebuild the header and
// check it hashes to the block's id.
function headerFromEsploraJson(value: unknown, what: string): BlockHeaderData {
  const o = asObject(value, what);
  const id = asBlockHash(o['id'], `${what}.id`);
  const height = asHeight(o['height'], `${what}.height`);
  const prev = o['previousblockhash'];
  const header: BlockHeader = {
    version: asInteger(o['version'], `${what}.version`, -0x80000000, 0xffffffff) | 0,
    prevBlockHash: prev === null || prev === undefined ? blockHash(new Uint8Array(32)) : asBlockHash(prev, `${what}.previousblockhash`),
    merkleRoot: asBlockHash(o['merkle_root'], `${what}.merkle_root`),
    time: asInteger(o['timestamp'], `${what}.timestamp`, 0, 0xffffffff),
    bits: asInteger(o['bits'], `${what}.bits`, 0, 0xffffffff),
    nonce: asInteger(o['nonce'], `${what}.nonce`, 0, 0xffffffff),
  };
  if (!equalBytes(blockHeaderHash(header), id)) throw new ChainSourceError('invalid_data', `${what}: the fields of block ${blockHashToHex(id)} do not hash to its id`);
  return { header, hash: id, height };
}

function parseStatus(value: unknown, what: string): TxStatus {
  const o = asObject(value, what);
  if (!asBoolean(o['confirmed'], `${what}.confirmed`)) return { confirmed: false };
  return { confirmed: true, blockHash: asBlockHash(o['block_hash'], `${what}.block_hash`), height: asHeight(o['block_height'], `${what}.block_height`) };
}

function parseSpend(value: unknown, what: string): OutputSpend {
  const o = asObject(value, what);
  if (!asBoolean(o['spent'], `${what}.spent`)) return { spent: false };
  return { spent: true, txid: asTxid(o['txid'], `${what}.txid`), vin: asInteger(o['vin'], `${what}.vin`), status: parseStatus(o['status'], `${what}.status`) };
}

function parseUtxos(value: unknown): EsploraUtxo[] {
  return asArray(value, 'utxo').map((u, i) => {
    const o = asObject(u, `utxo[${i}]`);
    return {
      txid: asTxid(o['txid'], `utxo[${i}].txid`),
      vout: asInteger(o['vout'], `utxo[${i}].vout`, 0, 0xffffffff),
      valueSat: BigInt(asInteger(o['value'], `utxo[${i}].value`, 0, 21e14)),
      status: parseStatus(o['status'], `utxo[${i}].status`),
    };
  });
}
