import { sha256 } from 'ln-crypto';
import { fromHex, toHex } from 'ln-types';
import { merkleBranch } from 'ln-tx';
import type { BlockEntry } from '../chain/block-entry.js';
import { coinKey } from '../chain/coin.js';
import { esploraBlock, esploraRecent, esploraStatus, esploraTx } from '../json/esplora.js';
import { merkleBlock } from '../json/merkle-block.js';
import { type JsonValue, toJsonText } from '../json/serialize.js';
import { txidHexOf } from '../mempool/mempool.js';
import { feeRateOf } from '../mempool/policy.js';
import { ESPLORA_TARGETS } from '../node/fee-estimates.js';
import type { FoundTx, Regtest } from '../node/regtest.js';
import { RegtestError } from '../errors.js';
import { addressToScript } from '../script/address.js';
import { type HttpReply, binary, json, text } from './reply.js';
import { packageResultJson } from './rpc/rawtransactions.js';

// Esplora's HTTP API (Blockstream's electrs, src/rest.rs): paths, JSON shapes,
// plain-text answers and errors (400 for bad input, 404 for unknown objects).

const CHAIN_TXS_PER_PAGE = 25;
const MAX_MEMPOOL_TXS = 50;
const BLOCK_LIMIT = 10;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const ok = (value: JsonValue): HttpReply => json(200, toJsonText(value));

function parseHash(s: string | undefined): string {
  if (s === undefined || !/^[0-9a-fA-F]{64}$/.test(s)) throw new HttpError(400, 'Invalid hex string');
  return s.toLowerCase();
}

function parseNumber(s: string | undefined): number {
  if (s === undefined || !/^\d+$/.test(s) || Number(s) > 0xffffffff) throw new HttpError(400, 'Invalid number');
  return Number(s);
}

function blockOrThrow(node: Regtest, hash: string | undefined): BlockEntry {
  const entry = node.blockByHash(parseHash(hash));
  if (entry === undefined) throw new HttpError(404, 'Block not found');
  return entry;
}

function txOrThrow(node: Regtest, txid: string | undefined): FoundTx {
  const found = node.findTx(parseHash(txid));
  if (found === undefined) throw new HttpError(404, 'Transaction not found');
  return found;
}

function activeBlockOf(node: Regtest, found: FoundTx | undefined): BlockEntry | undefined {
  const entry = found?.location?.entry;
  return entry !== undefined && node.chain.isActive(entry) ? entry : undefined;
}

function outspendJson(node: Regtest, txidHex: string, vout: number): JsonValue {
  const spend = node.outspend(txidHex, vout);
  if (spend === undefined) return { spent: false };
  return { spent: true, txid: spend.txidHex, vin: spend.vin, status: esploraStatus(spend.entry) };
}

/** The script an /address/:addr or /scripthash/:hash path names (hex), and whether the chain knows it. */
function scriptOf(node: Regtest, kind: string, value: string | undefined): string {
  if (kind === 'address') {
    const script = value === undefined ? undefined : addressToScript(value);
    if (script === undefined) throw new HttpError(400, 'Invalid Bitcoin address');
    return toHex(script);
  }
  if (value === undefined || !/^[0-9a-fA-F]{64}$/.test(value)) throw new HttpError(400, 'Invalid scripthash');
  const hash = value.toLowerCase();
  const known = node.chain.indexes.scriptOfHash(hash);
  if (known !== undefined) return known;
  for (const e of node.mempool.entries()) for (const o of e.info.tx.outputs) if (toHex(sha256(o.script)) === hash) return toHex(o.script);
  return `unknown:${hash}`;
}

function mempoolTouching(node: Regtest, scriptHex: string): FoundTx[] {
  const out: FoundTx[] = [];
  for (const entry of node.mempool.entries()) {
    const pays = entry.info.tx.outputs.some((o) => toHex(o.script) === scriptHex);
    const spends = !pays && node.prevouts(entry.info).some((c) => c !== undefined && toHex(c.script) === scriptHex);
    if (pays || spends) out.push({ info: entry.info, mempool: entry });
  }
  return out.reverse();
}

