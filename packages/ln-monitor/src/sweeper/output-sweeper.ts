import {
  ANTI_REORG_DELAY,
  type BestBlock,
  type BroadcasterInterface,
  type Confirm,
  type FeeEstimator,
  type Filter,
  type Listen,
  type RelevantTxid,
  type SpendableOutputDescriptor,
  feerateWithFloor,
} from 'ln-chain-api';
import type { SignerProvider } from 'ln-signer-api';
import { type ChannelId, type KVStore, type Logger, type Txid, isLogEnabled, outPointKey, reverseBytes, silentLogger, toHex } from 'ln-types';
import { type Block, type BlockHeader, type BlockTransaction, type Tx, TxError, txidOf } from 'ln-tx';
import { INCREMENTAL_RELAY_FEE_SAT_PER_KW } from '../constants.js';
import { type StaticOutputSigner, buildSignedSweep } from './sweep-tx.js';
import { type TrackedSpendableOutput, decodeTrackedOutput, encodeTrackedOutput } from './tracked-output.js';

// Sweeps the outputs monitors report spendable to the wallet (after LDK's
// lightning::util::sweep::OutputSweeper): one transaction for everything pending,
// broadcast at once and again on every block until it confirms, replaced with a
// higher fee when it lingers or when new outputs join, forgotten once ANTI_REORG_DELAY
// deep (and put back to pending if a reorg undoes it). Every change is written to
// the KVStore ("spendable_outputs" / "" / `<txid display hex>_<index>`) first.

/** KVStore primary namespace of the sweeper's records (MONEY.md). */
export const SPENDABLE_OUTPUTS_NAMESPACE = 'spendable_outputs';

/** Blocks an unconfirmed sweep waits before it is replaced with a higher fee. */
export const SWEEP_BUMP_INTERVAL_BLOCKS = 6;

export interface OutputSweeperOptions {
  readonly broadcaster: BroadcasterInterface;
  readonly feeEstimator: FeeEstimator;
  /** Derives the channel signers that sign delayed and to_remote outputs. */
  readonly signerProvider: SignerProvider;
  readonly store: KVStore;
  /** A wallet script to sweep to (asked once per sweeper lifetime). */
  readonly changeDestination: () => Promise<Uint8Array>;
  /** Signs static outputs (already the wallet's) when they are swept too. */
  readonly staticOutputSigner?: StaticOutputSigner;
  /** A light client to watch the tracked outputs. */
  readonly filter?: Filter;
  readonly logger?: Logger;
}

function recordKey(d: SpendableOutputDescriptor): string {
  return `${toHex(reverseBytes(d.outpoint.txid))}_${d.outpoint.index}`;
}

export class OutputSweeper implements Listen, Confirm {
  private readonly options: OutputSweeperOptions;
  private readonly logger: Logger;
  private readonly outputs = new Map<string, TrackedSpendableOutput>();
  private bestHeight: number;
  private destination: Uint8Array | undefined;
  private queue: Promise<void> = Promise.resolve();

  constructor(options: OutputSweeperOptions, bestBlock: BestBlock) {
    this.options = options;
    this.logger = options.logger ?? silentLogger;
    this.bestHeight = bestBlock.height;
  }

  /** A sweeper with the outputs stored in `options.store`. */
  static async read(options: OutputSweeperOptions, bestBlock: BestBlock): Promise<OutputSweeper> {
    const sweeper = new OutputSweeper(options, bestBlock);
    for (const key of await options.store.list(SPENDABLE_OUTPUTS_NAMESPACE, '')) {
      const bytes = await options.store.read(SPENDABLE_OUTPUTS_NAMESPACE, '', key);
      if (bytes === undefined) continue;
      const t = decodeTrackedOutput(bytes);
      sweeper.outputs.set(outPointKey(t.descriptor.outpoint), t);
      options.filter?.registerOutput({ outpoint: t.descriptor.outpoint, scriptPubkey: t.descriptor.output.script });
    }
    return sweeper;
  }

  private log(level: 'info' | 'warn', message: string, fields?: Record<string, unknown>): void {
    if (isLogEnabled(this.logger, level)) this.logger.log({ level, module: 'ln-monitor/sweeper', message, ...(fields === undefined ? {} : { fields }) });
  }

