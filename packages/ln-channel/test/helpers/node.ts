// A test node: KeysManager + ChannelManager + TestWatch (or monitors plugged
// in from outside: tools/channel-monitor-e2e gives it ln-monitor's
// ChainMonitor), with settable fees, a broadcaster feeding a script-checking
// chain, and the manager's bytes kept as the "store" for restarts.
import type { BroadcasterInterface, ConfirmationTarget, FeeEstimator } from 'ln-chain-api';
import { nobleSecp256k1, type Secp256k1Backend, sha256 } from 'ln-crypto';
import { KeysManager } from 'ln-signer';
import { CHAIN_HASHES, type Logger, type NodeId } from 'ln-types';
import { type Block, type BlockHeader, encodeTx, type Tx } from 'ln-tx';
import type { ChannelMonitorView, Watch } from 'ln-chain-api';
import { ChannelManager, type ChannelManagerOptions, type Event, type UserConfig, userConfig } from '../../src/index.js';
import { TestWatch } from './test-watch.js';

export class SettableFees implements FeeEstimator {
  readonly rates = new Map<ConfirmationTarget, number>([
    ['maximum_fee_estimate', 5000],
    ['urgent_on_chain_sweep', 5000],
    ['min_allowed_anchor_channel_remote_fee', 253],
    ['min_allowed_non_anchor_channel_remote_fee', 253],
    ['anchor_channel_fee', 253],
    ['non_anchor_channel_fee', 2000],
    ['channel_close_minimum', 253],
    ['output_spending_fee', 1000],
  ]);

  getEstSatPer1000Weight(target: ConfirmationTarget): number {
    return this.rates.get(target) ?? 253;
  }
}

/**
 * Monitors other than TestWatch, plugged in by `NodeOptions.monitors` (ln-channel
 * does not depend on ln-monitor: ln-monitor's tests depend on ln-channel).
 */
export interface ExternalMonitors {
  readonly watch: Watch;
  /** The views ChannelManager.read needs. */
  views(): ChannelMonitorView[];
  /** A block for the monitors (queued in order). */
  blockConnected(block: Block, height: number): void;
  blockDisconnected(header: BlockHeader, height: number): void;
  /** Waits until the monitors took every block and finished their writes (those not held back). */
  flush(): Promise<void>;
  /** The monitors as a new process reads them from their store: after a clean stop, or after a crash (writes in flight lost). */
  reload(crash: boolean): Promise<ExternalMonitors>;
}

/** What a node gives its external monitors. */
export interface MonitorContext {
  readonly keys: KeysManager;
  readonly broadcaster: BroadcasterInterface;
  readonly fees: FeeEstimator;
  readonly backend: Secp256k1Backend;
  readonly logger: Logger | undefined;
}

/** Where broadcasts go: a chain that checks them, or nowhere. */
export interface TxSink {
  submit(raw: Uint8Array): unknown;
}

export interface NodeOptions {
  readonly config?: UserConfig;
  readonly backend?: Secp256k1Backend;
  readonly chain?: TxSink;
  readonly logger?: Logger;
  readonly options?: ChannelManagerOptions;
  readonly bestBlock?: { blockHash: Uint8Array; height: number };
  /** Monitors to use instead of TestWatch. */
  readonly monitors?: (ctx: MonitorContext) => ExternalMonitors;
}

export class TestNode {
  readonly keys: KeysManager;
  readonly fees = new SettableFees();
  readonly broadcaster: BroadcasterInterface;
  watch: TestWatch;
  manager: ChannelManager;
  readonly broadcasts: Tx[] = [];
  readonly broadcastErrors: string[] = [];
  readonly events: Event[] = [];
  /** The last bytes written (the manager "store"). */
  stored: Uint8Array | undefined;
  readonly backend: Secp256k1Backend;
  readonly config: UserConfig;
  /** The external monitors, when `opts.monitors` (then `watch` is unused). */
  monitors: ExternalMonitors | undefined;

