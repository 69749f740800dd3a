// The counterparty broadcasts a revoked commitment: the monitor takes every
// output (to_local and every HTLC by the revocation path, to_remote reported as
// ours), in as few justice transactions as weight allows, and the sums add up:
// everything the channel held minus fees ends with us.
import { describe, expect, it } from '@jest/globals';
import { outPointKey, toHex } from 'ln-types';
import { type Tx, txidOf } from 'ln-tx';
import type { SimHtlc } from './support/channel-sim.js';
import { MonitorNode } from './support/harness.js';
import { testKey } from './support/keys.js';

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

describe('justice on second-stage transactions', () => {
  for (const format of FORMATS) {
    it(`punishes the outputs of the cheater's HTLC-success and HTLC-timeout transactions (${format})`, async () => {
      const node = await MonitorNode.start({ format });
      const { sim, chain } = node;
      const bOffered = sim.htlc('B', 9_000_000n, chain.height + 6); // B takes it back with its HTLC-timeout
      const aOffered = sim.htlc('A', 8_000_000n, chain.height + 300); // B claims it with its HTLC-success (it knows the preimage)
      await node.apply((await sim.advance(sim.withHtlcs(bOffered, aOffered))).forA);
      await node.apply((await sim.advance({ ...sim.state, aMsat: sim.state.aMsat - 1000n, bMsat: sim.state.bMsat + 1000n })).forA);
      while (chain.height < bOffered.cltvExpiry) await node.mine(1);
      const cheat = await sim.signedCommitment('B', 1n);
      const bKey = testKey('cheater fee coins');
      const coins = format === 'anchors' ? [await chain.fund(bKey.script, 40_000n), await chain.fund(bKey.script, 40_000n)] : [];
      const feeCoin = (i: number) => (format === 'anchors' ? { outpoint: coins[i]!, amount: 40_000n, key: bKey } : undefined);
      const timeout = (await sim.signedHtlcTxs('B', 1n, () => false, feeCoin(0))).find((x) => x.sim.id === bOffered.id)!.tx;
      const success = (await sim.signedHtlcTxs('B', 1n, () => true, feeCoin(1))).find((x) => x.sim.id === aOffered.id)!.tx;
      // the cheater gets its second-stage transactions in before our justice
      chain.listeners.splice(chain.listeners.indexOf(node.chainMonitor), 1);
      expect(chain.submit([cheat])).toEqual({ accepted: true });
      if (format === 'static_remotekey') {
        expect(chain.submit([timeout])).toEqual({ accepted: true });
        expect(chain.submit([success])).toEqual({ accepted: true });
      }
      const [block] = await chain.mine(1);
      if (format === 'anchors') {
        // CSV 1: they wait for the commitment's confirmation
        expect(chain.submit([timeout])).toEqual({ accepted: true });
        expect(chain.submit([success])).toEqual({ accepted: true });
      }
      chain.listeners.push(node.chainMonitor);
      await node.chainMonitor.blockConnected(block!, chain.height);
      await node.settle();
      await node.mine(3);
      // HTLC-success revealed the preimage of the HTLC we offered: ChannelManager can claim upstream
      const learned = node.monitorEvents.filter((e) => e.kind === 'htlc_resolved' && e.preimage !== undefined);
      expect(learned).toHaveLength(1);
      expect(learned[0]).toMatchObject({ preimage: aOffered.preimage });
      // to_local and both second-stage outputs went to us by the revocation path
      const toLocal = sim.built('B', 1n).outputs.findIndex((o) => o.kind === 'to_local');
      const targets = [
        { txid: txidOf(cheat), index: toLocal },
        { txid: txidOf(timeout), index: 0 },
        { txid: txidOf(success), index: 0 },
      ];
      const destination = await sim.a.getDestinationScript(sim.keysIdA);
      for (const t of targets) {
        const spend = chain.spenderOf(t);
        expect(spend).toBeDefined();
        expect(toHex(spend!.tx.outputs[0]!.script)).toBe(toHex(destination));
      }
    });
  }
});