  /** Runs `fn` after the sweeper's earlier work (writes and sweeps stay in order). */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn);
    this.queue = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  private async persist(t: TrackedSpendableOutput): Promise<void> {
    await this.options.store.write(SPENDABLE_OUTPUTS_NAMESPACE, '', recordKey(t.descriptor), encodeTrackedOutput(t));
  }

  /**
   * Starts sweeping outputs (from a SpendableOutputs event). Static outputs are
   * already the wallet's: skipped unless `excludeStaticOutputs` is false. Resolves
   * once they are stored (and a first sweep broadcast).
   */
  trackSpendableOutputs(
    descriptors: readonly SpendableOutputDescriptor[],
    channelId?: ChannelId,
    excludeStaticOutputs = true,
    delayedUntilHeight?: number,
  ): Promise<void> {
    return this.exclusive(async () => {
      for (const d of descriptors) {
        if (excludeStaticOutputs && d.kind === 'static_output') continue;
        const key = outPointKey(d.outpoint);
        if (this.outputs.has(key)) continue;
        const t: TrackedSpendableOutput = {
          descriptor: d,
          ...(channelId === undefined ? {} : { channelId }),
          status: delayedUntilHeight === undefined ? { kind: 'pending_initial_broadcast' } : { kind: 'pending_initial_broadcast', delayedUntilHeight },
        };
        await this.persist(t);
        this.outputs.set(key, t);
        this.options.filter?.registerOutput({ outpoint: d.outpoint, scriptPubkey: d.output.script });
      }
      await this.sweep();
    });
  }

  /** The outputs being swept and where each stands. */
  trackedSpendableOutputs(): readonly TrackedSpendableOutput[] {
    return [...this.outputs.values()];
  }

  /** Resolves when queued work is done. */
  whenIdle(): Promise<void> {
    return this.queue;
  }

  // ---------- chain ----------

  private confirm(transactions: readonly BlockTransaction[], height: number): boolean {
    let changed = false;
    for (const t of transactions) {
      for (const input of t.tx.inputs) {
        const tracked = this.outputs.get(outPointKey(input.previousOutput));
        if (tracked === undefined || tracked.status.kind === 'pending_threshold_confirmations') continue;
        const feerate = tracked.status.kind === 'pending_first_confirmation' ? tracked.status.feerate : 0;
        tracked.status = { kind: 'pending_threshold_confirmations', confirmationHeight: height, spendingTx: t.tx, feerate };
        changed = true;
      }
    }
    return changed;
  }

  private unconfirm(test: (status: Extract<TrackedSpendableOutput['status'], { kind: 'pending_threshold_confirmations' }>) => boolean): TrackedSpendableOutput[] {
    const back: TrackedSpendableOutput[] = [];
    for (const t of this.outputs.values()) {
      if (t.status.kind !== 'pending_threshold_confirmations' || !test(t.status)) continue;
      t.status = { kind: 'pending_first_confirmation', firstBroadcastHeight: t.status.confirmationHeight, latestBroadcastHeight: t.status.confirmationHeight, spendingTx: t.status.spendingTx, feerate: t.status.feerate };
      back.push(t);
    }
    return back;
  }

  blockConnected(block: Block, height: number): Promise<void> {
    return this.exclusive(async () => {
      const touched = this.confirm(block.transactions, height);
      await this.tipMoved(height, touched);
    });
  }

  blockDisconnected(_header: BlockHeader, height: number): Promise<void> {
    return this.exclusive(async () => {
      for (const t of this.unconfirm((s) => s.confirmationHeight >= height)) await this.persist(t);
      this.bestHeight = height - 1;
    });
  }

  transactionsConfirmed(_header: BlockHeader, transactions: readonly BlockTransaction[], height: number): Promise<void> {
    return this.exclusive(async () => {
      if (!this.confirm(transactions, height)) return;
      for (const t of this.outputs.values()) if (t.status.kind === 'pending_threshold_confirmations' && t.status.confirmationHeight === height) await this.persist(t);
    });
  }

  transactionUnconfirmed(txid: Txid): Promise<void> {
    const id = toHex(txid);
    return this.exclusive(async () => {
      for (const t of this.unconfirm((s) => toHex(txidOf(s.spendingTx)) === id)) await this.persist(t);
    });
  }

  bestBlockUpdated(_header: BlockHeader, height: number): Promise<void> {
    return this.exclusive(() => this.tipMoved(height, true));
  }

  getRelevantTxids(): RelevantTxid[] {
    const out = new Map<string, RelevantTxid>();
    for (const t of this.outputs.values()) {
      if (t.status.kind !== 'pending_threshold_confirmations') continue;
      const txid = txidOf(t.status.spendingTx);
      out.set(toHex(txid), { txid, height: t.status.confirmationHeight });
    }
    return [...out.values()];
  }

  private async tipMoved(height: number, touched: boolean): Promise<void> {
    this.bestHeight = height;
    if (touched) {
      for (const t of this.outputs.values()) if (t.status.kind === 'pending_threshold_confirmations') await this.persist(t);
    }
    // Forget what is final.
    for (const [key, t] of this.outputs) {
      if (t.status.kind === 'pending_threshold_confirmations' && height - t.status.confirmationHeight + 1 >= ANTI_REORG_DELAY) {
        await this.options.store.remove(SPENDABLE_OUTPUTS_NAMESPACE, '', recordKey(t.descriptor));
        this.outputs.delete(key);
      }
    }
    await this.sweep();
  }

  /** Broadcasts (or rebuilds with a higher fee) the sweep of every pending output. */
  private async sweep(): Promise<void> {
    const height = this.bestHeight;
    const pending = [...this.outputs.values()].filter(
      (t) =>
        t.status.kind === 'pending_first_confirmation' ||
        (t.status.kind === 'pending_initial_broadcast' && (t.status.delayedUntilHeight === undefined || t.status.delayedUntilHeight <= height)),
    );
    if (pending.length === 0) return;
    const current = pending[0]!.status.kind === 'pending_first_confirmation' ? (pending[0]!.status as Extract<TrackedSpendableOutput['status'], { kind: 'pending_first_confirmation' }>) : undefined;
    const sameSweep =
      current !== undefined &&
      pending.every((t) => t.status.kind === 'pending_first_confirmation' && t.status.spendingTx === current.spendingTx) &&
      current.spendingTx.inputs.length === pending.length;
    const estimate = feerateWithFloor(this.options.feeEstimator, 'output_spending_fee');
    if (sameSweep && height - current.latestBroadcastHeight < SWEEP_BUMP_INTERVAL_BLOCKS) {
      this.options.broadcaster.broadcastTransactions([current.spendingTx]);
      return;
    }
    // A replacement pays more than what it replaces (BIP 125).
    const previous = Math.max(0, ...pending.map((t) => (t.status.kind === 'pending_first_confirmation' ? t.status.feerate : 0)));
    const feerate = previous === 0 ? estimate : Math.max(estimate, previous + Math.max(INCREMENTAL_RELAY_FEE_SAT_PER_KW + 1, Math.floor(previous / 4)));
    this.destination ??= await this.options.changeDestination();
    let tx: Tx;
    try {
      tx = await buildSignedSweep(
        pending.map((t) => t.descriptor),
        this.destination,
        feerate,
        this.options.signerProvider,
        this.options.staticOutputSigner,
      );
    } catch (err) {
      if (err instanceof TxError && err.code === 'insufficient_funds') {
        this.log('warn', 'outputs not worth sweeping at the current fee rate; waiting', { feerate });
        return;
      }
      throw err;
    }
    for (const t of pending) {
      const first = t.status.kind === 'pending_first_confirmation' ? t.status.firstBroadcastHeight : height;
      t.status = { kind: 'pending_first_confirmation', firstBroadcastHeight: first, latestBroadcastHeight: height, spendingTx: tx, feerate };
      await this.persist(t);
    }
    this.log('info', 'sweep broadcast', { txid: toHex(txidOf(tx)), outputs: pending.length, feerate });
    this.options.broadcaster.broadcastTransactions([tx]);
  }
}