  constructor(
    readonly seedByte: number,
    readonly opts: NodeOptions = {},
  ) {
    this.backend = opts.backend ?? nobleSecp256k1;
    this.config = opts.config ?? userConfig();
    let counter = 0;
    this.keys = new KeysManager(new Uint8Array(32).fill(seedByte), {
      backend: this.backend,
      // Deterministic, never repeating: sha256(seed byte || counter).
      entropy: {
        getSecureRandomBytes: () => {
          const input = new Uint8Array(9);
          input[0] = seedByte;
          new DataView(input.buffer).setBigUint64(1, BigInt(counter++));
          return sha256(input);
        },
      },
    });
    this.broadcaster = {
      broadcastTransactions: (txs) => {
        for (const tx of txs) {
          this.broadcasts.push(tx);
          if (opts.chain !== undefined) {
            try {
              opts.chain.submit(encodeTx(tx));
            } catch (e) {
              this.broadcastErrors.push(e instanceof Error ? e.message : String(e));
            }
          }
        }
      },
    };
    this.watch = new TestWatch(this.keys, this.broadcaster);
    if (opts.monitors !== undefined) {
      this.monitors = opts.monitors({ keys: this.keys, broadcaster: this.broadcaster, fees: this.fees, backend: this.backend, logger: opts.logger });
    }
    this.manager = this.newManager();
  }

  /** The Watch the manager talks to. */
  get activeWatch(): Watch {
    return this.monitors?.watch ?? this.watch;
  }

  /** The monitors' views for reading the manager back. */
  private monitorViews(): ChannelMonitorView[] {
    return this.monitors?.views() ?? this.watch.views();
  }

  monitorBlockConnected(block: Block, height: number): void {
    this.monitors?.blockConnected(block, height);
  }

  monitorBlockDisconnected(header: BlockHeader, height: number): void {
    this.monitors?.blockDisconnected(header, height);
  }

  /** Waits until external monitors are done with blocks and writes (nothing to wait for with TestWatch). */
  async flushMonitors(): Promise<void> {
    await this.monitors?.flush();
  }

  private async reloadMonitors(crash: boolean): Promise<void> {
    if (this.monitors !== undefined) this.monitors = await this.monitors.reload(crash);
  }

  private args() {
    return {
      chainHash: CHAIN_HASHES.regtest,
      feeEstimator: this.fees,
      watch: this.activeWatch,
      broadcaster: this.broadcaster,
      signerProvider: this.keys,
      nodeSigner: this.keys,
      entropySource: this.keys,
      config: this.config,
      backend: this.backend,
      ...(this.opts.logger !== undefined && { logger: this.opts.logger }),
    };
  }

  private newManager(): ChannelManager {
    const bestBlock = this.opts.bestBlock ?? { blockHash: new Uint8Array(32), height: 0 };
    return new ChannelManager({ ...this.args(), bestBlock: bestBlock as never }, this.opts.options ?? {});
  }

  get nodeId(): NodeId {
    return this.keys.getNodeId();
  }

  /** Persists the manager if it needs it (what a background processor does). */
  persist(): void {
    if (this.manager.getAndClearNeedsPersistence()) this.stored = this.manager.write();
  }

  /** Drops the manager and reads it back from the store, with the monitors as persisted. */
  async restart(): Promise<void> {
    await this.manager.idle();
    if (this.stored === undefined) throw new Error('nothing stored');
    await this.reloadMonitors(false);
    this.manager = await ChannelManager.read(this.stored, { ...this.args(), channelMonitors: this.monitorViews() }, this.opts.options ?? {});
  }

  /**
   * Kills the node: the manager object is dropped, the monitors keep what was
   * durably persisted, and the manager comes back from its last write.
   */
  async crash(): Promise<void> {
    await this.manager.idle();
    this.watch = this.watch.afterCrash();
    if (this.stored === undefined) throw new Error('nothing stored');
    await this.reloadMonitors(true);
    this.manager = await ChannelManager.read(this.stored, { ...this.args(), channelMonitors: this.monitorViews() }, this.opts.options ?? {});
  }

  /** Restores an old backup: the manager bytes and the monitors as they were then. */
  async restoreBackup(backup: { stored: Uint8Array; watch: TestWatch }): Promise<void> {
    await this.manager.idle();
    this.watch = backup.watch.afterCrash();
    this.stored = backup.stored;
    this.manager = await ChannelManager.read(backup.stored, { ...this.args(), channelMonitors: this.watch.views() }, this.opts.options ?? {});
  }

  /** A copy of the monitors as durably persisted (a fresh Watch for reading the manager again). */
  afterCrashWatch(): TestWatch {
    return this.watch.afterCrash();
  }

  /** A backup of the node now: its manager bytes and a copy of its monitors. */
  backup(): { stored: Uint8Array; watch: TestWatch } {
    return { stored: this.manager.write(), watch: this.watch.afterCrash() };
  }

  /** Takes the pending events into `events`. */
  async drainEvents(): Promise<Event[]> {
    const got: Event[] = [];
    await this.manager.processPendingEvents((e) => {
      got.push(e);
    });
    this.events.push(...got);
    return got;
  }
}
