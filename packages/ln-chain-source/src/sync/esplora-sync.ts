import { ANTI_REORG_DELAY, type BestBlock, type BlockHeaderData, type Confirm, type Filter, type RelevantTxid, type WatchedOutput } from 'ln-chain-api';
import type { BlockTransaction } from 'ln-tx';
import { type Logger, type OutPoint, type Txid, blockHashToHex, equalBytes, isLogEnabled, outPointKey, silentLogger, toHex, txidToHex } from 'ln-types';
import { ChainSourceError } from '../errors.js';
import type { EsploraClient } from '../esplora/esplora-client.js';
import type { TxStatus } from '../source-types.js';
import { checkHeader } from './header-checks.js';

/** Options of {@link EsploraSyncClient}. */
export interface EsploraSyncOptions {
  /** Times one sync starts over when the tip moves while it runs (default 5); then it returns and the next sync goes on. */
  readonly maxRounds?: number;
  readonly logger?: Logger;
}

/** What one sync did. */
export interface TxSyncResult {
  /** The tip given to `bestBlockUpdated` (unchanged when nothing moved). */
  readonly tip: BestBlock;
  /** Transactions given to `transactionsConfirmed`. */
  readonly confirmed: number;
  /** Transactions given to `transactionUnconfirmed`. */
  readonly unconfirmed: number;
}

interface Found {
  readonly header: BlockHeaderData;
  readonly tx: BlockTransaction;
  /** Watched outputs this transaction spends. */
  readonly spends: WatchedOutput[];
}

const MODULE = 'ln-chain-source/esplora-sync';

/**
 * Keeps `Confirm` listeners (ChannelManager, ChainMonitor) in step with an
 * Esplora server by transaction rather than by block (after
 * lightning-transaction-sync). It is the {@link Filter} those components
 * register with: transactions to watch for and outputs whose spending matters.
 *
 * Each {@link sync}: when the tip moved, first every relevant transaction
 * (`getRelevantTxids`) whose block left the best chain is given to
 * `transactionUnconfirmed` (its transaction status says so); then registered
 * transactions that confirmed and transactions spending registered outputs are
 * given to `transactionsConfirmed`, block by block in chain order, each proven
 * by a merkle proof checked against its block's header; then
 * `bestBlockUpdated` with the new tip. A failure rejects with a
 * ChainSourceError and the next sync does the whole check again.
 */
export class EsploraSyncClient implements Filter {
  readonly #esplora: EsploraClient;
  readonly #maxRounds: number;
  readonly #logger: Logger;
  readonly #watchedTxs = new Map<string, Txid>();
  readonly #watchedOutputs = new Map<string, WatchedOutput>();
  // Outputs whose spend was reported, by spending txid, until it is deep enough to forget.
  readonly #spent = new Map<string, { readonly height: number; readonly outputs: WatchedOutput[] }>();
  #tip: BlockHeaderData | undefined;
  #pending = true;
  #registered = false;
  #running: Promise<TxSyncResult> | undefined;

  constructor(esplora: EsploraClient, options: EsploraSyncOptions = {}) {
    this.#esplora = esplora;
    this.#maxRounds = Math.max(1, options.maxRounds ?? 5);
    this.#logger = options.logger ?? silentLogger;
  }

  /** Filter: watch for `txid` confirming. */
  registerTx(txid: Txid, _scriptPubkey: Uint8Array): void {
    this.#watchedTxs.set(toHex(txid), txid);
    this.#registered = true;
  }

  /** Filter: watch for a transaction spending this output. */
  registerOutput(output: WatchedOutput): void {
    this.#watchedOutputs.set(outPointKey(output.outpoint), output);
    this.#registered = true;
  }

