// A small HTTP server speaking bitcoind's JSON-RPC (legacy 1.0 error style:
// HTTP 500 with a JSON error), bitcoind's REST and Esplora's API over a
// TestChain, in the formats the real servers use. Tests make it misbehave
// through `intercept`, which sees every request first.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sha256 } from 'ln-crypto';
import { decodeTx, encodeBlockHeader, merkleBranch, txidOfRaw, type Tx } from 'ln-tx';
import { type Txid, blockHashToHex, fromHex, toHex, txidToHex, reverseBytes, blockHashFromHex, txidFromHex, outPointKey } from 'ln-types';
import type { ChainBlock, TestChain } from './chain.js';

export interface FakeRequest {
  readonly method: string;
  /** Path with query, e.g. `/rest/chaininfo.json` or `/esplora/blocks/tip/hash`; `/` for JSON-RPC. */
  readonly path: string;
  readonly body: string;
  /** For JSON-RPC calls: the method names in the request. */
  readonly rpcMethods: readonly string[];
}

/** A canned answer: status, body and optional headers; `hang` never answers; `destroy` drops the connection. */
export type FakeReply =
  | { readonly status: number; readonly body: string | Uint8Array; readonly headers?: Record<string, string> }
  | { readonly hang: true }
  | { readonly destroy: true }
  | { readonly stream: (res: ServerResponse) => void };

export interface FakeServerOptions {
  readonly auth?: { user: string; password: string };
}

export class FakeServer {
  readonly chain: TestChain;
  readonly #server: Server;
  readonly #auth: string | undefined;
  intercept: ((req: FakeRequest) => FakeReply | undefined) | undefined;
  readonly log: FakeRequest[] = [];
  /** Fee estimates in sat/vB by target (Esplora's unit); RPC answers the same in BTC/kvB. */
  fees = new Map<number, number>([
    [1, 20],
    [2, 15],
    [6, 10],
    [12, 5],
    [144, 2],
    [1008, 1],
  ]);
  /** Raw transactions accepted by sendrawtransaction / POST /tx. */
  readonly broadcasts: Uint8Array[] = [];
  /** Reject broadcasts with this bitcoind error (code, message) when set. */
  rejectBroadcast: { code: number; message: string } | undefined;
  url = '';

