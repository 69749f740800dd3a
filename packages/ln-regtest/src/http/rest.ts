import { concatBytes, fromHex, reverseBytes, toHex, txid as brandTxid } from 'ln-types';
import type { BlockEntry } from '../chain/block-entry.js';
import { type Coin, coinKey } from '../chain/coin.js';
import { blockHeaderJson, blockJson, txJson } from '../json/bitcoind.js';
import { btc } from '../json/money.js';
import { scriptPubKeyJson } from '../json/script-json.js';
import { type JsonValue, toJsonText } from '../json/serialize.js';
import type { Regtest } from '../node/regtest.js';
import { encodeBlockHeader } from 'ln-tx';
import { type HttpReply, binary, json, text } from './reply.js';
import { blockchainInfo, mempoolInfo, rawMempool } from './rpc/blockchain.js';

// bitcoind's REST interface (src/rest.cpp): /rest/<resource>.<bin|hex|json>,
// errors as plain text with a trailing CRLF.

type Format = 'bin' | 'hex' | 'json';

const err = (status: number, message: string): HttpReply => text(status, `${message}\r\n`);

function parseFormat(part: string): { param: string; format: Format | undefined } {
  const dot = part.lastIndexOf('.');
  if (dot < 0) return { param: part, format: undefined };
  const ext = part.slice(dot + 1);
  return { param: part.slice(0, dot), format: ext === 'bin' || ext === 'hex' || ext === 'json' ? ext : undefined };
}

const formatError = (available = '.bin, .hex, .json'): HttpReply => err(404, `output format not found (available: ${available})`);

function isHash(s: string): boolean {
  return /^[0-9a-fA-F]{64}$/.test(s);
}

function answer(format: Format, bytes: () => Uint8Array, jsonValue: () => JsonValue): HttpReply {
  if (format === 'bin') return binary(bytes());
  if (format === 'hex') return text(200, `${toHex(bytes())}\n`);
  return json(200, `${toJsonText(jsonValue())}\n`);
}

function headersFrom(node: Regtest, start: BlockEntry | undefined, count: number): BlockEntry[] {
  const out: BlockEntry[] = [];
  let e = start;
  while (e !== undefined && node.chain.isActive(e) && out.length < count) {
    out.push(e);
    e = node.chain.atHeight(e.height + 1);
  }
  return out;
}

function u32(n: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n >>> 0, true);
  return b;
}

function compactSize(n: number): Uint8Array {
  if (n < 0xfd) return Uint8Array.of(n);
  return Uint8Array.of(0xfd, n & 0xff, n >>> 8);
}

function txOut(coin: Coin): Uint8Array {
  const value = new Uint8Array(8);
  new DataView(value.buffer).setBigUint64(0, coin.amount, true);
  return concatBytes(value, compactSize(coin.script.length), coin.script);
}

const MEMPOOL_HEIGHT = 0x7fffffff;

function getUtxos(node: Regtest, parts: string[], format: Format): HttpReply {
  let checkMempool = false;
  if (parts[0] === 'checkmempool') {
    checkMempool = true;
    parts = parts.slice(1);
  }
  parts = parts.filter((p) => p !== '');
  if (parts.length === 0) return err(400, 'Error: empty request');
  if (parts.length > 15) return err(400, `Error: max outpoints exceeded (max: 15, tried: ${parts.length})`);
  const outpoints: { txidHex: string; n: number }[] = [];
  for (const p of parts) {
    const m = /^([0-9a-fA-F]{64})-(\d+)$/.exec(p);
    if (m === null || Number(m[2]) > 0xffffffff) return err(400, 'Parse error');
    outpoints.push({ txidHex: m[1]!.toLowerCase(), n: Number(m[2]) });
  }
  const bitmap: boolean[] = [];
  const coins: Coin[] = [];
  for (const o of outpoints) {
    const key = coinKey(brandTxid(reverseBytes(fromHex(o.txidHex))), o.n);
    let coin: Coin | undefined;
    if (checkMempool && node.mempool.spender(key) !== undefined) coin = undefined;
    else {
      coin = node.chain.utxos.get(key);
      if (coin === undefined && checkMempool) {
        const out = node.mempool.get(o.txidHex)?.info.tx.outputs[o.n];
        if (out !== undefined) coin = { amount: out.amount, script: out.script, height: MEMPOOL_HEIGHT, coinbase: false };
      }
    }
    bitmap.push(coin !== undefined);
    if (coin !== undefined) coins.push(coin);
  }
  const bitmapBytes = new Uint8Array(Math.ceil(bitmap.length / 8));
  bitmap.forEach((b, i) => {
    if (b) bitmapBytes[i >> 3]! |= 1 << (i & 7);
  });
  return answer(
    format,
    () => concatBytes(u32(node.height), node.tip.hash, compactSize(bitmapBytes.length), bitmapBytes, compactSize(coins.length), ...coins.map((c) => concatBytes(u32(0), u32(c.height), txOut(c)))),
    () => ({
      chainHeight: node.height,
      chaintipHash: node.tip.hashHex,
      bitmap: bitmap.map((b) => (b ? '1' : '0')).join(''),
      utxos: coins.map((c) => ({ height: c.height, value: btc(c.amount), scriptPubKey: scriptPubKeyJson(c.script) })),
    }),
  );
}

