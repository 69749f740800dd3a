import { decodeBlock, txidOfRaw } from 'ln-tx';
import { type BlockHash, blockHashFromHex, blockHashToHex, equalBytes, fromHex, toHex, txidToHex } from 'ln-types';
import type { ChainBackend, ChainBlock, ChainListener, ChainTipInfo } from './chain-backend.js';
import { LdkNodeError } from './errors.js';

/** Options of {@link BitcoindRpcChain}. */
export interface BitcoindRpcOptions {
  /** `http://host:port` (a path such as `/wallet/x` is kept). */
  readonly url: string;
  readonly user?: string;
  readonly password?: string;
  /** How often to ask for a new tip (default 100 ms). */
  readonly pollMs?: number;
  /** How many recent blocks to keep for disconnecting them in a reorg (default 100). */
  readonly keepBlocks?: number;
}

/**
 * Follows a bitcoind-style JSON-RPC server (bitcoind itself, or ln-regtest's
 * chain in a box): polls `getbestblockhash`, fetches new blocks raw
 * (`getblock <hash> 0`), checks each against its hash and parent, walks back to
 * the fork point on a reorganization (disconnecting stale blocks tip first) and
 * broadcasts with `sendrawtransaction` (`submitpackage` for packages).
 *
 * Its tip is the last block its subscribers were told about, so a node created
 * on `getTip()` and then subscribed misses nothing.
 */
export class BitcoindRpcChain implements ChainBackend {
  private readonly listeners = new Set<ChainListener>();
  private readonly recent: ChainBlock[] = [];
  private tip: ChainTipInfo | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private polling: Promise<void> | undefined;
  private stopped = false;
  private requestId = 0;
  /** Transactions the server refused, with its message (LDK re-broadcasts early claims: some are expected). */
  readonly refused: { txid: string; reason: string }[] = [];
  /** The last polling error, if the server went away. */
  lastError: string | undefined;

  constructor(private readonly options: BitcoindRpcOptions) {}

  /** Calls a JSON-RPC method. @throws LdkNodeError `rpc` with the server's error */
  async call<T>(method: string, params: unknown[] = []): Promise<T> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.options.user !== undefined) headers['authorization'] = `Basic ${btoa(`${this.options.user}:${this.options.password ?? ''}`)}`;
    let response: Response;
    try {
      response = await fetch(this.options.url, { method: 'POST', headers, body: JSON.stringify({ jsonrpc: '1.0', id: ++this.requestId, method, params }) });
    } catch (cause) {
      throw new LdkNodeError('rpc', `${method}: cannot reach ${this.options.url}`, { cause });
    }
    const text = await response.text();
    let body: { result?: T; error?: { code: number; message: string } | null };
    try {
      body = JSON.parse(text) as typeof body;
    } catch (cause) {
      throw new LdkNodeError('rpc', `${method}: HTTP ${response.status}, not JSON: ${text.slice(0, 200)}`, { cause });
    }
    if (body.error !== undefined && body.error !== null) throw new LdkNodeError('rpc', `${method}: ${body.error.message} (code ${body.error.code})`);
    return body.result as T;
  }

  /** Reads the server's tip and starts following it from there. */
  async start(): Promise<void> {
    if (this.tip !== undefined) return;
    const hash = await this.call<string>('getbestblockhash');
    const block = await this.fetchBlock(blockHashFromHex(hash));
    this.remember(block);
    this.tip = { hash: block.hash, height: block.height, time: block.block.header.time };
    this.schedule();
  }

  /** Stops polling. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  async getTip(): Promise<ChainTipInfo> {
    await this.start();
    return this.tip!;
  }

  async getBlock(height: number): Promise<ChainBlock> {
    const kept = this.recent.find((b) => b.height === height);
    if (kept !== undefined) return kept;
    const hash = await this.call<string>('getblockhash', [height]);
    return this.fetchBlock(blockHashFromHex(hash));
  }

  async getBlockByHash(hash: BlockHash): Promise<ChainBlock | undefined> {
    const kept = this.recent.find((b) => equalBytes(b.hash, hash));
    if (kept !== undefined) return kept;
    try {
      return await this.fetchBlock(hash);
    } catch {
      return undefined;
    }
  }

  subscribe(listener: ChainListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  broadcast(transactions: readonly Uint8Array[]): void {
    void this.send(transactions);
  }

  /** Polls now and resolves when the subscribers have every block up to the server's tip. */
  async sync(): Promise<void> {
    await this.start();
    await this.poll();
  }

  private async send(transactions: readonly Uint8Array[]): Promise<void> {
    if (transactions.length > 1) {
      try {
        await this.call('submitpackage', [transactions.map(toHex)]);
        return;
      } catch {
        // Older servers have no submitpackage: send one by one, parents first.
      }
    }
    for (const raw of transactions) {
      try {
        await this.call('sendrawtransaction', [toHex(raw)]);
      } catch (e) {
        this.refused.push({ txid: txidToHex(txidOfRaw(raw)), reason: e instanceof Error ? e.message : String(e) });
      }
    }
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.poll().finally(() => this.schedule());
    }, this.options.pollMs ?? 100);
    this.timer.unref?.();
  }

  private poll(): Promise<void> {
    this.polling ??= this.pollOnce()
      .catch((e: unknown) => {
        this.lastError = e instanceof Error ? e.message : String(e);
      })
      .finally(() => {
        this.polling = undefined;
      });
    return this.polling;
  }

  private async pollOnce(): Promise<void> {
    const bestHex = await this.call<string>('getbestblockhash');
    const best = blockHashFromHex(bestHex);
    if (this.tip !== undefined && equalBytes(best, this.tip.hash)) return;
    // Walk back from the new tip until a block we told the subscribers about.
    const fresh: ChainBlock[] = [];
    let cursor = await this.fetchBlock(best);
    while (!this.known(cursor)) {
      if (cursor.height <= (this.recent[0]?.height ?? 0)) throw new LdkNodeError('chain', `reorganization deeper than the ${this.recent.length} blocks kept`);
      fresh.unshift(cursor);
      cursor = await this.fetchBlock(cursor.block.header.prevBlockHash);
    }
    while (this.recent.length > 0 && this.recent.at(-1)!.height > cursor.height) {
      const stale = this.recent.pop()!;
      for (const l of this.listeners) l.blockDisconnected(stale);
      this.tip = tipOf(this.recent.at(-1)!);
    }
    for (const b of fresh) {
      this.remember(b);
      this.tip = tipOf(b);
      for (const l of this.listeners) l.blockConnected(b);
    }
  }

  private known(b: ChainBlock): boolean {
    return this.recent.some((r) => r.height === b.height && equalBytes(r.hash, b.hash));
  }

  private remember(b: ChainBlock): void {
    this.recent.push(b);
    const keep = this.options.keepBlocks ?? 100;
    if (this.recent.length > keep) this.recent.splice(0, this.recent.length - keep);
  }

  private async fetchBlock(hash: BlockHash): Promise<ChainBlock> {
    const hashHex = blockHashToHex(hash);
    const [rawHex, header] = await Promise.all([this.call<string>('getblock', [hashHex, 0]), this.call<{ height: number }>('getblockheader', [hashHex, true])]);
    const raw = fromHex(rawHex);
    const block = decodeBlock(raw);
    if (!equalBytes(block.hash, hash)) throw new LdkNodeError('rpc', `getblock ${hashHex} returned block ${blockHashToHex(block.hash)}`);
    return { height: header.height, hash: block.hash, raw, block };
  }
}

function tipOf(b: ChainBlock): ChainTipInfo {
  return { hash: b.hash, height: b.height, time: b.block.header.time };
}
