// An in-memory chain::Watch for tests (until ln-monitor is used): keeps every
// monitor's data, checks update ids count up by one, completes updates at once
// or later on command, answers ChannelMonitorViews for restarts, and on a force
// close builds, signs (with its own signer instance, as a monitor does) and
// broadcasts the latest holder commitment.
import type {
  BroadcasterInterface,
  ChannelMonitorUpdate,
  ChannelMonitorUpdateStatus,
  ChannelMonitorView,
  HolderCommitment,
  MonitorEvent,
  MonitorOutboundHtlc,
  NewChannelMonitor,
  Watch,
  WatchChannelStatus,
} from 'ln-chain-api';
import { encodeChannelMonitorUpdate, encodeNewChannelMonitor } from 'ln-chain-api';
import { describeCommitment, type SignerProvider } from 'ln-signer-api';
import { buildCommitment, finalizeCommitment, type Tx } from 'ln-tx';
import { type ChannelId, toHex } from 'ln-types';

export interface StoredMonitor {
  readonly monitor: NewChannelMonitor;
  latestUpdateId: bigint;
  /** Updates applied but not yet reported persisted (async mode). */
  unpersisted: bigint[];
  holder: HolderCommitment;
  counterpartyNumber: bigint;
  secrets: Map<bigint, Uint8Array>;
  preimages: Uint8Array[];
  closed: boolean;
  broadcastOnClose: boolean | undefined;
  shutdownScript: Uint8Array | undefined;
  updates: ChannelMonitorUpdate[];
  /** Holder and counterparty commitment numbers as far as persisted (what messages may depend on). */
  persistedHolder: bigint;
  persistedCounterparty: bigint;
  /** The numbers each unpersisted update brings. */
  pendingNumbers: { holder: bigint; counterparty: bigint }[];
  /** The monitor as last durably persisted (what survives a crash); undefined before the first persistence. */
  durable?: StoredMonitor | undefined;
}

function copyMonitor(m: StoredMonitor): StoredMonitor {
  return { ...m, durable: undefined, unpersisted: [], pendingNumbers: [], secrets: new Map(m.secrets), preimages: [...m.preimages], updates: [...m.updates] };
}

export class TestWatch implements Watch {
  /** 'sync': every change is `completed` at once; 'async': `in_progress` until {@link completeAll}. */
  mode: 'sync' | 'async' = 'sync';
  /** Serialize every monitor change as a persister would (benchmarks count the bytes). */
  serialize = false;
  persistedBytes = 0;
  readonly monitors = new Map<string, StoredMonitor>();
  /** Contract violations seen (update id gaps, updates after close...): tests assert it stays empty. */
  readonly violations: string[] = [];
  readonly broadcasts: Tx[] = [];
  #events: MonitorEvent[] = [];
  #pendingNew = new Set<string>();

  constructor(
    private readonly signerProvider: SignerProvider,
    private readonly broadcaster: BroadcasterInterface,
  ) {}

  watchChannel(m: NewChannelMonitor): WatchChannelStatus {
    const k = toHex(m.channelId);
    if (this.serialize) this.persistedBytes += encodeNewChannelMonitor(m).length;
    if (this.monitors.has(k)) return 'duplicate';
    this.monitors.set(k, {
      monitor: m,
      latestUpdateId: 0n,
      unpersisted: [],
      holder: m.holderCommitment,
      counterpartyNumber: m.counterpartyCommitment.data.commitmentNumber,
      secrets: new Map(),
      preimages: [],
      closed: false,
      broadcastOnClose: undefined,
      shutdownScript: m.shutdownScript,
      updates: [],
      persistedHolder: this.mode === 'async' ? -1n : m.holderCommitment.data.commitmentNumber,
      persistedCounterparty: this.mode === 'async' ? -1n : m.counterpartyCommitment.data.commitmentNumber,
      pendingNumbers: [],
    });
    if (this.mode === 'async') {
      this.#pendingNew.add(k);
      return 'in_progress';
    }
    const created = this.monitors.get(k)!;
    created.durable = copyMonitor(created);
    return 'completed';
  }

