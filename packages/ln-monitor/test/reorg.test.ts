// Reorganizations of 1 to 6 blocks around each claim: the claim (justice, our
// commitment, HTLC-success/timeout, claims on the counterparty's commitment) is
// reorganized out and the replacement chain does not carry it; the monitor must
// rebuild it, broadcast it again and see it confirm, and report each HTLC's
// resolution exactly once, only when it is ANTI_REORG_DELAY deep.
import { describe, expect, it } from '@jest/globals';
import type { MonitorHtlc } from 'ln-chain-api';
import { type OutPoint, outPoint, toHex } from 'ln-types';
import { type Tx, txidOf } from 'ln-tx';
import { MonitorNode } from './support/harness.js';

const DEPTHS = [1, 2, 3, 4, 5, 6];

function spends(tx: Tx, o: OutPoint): boolean {
  return tx.inputs.some((i) => i.previousOutput.index === o.index && toHex(i.previousOutput.txid) === toHex(o.txid));
}

/**
 * With the claim of `o` confirmed, waits until it is min(d, 5) deep, then reorganizes
 * `d` blocks away with replacements that leave out every spend of `o`; the monitor
 * broadcasts its claim again and it confirms in the next block.
 */
async function reorgAround(node: MonitorNode, o: OutPoint, d: number): Promise<void> {
  let spent = node.chain.spenderOf(o);
  expect(spent).toBeDefined();
  const depth = node.chain.height - spent!.height + 1;
  expect(depth).toBeLessThan(6); // a final claim is not ours to undo
  if (depth > Math.min(d, 5)) {
    // deeper than this round wants: take it out once so it confirms afresh
    await node.chain.reorg(depth, (tx) => spends(tx, o));
    await node.settle();
    await node.mine(1);
    spent = node.chain.spenderOf(o);
    expect(spent?.height).toBe(node.chain.height);
  }
  while (node.chain.height < spent!.height + Math.min(d, 5) - 1) await node.mine(1);
  await node.chain.reorg(d, (tx) => spends(tx, o));
  await node.settle();
  expect(node.chain.spenderOf(o)).toBeUndefined();
  await node.mine(1);
  expect(node.chain.spenderOf(o)).toBeDefined();
  expect(node.broadcaster.refused).toEqual([]);
  expect(node.bumpErrors).toEqual([]);
}

function htlcOutpoint(node: MonitorNode, owner: 'A' | 'B', n: bigint, id: bigint, tx: Tx): OutPoint {
  const built = node.sim.built(owner, n);
  const i = built.description.htlcs.findIndex((h) => (h as MonitorHtlc).htlcId === id);
  return outPoint(txidOf(tx), built.htlcOutputs.find((x) => x.htlcIndex === i)!.outputIndex);
}

describe('reorgs around claims', () => {
  for (const format of ['static_remotekey', 'anchors'] as const) {
    it(`justice transactions reorganized out 1 to 6 blocks deep are rebuilt and confirm again (${format})`, async () => {
      const node = await MonitorNode.start({ format });
      const { sim, chain } = node;
      const a = sim.htlc('A', 9_000_000n, chain.height + 200);
      const b = sim.htlc('B', 8_000_000n, chain.height + 210);
      await node.apply((await sim.advance(sim.withHtlcs(a, b))).forA);
      await node.apply((await sim.advance({ ...sim.state, aMsat: sim.state.aMsat - 1000n, bMsat: sim.state.bMsat + 1000n })).forA);
      const cheat = await sim.signedCommitment('B', 1n);
      chain.submit([cheat]);
      await node.mine(2);
      const toLocal = outPoint(txidOf(cheat), sim.built('B', 1n).outputs.findIndex((o) => o.kind === 'to_local'));
      for (const d of DEPTHS) await reorgAround(node, toLocal, d);
      // the commitment itself reorganized out (1 block deep): forgotten, then seen and punished again
      const cheatHeight = chain.spenderOf(sim.fundingOutpoint)!.height;
      await chain.reorg(chain.height - cheatHeight + 1, (tx) => toHex(txidOf(tx)) === toHex(txidOf(cheat)) || spends(tx, toLocal));
      await node.settle();
      expect(chain.spenderOf(sim.fundingOutpoint)).toBeUndefined();
      chain.submit([cheat]);
      await node.mine(2);
      expect(chain.spenderOf(toLocal)).toBeDefined();
      await node.mine(6);
      const resolved = node.monitorEvents.filter((e) => e.kind === 'htlc_resolved');
      expect(resolved).toHaveLength(1);
      expect(node.monitorEvents.filter((e) => e.kind === 'commitment_tx_confirmed')).toHaveLength(1);
    });

    it(`our commitment and HTLC transactions reorganized out are broadcast again (${format})`, async () => {
      const node = await MonitorNode.start({ format, feeratePerKw: format === 'anchors' ? 253 : 1000, delays: { aSelected: 30, bSelected: 20 } });
      const { sim, chain } = node;
      const out = sim.htlc('A', 9_000_000n, chain.height + 70);
      const inn = sim.htlc('B', 8_000_000n, chain.height + 200);
      await node.apply((await sim.advance(sim.withHtlcs(out, inn))).forA);
      await node.apply([sim.preimage('A', inn)]);
      await node.apply([sim.updateA([{ kind: 'channel_force_closed', shouldBroadcast: true }])]);
      await node.mine(1);
      const commitment = sim.built('A', 1n).tx;
      for (const d of [1, 3]) await reorgAround(node, sim.fundingOutpoint, d);
      await node.mine(1);
      const success = htlcOutpoint(node, 'A', 1n, inn.id, commitment);
      for (const d of DEPTHS) await reorgAround(node, success, d);
      while (chain.height < out.cltvExpiry + 1) await node.mine(1);
      const timeout = htlcOutpoint(node, 'A', 1n, out.id, commitment);
      for (const d of DEPTHS) await reorgAround(node, timeout, d);
      await node.mine(6);
      const resolved = node.monitorEvents.filter((e) => e.kind === 'htlc_resolved');
      expect(resolved).toHaveLength(1);
    });

    it(`claims on the counterparty's commitment reorganized out are broadcast again (${format})`, async () => {
      const node = await MonitorNode.start({ format });
      const { sim, chain } = node;
      const theirs = sim.htlc('B', 9_000_000n, chain.height + 200);
      const ours = sim.htlc('A', 8_000_000n, chain.height + 80);
      await node.apply((await sim.advance(sim.withHtlcs(theirs, ours))).forA);
      const commitment = await sim.signedCommitment('B', 1n);
      chain.submit([commitment]);
      await node.mine(1);
      await node.apply([sim.preimage('A', theirs)]);
      await node.mine(1);
      const preimageClaim = htlcOutpoint(node, 'B', 1n, theirs.id, commitment);
      for (const d of DEPTHS) await reorgAround(node, preimageClaim, d);
      while (chain.height < ours.cltvExpiry + 1) await node.mine(1);
      const timeoutClaim = htlcOutpoint(node, 'B', 1n, ours.id, commitment);
      for (const d of DEPTHS) await reorgAround(node, timeoutClaim, d);
      await node.mine(6);
      const resolved = node.monitorEvents.filter((e) => e.kind === 'htlc_resolved');
      expect(resolved).toHaveLength(1);
      expect(resolved[0]!.kind === 'htlc_resolved' && resolved[0]!.preimage).toBeUndefined();
    });
  }
});
