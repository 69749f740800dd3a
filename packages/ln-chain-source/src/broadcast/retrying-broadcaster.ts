import type { BroadcasterInterface } from 'ln-chain-api';
import { type Tx, encodeTx, txidOfRaw } from 'ln-tx';
import { type Logger, isLogEnabled, silentLogger, toHex, txidToHex } from 'ln-types';
import { type ChainSourceError, asChainSourceError, isTransientError } from '../errors.js';
import type { BroadcastSource, CallOptions } from '../source-types.js';

/** Options of {@link RetryingBroadcaster}. */
export interface RetryingBroadcasterOptions {
  /** Broadcasts waiting for a retry at most (default 1,000); past it the oldest is dropped (the caller broadcasts again on later blocks). */
  readonly maxPending?: number;
  /** Attempts per broadcast before it is dropped (default 10). */
  readonly maxAttempts?: number;
  /** Per-request settings (a timeout, say). */
  readonly callOptions?: CallOptions;
  readonly logger?: Logger;
}

interface Job {
  readonly raws: readonly Uint8Array[];
  readonly key: string;
  readonly label: string;
  attempts: number;
}

/** The broadcaster's counters. */
export interface BroadcastStats {
  sent: number;
  rejected: number;
  retried: number;
  dropped: number;
}

// bitcoind's answers meaning "it is already there": success for a broadcaster.
const ALREADY = /already in (the )?block ?chain|txn-already-in-mempool|txn-already-known|transaction already in mempool/i;
const RPC_VERIFY_ALREADY_IN_CHAIN = -27;

const MODULE = 'ln-chain-source/broadcaster';

/**
 * A BroadcasterInterface over a {@link BroadcastSource}: one transaction goes
 * out as `sendrawtransaction` / `POST /tx`, several (a package: parents, then
 * the child paying for them) as `submitpackage` / `POST /txs/package`.
 *
 * `broadcastTransactions` returns at once; sends run one after another in
 * call order. A transient failure (source down, timeout, bad answer) keeps the
 * broadcast for a retry on the next `broadcastTransactions` or
 * {@link retryPending} call; a permanent rejection (invalid, conflicting,
 * fee too low) is logged and dropped: ChannelManager and ChainMonitor
 * broadcast again on later blocks when it matters. "Already known" counts as sent.
 */
export class RetryingBroadcaster implements BroadcasterInterface {
  readonly #source: BroadcastSource;
  readonly #maxPending: number;
  readonly #maxAttempts: number;
  readonly #callOptions: CallOptions;
  readonly #logger: Logger;
  readonly #queue: Job[] = [];
  readonly #retry: Job[] = [];
  #pump: Promise<void> | undefined;
  readonly stats: BroadcastStats = { sent: 0, rejected: 0, retried: 0, dropped: 0 };

  constructor(source: BroadcastSource, options: RetryingBroadcasterOptions = {}) {
    this.#source = source;
    this.#maxPending = Math.max(1, options.maxPending ?? 1000);
    this.#maxAttempts = Math.max(1, options.maxAttempts ?? 10);
    this.#callOptions = options.callOptions ?? {};
    this.#logger = options.logger ?? silentLogger;
  }

  /** Broadcasts waiting for a retry. */
  get pendingCount(): number {
    return this.#retry.length;
  }

  broadcastTransactions(transactions: readonly Tx[]): void {
    if (transactions.length === 0) return;
    let raws: Uint8Array[];
    let ids: string[];
    try {
      raws = transactions.map((t) => encodeTx(t));
      ids = raws.map((r) => txidToHex(txidOfRaw(r)));
    } catch (cause) {
      this.#log('error', 'cannot serialize a transaction to broadcast', { error: String(cause) });
      return;
    }
    const key = raws.map(toHex).join(',');
    this.#requeueRetries();
    if (!this.#queue.some((j) => j.key === key)) this.#queue.push({ raws, key, label: ids.join(','), attempts: 0 });
    this.#start();
  }

  /** Sends again what failed transiently (call it on a timer). Resolves when the queue is empty or waiting for the next retry. */
  retryPending(): Promise<void> {
    this.#requeueRetries();
    this.#start();
    return this.whenIdle();
  }

  /** Resolves when nothing is being sent. */
  whenIdle(): Promise<void> {
    return this.#pump ?? Promise.resolve();
  }

  #requeueRetries(): void {
    if (this.#retry.length === 0) return;
    // Retried broadcasts go first: they were asked for earlier (a parent before its children).
    const again = this.#retry.splice(0).filter((j) => !this.#queue.some((q) => q.key === j.key));
    this.stats.retried += again.length;
    this.#queue.unshift(...again);
  }

  #start(): void {
    if (this.#pump !== undefined) return;
    this.#pump = this.#drain().finally(() => {
      this.#pump = undefined;
    });
  }

  async #drain(): Promise<void> {
    for (let job = this.#queue.shift(); job !== undefined; job = this.#queue.shift()) {
      job.attempts++;
      const verdict = await this.#send(job);
      if (verdict === 'sent') {
        this.stats.sent++;
        this.#log('debug', 'broadcast', { txids: job.label });
      } else if (verdict === 'rejected') {
        this.stats.rejected++;
      } else if (job.attempts >= this.#maxAttempts) {
        this.stats.dropped++;
        this.#log('warn', 'broadcast dropped after repeated failures', { txids: job.label, attempts: job.attempts });
      } else {
        this.#retry.push(job);
        if (this.#retry.length > this.#maxPending) {
          const old = this.#retry.shift()!;
          this.stats.dropped++;
          this.#log('warn', 'too many broadcasts waiting: dropped the oldest', { txids: old.label });
        }
      }
    }
  }

  async #send(job: Job): Promise<'sent' | 'rejected' | 'retry'> {
    try {
      if (job.raws.length === 1) {
        await this.#source.broadcastTransaction(job.raws[0]!, this.#callOptions);
        return 'sent';
      }
      const result = await this.#source.broadcastPackage(job.raws, this.#callOptions);
      if (result.accepted || (result.transactions.length > 0 && result.transactions.every((t) => t.error === undefined || ALREADY.test(t.error)))) return 'sent';
      this.#log('warn', 'package rejected', { txids: job.label, message: result.message });
      return 'rejected';
    } catch (cause) {
      const error = asChainSourceError(cause, 'unreachable', 'broadcast source failed');
      if (isAlreadyKnown(error)) return 'sent';
      if (isTransientError(error)) {
        this.#log('info', 'broadcast failed, will retry', { txids: job.label, code: error.code, error: error.message });
        return 'retry';
      }
      this.#log('warn', 'broadcast rejected', { txids: job.label, code: error.code, rpcCode: error.rpcCode, error: error.message });
      return 'rejected';
    }
  }

  #log(level: 'debug' | 'info' | 'warn' | 'error', message: string, fields: Record<string, unknown>): void {
    if (isLogEnabled(this.#logger, level)) this.#logger.log({ level, module: MODULE, message, fields });
  }
}

function isAlreadyKnown(error: ChainSourceError): boolean {
  if (error.code !== 'rpc_error' && error.code !== 'rejected') return false;
  return error.rpcCode === RPC_VERIFY_ALREADY_IN_CHAIN || ALREADY.test(error.message);
}