/** Answers a GET under /rest/ (`path` without the /rest/ prefix, `query` its search params). */
export function handleRest(node: Regtest, path: string, query: URLSearchParams): HttpReply {
  const segments = path.split('/');
  const last = parseFormat(segments[segments.length - 1] ?? '');
  const named = [...segments.slice(0, -1), last.param];
  const resource = named[0];
  const rest = named.slice(1);
  switch (resource) {
    case 'chaininfo': {
      if (segments.length !== 1 || last.format !== 'json') return formatError('.json');
      return json(200, `${toJsonText(blockchainInfo(node))}\n`);
    }
    case 'mempool': {
      if (last.format !== 'json') return formatError('.json');
      if (rest[0] === 'info') return json(200, `${toJsonText(mempoolInfo(node))}\n`);
      if (rest[0] === 'contents') return json(200, `${toJsonText(rawMempool(node, query.get('verbose') !== 'false'))}\n`);
      return err(400, 'Invalid URI format. Expected /rest/mempool/<info|contents>.json');
    }
    case 'block': {
      const details = !(rest.length === 2 && rest[0] === 'notxdetails');
      const hash = details ? rest[0] : rest[1];
      if (last.format === undefined) return formatError();
      if (hash === undefined || (details && rest.length !== 1) || !isHash(hash)) return err(400, `Invalid hash: ${hash ?? ''}`);
      const entry = node.blockByHash(hash);
      if (entry === undefined) return err(404, `${hash} not found`);
      return answer(last.format, () => entry.raw, () => blockJson(node, entry, details ? 3 : 1));
    }
    case 'headers': {
      if (last.format === undefined) return formatError();
      let countText: string | null;
      let hash: string | undefined;
      if (rest.length === 2) {
        countText = rest[0]!;
        hash = rest[1];
      } else if (rest.length === 1) {
        countText = query.get('count') ?? '5';
        hash = rest[0];
      } else return err(400, 'Invalid URI format. Expected /rest/headers/<hash>.<ext>?count=<count>');
      const count = /^\d+$/.test(countText) ? Number(countText) : NaN;
      if (!Number.isInteger(count) || count < 1 || count > 2000) return err(400, `Header count is invalid or out of acceptable range (1-2000): ${countText}`);
      if (hash === undefined || !isHash(hash)) return err(400, `Invalid hash: ${hash ?? ''}`);
      const headers = headersFrom(node, node.blockByHash(hash), count);
      return answer(last.format, () => concatBytes(...headers.map((e) => encodeBlockHeader(e.block.header))), () => headers.map((e) => blockHeaderJson(node, e)));
    }
    case 'blockhashbyheight': {
      if (last.format === undefined) return formatError();
      const h = rest[0] ?? '';
      if (!/^\d+$/.test(h) || Number(h) > 0x7fffffff) return err(400, `Invalid height: ${h}`);
      const entry = node.chain.atHeight(Number(h));
      if (entry === undefined) return err(404, 'Block height out of range');
      if (last.format === 'hex') return text(200, `${entry.hashHex}\n`);
      return answer(last.format, () => entry.hash, () => ({ blockhash: entry.hashHex }));
    }
    case 'tx': {
      if (last.format === undefined) return formatError();
      const id = rest[0] ?? '';
      if (!isHash(id)) return err(400, `Invalid hash: ${id}`);
      const found = node.findTx(id);
      if (found === undefined) return err(404, `${id} not found`);
      return answer(
        last.format,
        () => found.info.raw,
        () => {
          const base = txJson(found.info, {});
          return { ...base, blockhash: found.location?.entry.hashHex, hex: toHex(found.info.raw) };
        },
      );
    }
    case 'getutxos': {
      if (last.format === undefined) return formatError();
      return getUtxos(node, rest, last.format);
    }
    default:
      return text(404, '');
  }
}
