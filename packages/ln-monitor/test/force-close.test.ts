// Our commitment goes on chain (ChannelManager force closes, or an HTLC deadline
// forces the monitor to): the HTLC-success transaction of an HTLC we hold the
// preimage of, HTLC-timeout after expiry, the counterparty timing out an HTLC we
// could not claim, then our delayed outputs once their CSV passed; with and
// without anchors (the wallet pays through BumpTransaction events). Every
// transaction is accepted and mined by the test chain, which checks every script.
import { describe, expect, it } from '@jest/globals';
import { outPointKey, toHex } from 'ln-types';
import { type Tx, txidOf } from 'ln-tx';
import { claimHtlcDirectly } from './support/counterparty-actions.js';
import { sourceOf } from './support/channel-sim.js';
import { MonitorNode } from './support/harness.js';

const FORMATS = ['static_remotekey', 'anchors'] as const;

function spendOf(node: MonitorNode, parent: Tx, vout: number) {
  return node.chain.spenderOf({ txid: txidOf(parent), index: vout });
}

describe('force close: our commitment on chain', () => {
  for (const format of FORMATS) {
    it(`claims HTLCs both ways and sweeps delayed outputs (${format})`, async () => {
      const node = await MonitorNode.start({ format, delays: { aSelected: 30, bSelected: 20 }, feeratePerKw: format === 'anchors' ? 253 : 1000 });
      const { sim, chain } = node;
      const h = chain.height;
      const out = sim.htlc('A', 20_000_000n, h + 15); // we offered: HTLC-timeout
      const inKnown = sim.htlc('B', 30_000_000n, h + 60); // we receive and learn the preimage: HTLC-success
      const inUnknown = sim.htlc('B', 25_000_000n, h + 25); // we never learn it: B times it out
      const outClaimed = sim.htlc('A', 12_000_000n, h + 70); // we offered; B claims it with the preimage on our commitment
      const inKnown2 = sim.htlc('B', 14_000_000n, h + 65); // a second HTLC-success (anchors: aggregated with the first)
      await node.apply((await sim.advance(sim.withHtlcs(out, inKnown, inUnknown, outClaimed, inKnown2))).forA);
      await node.apply([sim.preimage('A', inKnown), sim.preimage('A', inKnown2)]);
      await node.apply([sim.updateA([{ kind: 'channel_force_closed', shouldBroadcast: true }])]);
      const commitment = sim.built('A', 1n);
      const commitmentId = toHex(txidOf(commitment.tx));
      // broadcast at once (anchors: with a CPFP child from the wallet)
      await node.mine(1);
      expect(node.broadcaster.refused).toEqual([]);
      expect(node.bumpErrors).toEqual([]);
      expect(chain.isConfirmed(txidOf(commitment.tx))).toBe(true);
      expect(node.monitorEvents.some((e) => e.kind === 'commitment_tx_confirmed' && toHex(e.txid) === commitmentId)).toBe(true);
      if (format === 'anchors') expect(node.userEvents.some((e) => e.kind === 'bump_transaction' && e.event.kind === 'channel_close')).toBe(true);
      await node.mine(1);
      const idx = (id: bigint) => commitment.description.htlcs.findIndex((x) => (x as { htlcId?: bigint }).htlcId === id);
      const vout = (id: bigint) => commitment.htlcOutputs.find((o) => o.htlcIndex === idx(id))!.outputIndex;
      // HTLC-success went out with the preimage right away
      const success = spendOf(node, commitment.tx, vout(inKnown.id));
      expect(success).toBeDefined();
      const success2 = spendOf(node, commitment.tx, vout(inKnown2.id));
      expect(success2).toBeDefined();
      if (format === 'anchors') {
        // one transaction: both zero-fee HTLC-successes (input i paired with output i) plus a wallet input and change
        expect(toHex(txidOf(success2!.tx))).toBe(toHex(txidOf(success!.tx)));
        expect(success!.tx.inputs).toHaveLength(3);
        expect(success!.tx.outputs).toHaveLength(3);
      }
      // B claims the HTLC we offered with its preimage: ChannelManager hears of the preimage at once
      const bPreimageClaim = await claimHtlcDirectly(sim, 'B', 'A', 1n, commitment.tx, outClaimed);
      expect(chain.submit([bPreimageClaim])).toEqual({ accepted: true });
      await node.mine(1);
      const learned = node.monitorEvents.filter((e) => e.kind === 'htlc_resolved' && e.preimage !== undefined);
      expect(learned).toHaveLength(1);
      expect(learned[0]).toMatchObject({ source: sourceOf(outClaimed), preimage: outClaimed.preimage, txid: txidOf(bPreimageClaim) });
      // B times out the HTLC we could not claim once it expires
      while (chain.height < inUnknown.cltvExpiry) await node.mine(1);
      const bClaim = await claimHtlcDirectly(sim, 'B', 'A', 1n, commitment.tx, inUnknown);
      expect(chain.submit([bClaim])).toEqual({ accepted: true });
      // our HTLC-timeout confirms after its expiry (it was not valid before)
      while (chain.height < out.cltvExpiry + 2) await node.mine(1);
      const timeout = spendOf(node, commitment.tx, vout(out.id));
      expect(timeout).toBeDefined();
      expect(timeout!.height).toBeGreaterThan(out.cltvExpiry);
      expect(node.broadcaster.refused).toEqual([]);
      // the outbound HTLC fails back once its timeout is final
      await node.mine(6);
      const failed = node.monitorEvents.filter((e) => e.kind === 'htlc_resolved' && e.preimage === undefined);
      expect(failed).toHaveLength(1);
      expect(failed[0]).toMatchObject({ source: sourceOf(out), amountMsat: out.amountMsat });
      expect(failed[0]!.kind === 'htlc_resolved' && failed[0]!.preimage).toBeUndefined();
      // delayed outputs (to_local, both HTLC transaction outputs) are reported after their CSV (20)
      await node.mine(25);
      const reported = node.spendable();
      const delayed = reported.filter((d) => d.kind === 'delayed_payment_output');
      expect(delayed).toHaveLength(4);
      const toLocal = commitment.outputs.findIndex((o) => o.kind === 'to_local');
      expect(delayed.some((d) => outPointKey(d.outpoint) === `${commitmentId}:${toLocal}`)).toBe(true);
      for (const d of delayed) expect(d.kind === 'delayed_payment_output' && d.toSelfDelay).toBe(20);
      expect(node.bumpErrors).toEqual([]);
    });
  }
});
