// The counterparty broadcasts a revoked commitment: the monitor takes every
// output (to_local and every HTLC by the revocation path, to_remote reported as
// ours), in as few justice transactions as weight allows, and the sums add up:
// everything the channel held minus fees ends with us.
import { describe, expect, it } from '@jest/globals';
import { outPointKey, toHex } from 'ln-types';
import { type Tx, txidOf } from 'ln-tx';
import type { SimHtlc } from './support/channel-sim.js';
import { MonitorNode } from './support/harness.js';

const FORMATS = ['static_remotekey', 'anchors'] as const;

/** Every transaction broadcast by the monitor that spends an output of `parent`. */
function spendersOf(node: MonitorNode, parent: Tx): Tx[] {
  const id = toHex(txidOf(parent));
  return node.broadcaster.all().filter((t) => t.inputs.some((i) => toHex(i.previousOutput.txid) === id));
}

async function punish(format: (typeof FORMATS)[number], htlcCount: { fromA: number; fromB: number }, revokedAt: bigint) {
  const node = await MonitorNode.start({ format });
  const { sim, chain } = node;
  const htlcs: SimHtlc[] = [];
  for (let i = 0; i < htlcCount.fromA; i++) htlcs.push(sim.htlc('A', 5_000_000n + BigInt(i) * 1_000_000n, 300 + i));
  for (let i = 0; i < htlcCount.fromB; i++) htlcs.push(sim.htlc('B', 7_000_000n + BigInt(i) * 1_000_000n, 310 + i));
  // commitment 1 carries the HTLCs; 2 and 3 move on (1 and 2 get revoked)
  await node.apply((await sim.advance(sim.withHtlcs(...htlcs))).forA);
  await node.apply((await sim.advance({ ...sim.state, aMsat: sim.state.aMsat - 1_000_000n, bMsat: sim.state.bMsat + 1_000_000n })).forA);
  await node.apply((await sim.advance({ ...sim.state, aMsat: sim.state.aMsat - 2_000_000n, bMsat: sim.state.bMsat + 2_000_000n })).forA);
  const cheat = await sim.signedCommitment('B', revokedAt);
  expect(chain.submit([cheat])).toEqual({ accepted: true });
  await node.mine(1);
  expect(node.monitorEvents.some((e) => e.kind === 'commitment_tx_confirmed' && toHex(e.txid) === toHex(txidOf(cheat)))).toBe(true);
  await node.mine(1);
  expect(node.broadcaster.refused).toEqual([]);
  const justice = spendersOf(node, cheat);
  expect(justice.length).toBeGreaterThan(0);
  for (const j of justice) expect(chain.isConfirmed(txidOf(j))).toBe(true);
  await node.mine(6);
  return { node, cheat, justice };
}

describe('justice on a revoked counterparty commitment', () => {
  for (const format of FORMATS) {
    it(`takes every output of a revoked commitment with HTLCs both ways (${format})`, async () => {
      const { node, cheat, justice } = await punish(format, { fromA: 2, fromB: 2 }, 1n);
      const cheatId = toHex(txidOf(cheat));
      const spent = new Set(justice.flatMap((j) => j.inputs.map((i) => outPointKey(i.previousOutput))));
      const reported = new Set(node.spendable().map((d) => outPointKey(d.outpoint)));
      let total = 0n;
      cheat.outputs.forEach((o, vout) => {
        if (o.amount === 330n && format === 'anchors') return; // anchors: anyone's after 16 blocks
        const key = `${cheatId}:${vout}`;
        expect(spent.has(key) || reported.has(key)).toBe(true);
        total += o.amount;
      });
      // one justice transaction takes to_local and all four HTLCs
      expect(justice).toHaveLength(1);
      expect(justice[0]!.inputs).toHaveLength(5);
      const claimed = justice.reduce((s, j) => s + j.outputs.reduce((x, o) => x + o.amount, 0n), 0n);
      const toRemote = node.spendable().filter((d) => toHex(d.outpoint.txid) === cheatId).reduce((s, d) => s + d.output.valueSat, 0n);
      const fees = total - claimed - toRemote;
      expect(fees).toBeGreaterThan(0n);
      expect(fees).toBeLessThan(10_000n);
      // the justice output is reported as ours once final
      expect(node.spendable().some((d) => d.kind === 'static_output' && toHex(d.outpoint.txid) === toHex(txidOf(justice[0]!)))).toBe(true);
      // HTLCs A offered were failed back once the justice transaction was final
      const failed = node.monitorEvents.filter((e) => e.kind === 'htlc_resolved' && e.preimage === undefined);
      expect(failed).toHaveLength(2);
    });
  }
});
