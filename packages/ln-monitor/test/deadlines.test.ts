// The monitor goes on chain by itself, as rust-lightning does: an HTLC we offered
// LATENCY_GRACE_PERIOD_BLOCKS past its expiry, or one we received and know the
// preimage of CLTV_CLAIM_BUFFER blocks before it; it reports holder_force_closed,
// refuses further commitments, and a claim that does not confirm is replaced with
// a higher fee (RBF) until it does.
import { describe, expect, it } from '@jest/globals';
import { toHex } from 'ln-types';
import { type Tx, txWeight, txidOf } from 'ln-tx';
import { CLTV_CLAIM_BUFFER, LATENCY_GRACE_PERIOD_BLOCKS } from '../src/index.js';
import { MonitorNode } from './support/harness.js';

describe('HTLC deadlines force a close', () => {
  for (const format of ['static_remotekey', 'anchors'] as const) {
    it(`an outbound HTLC ${LATENCY_GRACE_PERIOD_BLOCKS} blocks past its expiry (${format})`, async () => {
      const node = await MonitorNode.start({ format, feeratePerKw: 1000 });
      const { sim, chain } = node;
      const out = sim.htlc('A', 20_000_000n, chain.height + 10);
      await node.apply((await sim.advance(sim.withHtlcs(out))).forA);
      while (chain.height < out.cltvExpiry + LATENCY_GRACE_PERIOD_BLOCKS - 1) await node.mine(1);
      expect(node.monitorEvents.some((e) => e.kind === 'holder_force_closed')).toBe(false);
      await node.mine(1);
      const closed = node.monitorEvents.filter((e) => e.kind === 'holder_force_closed');
      expect(closed).toHaveLength(1);
      expect(closed[0]!.kind === 'holder_force_closed' && closed[0]!.reason).toMatch(/outbound HTLC/);
      expect(node.monitor.view().closed).toBe(true);
      // our commitment confirms, then its HTLC-timeout (already past expiry)
      await node.mine(2);
      const commitment = sim.built('A', 1n).tx;
      expect(chain.isConfirmed(txidOf(commitment))).toBe(true);
      const vout = sim.built('A', 1n).htlcOutputs[0]!.outputIndex;
      expect(chain.spenderOf({ txid: txidOf(commitment), index: vout })).toBeDefined();
      expect(node.broadcaster.refused).toEqual([]);
      expect(node.bumpErrors).toEqual([]);
      // ChannelManager cannot move the channel on any more
      const next = await sim.advance(sim.settled(out, false));
      expect(node.chainMonitor.updateChannel(next.forA[0]!)).toBe('unrecoverable_error');
      expect(node.chainMonitor.lastError?.code).toBe('channel_closed');
    });

    it(`an inbound HTLC with its preimage ${CLTV_CLAIM_BUFFER} blocks before expiry (${format})`, async () => {
      const node = await MonitorNode.start({ format });
      const { sim, chain } = node;
      const inn = sim.htlc('B', 20_000_000n, chain.height + CLTV_CLAIM_BUFFER + 8);
      await node.apply((await sim.advance(sim.withHtlcs(inn))).forA);
      // without the preimage nothing happens
      while (chain.height < inn.cltvExpiry - CLTV_CLAIM_BUFFER) await node.mine(1);
      expect(node.monitorEvents.some((e) => e.kind === 'holder_force_closed')).toBe(false);
      await node.apply([sim.preimage('A', inn)]);
      await node.mine(1);
      expect(node.monitorEvents.filter((e) => e.kind === 'holder_force_closed')).toHaveLength(1);
      await node.mine(2);
      const commitment = sim.built('A', 1n).tx;
      expect(chain.isConfirmed(txidOf(commitment))).toBe(true);
      const vout = sim.built('A', 1n).htlcOutputs[0]!.outputIndex;
      expect(chain.spenderOf({ txid: txidOf(commitment), index: vout })).toBeDefined();
      expect(node.broadcaster.refused).toEqual([]);
    });
  }
});

describe('fee bumping', () => {
  it('replaces a justice transaction that does not confirm with ever higher fees, and restarts keep the rate', async () => {
    const node = await MonitorNode.start({ format: 'static_remotekey' });
    const { sim, chain } = node;
    await node.apply((await sim.advance(sim.withHtlcs(sim.htlc('B', 9_000_000n, chain.height + 500)))).forA);
    await node.apply((await sim.advance({ ...sim.state, aMsat: sim.state.aMsat - 1000n, bMsat: sim.state.bMsat + 1000n })).forA);
    const cheat = await sim.signedCommitment('B', 1n);
    chain.submit([cheat]);
    await node.mine(1);
    const justiceOf = () => node.broadcaster.all().filter((t) => t.inputs.some((i) => toHex(i.previousOutput.txid) === toHex(txidOf(cheat))));
    const rate = (tx: Tx) => {
      const fee = cheat.outputs.filter((_, i) => tx.inputs.some((x) => x.previousOutput.index === i)).reduce((s, o) => s + o.amount, 0n) - tx.outputs.reduce((s, o) => s + o.amount, 0n);
      return Number((fee * 1000n) / BigInt(txWeight(tx)));
    };
    // miners ignore justice for 40 blocks while the fee market rises
    const isJustice = (tx: Tx) => tx.inputs.some((i) => toHex(i.previousOutput.txid) === toHex(txidOf(cheat)));
    for (let i = 0; i < 40; i++) {
      if (i === 20) node.fees.base = 3000;
      await chain.mine(1, isJustice);
      await node.settle();
      if (i % 10 === 5) await node.restart();
    }
    const versions = justiceOf();
    expect(versions.length).toBeGreaterThanOrEqual(3); // first broadcast, then a bump every 15 blocks far from the deadline
    const rates = versions.map(rate);
    for (let i = 1; i < rates.length; i++) expect(rates[i]!).toBeGreaterThan(rates[i - 1]!);
    expect(rates[rates.length - 1]!).toBeGreaterThanOrEqual(3000);
    // every version was accepted as a replacement of the one before
    expect(node.broadcaster.refused).toEqual([]);
    expect(chain.inMempool(txidOf(versions[versions.length - 1]!))).toBe(true);
    // a mempool that forgot it (a restarted bitcoind): the timer tick rebroadcasts
    chain.node.clearMempool();
    await node.chainMonitor.timerTickOccurred();
    expect(chain.inMempool(txidOf(versions[versions.length - 1]!))).toBe(true);
    await node.mine(1);
    expect(chain.isConfirmed(txidOf(versions[versions.length - 1]!))).toBe(true);
  });
});