function chainHistory(node: Regtest, scriptHex: string): FoundTx[] {
  const list = node.chain.indexes.history(scriptHex);
  const out: FoundTx[] = [];
  for (let i = list.length - 1; i >= 0; i--) {
    const found = node.findTx(list[i]!.txidHex);
    if (found !== undefined) out.push(found);
  }
  return out;
}

function stats(node: Regtest, txs: readonly FoundTx[], scriptHex: string): JsonValue {
  let fundedCount = 0;
  let fundedSum = 0n;
  let spentCount = 0;
  let spentSum = 0n;
  for (const t of txs) {
    for (const o of t.info.tx.outputs) {
      if (toHex(o.script) !== scriptHex) continue;
      fundedCount++;
      fundedSum += o.amount;
    }
    for (const c of node.prevouts(t.info)) {
      if (c === undefined || toHex(c.script) !== scriptHex) continue;
      spentCount++;
      spentSum += c.amount;
    }
  }
  return { funded_txo_count: fundedCount, funded_txo_sum: fundedSum, spent_txo_count: spentCount, spent_txo_sum: spentSum, tx_count: txs.length };
}

function utxos(node: Regtest, scriptHex: string): JsonValue {
  const out: JsonValue[] = [];
  for (const key of node.chain.indexes.utxoKeys(scriptHex)) {
    if (node.mempool.spender(key) !== undefined) continue;
    const coin = node.chain.utxos.get(key);
    if (coin === undefined) continue;
    const [internal, vout] = key.split(':') as [string, string];
    const txidHex = txidHexOf(fromHex(internal));
    const found = node.findTx(txidHex);
    out.push({ txid: txidHex, vout: Number(vout), status: esploraStatus(found?.location?.entry ?? node.chain.atHeight(coin.height)), value: coin.amount });
  }
  for (const entry of node.mempool.entries()) {
    entry.info.tx.outputs.forEach((o, vout) => {
      if (toHex(o.script) !== scriptHex || node.mempool.spender(coinKey(entry.info.txid, vout)) !== undefined) return;
      out.push({ txid: entry.info.txidHex, vout, status: { confirmed: false }, value: o.amount });
    });
  }
  return out;
}

function mempoolSummary(node: Regtest): JsonValue {
  const entries = node.mempool.entries();
  const byRate = new Map<number, number>();
  for (const e of entries) {
    const rate = Number(feeRateOf(e.fee, e.info.vsize)) / 1000;
    byRate.set(rate, (byRate.get(rate) ?? 0) + e.info.vsize);
  }
  return {
    count: entries.length,
    vsize: entries.reduce((s, e) => s + e.info.vsize, 0),
    total_fee: entries.reduce((s, e) => s + e.fee, 0n),
    fee_histogram: [...byRate].sort((a, b) => b[0] - a[0]).map(([rate, vsize]) => [rate, vsize]),
  };
}

function feeEstimates(node: Regtest): JsonValue {
  const out: Record<string, number> = {};
  for (const t of ESPLORA_TARGETS) {
    const e = node.estimateSmartFee(t);
    if (e !== undefined) out[String(t)] = Number(e.feeRate) / 1000;
  }
  return out;
}

function rpcErrorText(method: string, e: unknown): HttpError {
  if (e instanceof RegtestError) return new HttpError(400, `${method} RPC error: ${JSON.stringify({ code: e.rpcCode, message: e.message })}`);
  throw e;
}

function broadcast(node: Regtest, body: string): HttpReply {
  const hex = body.trim();
  try {
    if (!/^([0-9a-fA-F]{2})+$/.test(hex)) throw new RegtestError('decode_failed', 'TX decode failed. Make sure the tx has at least one input.');
    return text(200, node.sendRawTransaction(fromHex(hex.toLowerCase())));
  } catch (e) {
    throw rpcErrorText('sendrawtransaction', e);
  }
}

