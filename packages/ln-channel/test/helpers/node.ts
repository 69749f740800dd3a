// A test node: KeysManager + ChannelManager + TestWatch (or ln-monitor's real
// ChainMonitor over a KVStorePersister), with settable fees, a broadcaster
// feeding a script-checking chain, and the manager's bytes kept as the "store"
// for restarts.
import type { BroadcasterInterface, ConfirmationTarget, FeeEstimator } from 'ln-chain-api';
import { nobleSecp256k1, type Secp256k1Backend } from 'ln-crypto';
import { KeysManager } from 'ln-signer';
import { ChainMonitor, KVStorePersister } from 'ln-monitor';
import { CHAIN_HASHES, type KVStore, type Logger, MemoryKVStore, type NodeId } from 'ln-types';
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
 * The ChainMonitor's store: a MemoryKVStore whose writes can be held (they
 * neither land nor resolve) until released, or lost in a crash.
 */
export class GatedKVStore implements KVStore {
  readonly inner = new MemoryKVStore();
  hold = false;
  #held: (() => Promise<void>)[] = [];

  get heldWrites(): number {
    return this.#held.length;
  }

  read(p: string, s: string, k: string): Promise<Uint8Array | undefined> {
    return this.inner.read(p, s, k);
  }

  write(p: string, s: string, k: string, v: Uint8Array): Promise<void> {
    if (!this.hold) return this.inner.write(p, s, k, v);
    const value = v.slice();
    return new Promise((resolve, reject) => this.#held.push(() => this.inner.write(p, s, k, value).then(resolve, reject)));
  }

  remove(p: string, s: string, k: string): Promise<void> {
    return this.inner.remove(p, s, k);
  }

  list(p: string, s: string): Promise<string[]> {
    return this.inner.list(p, s);
  }

  /** Lets the held writes land, in order. */
  async release(): Promise<void> {
    this.hold = false;
    for (const w of this.#held.splice(0)) await w();
  }

  /** A crash: the held writes never happen. */
  dropHeld(): void {
    this.hold = false;
    this.#held = [];
  }
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
  /** Use ln-monitor's ChainMonitor (KVStorePersister over a MemoryKVStore) instead of TestWatch. */
  readonly chainMonitor?: boolean;
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
  /** The real ChainMonitor, when `opts.chainMonitor` (then `watch` is unused). */
  chainMonitor: ChainMonitor | undefined;
  /** Where the ChainMonitor's persister writes monitors and updates (survives restarts). */
  readonly monitorStore = new GatedKVStore();
  /** Blocks handed to the ChainMonitor, one after the other. */
  #monitorChain: Promise<void> = Promise.resolve();

  constructor(
    readonly seedByte: number,
    readonly opts: NodeOptions = {},
  ) {
    this.backend = opts.backend ?? nobleSecp256k1;
    this.config = opts.config ?? userConfig();
    let counter = 0;
    this.keys = new KeysManager(new Uint8Array(32).fill(seedByte), {
      backend: this.backend,
      entropy: { getSecureRandomBytes: () => Uint8Array.from({ length: 32 }, (_, i) => (seedByte * 131 + counter * 7 + i * 13 + (counter++ >> 8)) & 0xff) },
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
    if (opts.chainMonitor === true) this.chainMonitor = this.newChainMonitor();
    this.manager = this.newManager();
  }

  private newChainMonitor(): ChainMonitor {
    return new ChainMonitor({
      signerProvider: this.keys,
      broadcaster: this.broadcaster,
      feeEstimator: this.fees,
      persister: new KVStorePersister(this.monitorStore),
      backend: this.backend,
      ...(this.opts.logger !== undefined && { logger: this.opts.logger }),
    });
  }

  /** The Watch the manager talks to. */
  get activeWatch(): Watch {
    return this.chainMonitor ?? this.watch;
  }

  /** The monitors' views for reading the manager back. */
  private monitorViews(): ChannelMonitorView[] {
    return this.chainMonitor?.monitorViews() ?? this.watch.views();
  }

  /** Feeds a block to the ChainMonitor (in order; a no-op with TestWatch). */
  monitorBlockConnected(block: Block, height: number): void {
    const cm = this.chainMonitor;
    if (cm !== undefined) this.#monitorChain = this.#monitorChain.then(() => cm.blockConnected(block, height));
  }

  monitorBlockDisconnected(header: BlockHeader, height: number): void {
    const cm = this.chainMonitor;
    if (cm !== undefined) this.#monitorChain = this.#monitorChain.then(() => cm.blockDisconnected(header, height));
  }

  /** Waits until the ChainMonitor has taken every block and finished its writes (those not held). */
  async flushMonitors(): Promise<void> {
    if (this.chainMonitor === undefined) return;
    await this.#monitorChain;
    if (this.monitorStore.hold || this.monitorStore.heldWrites > 0) await this.chainMonitor.whenIdle();
    else await this.chainMonitor.flush();
  }

  /** A crash of the ChainMonitor: held writes are lost, a new one reads what its persister stored. */
  private async reloadChainMonitor(): Promise<void> {
    if (this.chainMonitor === undefined) return;
    if (this.monitorStore.heldWrites > 0) {
      await this.#monitorChain;
      await this.chainMonitor.whenIdle();
      this.monitorStore.dropHeld();
    } else await this.flushMonitors();
    const cm = this.newChainMonitor();
    const persister = new KVStorePersister(this.monitorStore);
    for (const m of await persister.readAllChannelMonitors(cm.channelMonitorOptions)) cm.loadMonitor(m);
    this.chainMonitor = cm;
    this.#monitorChain = Promise.resolve();
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
    await this.reloadChainMonitor();
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
    await this.reloadChainMonitor();
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