  private constructor(chain: TestChain, options: FakeServerOptions) {
    this.chain = chain;
    this.#auth = options.auth === undefined ? undefined : `Basic ${globalThis.btoa(`${options.auth.user}:${options.auth.password}`)}`;
    this.#server = createServer((req, res) => {
      this.#handle(req, res).catch((e: unknown) => {
        console.error('fake server failed', req.url, e);
        res.writeHead(599);
        res.end(String(e));
      });
    });
  }

  static async start(chain: TestChain, options: FakeServerOptions = {}): Promise<FakeServer> {
    const s = new FakeServer(chain, options);
    await new Promise<void>((resolve) => s.#server.listen(0, '127.0.0.1', resolve));
    s.url = `http://127.0.0.1:${(s.#server.address() as AddressInfo).port}`;
    return s;
  }

  get esploraUrl(): string {
    return `${this.url}/esplora`;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const path = req.url ?? '/';
    let rpcMethods: string[] = [];
    if (req.method === 'POST' && path === '/') {
      try {
        const parsed = JSON.parse(body) as { method: string } | { method: string }[];
        rpcMethods = Array.isArray(parsed) ? parsed.map((p) => p.method) : [parsed.method];
      } catch {
        rpcMethods = [];
      }
    }
    const request: FakeRequest = { method: req.method ?? 'GET', path, body, rpcMethods };
    if (process.env.FAKE_DEBUG) console.log("req", Date.now() % 100000, path);
    this.log.push(request);
    const canned = this.intercept?.(request);
    if (canned !== undefined) {
      if ('hang' in canned) return;
      if ('destroy' in canned) {
        req.socket.destroy();
        return;
      }
      if ('stream' in canned) {
        canned.stream(res);
        return;
      }
      res.writeHead(canned.status, canned.headers ?? {});
      res.end(canned.body);
      return;
    }
    if (path === '/' && req.method === 'POST') {
      if (this.#auth !== undefined && req.headers.authorization !== this.#auth) {
        res.writeHead(401, { 'www-authenticate': 'Basic realm="jsonrpc"' });
        res.end();
        return;
      }
      this.#rpc(body, res);
      return;
    }
    const reply = path.startsWith('/rest/') ? this.#rest(path.slice(5)) : path.startsWith('/esplora/') ? this.#esplora(req.method ?? 'GET', path.slice(8), body) : undefined;
    const r = reply ?? { status: 404, body: 'Not Found' };
    res.writeHead(r.status, typeof r.body === 'string' ? { 'content-type': 'text/plain' } : { 'content-type': 'application/octet-stream' });
    res.end(r.body);
  }

  // ---- JSON-RPC ----

  #rpc(body: string, res: ServerResponse): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ result: null, error: { code: -32700, message: 'Parse error' }, id: null }));
      return;
    }
    const one = (call: { id: unknown; method: string; params: unknown[] }) => {
      try {
        return { result: this.#method(call.method, call.params ?? []), error: null, id: call.id };
      } catch (e) {
        const err = e as { code?: number; message: string };
        return { result: null, error: { code: err.code ?? -1, message: err.message }, id: call.id };
      }
    };
    if (Array.isArray(parsed)) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(parsed.map(one)));
      return;
    }
    const answer = one(parsed as { id: unknown; method: string; params: unknown[] });
    res.writeHead(answer.error === null ? 200 : answer.error.code === -32601 ? 404 : 500, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer));
  }

  #method(method: string, params: unknown[]): unknown {
    const chain = this.chain;
    const blockOf = (hex: unknown) => {
      const b = typeof hex === 'string' && /^[0-9a-f]{64}$/.test(hex) ? chain.get(blockHashFromHex(hex)) : undefined;
      if (b === undefined) throw rpcError(-5, 'Block not found');
      return b;
    };
    switch (method) {
      case 'getblockchaininfo':
        return { chain: 'regtest', blocks: chain.tip.height, headers: chain.tip.height, bestblockhash: blockHashToHex(chain.tip.hash), initialblockdownload: false };
      case 'getblockheader': {
        const b = blockOf(params[0]);
        return params[1] === false ? toHex(encodeBlockHeader(b.block.header)) : this.#headerJson(b);
      }
      case 'getblock': {
        const b = blockOf(params[0]);
        if (params[1] === 0) return toHex(b.raw);
        return { ...this.#headerJson(b), tx: b.block.transactions.map((t) => txidToHex(t.txid)) };
      }
      case 'getblockhash': {
        const h = params[0];
        if (typeof h !== 'number' || h < 0 || h > chain.tip.height) throw rpcError(-8, 'Block height out of range');
        return blockHashToHex(chain.best[h]!.hash);
      }
      case 'getrawtransaction': {
        const id = txidFromHex(String(params[0]));
        const raw = params[2] !== undefined ? blockOf(params[2]).block.transactions.find((t) => toHex(t.txid) === toHex(id))?.raw : (chain.rawTx(id) ?? this.#mempoolRaw(id));
        if (raw === undefined) throw rpcError(-5, 'No such mempool or blockchain transaction. Use gettransaction for wallet transactions.');
        return toHex(raw);
      }
      case 'gettxout': {
        const id = txidFromHex(String(params[0]));
        const vout = Number(params[1]);
        const utxo = this.#utxos().get(`${toHex(id)}:${vout}`);
        if (utxo === undefined) return null;
        return { bestblock: blockHashToHex(chain.tip.hash), confirmations: chain.tip.height - utxo.height + 1, value: Number(utxo.amount) / 1e8, scriptPubKey: { hex: toHex(utxo.script), type: 'witness_v0_keyhash' }, coinbase: utxo.coinbase };
      }
      case 'estimatesmartfee': {
        const target = Number(params[0]);
        const keys = [...this.fees.keys()].filter((k) => k <= target).sort((a, b) => a - b);
        const k = keys[keys.length - 1];
        if (k === undefined) return { errors: ['Insufficient data or no feerate found'], blocks: 0 };
        return { feerate: (this.fees.get(k)! * 1000) / 1e8, blocks: k };
      }
      case 'sendrawtransaction': {
        if (this.rejectBroadcast !== undefined) throw rpcError(this.rejectBroadcast.code, this.rejectBroadcast.message);
        const raw = fromHex(String(params[0]));
        this.broadcasts.push(raw);
        return txidToHex(txidOfRaw(raw));
      }
      case 'submitpackage': {
        if (this.rejectBroadcast !== undefined) throw rpcError(this.rejectBroadcast.code, this.rejectBroadcast.message);
        const raws = (params[0] as string[]).map(fromHex);
        const results: Record<string, unknown> = {};
        for (const raw of raws) {
          this.broadcasts.push(raw);
          results[toHex(reverseBytes(sha256d2(raw)))] = { txid: txidToHex(txidOfRaw(raw)), vsize: raw.length, fees: { base: 0.00001 } };
        }
        return { package_msg: 'success', 'tx-results': results, 'replaced-transactions': [] };
      }
      case 'testmempoolaccept': {
        return (params[0] as string[]).map((hex) => {
          const raw = fromHex(hex);
          const id = txidToHex(txidOfRaw(raw));
          return this.rejectBroadcast === undefined ? { txid: id, wtxid: id, allowed: true, vsize: raw.length, fees: { base: 0.00001 } } : { txid: id, wtxid: id, allowed: false, 'reject-reason': this.rejectBroadcast.message };
        });
      }
      default:
        throw rpcError(-32601, 'Method not found');
    }
  }

  #mempoolRaw(id: Txid): Uint8Array | undefined {
    return this.broadcasts.find((r) => toHex(txidOfRaw(r)) === toHex(id));
  }

  #headerJson(b: ChainBlock): Record<string, unknown> {
    const h = b.block.header;
    const best = this.chain.isBest(b);
    const next = best ? this.chain.best[b.height + 1] : undefined;
    return {
      hash: blockHashToHex(b.hash),
      confirmations: best ? this.chain.tip.height - b.height + 1 : -1,
      height: b.height,
      version: h.version,
      versionHex: (h.version >>> 0).toString(16).padStart(8, '0'),
      merkleroot: toHex(reverseBytes(h.merkleRoot)),
      time: h.time,
      mediantime: h.time,
      nonce: h.nonce,
      bits: h.bits.toString(16).padStart(8, '0'),
      difficulty: 4.656542373906925e-10,
      chainwork: (b.height * 2 + 2).toString(16).padStart(64, '0'),
      nTx: b.block.transactions.length,
      ...(b.height > 0 ? { previousblockhash: blockHashToHex(h.prevBlockHash) } : {}),
      ...(next !== undefined ? { nextblockhash: blockHashToHex(next.hash) } : {}),
    };
  }

  /** The UTXO set of the best chain: `txidhex:vout` -> output. */
  #utxos(): Map<string, { script: Uint8Array; amount: bigint; height: number; coinbase: boolean }> {
    const set = new Map<string, { script: Uint8Array; amount: bigint; height: number; coinbase: boolean }>();
    for (const b of this.chain.best) {
      for (const t of b.block.transactions) {
        if (t.index > 0) for (const i of t.tx.inputs) set.delete(outPointKey(i.previousOutput));
        t.tx.outputs.forEach((o, vout) => set.set(`${toHex(t.txid)}:${vout}`, { script: o.script, amount: o.amount, height: b.height, coinbase: t.index === 0 }));
      }
    }
    return set;
  }

  // ---- REST ----

  #rest(path: string): { status: number; body: string | Uint8Array } | undefined {
    const chain = this.chain;
    const json = (v: unknown) => ({ status: 200, body: JSON.stringify(v) });
    let m: RegExpExecArray | null;
    if (path === '/chaininfo.json') return json({ chain: 'regtest', blocks: chain.tip.height, headers: chain.tip.height, bestblockhash: blockHashToHex(chain.tip.hash) });
    if ((m = /^\/headers\/([0-9a-f]{64})\.json\?count=(\d+)$/.exec(path))) {
      const b = chain.get(blockHashFromHex(m[1]!));
      if (b === undefined || !chain.isBest(b)) return json([]);
      return json(chain.best.slice(b.height, b.height + Number(m[2])).map((x) => this.#headerJson(x)));
    }
    if ((m = /^\/headers\/([0-9a-f]{64})\.bin\?count=(\d+)$/.exec(path))) {
      const b = chain.get(blockHashFromHex(m[1]!));
      if (b === undefined || !chain.isBest(b)) return { status: 200, body: new Uint8Array(0) };
      const list = chain.best.slice(b.height, b.height + Math.min(2000, Number(m[2])));
      const out = new Uint8Array(list.length * 80);
      list.forEach((x, i) => out.set(encodeBlockHeader(x.block.header), i * 80));
      return { status: 200, body: out };
    }
    if ((m = /^\/block\/notxdetails\/([0-9a-f]{64})\.json$/.exec(path))) {
      const b = chain.get(blockHashFromHex(m[1]!));
      return b === undefined ? { status: 404, body: `${m[1]} not found\r\n` } : json({ ...this.#headerJson(b), tx: b.block.transactions.map((t) => txidToHex(t.txid)) });
    }
    if ((m = /^\/block\/([0-9a-f]{64})\.bin$/.exec(path))) {
      const b = chain.get(blockHashFromHex(m[1]!));
      return b === undefined ? { status: 404, body: `${m[1]} not found\r\n` } : { status: 200, body: b.raw };
    }
    if ((m = /^\/blockhashbyheight\/(\d+)\.json$/.exec(path))) {
      const h = Number(m[1]);
      return h > chain.tip.height ? { status: 404, body: 'Block height out of range\r\n' } : json({ blockhash: blockHashToHex(chain.best[h]!.hash) });
    }
    if ((m = /^\/tx\/([0-9a-f]{64})\.bin$/.exec(path))) {
      const raw = chain.rawTx(txidFromHex(m[1]!));
      return raw === undefined ? { status: 404, body: `${m[1]} not found\r\n` } : { status: 200, body: raw };
    }
    if ((m = /^\/getutxos(\/checkmempool)?\/([0-9a-f]{64})-(\d+)\.json$/.exec(path))) {
      const u = this.#utxos().get(`${toHex(txidFromHex(m[2]!))}:${m[3]}`);
      return json({ chainHeight: chain.tip.height, chaintipHash: blockHashToHex(chain.tip.hash), bitmap: u === undefined ? '0' : '1', utxos: u === undefined ? [] : [{ height: u.height, value: Number(u.amount) / 1e8, scriptPubKey: { hex: toHex(u.script) } }] });
    }
    return undefined;
  }

  // ---- Esplora ----

  #esplora(method: string, path: string, body: string): { status: number; body: string | Uint8Array } | undefined {
    const chain = this.chain;
    const json = (v: unknown) => ({ status: 200, body: JSON.stringify(v) });
    const notFound = (what: string) => ({ status: 404, body: `${what} not found` });
    // Esplora indexes the best chain only.
    const bestBlock = (hex: string) => {
      const b = chain.get(blockHashFromHex(hex));
      return b !== undefined && chain.isBest(b) ? b : undefined;
    };
    const status = (id: Txid) => {
      const found = chain.findTx(id);
      if (found !== undefined) return { confirmed: true, block_height: found.block.height, block_hash: blockHashToHex(found.block.hash), block_time: found.block.block.header.time };
      return this.#mempoolRaw(id) !== undefined || chain.rawTx(id) !== undefined ? { confirmed: false } : undefined;
    };
    let m: RegExpExecArray | null;
    if (method === 'POST' && path === '/tx') {
      if (this.rejectBroadcast !== undefined) return { status: 400, body: `sendrawtransaction RPC error: {"code":${this.rejectBroadcast.code},"message":"${this.rejectBroadcast.message}"}` };
      const raw = fromHex(body.trim());
      this.broadcasts.push(raw);
      return { status: 200, body: txidToHex(txidOfRaw(raw)) };
    }
    if (method === 'POST' && path === '/txs/package') {
      const r = this.#method('submitpackage', [JSON.parse(body)]);
      return json(r);
    }
    if (path === '/blocks/tip/hash') return { status: 200, body: blockHashToHex(chain.tip.hash) };
    if (path === '/blocks/tip/height') return { status: 200, body: String(chain.tip.height) };
    const blockJson = (b: ChainBlock) => {
      const h = b.block.header;
      return { id: blockHashToHex(b.hash), height: b.height, version: h.version, timestamp: h.time, tx_count: b.block.transactions.length, size: b.raw.length, weight: b.raw.length * 4, merkle_root: toHex(reverseBytes(h.merkleRoot)), previousblockhash: b.height > 0 ? blockHashToHex(h.prevBlockHash) : null, mediantime: h.time, nonce: h.nonce, bits: h.bits, difficulty: 0 };
    };
    if ((m = /^\/block\/([0-9a-f]{64})$/.exec(path))) {
      const b = bestBlock(m[1]!);
      return b === undefined ? notFound('Block') : json(blockJson(b));
    }
    if ((m = /^\/blocks(?:\/(\d+))?$/.exec(path))) {
      const from = Math.min(m[1] === undefined ? chain.tip.height : Number(m[1]), chain.tip.height);
      return json(chain.best.slice(Math.max(0, from - 9), from + 1).reverse().map(blockJson));
    }
    if ((m = /^\/block\/([0-9a-f]{64})\/header$/.exec(path))) {
      const b = bestBlock(m[1]!);
      return b === undefined ? notFound('Block') : { status: 200, body: toHex(encodeBlockHeader(b.block.header)) };
    }
    if ((m = /^\/block\/([0-9a-f]{64})\/raw$/.exec(path))) {
      const b = bestBlock(m[1]!);
      return b === undefined ? notFound('Block') : { status: 200, body: b.raw };
    }
    if ((m = /^\/block\/([0-9a-f]{64})\/status$/.exec(path))) {
      const b = chain.get(blockHashFromHex(m[1]!));
      if (b === undefined || !chain.isBest(b)) return json({ in_best_chain: false });
      const next = chain.best[b.height + 1];
      return json({ in_best_chain: true, height: b.height, next_best: next === undefined ? null : blockHashToHex(next.hash) });
    }
    if ((m = /^\/block\/([0-9a-f]{64})\/txid\/(\d+)$/.exec(path))) {
      const t = bestBlock(m[1]!)?.block.transactions[Number(m[2])];
      return t === undefined ? notFound('Transaction') : { status: 200, body: txidToHex(t.txid) };
    }
    if ((m = /^\/block-height\/(\d+)$/.exec(path))) {
      const b = chain.best[Number(m[1])];
      return b === undefined ? notFound('Block') : { status: 200, body: blockHashToHex(b.hash) };
    }
    if ((m = /^\/tx\/([0-9a-f]{64})\/raw$/.exec(path))) {
      const id = txidFromHex(m[1]!);
      const raw = chain.rawTx(id) ?? this.#mempoolRaw(id);
      return raw === undefined ? notFound('Transaction') : { status: 200, body: raw };
    }
    if ((m = /^\/tx\/([0-9a-f]{64})\/status$/.exec(path))) {
      const s = status(txidFromHex(m[1]!));
      return s === undefined ? notFound('Transaction') : json(s);
    }
    if ((m = /^\/tx\/([0-9a-f]{64})\/merkle-proof$/.exec(path))) {
      const found = chain.findTx(txidFromHex(m[1]!));
      if (found === undefined) return notFound('Transaction');
      const branch = merkleBranch(found.block.block.transactions.map((t) => t.txid), found.index);
      return json({ block_height: found.block.height, merkle: branch.map((h) => toHex(reverseBytes(h))), pos: found.index });
    }
    if ((m = /^\/tx\/([0-9a-f]{64})\/outspends?(?:\/(\d+))?$/.exec(path))) {
      const id = txidFromHex(m[1]!);
      const raw = chain.rawTx(id) ?? this.#mempoolRaw(id);
      if (raw === undefined) return notFound('Transaction');
      const outputs = decodeTx(raw).outputs.length;
      const spendOf = (vout: number) => {
        for (const b of chain.best) {
          for (const t of b.block.transactions) {
            const vin = t.tx.inputs.findIndex((i) => toHex(i.previousOutput.txid) === toHex(id) && i.previousOutput.index === vout);
            if (vin >= 0 && t.index > 0) return { spent: true, txid: txidToHex(t.txid), vin, status: { confirmed: true, block_height: b.height, block_hash: blockHashToHex(b.hash), block_time: b.block.header.time } };
          }
        }
        for (const r of this.broadcasts) {
          const t: Tx = decodeTx(r);
          const vin = t.inputs.findIndex((i) => toHex(i.previousOutput.txid) === toHex(id) && i.previousOutput.index === vout);
          if (vin >= 0) return { spent: true, txid: txidToHex(txidOfRaw(r)), vin, status: { confirmed: false } };
        }
        return { spent: false };
      };
      if (m[2] !== undefined) return json(spendOf(Number(m[2])));
      return json(Array.from({ length: outputs }, (_, v) => spendOf(v)));
    }
    if ((m = /^\/scripthash\/([0-9a-f]{64})\/utxo$/.exec(path))) {
      const out: unknown[] = [];
      for (const [key, u] of this.#utxos()) {
        if (toHex(sha256(u.script)) !== m[1]) continue;
        const [idHex, vout] = key.split(':');
        const b = chain.best[u.height]!;
        out.push({ txid: toHex(reverseBytes(fromHex(idHex!))), vout: Number(vout), status: { confirmed: true, block_height: u.height, block_hash: blockHashToHex(b.hash), block_time: b.block.header.time }, value: Number(u.amount) });
      }
      return json(out);
    }
    if (path === '/fee-estimates') return json(Object.fromEntries([...this.fees].map(([k, v]) => [String(k), v])));
    return undefined;
  }
}

function rpcError(code: number, message: string): Error & { code: number } {
  return Object.assign(new Error(message), { code });
}

function sha256d2(raw: Uint8Array): Uint8Array {
  return sha256(sha256(raw));
}