function submitPackage(node: Regtest, body: string, query: URLSearchParams): HttpReply {
  let hexes: unknown;
  try {
    hexes = JSON.parse(body);
  } catch (e) {
    throw new HttpError(400, (e as Error).message);
  }
  if (!Array.isArray(hexes) || !hexes.every((h) => typeof h === 'string')) throw new HttpError(400, 'invalid type: expected a sequence of strings');
  if (hexes.length > 25) throw new HttpError(400, 'Exceeded maximum of 25 transactions');
  const rate = query.get('maxfeerate');
  const burn = query.get('maxburnamount');
  try {
    const raws = (hexes as string[]).map((h) => {
      if (!/^([0-9a-fA-F]{2})+$/.test(h)) throw new RegtestError('decode_failed', `TX decode failed: ${h} Make sure the tx has at least one input.`);
      return fromHex(h.toLowerCase());
    });
    const result = node.submitPackage(raws, {
      ...(rate === null ? {} : { maxFeeRate: BigInt(Math.round(Number(rate) * 1e8)) }),
      ...(burn === null ? {} : { maxBurnAmount: BigInt(Math.round(Number(burn) * 1e8)) }),
    });
    return ok(packageResultJson(result));
  } catch (e) {
    throw rpcErrorText('submitpackage', e);
  }
}

