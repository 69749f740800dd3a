// ln-monitor's ChainMonitor plugged into ln-channel's test nodes: a
// KVStorePersister over a store whose writes can be held back (they neither
// land nor resolve) and lost in a crash.
import { ChainMonitor, KVStorePersister } from 'ln-monitor';
import type { ChannelMonitorView } from 'ln-chain-api';
import type { Block, BlockHeader } from 'ln-tx';
import { type KVStore, MemoryKVStore } from 'ln-types';
import type { ExternalMonitors, MonitorContext } from '../../../packages/ln-channel/test/helpers/node.js';

/** A MemoryKVStore whose writes can be held until released, or dropped by a crash. */
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

  /** A crash: the held writes never happen. */
  dropHeld(): void {
    this.hold = false;
    this.#held = [];
  }
}

/** A node's ChainMonitor and its store; `reload` makes the next process's. */
export class ChainMonitors implements ExternalMonitors {
  /** Blocks handed to the ChainMonitor, one after the other. */
  #blocks: Promise<void> = Promise.resolve();

  private constructor(
    readonly ctx: MonitorContext,
    readonly store: GatedKVStore,
    readonly chainMonitor: ChainMonitor,
  ) {}

  /** For `NodeOptions.monitors`. */
  static create(ctx: MonitorContext): ChainMonitors {
    const store = new GatedKVStore();
    return new ChainMonitors(ctx, store, ChainMonitors.newChainMonitor(ctx, store));
  }

  private static newChainMonitor(ctx: MonitorContext, store: KVStore): ChainMonitor {
    return new ChainMonitor({
      signerProvider: ctx.keys,
      broadcaster: ctx.broadcaster,
      feeEstimator: ctx.fees,
      persister: new KVStorePersister(store),
      backend: ctx.backend,
      ...(ctx.logger !== undefined && { logger: ctx.logger }),
    });
  }

  get watch(): ChainMonitor {
    return this.chainMonitor;
  }

  views(): ChannelMonitorView[] {
    return this.chainMonitor.monitorViews();
  }

  blockConnected(block: Block, height: number): void {
    this.#blocks = this.#blocks.then(() => this.chainMonitor.blockConnected(block, height));
  }

  blockDisconnected(header: BlockHeader, height: number): void {
    this.#blocks = this.#blocks.then(() => this.chainMonitor.blockDisconnected(header, height));
  }

  async flush(): Promise<void> {
    await this.#blocks;
    // Held writes never settle: wait only for the monitors' own work then.
    if (this.store.hold || this.store.heldWrites > 0) await this.chainMonitor.whenIdle();
    else await this.chainMonitor.flush();
  }

  async reload(crash: boolean): Promise<ChainMonitors> {
    await this.flush();
    if (crash) this.store.dropHeld();
    else if (this.store.heldWrites > 0) throw new Error('a clean restart with writes held back');
    const cm = ChainMonitors.newChainMonitor(this.ctx, this.store);
    for (const m of await new KVStorePersister(this.store).readAllChannelMonitors(cm.channelMonitorOptions)) cm.loadMonitor(m);
    return new ChainMonitors(this.ctx, this.store, cm);
  }
}
