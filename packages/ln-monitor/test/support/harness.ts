// One node's monitoring stack on the test chain: A's ChainMonitor (KVStore
// persistence in memory) fed every block, broadcasting to the chain, with the
// channel simulator to drive it. `restart()` drops the ChainMonitor and reads it
// back from the store, as a node does after a crash.
import type { BroadcasterInterface, ChannelMonitorUpdate, ConfirmationTarget, FeeEstimator, MonitorEvent } from 'ln-chain-api';
import { MemoryKVStore, toHex } from 'ln-types';
import { type Tx, txidOf } from 'ln-tx';
import { BumpTransactionEventHandler, ChainMonitor, type ChainMonitorEvent, KVStorePersister } from '../../src/index.js';
import { ChannelSim, type SimOptions } from './channel-sim.js';
import { TestWallet, backend } from './keys.js';
import { RegtestChain } from './regtest-chain.js';

export class TestFees implements FeeEstimator {
  rates: Partial<Record<ConfirmationTarget, number>> = {};
  base = 1000;
  getEstSatPer1000Weight(target: ConfirmationTarget): number {
    return this.rates[target] ?? (target === 'urgent_on_chain_sweep' ? this.base * 2 : this.base);
  }
}

export class TestBroadcaster implements BroadcasterInterface {
  readonly sent: Tx[][] = [];
  readonly refused: { txids: string[]; error: string }[] = [];
  constructor(private readonly chain: RegtestChain) {}
  broadcastTransactions(transactions: readonly Tx[]): void {
    this.sent.push([...transactions]);
    const r = this.chain.submit(transactions);
    if (!r.accepted && !/already/.test(r.error ?? '')) this.refused.push({ txids: transactions.map((t) => toHex(txidOf(t))), error: r.error ?? '' });
  }
  /** Every distinct transaction broadcast. */
  all(): Tx[] {
    const seen = new Map<string, Tx>();
    for (const batch of this.sent) for (const t of batch) seen.set(toHex(txidOf(t)), t);
    return [...seen.values()];
  }
}

export interface NodeOptions extends SimOptions {
  /** The chain to run on (default: a fresh one in memory). */
  readonly chain?: RegtestChain;
  /** Restart (reload from the store) after every update and block. */
  readonly restartEveryStep?: boolean;
}

export class MonitorNode {
  readonly chain: RegtestChain;
  readonly store = new MemoryKVStore();
  readonly persister = new KVStorePersister(this.store, { maximumPendingUpdates: 5 });
  readonly fees = new TestFees();
  readonly broadcaster: TestBroadcaster;
  sim!: ChannelSim;
  chainMonitor!: ChainMonitor;
  readonly monitorEvents: MonitorEvent[] = [];
  readonly userEvents: ChainMonitorEvent[] = [];
  restarts = 0;
  readonly wallet: TestWallet;
  bumpHandler!: BumpTransactionEventHandler;
  /** Errors of the bump handler (the wallet could not pay, say). */
  readonly bumpErrors: unknown[] = [];
  private restartEveryStep = false;

  private constructor(chain: RegtestChain) {
    this.chain = chain;
    this.broadcaster = new TestBroadcaster(chain);
    this.wallet = new TestWallet(chain);
  }

  static async start(options: NodeOptions): Promise<MonitorNode> {
    const node = new MonitorNode(options.chain ?? new RegtestChain());
    node.restartEveryStep = options.restartEveryStep === true;
    node.sim = await ChannelSim.open(node.chain, options);
    node.chainMonitor = node.newChainMonitor();
    node.bumpHandler = new BumpTransactionEventHandler({ wallet: node.wallet, signerProvider: node.sim.a, broadcaster: node.broadcaster });
    if (options.format === 'anchors') for (let i = 0; i < 3; i++) await node.wallet.addCoin(200_000n);
    node.chain.listeners.push(node.chainMonitor);
    const tip = node.chain.tip;
    const destination = await node.sim.a.getDestinationScript(node.sim.keysIdA);
    const status = node.chainMonitor.watchChannel(node.sim.newMonitor('A', { blockHash: tip.hash, height: node.chain.height }, destination));
    if (status !== 'in_progress') throw new Error(`watchChannel: ${status}`);
    await node.settle();
    return node;
  }

  newChainMonitor(): ChainMonitor {
    return new ChainMonitor({ signerProvider: this.sim.a, broadcaster: this.broadcaster, feeEstimator: this.fees, persister: this.persister, backend });
  }

  get monitor() {
    return this.chainMonitor.getMonitor(this.sim.channelId)!;
  }

  /** Waits for queued work and writes, then collects events. */
  async settle(): Promise<void> {
    await this.chainMonitor.flush();
    this.monitorEvents.push(...this.chainMonitor.releasePendingMonitorEvents());
    await this.chainMonitor.processPendingEvents(async (e) => {
      this.userEvents.push(e);
      if (e.kind === 'bump_transaction') {
        try {
          await this.bumpHandler.handleEvent(e.event);
        } catch (err) {
          this.bumpErrors.push(err);
        }
      }
    });
    await this.chainMonitor.flush();
  }

  /** Drops the ChainMonitor and reads it back from the store. */
  async restart(): Promise<void> {
    await this.settle();
    const fresh = this.newChainMonitor();
    for (const m of await this.persister.readAllChannelMonitors(fresh.channelMonitorOptions)) fresh.loadMonitor(m);
    const i = this.chain.listeners.indexOf(this.chainMonitor);
    this.chain.listeners[i] = fresh;
    this.chainMonitor = fresh;
    this.restarts++;
    await this.settle();
  }

  async apply(updates: readonly ChannelMonitorUpdate[]): Promise<void> {
    for (const u of updates) {
      const status = this.chainMonitor.updateChannel(u);
      if (status === 'unrecoverable_error') throw this.chainMonitor.lastError ?? new Error('update refused');
      await this.settle();
      if (this.restartEveryStep) await this.restart();
    }
  }

  async mine(n = 1): Promise<void> {
    for (let i = 0; i < n; i++) {
      await this.chain.mine(1);
      await this.settle();
      if (this.restartEveryStep) await this.restart();
    }
  }

  /** Spendable outputs reported so far. */
  spendable() {
    return this.userEvents.flatMap((e) => (e.kind === 'spendable_outputs' ? e.outputs : []));
  }
}
