// The monitor's serialized form: round trips at every stage of a channel's life
// (open, HTLCs in flight, funding spent, claims running, events pending), refuses
// truncated, corrupted and future-version bytes with a typed error, and a monitor
// read back makes the same decisions as the original on the same chain.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { toHex } from 'ln-types';
import { txidOf } from 'ln-tx';
import { ChainMonitor, ChannelMonitor, MonitorError, decodeMonitorState, encodeMonitorState } from '../src/index.js';
import { MonitorNode, TestBroadcaster } from './support/harness.js';
import { backend } from './support/keys.js';

const RUNS = process.env.LN_LONG_TESTS === '1' ? 2000 : 200;

async function lifeSnapshots(): Promise<{ node: MonitorNode; snapshots: Uint8Array[] }> {
  const node = await MonitorNode.start({ format: 'anchors' });
  const { sim, chain } = node;
  const snapshots: Uint8Array[] = [node.monitor.serialize()];
  const a = sim.htlc('A', 9_000_000n, chain.height + 30);
  const b = sim.htlc('B', 8_000_000n, chain.height + 40);
  await node.apply((await sim.advance(sim.withHtlcs(a, b))).forA);
  await node.apply([sim.preimage('A', b)]);
  snapshots.push(node.monitor.serialize());
  await node.apply((await sim.advance({ ...sim.state, aMsat: sim.state.aMsat - 1000n, bMsat: sim.state.bMsat + 1000n })).forA);
  const cheat = await sim.signedCommitment('B', 1n);
  chain.submit([cheat]);
  await chain.mine(1);
  await node.chainMonitor.whenIdle();
  snapshots.push(node.monitor.serialize()); // funding spent, claims running, events pending
  await node.settle();
  await node.mine(7);
  snapshots.push(node.monitor.serialize()); // settled, outputs reported
  return { node, snapshots };
}

describe('monitor serialization', () => {
  it('round trips, and refuses bad bytes with a typed error', async () => {
    const { snapshots } = await lifeSnapshots();
    for (const bytes of snapshots) {
      expect(toHex(encodeMonitorState(decodeMonitorState(bytes)))).toBe(toHex(bytes));
      // a newer version is refused as such
      const future = bytes.slice();
      future[1] = 2;
      expect(() => decodeMonitorState(future)).toThrow(expect.objectContaining({ code: 'unsupported_version' }));
      // every truncation is malformed
      for (let cut = 0; cut < bytes.length; cut += Math.max(1, Math.floor(bytes.length / 97))) {
        expect(() => decodeMonitorState(bytes.subarray(0, cut))).toThrow(MonitorError);
      }
      expect(() => decodeMonitorState(new Uint8Array([...bytes, 0]))).toThrow(expect.objectContaining({ code: 'malformed' }));
      fc.assert(
        fc.property(fc.nat({ max: bytes.length - 1 }), fc.integer({ min: 1, max: 255 }), (at, x) => {
          const corrupt = bytes.slice();
          corrupt[at] = corrupt[at]! ^ x;
          try {
            decodeMonitorState(corrupt);
          } catch (e) {
            expect(e).toBeInstanceOf(MonitorError);
          }
        }),
        { numRuns: RUNS },
      );
    }
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), (junk) => {
        expect(() => decodeMonitorState(junk)).toThrow(MonitorError);
      }),
      { numRuns: RUNS },
    );
  });

  it('a monitor read back makes the same decisions on the same chain', async () => {
    const node = await MonitorNode.start({ format: 'static_remotekey' });
    const { sim, chain } = node;
    const a = sim.htlc('A', 9_000_000n, chain.height + 20);
    const b = sim.htlc('B', 8_000_000n, chain.height + 40);
    await node.apply((await sim.advance(sim.withHtlcs(a, b))).forA);
    await node.apply((await sim.advance({ ...sim.state, aMsat: sim.state.aMsat - 1000n, bMsat: sim.state.bMsat + 1000n })).forA);
    await node.apply([sim.preimage('A', b)]);
    // a second ChainMonitor from the written bytes, listening to the same chain, broadcasting apart
    const copyBroadcaster = new TestBroadcaster(chain);
    const copy = new ChainMonitor({ signerProvider: sim.a, broadcaster: copyBroadcaster, feeEstimator: node.fees, persister: node.persister, backend });
    copy.loadMonitor(ChannelMonitor.read(node.monitor.serialize(), copy.channelMonitorOptions));
    chain.listeners.push(copy);
    node.broadcaster.sent.length = 0;
    // the counterparty broadcasts its previous (revoked) commitment; later the HTLC deadline passes
    chain.submit([await sim.signedCommitment('B', 1n)]);
    for (let i = 0; i < 30; i++) {
      await node.mine(1);
      await copy.whenIdle();
    }
    const ids = (sent: typeof copyBroadcaster.sent) => sent.map((batch) => batch.map((t) => toHex(txidOf(t))).join('+'));
    expect(ids(node.broadcaster.sent).length).toBeGreaterThan(0);
    expect(ids(copyBroadcaster.sent)).toEqual(ids(node.broadcaster.sent));
    const copyEvents = copy.releasePendingMonitorEvents();
    expect(copyEvents.map((e) => e.kind)).toEqual(node.monitorEvents.filter((e) => e.kind !== 'update_completed').map((e) => e.kind));
    const copyOutputs: string[] = [];
    await copy.processPendingEvents((e) => {
      if (e.kind === 'spendable_outputs') copyOutputs.push(...e.outputs.map((d) => `${d.kind}:${toHex(d.outpoint.txid)}:${d.outpoint.index}`));
    });
    expect(copyOutputs).toEqual(node.spendable().map((d) => `${d.kind}:${toHex(d.outpoint.txid)}:${d.outpoint.index}`));
    // and the two monitors end in the same state
    expect(toHex(copy.getMonitor(sim.channelId)!.serialize()) === toHex(node.monitor.serialize())).toBe(true);
  });
});