function route(node: Regtest, method: string, p: string[], query: URLSearchParams, body: string, path: string): HttpReply {
  const [a, b, c, d, e] = p;
  if (method === 'POST') {
    if (a === 'tx' && p.length === 1) return broadcast(node, body);
    if (a === 'txs' && b === 'package' && p.length === 2) return submitPackage(node, body, query);
  } else if (method === 'GET') {
    if (a === 'blocks' && b === 'tip' && c === 'height' && p.length === 3) return text(200, String(node.height));
    if (a === 'blocks' && b === 'tip' && c === 'hash' && p.length === 3) return text(200, node.tip.hashHex);
    if (a === 'blocks' && p.length <= 2) {
      const start = b === undefined || b === '' ? node.height : Math.min(parseNumber(b), node.height);
      const out: JsonValue[] = [];
      for (let h = start; h >= 0 && out.length < BLOCK_LIMIT; h--) out.push(esploraBlock(node.chain.atHeight(h)!));
      return ok(out);
    }
    if (a === 'block-height' && p.length === 2) {
      const entry = node.chain.atHeight(parseNumber(b));
      if (entry === undefined) throw new HttpError(404, 'Block not found');
      return text(200, entry.hashHex);
    }
    if (a === 'block') {
      if (p.length === 2) return ok(esploraBlock(blockOrThrow(node, b)));
      if (c === 'status' && p.length === 3) {
        const entry = node.blockByHash(parseHash(b));
        if (entry === undefined || !node.chain.isActive(entry)) return ok({ in_best_chain: false, height: null, next_best: null });
        return ok({ in_best_chain: true, height: entry.height, next_best: node.chain.atHeight(entry.height + 1)?.hashHex ?? null });
      }
      if (c === 'txids' && p.length === 3) return ok(blockOrThrow(node, b).txs.map((t) => t.txidHex));
      if (c === 'header' && p.length === 3) return text(200, toHex(blockOrThrow(node, b).raw.subarray(0, 80)));
      if (c === 'raw' && p.length === 3) return binary(blockOrThrow(node, b).raw);
      if (c === 'txid' && p.length === 4) {
        const entry = blockOrThrow(node, b);
        const index = parseNumber(d);
        if (index >= entry.txs.length) throw new HttpError(404, 'tx index out of range');
        return text(200, entry.txs[index]!.txidHex);
      }
      if (c === 'txs' && p.length <= 4) {
        const entry = blockOrThrow(node, b);
        const start = d === undefined ? 0 : parseNumber(d);
        if (start >= entry.txs.length) throw new HttpError(404, 'start index out of range');
        if (start % CHAIN_TXS_PER_PAGE !== 0) throw new HttpError(400, `start index must be a multipication of ${CHAIN_TXS_PER_PAGE}`);
        const active = node.chain.isActive(entry);
        return ok(
          entry.txs.slice(start, start + CHAIN_TXS_PER_PAGE).map((info, i) => esploraTx(node, active ? { info, location: { entry, position: start + i } } : { info })),
        );
      }
    }
    if (a === 'tx' && b !== undefined) {
      if (p.length === 2) return ok(esploraTx(node, txOrThrow(node, b)));
      if ((c === 'hex' || c === 'raw') && p.length === 3) {
        const found = txOrThrow(node, b);
        return c === 'hex' ? text(200, toHex(found.info.raw)) : binary(found.info.raw);
      }
      if (c === 'status' && p.length === 3) return ok(esploraStatus(activeBlockOf(node, node.findTx(parseHash(b)))));
      if (c === 'merkle-proof' && p.length === 3) {
        const found = node.findTx(parseHash(b));
        const entry = activeBlockOf(node, found);
        if (found === undefined || entry === undefined) throw new HttpError(404, 'Transaction not found or is unconfirmed');
        const position = found.location!.position;
        const branch = merkleBranch(entry.txs.map((t) => t.txid), position);
        return ok({ block_height: entry.height, merkle: branch.map((h) => txidHexOf(h)), pos: position });
      }
      if (c === 'merkleblock-proof' && p.length === 3) {
        const found = node.findTx(parseHash(b));
        const entry = activeBlockOf(node, found);
        if (found === undefined || entry === undefined) throw new HttpError(404, 'Transaction not found or is unconfirmed');
        return text(200, toHex(merkleBlock(entry, new Set([found.location!.position]))));
      }
      if (c === 'outspend' && p.length === 4) return ok(outspendJson(node, parseHash(b), parseNumber(d)));
      if (c === 'outspends' && p.length === 3) {
        const found = txOrThrow(node, b);
        return ok(found.info.tx.outputs.map((_o, vout) => outspendJson(node, found.info.txidHex, vout)));
      }
    }
    if ((a === 'address' || a === 'scripthash') && b !== undefined) {
      const script = scriptOf(node, a, b);
      if (p.length === 2) {
        const chainTxs = chainHistory(node, script);
        const pooled = mempoolTouching(node, script);
        return ok({ [a]: b, chain_stats: stats(node, chainTxs, script), mempool_stats: stats(node, pooled, script) });
      }
      if (c === 'utxo' && p.length === 3) return ok(utxos(node, script));
      if (c === 'txs' && p.length === 3) {
        const list = [...mempoolTouching(node, script).slice(0, MAX_MEMPOOL_TXS), ...chainHistory(node, script).slice(0, CHAIN_TXS_PER_PAGE)];
        return ok(list.map((f) => esploraTx(node, f)));
      }
      if (c === 'txs' && d === 'mempool' && p.length === 4) return ok(mempoolTouching(node, script).slice(0, MAX_MEMPOOL_TXS).map((f) => esploraTx(node, f)));
      if (c === 'txs' && d === 'chain' && p.length <= 5) {
        let history = chainHistory(node, script);
        if (e !== undefined && /^[0-9a-fA-F]{64}$/.test(e)) {
          const at = history.findIndex((f) => f.info.txidHex === e.toLowerCase());
          history = at < 0 ? [] : history.slice(at + 1);
        }
        return ok(history.slice(0, CHAIN_TXS_PER_PAGE).map((f) => esploraTx(node, f)));
      }
    }
    if (a === 'mempool' && p.length === 1) return ok(mempoolSummary(node));
    if (a === 'mempool' && b === 'txids' && p.length === 2) return ok(node.mempool.entries().map((en) => en.info.txidHex));
    if (a === 'mempool' && b === 'recent' && p.length === 2) {
      return ok(
        node.mempool
          .entries()
          .slice(-10)
          .reverse()
          .map((en) => esploraRecent(en.info, en.fee)),
      );
    }
    if (a === 'fee-estimates' && p.length === 1) return ok(feeEstimates(node));
  }
  throw new HttpError(404, `endpoint does not exist ${JSON.stringify(path)}`);
}

/** Answers a request under the Esplora prefix (`path` relative to it, starting with '/'). */
export function handleEsplora(node: Regtest, method: string, path: string, query: URLSearchParams, body: string): HttpReply {
  const parts = path.split('/').slice(1);
  try {
    return route(node, method, parts, query, body, path);
  } catch (e) {
    if (e instanceof HttpError) return text(e.status, e.message);
    throw e;
  }
}