  updateChannel(u: ChannelMonitorUpdate): ChannelMonitorUpdateStatus {
    if (this.serialize) this.persistedBytes += encodeChannelMonitorUpdate(u).length;
    const m = this.monitors.get(toHex(u.channelId));
    if (m === undefined) {
      this.violations.push(`update ${u.updateId} for an unknown channel`);
      return 'unrecoverable_error';
    }
    if (u.updateId !== m.latestUpdateId + 1n) this.violations.push(`update ${u.updateId} after ${m.latestUpdateId} on ${toHex(u.channelId).slice(0, 8)}`);
    m.latestUpdateId = u.updateId;
    m.updates.push(u);
    for (const step of u.steps) {
      switch (step.kind) {
        case 'latest_holder_commitment':
          if (step.commitment.data.commitmentNumber !== m.holder.data.commitmentNumber + 1n) this.violations.push(`holder commitment ${step.commitment.data.commitmentNumber} after ${m.holder.data.commitmentNumber}`);
          m.holder = step.commitment;
          break;
        case 'latest_counterparty_commitment':
          if (step.commitment.data.commitmentNumber !== m.counterpartyNumber + 1n) this.violations.push(`counterparty commitment ${step.commitment.data.commitmentNumber} after ${m.counterpartyNumber}`);
          m.counterpartyNumber = step.commitment.data.commitmentNumber;
          break;
        case 'commitment_secret':
          m.secrets.set(step.commitmentNumber, step.secret);
          break;
        case 'payment_preimage':
          m.preimages.push(step.preimage);
          break;
        case 'shutdown_script':
          m.shutdownScript = step.script;
          break;
        case 'channel_force_closed':
          if (!m.closed) {
            m.closed = true;
            m.broadcastOnClose = step.shouldBroadcast;
            if (step.shouldBroadcast) void this.#broadcastHolder(m);
          }
          break;
      }
    }
    if (this.mode === 'async') {
      m.unpersisted.push(u.updateId);
      m.pendingNumbers.push({ holder: m.holder.data.commitmentNumber, counterparty: m.counterpartyNumber });
      return 'in_progress';
    }
    m.persistedHolder = m.holder.data.commitmentNumber;
    m.persistedCounterparty = m.counterpartyNumber;
    m.durable = copyMonitor(m);
    return 'completed';
  }

  releasePendingMonitorEvents(): MonitorEvent[] {
    const out = this.#events;
    this.#events = [];
    return out;
  }

  /** Reports every pending change persisted (async mode). */
  completeAll(): void {
    for (const [k, m] of this.monitors) {
      if (this.#pendingNew.delete(k) && m.unpersisted.length === 0) {
        this.#events.push({ kind: 'update_completed', channelId: m.monitor.channelId, counterpartyNodeId: m.monitor.counterpartyNodeId, updateId: 0n });
      }
      m.persistedHolder = m.holder.data.commitmentNumber;
      m.persistedCounterparty = m.counterpartyNumber;
      m.pendingNumbers = [];
      m.durable = copyMonitor(m);
      if (m.unpersisted.length > 0) {
        const last = m.unpersisted.at(-1)!;
        m.unpersisted = [];
        this.#events.push({ kind: 'update_completed', channelId: m.monitor.channelId, counterpartyNodeId: m.monitor.counterpartyNodeId, updateId: last });
      }
    }
  }

  /** How many changes await persistence. */
  get pending(): number {
    let n = this.#pendingNew.size;
    for (const m of this.monitors.values()) n += m.unpersisted.length;
    return n;
  }

  /** Puts in a monitor at a given state, as if it had been persisted long ago (vector tests, restarts). */
  adopt(monitor: NewChannelMonitor, state: { latestUpdateId: bigint; holder: HolderCommitment; counterpartyNumber: bigint }): void {
    this.monitors.set(toHex(monitor.channelId), {
      monitor,
      latestUpdateId: state.latestUpdateId,
      unpersisted: [],
      holder: state.holder,
      counterpartyNumber: state.counterpartyNumber,
      secrets: new Map(),
      preimages: [],
      closed: false,
      broadcastOnClose: undefined,
      shutdownScript: undefined,
      updates: [],
      persistedHolder: state.holder.data.commitmentNumber,
      persistedCounterparty: state.counterpartyNumber,
      pendingNumbers: [],
    });
    const m = this.monitors.get(toHex(monitor.channelId))!;
    m.durable = copyMonitor(m);
  }

