// The ChainMonitor's side of persistence: a persister that answers in_progress and
// completes later (channelMonitorUpdated, out of order), promises that fail and are
// retried on the timer, events held until the monitor that produced them is
// stored, the KVStore layout of MONEY.md with compaction, and the notifier.
import { describe, expect, it } from '@jest/globals';
import type { ChannelMonitorUpdate, ChannelMonitorUpdateStatus, MonitorEvent } from 'ln-chain-api';
import { MemoryKVStore, toHex } from 'ln-types';
import {
  ChainMonitor,
  type ChannelMonitor,
  EventNotifier,
  KVStorePersister,
  MONITOR_NAMESPACE,
  MONITOR_UPDATE_NAMESPACE,
  type Persist,
  type PersistResult,
  monitorName,
} from '../src/index.js';
import { MonitorNode } from './support/harness.js';
import { backend } from './support/keys.js';

/** A persister that answers what the test says and records the calls. */
class ManualPersist implements Persist {
  readonly calls: { update: bigint | undefined; whole: boolean }[] = [];
  next: () => PersistResult = () => 'in_progress';
  persistNewChannel(_name: string, _monitor: ChannelMonitor): PersistResult {
    this.calls.push({ update: 0n, whole: true });
    return this.next();
  }
  updatePersistedChannel(_name: string, update: ChannelMonitorUpdate | undefined, _monitor: ChannelMonitor): PersistResult {
    this.calls.push({ update: update?.updateId, whole: update === undefined });
    return this.next();
  }
  async archivePersistedChannel(): Promise<void> {}
}

const completions = (events: MonitorEvent[]) => events.filter((e) => e.kind === 'update_completed').map((e) => (e as { updateId: bigint }).updateId);