  /** Transactions and outputs still watched (for tests and monitoring). */
  get watchedCount(): { transactions: number; outputs: number } {
    return { transactions: this.#watchedTxs.size, outputs: this.#watchedOutputs.size };
  }

  /**
   * Brings `confirmables` up to the server's tip. A sync made while another
   * runs returns that one's promise.
   * @throws ChainSourceError on any source failure or bad data; `listener_failed` when a listener throws
   */
  sync(confirmables: readonly Confirm[]): Promise<TxSyncResult> {
    if (this.#running !== undefined) return this.#running;
    const run = this.#sync(confirmables)
      .catch((error: unknown) => {
        this.#pending = true;
        throw error;
      })
      .finally(() => {
        this.#running = undefined;
      });
    this.#running = run;
    return run;
  }

  async #sync(confirmables: readonly Confirm[]): Promise<TxSyncResult> {
    let confirmed = 0;
    let unconfirmed = 0;
    for (let round = 0; round < this.#maxRounds; round++) {
      const tip = await this.#tipHeader();
      const moved = this.#tip === undefined || !equalBytes(this.#tip.hash, tip.hash);
      if (!moved && !this.#pending && !this.#registered) break;
      if (moved || this.#pending) unconfirmed += await this.#syncUnconfirmed(confirmables);
      // Listeners may register more while they handle confirmations: go again for those.
      do {
        this.#registered = false;
        confirmed += await this.#syncConfirmed(confirmables, tip.height);
      } while (this.#registered);
      if (moved || this.#pending) {
        for (const c of confirmables) await this.#notify(() => c.bestBlockUpdated(tip.header, tip.height), 'bestBlockUpdated');
      }
      this.#tip = tip;
      this.#pending = false;
      this.#prune(tip.height);
      if (equalBytes(await this.#esplora.getTipHash(), tip.hash)) break;
    }
    const tip = this.#tip!;
    return { tip: { blockHash: tip.hash, height: tip.height }, confirmed, unconfirmed };
  }

  async #tipHeader(): Promise<BlockHeaderData> {
    const tip = await this.#esplora.getBestBlock();
    const header = await this.#esplora.getHeader(tip.hash);
    checkHeader(header, undefined);
    if (header.height !== tip.height) throw new ChainSourceError('invalid_data', `tip ${blockHashToHex(tip.hash)} is at height ${header.height}, not ${tip.height}`);
    return header;
  }

  async #syncUnconfirmed(confirmables: readonly Confirm[]): Promise<number> {
    const lists = confirmables.map((c) => c.getRelevantTxids());
    const all = new Map<string, RelevantTxid>();
    for (const list of lists) for (const r of list) all.set(toHex(r.txid), r);
    const gone: RelevantTxid[] = [];
    for (const r of all.values()) {
      if (!this.#stillConfirmed(r, await this.#status(r.txid))) gone.push(r);
    }
    // Newest first, as blocks leave the chain.
    gone.sort((a, b) => b.height - a.height);
    let calls = 0;
    for (const r of gone) {
      const key = toHex(r.txid);
      for (let i = 0; i < confirmables.length; i++) {
        if (!lists[i]!.some((x) => equalBytes(x.txid, r.txid))) continue;
        await this.#notify(() => confirmables[i]!.transactionUnconfirmed(r.txid), 'transactionUnconfirmed');
        calls++;
      }
      // It may confirm again: watch it, and the outputs it had spent, once more.
      this.#watchedTxs.set(key, r.txid);
      const spent = this.#spent.get(key);
      if (spent !== undefined) {
        for (const o of spent.outputs) this.#watchedOutputs.set(outPointKey(o.outpoint), o);
        this.#spent.delete(key);
      }
      this.#log('info', 'transaction unconfirmed', { txid: txidToHex(r.txid), height: r.height });
    }
    return calls;
  }

  #stillConfirmed(r: RelevantTxid, status: TxStatus | undefined): boolean {
    if (status === undefined || !status.confirmed) return false;
    return r.blockHash === undefined ? status.height === r.height : equalBytes(status.blockHash, r.blockHash);
  }

  async #status(txid: Txid): Promise<TxStatus | undefined> {
    try {
      return await this.#esplora.getTxStatus(txid);
    } catch (error) {
      if (error instanceof ChainSourceError && error.code === 'not_found') return undefined;
      throw error;
    }
  }

  async #syncConfirmed(confirmables: readonly Confirm[], tipHeight: number): Promise<number> {
    const found = new Map<string, Found>();
    const add = async (txid: Txid, status: TxStatus & { confirmed: true }): Promise<Found | undefined> => {
      const key = toHex(txid);
      const known = found.get(key);
      if (known !== undefined) return known;
      // Confirmed above the tip given to the listeners: left for the next round.
      if (status.height > tipHeight) return undefined;
      const { header, transaction } = await this.#esplora.getConfirmedTransaction(txid, status.blockHash);
      const f: Found = { header, tx: transaction, spends: [] };
      found.set(key, f);
      return f;
    };
    for (const txid of [...this.#watchedTxs.values()]) {
      const status = await this.#status(txid);
      if (status?.confirmed === true) await add(txid, status);
    }
    for (const output of [...this.#watchedOutputs.values()]) {
      const spend = await this.#spendOf(output.outpoint);
      if (spend === undefined) continue;
      const f = await add(spend.txid, spend.status);
      if (f === undefined) continue;
      const input = f.tx.tx.inputs[spend.vin];
      if (input === undefined || !equalBytes(input.previousOutput.txid, output.outpoint.txid) || input.previousOutput.index !== output.outpoint.index) {
        throw new ChainSourceError('invalid_data', `${txidToHex(spend.txid)} input ${spend.vin} does not spend ${txidToHex(output.outpoint.txid)}:${output.outpoint.index}`);
      }
      f.spends.push(output);
    }
    if (found.size === 0) return 0;
    const ordered = [...found.values()].sort((a, b) => a.header.height - b.header.height || a.tx.index - b.tx.index);
    let calls = 0;
    for (let i = 0; i < ordered.length; ) {
      const header = ordered[i]!.header;
      const block: Found[] = [];
      while (i < ordered.length && equalBytes(ordered[i]!.header.hash, header.hash)) block.push(ordered[i++]!);
      if (i < ordered.length && ordered[i]!.header.height === header.height) {
        throw new ChainSourceError('invalid_data', `transactions confirmed in two blocks at height ${header.height}`);
      }
      const txs = block.map((f) => f.tx);
      for (const c of confirmables) await this.#notify(() => c.transactionsConfirmed(header.header, txs, header.height), 'transactionsConfirmed');
      calls += txs.length;
      for (const f of block) {
        const key = toHex(f.tx.txid);
        this.#watchedTxs.delete(key);
        if (f.spends.length > 0) {
          for (const o of f.spends) this.#watchedOutputs.delete(outPointKey(o.outpoint));
          this.#spent.set(key, { height: header.height, outputs: f.spends });
        }
      }
      this.#log('debug', 'transactions confirmed', { height: header.height, count: txs.length });
    }
    return calls;
  }

  async #spendOf(outpoint: OutPoint): Promise<{ txid: Txid; vin: number; status: TxStatus & { confirmed: true } } | undefined> {
    let spend;
    try {
      spend = await this.#esplora.getOutputSpend(outpoint.txid, outpoint.index);
    } catch (error) {
      if (error instanceof ChainSourceError && error.code === 'not_found') return undefined;
      throw error;
    }
    if (!spend.spent || !spend.status.confirmed) return undefined;
    return { txid: spend.txid, vin: spend.vin, status: spend.status };
  }

  // Spends buried deeper than a reorganization is expected to reach are forgotten.
  #prune(tipHeight: number): void {
    for (const [key, s] of this.#spent) if (tipHeight - s.height + 1 >= ANTI_REORG_DELAY * 2) this.#spent.delete(key);
  }

  async #notify(fn: () => void | Promise<void>, what: string): Promise<void> {
    try {
      await fn();
    } catch (cause) {
      throw new ChainSourceError('listener_failed', `a Confirm listener's ${what} threw`, { cause });
    }
  }

  #log(level: 'debug' | 'info', message: string, fields: Record<string, unknown>): void {
    if (isLogEnabled(this.#logger, level)) this.#logger.log({ level, module: MODULE, message, fields });
  }
}