  /**
   * What a crash leaves: a new Watch over the monitors as durably persisted
   * (updates still in progress are lost, a monitor never persisted is gone).
   */
  afterCrash(): TestWatch {
    const w = new TestWatch(this.signerProvider, this.broadcaster);
    for (const [k, m] of this.monitors) {
      if (m.durable === undefined) continue;
      const d = copyMonitor(m.durable);
      d.durable = copyMonitor(m.durable);
      d.persistedHolder = d.holder.data.commitmentNumber;
      d.persistedCounterparty = d.counterpartyNumber;
      w.monitors.set(k, d);
    }
    w.violations.push(...this.violations);
    return w;
  }

  /** Adds an event as a real monitor would (tests of htlc_resolved etc.). */
  pushEvent(e: MonitorEvent): void {
    this.#events.push(e);
  }

  /** The persisted view of a monitor (what ChannelManager.read reconciles with). */
  view(channelId: ChannelId): ChannelMonitorView {
    const m = this.monitors.get(toHex(channelId))!;
    return viewOf(m);
  }

  views(): ChannelMonitorView[] {
    return [...this.monitors.values()].map(viewOf);
  }

  /** A deep-enough copy: the monitors as persisted (for crash tests, where the store outlives the process). */
  snapshot(): Map<string, StoredMonitor> {
    const copy = new Map<string, StoredMonitor>();
    for (const [k, m] of this.monitors) copy.set(k, { ...m, pendingNumbers: [...m.pendingNumbers], unpersisted: [...m.unpersisted], secrets: new Map(m.secrets), preimages: [...m.preimages], updates: [...m.updates] });
    return copy;
  }

  /** Builds the commitment we would broadcast now (the latest holder commitment, fully signed). */
  async holderCommitmentTx(channelId: ChannelId): Promise<Tx> {
    return this.#signedHolder(this.monitors.get(toHex(channelId))!);
  }

  async #signedHolder(m: StoredMonitor): Promise<Tx> {
    const signer = this.signerProvider.deriveChannelSigner(m.monitor.parameters.fundingAmountSat, m.monitor.channelKeysId);
    signer.provideChannelParameters(m.monitor.parameters);
    await signer.validateHolderCommitment(m.holder.data, m.holder.counterpartySignature, m.holder.htlcSignatures);
    const ours = await signer.signHolderCommitment(m.holder.data);
    const built = buildCommitment(describeCommitment(m.monitor.parameters, m.holder.data, true));
    return finalizeCommitment(built, ours, m.holder.counterpartySignature);
  }

  async #broadcastHolder(m: StoredMonitor): Promise<void> {
    try {
      const tx = await this.#signedHolder(m);
      this.broadcasts.push(tx);
      this.broadcaster.broadcastTransactions([tx]);
    } catch (e) {
      this.violations.push(`cannot broadcast holder commitment: ${String(e)}`);
    }
  }
}

function viewOf(m: StoredMonitor): ChannelMonitorView {
  const outboundHtlcs: MonitorOutboundHtlc[] = m.holder.data.htlcs
    .filter((h) => h.offered && h.source !== undefined)
    .map((h) => ({ source: h.source!, paymentHash: h.paymentHash, amountMsat: h.amountMsat }));
  return {
    channelId: m.monitor.channelId,
    counterpartyNodeId: m.monitor.counterpartyNodeId,
    fundingOutpoint: m.monitor.parameters.fundingOutpoint,
    channelKeysId: m.monitor.channelKeysId,
    latestUpdateId: m.latestUpdateId,
    holderCommitmentNumber: m.holder.data.commitmentNumber,
    counterpartyCommitmentNumber: m.counterpartyNumber,
    closed: m.closed,
    outboundHtlcs,
  };
}
