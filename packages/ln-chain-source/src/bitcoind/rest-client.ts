import type { BlockHeaderData, BlockSource, ChainTip } from 'ln-chain-api';
import { type Block, BLOCK_HEADER_LENGTH, blockHeaderHash } from 'ln-tx';
import { type BlockHash, type Txid, blockHashToHex, equalBytes, txidToHex } from 'ln-types';
import { ChainSourceError } from '../errors.js';
import { bodyJson, bodySnippet } from '../http/body.js';
import { asArray, asBlockHash, asHeight, asObject, asString } from '../http/json-shape.js';
import { describe, HttpTransport, type HttpResponse, type HttpTransportOptions } from '../http/transport.js';
import type { CallOptions, HeaderRangeSource } from '../source-types.js';
import { checkedBlock, checkedHeader, checkedTransaction } from '../verify/checked.js';
import { headerFromJson } from './header-json.js';

/** bitcoind serves at most 2,000 headers per REST request. */
const MAX_REST_HEADERS = 2000;

/** Options of {@link BitcoindRestClient}. */
export interface BitcoindRestOptions extends HttpTransportOptions {
  /** The server's base URL, e.g. `http://127.0.0.1:8332` (bitcoind started with `-rest`); `/rest/...` is appended. */
  readonly url: string;
}

/**
 * A {@link BlockSource} over bitcoind's REST interface (`-rest`, no
 * authentication): blocks in binary, checked against the hash asked for, their
 * merkle root and witness commitment; headers rebuilt from their JSON and
 * checked to hash to the hash asked for. Also the height index and the UTXO
 * check the gossip UtxoLookup needs. Every failure is a ChainSourceError.
 */
export class BitcoindRestClient implements BlockSource, HeaderRangeSource {
  readonly #base: string;
  readonly #http: HttpTransport;

  constructor(options: BitcoindRestOptions) {
    this.#base = `${options.url.replace(/\/+$/, '')}/rest`;
    this.#http = new HttpTransport(options);
  }

  async #get(path: string, options: CallOptions): Promise<HttpResponse> {
    const url = this.#base + path;
    const res = await this.#http.request({
      url,
      method: 'GET',
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    });
    if (res.status === 200) return res;
    const where = describe({ method: 'GET', url });
    if (res.status === 404) throw new ChainSourceError('not_found', `${where}: ${bodySnippet(res.body) || 'not found'}`, { status: 404 });
    if (res.status === 401 || res.status === 403) throw new ChainSourceError('auth', `${where}: refused (${res.status})`, { status: res.status });
    throw new ChainSourceError('http_status', `${where}: HTTP ${res.status} ${bodySnippet(res.body)}`, { status: res.status });
  }

  async #json(path: string, options: CallOptions): Promise<unknown> {
    return bodyJson((await this.#get(path, options)).body, `REST ${path}`);
  }

  /** The tip, from `/rest/chaininfo.json`. */
  async getBestBlock(options: CallOptions = {}): Promise<ChainTip> {
    const info = asObject(await this.#json('/chaininfo.json', options), 'chaininfo');
    return { hash: asBlockHash(info['bestblockhash'], 'chaininfo.bestblockhash'), height: asHeight(info['blocks'], 'chaininfo.blocks') };
  }

  /**
   * A header by hash, from `/rest/headers/<hash>.json?count=1` (best chain) or,
   * for a block off the best chain, `/rest/block/notxdetails/<hash>.json`;
   * rebuilt and checked to hash to `hash`.
   */
  async getHeader(hash: BlockHash, _heightHint?: number, options: CallOptions = {}): Promise<BlockHeaderData> {
    const hex = blockHashToHex(hash);
    const list = asArray(await this.#json(`/headers/${hex}.json?count=1`, options), 'headers');
    const description = list.length > 0 ? list[0] : await this.#json(`/block/notxdetails/${hex}.json`, options);
    const { header, height } = headerFromJson(description, `header ${hex}`);
    const actual = blockHeaderHash(header);
    if (!equalBytes(actual, hash)) throw new ChainSourceError('invalid_data', `the header served for ${hex} hashes to ${blockHashToHex(actual)}`);
    return { header, hash, height };
  }

  /**
   * Headers after `hash` on the best chain in one request
   * (`/rest/headers/<hash>.bin?count=`, which starts with `hash`'s own and
   * serves only the best chain: empty when `hash` left it).
   */
  async getHeadersAfter(hash: BlockHash, height: number, count: number, options: CallOptions = {}): Promise<BlockHeaderData[]> {
    const n = Math.max(0, Math.min(count, MAX_REST_HEADERS - 1));
    const body = (await this.#get(`/headers/${blockHashToHex(hash)}.bin?count=${n + 1}`, options)).body;
    if (body.length % BLOCK_HEADER_LENGTH !== 0 || body.length > (n + 1) * BLOCK_HEADER_LENGTH) throw new ChainSourceError('invalid_data', `headers: ${body.length} bytes is not a list of at most ${n + 1} headers`);
    if (body.length === 0) return [];
    if (!equalBytes(blockHeaderHash(body.subarray(0, BLOCK_HEADER_LENGTH)), hash)) throw new ChainSourceError('invalid_data', `headers after ${blockHashToHex(hash)} do not start with it`);
    const out: BlockHeaderData[] = [];
    for (let at = BLOCK_HEADER_LENGTH, i = 1; at < body.length; at += BLOCK_HEADER_LENGTH, i++) {
      const bytes = body.subarray(at, at + BLOCK_HEADER_LENGTH);
      out.push(checkedHeader(bytes, blockHeaderHash(bytes), height + i));
    }
    return out;
  }

  /** A block by hash from `/rest/block/<hash>.bin`, checked. */
  async getBlock(hash: BlockHash, options: CallOptions = {}): Promise<Block> {
    const res = await this.#get(`/block/${blockHashToHex(hash)}.bin`, options);
    return checkedBlock(res.body, hash);
  }

  /** The best chain's block hash at `height` (`/rest/blockhashbyheight`; `not_found` above the tip). */
  async getBlockHash(height: number, options: CallOptions = {}): Promise<BlockHash> {
    const o = asObject(await this.#json(`/blockhashbyheight/${height}.json`, options), 'blockhashbyheight');
    return asBlockHash(o['blockhash'], 'blockhashbyheight.blockhash');
  }

  /** A transaction by txid (`/rest/tx/<txid>.bin`; needs `-txindex` for confirmed ones), checked. */
  async getRawTransaction(txid: Txid, options: CallOptions = {}): Promise<Uint8Array> {
    const res = await this.#get(`/tx/${txidToHex(txid)}.bin`, options);
    return checkedTransaction(res.body, txid).raw;
  }

  /** Whether an output is in the UTXO set (`/rest/getutxos`), confirmed only or with the mempool's view. */
  async isOutputUnspent(txid: Txid, vout: number, includeMempool = false, options: CallOptions = {}): Promise<boolean> {
    const path = `/getutxos${includeMempool ? '/checkmempool' : ''}/${txidToHex(txid)}-${vout}.json`;
    const o = asObject(await this.#json(path, options), 'getutxos');
    const bitmap = asString(o['bitmap'], 'getutxos.bitmap');
    if (bitmap !== '0' && bitmap !== '1') throw new ChainSourceError('bad_json', `getutxos.bitmap: expected "0" or "1", got ${JSON.stringify(bitmap.slice(0, 8))}`);
    return bitmap === '1';
  }
}