describe('ChainMonitor persistence', () => {
  it('in_progress writes complete through channelMonitorUpdated, in update order', async () => {
    const node = await MonitorNode.start({ format: 'static_remotekey' });
    const { sim } = node;
    const persist = new ManualPersist();
    const cm = new ChainMonitor({ signerProvider: sim.a, broadcaster: node.broadcaster, feeEstimator: node.fees, persister: persist, backend });
    const statuses: ChannelMonitorUpdateStatus[] = [];
    const init = sim.newMonitor('A', { blockHash: node.chain.tip.hash, height: node.chain.height }, await sim.a.getDestinationScript(sim.keysIdA));
    // the node's own monitor is not used here: replay the same updates into `cm`
    sim.resumeUpdatesAfter(0n);
    expect(cm.watchChannel(init)).toBe('in_progress');
    const updates = (await sim.advance(sim.withHtlcs(sim.htlc('A', 1_000_000n, 900)))).forA;
    for (const u of updates) statuses.push(cm.updateChannel(u));
    expect(statuses).toEqual(['in_progress', 'in_progress', 'in_progress']);
    expect(cm.hasPendingUpdates(sim.channelId)).toBe(true);
    // completing 2 before 0 and 1 reports nothing: 2 alone is not enough
    cm.channelMonitorUpdated(sim.channelId, 2n);
    expect(completions(cm.releasePendingMonitorEvents())).toEqual([]);
    cm.channelMonitorUpdated(sim.channelId, 0n);
    expect(completions(cm.releasePendingMonitorEvents())).toEqual([0n]);
    cm.channelMonitorUpdated(sim.channelId, 1n);
    expect(completions(cm.releasePendingMonitorEvents())).toEqual([2n]);
    cm.channelMonitorUpdated(sim.channelId, 3n);
    expect(completions(cm.releasePendingMonitorEvents())).toEqual([3n]);
    expect(cm.hasPendingUpdates(sim.channelId)).toBe(false);
    // a synchronous completion behind a pending write is reported as in_progress (and later completed)
    const more = (await sim.advance({ ...sim.state, aMsat: sim.state.aMsat - 5000n, bMsat: sim.state.bMsat + 5000n })).forA;
    expect(cm.updateChannel(more[0]!)).toBe('in_progress');
    persist.next = () => 'completed';
    expect(cm.updateChannel(more[1]!)).toBe('in_progress');
    cm.channelMonitorUpdated(sim.channelId, more[0]!.updateId);
    expect(completions(cm.releasePendingMonitorEvents())).toEqual([more[1]!.updateId]);
    expect(cm.updateChannel(more[2]!)).toBe('completed');
    expect(completions(cm.releasePendingMonitorEvents())).toEqual([]);
    expect(() => cm.channelMonitorUpdated(new Uint8Array(32).fill(1) as never, 1n)).toThrow(expect.objectContaining({ code: 'unknown_channel' }));
  });

  it('a failed write is retried on the timer, and chain events wait for the monitor to be stored', async () => {
    const node = await MonitorNode.start({ format: 'static_remotekey' });
    const { sim, chain } = node;
    const persist = new ManualPersist();
    let fail = true;
    let release: () => void = () => undefined;
    persist.next = () => (fail ? Promise.reject(new Error('disk full')) : new Promise<void>((r) => (release = r)));
    const cm = new ChainMonitor({ signerProvider: sim.a, broadcaster: node.broadcaster, feeEstimator: node.fees, persister: persist, backend });
    chain.listeners.push(cm);
    sim.resumeUpdatesAfter(0n);
    expect(cm.watchChannel(sim.newMonitor('A', { blockHash: chain.tip.hash, height: chain.height }, await sim.a.getDestinationScript(sim.keysIdA)))).toBe('in_progress');
    await new Promise((r) => setImmediate(r));
    expect(cm.releasePendingMonitorEvents()).toEqual([]);
    // the retry writes the whole monitor, which covers update 0
    fail = false;
    await cm.timerTickOccurred();
    expect(persist.calls.at(-1)).toEqual({ update: undefined, whole: true });
    release();
    await cm.flush();
    expect(completions(cm.releasePendingMonitorEvents())).toEqual([0n]);
    // a commitment confirms: its event waits for the chain-driven write
    chain.submit([await sim.signedCommitment('B', 0n)]);
    await chain.mine(1);
    await cm.whenIdle();
    expect(cm.releasePendingMonitorEvents().filter((e) => e.kind === 'commitment_tx_confirmed')).toEqual([]);
    release();
    await cm.flush();
    expect(cm.releasePendingMonitorEvents().filter((e) => e.kind === 'commitment_tx_confirmed')).toHaveLength(1);
  });

  it('stores monitors and updates under the names of MONEY.md and compacts them', async () => {
    const store = new MemoryKVStore();
    const node = await MonitorNode.start({ format: 'anchors' });
    const { sim } = node;
    const persister = new KVStorePersister(store, { maximumPendingUpdates: 4 });
    const cm = new ChainMonitor({ signerProvider: sim.a, broadcaster: node.broadcaster, feeEstimator: node.fees, persister, backend });
    sim.resumeUpdatesAfter(0n);
    cm.watchChannel(sim.newMonitor('A', { blockHash: node.chain.tip.hash, height: node.chain.height }, await sim.a.getDestinationScript(sim.keysIdA)));
    const name = monitorName(sim.fundingOutpoint);
    expect(name).toBe(`${toHex([...sim.fundingOutpoint.txid].reverse() as unknown as Uint8Array)}_0`);
    for (let i = 0; i < 2; i++) for (const u of (await sim.advance({ ...sim.state, aMsat: sim.state.aMsat - 1000n, bMsat: sim.state.bMsat + 1000n })).forA) cm.updateChannel(u);
    await cm.flush();
    expect(await store.list(MONITOR_NAMESPACE, '')).toEqual([name]);
    // six updates: 4 was written whole (its predecessors removed), 5 and 6 alone
    expect((await store.list(MONITOR_UPDATE_NAMESPACE, name)).sort()).toEqual(['5', '6']);
    const read = await persister.readAllChannelMonitors(cm.channelMonitorOptions);
    expect(read).toHaveLength(1);
    expect(read[0]!.latestUpdateId).toBe(6n);
    expect(toHex(read[0]!.serialize())).toBe(toHex(cm.getMonitor(sim.channelId)!.serialize()));
    // an update stored without its predecessor is not applied (it was never acknowledged)
    await store.remove(MONITOR_UPDATE_NAMESPACE, name, '5');
    expect((await persister.readChannelMonitor(name, cm.channelMonitorOptions)).latestUpdateId).toBe(4n);
  });

  it('the notifier wakes a waiter, keeps a notification for the next wait, and calls subscribers', async () => {
    const n = new EventNotifier();
    let calls = 0;
    const off = n.subscribe(() => calls++);
    n.notify();
    await n.wait(); // kept from before
    let woke = false;
    const waiting = n.wait().then(() => (woke = true));
    await Promise.resolve();
    expect(woke).toBe(false);
    n.notify();
    await waiting;
    expect(woke).toBe(true);
    off();
    n.notify();
    expect(calls).toBe(2);
  });
});
