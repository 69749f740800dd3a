// The monitor is dropped and read back from its store after every update and
// every block (a node crashing at each step), through justice and a force close
// with HTLCs both ways: every claim still goes out and confirms, each HTLC is
// resolved once, and the store holds the monitor plus at most a few pending updates.
import { describe, expect, it } from '@jest/globals';
import { toHex } from 'ln-types';
import { txidOf } from 'ln-tx';
import { MONITOR_UPDATE_NAMESPACE } from '../src/index.js';
import { MonitorNode } from './support/harness.js';

describe('restart between every step', () => {
  for (const format of ['static_remotekey', 'anchors'] as const) {
    it(`justice (${format})`, async () => {
      const node = await MonitorNode.start({ format, restartEveryStep: true });
      const { sim, chain } = node;
      const a = sim.htlc('A', 9_000_000n, chain.height + 200);
      const b = sim.htlc('B', 8_000_000n, chain.height + 210);
      await node.apply((await sim.advance(sim.withHtlcs(a, b))).forA);
      await node.apply((await sim.advance({ ...sim.state, aMsat: sim.state.aMsat - 1000n, bMsat: sim.state.bMsat + 1000n })).forA);
      const cheat = await sim.signedCommitment('B', 1n);
      chain.submit([cheat]);
      await node.mine(8);
      const justice = node.broadcaster.all().filter((t) => t.inputs.some((i) => toHex(i.previousOutput.txid) === toHex(txidOf(cheat))));
      expect(justice).toHaveLength(1);
      expect(justice[0]!.inputs).toHaveLength(3);
      expect(chain.isConfirmed(txidOf(justice[0]!))).toBe(true);
      expect(node.monitorEvents.filter((e) => e.kind === 'htlc_resolved')).toHaveLength(1);
      expect(node.restarts).toBeGreaterThan(10);
      expect(node.broadcaster.refused).toEqual([]);
    });

    it(`force close with HTLCs both ways (${format})`, async () => {
      const node = await MonitorNode.start({ format, restartEveryStep: true, feeratePerKw: format === 'anchors' ? 253 : 1000, delays: { aSelected: 30, bSelected: 10 } });
      const { sim, chain } = node;
      const out = sim.htlc('A', 9_000_000n, chain.height + 8);
      const inn = sim.htlc('B', 8_000_000n, chain.height + 100);
      await node.apply((await sim.advance(sim.withHtlcs(out, inn))).forA);
      await node.apply([sim.preimage('A', inn)]);
      await node.apply([sim.updateA([{ kind: 'channel_force_closed', shouldBroadcast: true }])]);
      while (chain.height < out.cltvExpiry + 20) await node.mine(1);
      const commitment = sim.built('A', 1n);
      for (const o of commitment.htlcOutputs) expect(chain.spenderOf({ txid: txidOf(commitment.tx), index: o.outputIndex })).toBeDefined();
      expect(node.monitorEvents.filter((e) => e.kind === 'htlc_resolved')).toHaveLength(1);
      expect(node.spendable().filter((d) => d.kind === 'delayed_payment_output')).toHaveLength(3);
      expect(node.broadcaster.refused).toEqual([]);
      expect(node.bumpErrors).toEqual([]);
      // updates were compacted into the monitor
      expect((await node.store.list(MONITOR_UPDATE_NAMESPACE, node.monitor.name)).length).toBeLessThan(5);
    });
  }
});
