// Every revoked state of a channel that went through no HTLCs, one, one each way,
// many both ways (a dust one among them), settlements and a fee change: the
// counterparty broadcasts it, justice takes every output but our to_remote, the
// OutputSweeper sweeps that one, and summing what reached our scripts gives the
// channel's funds minus the fees paid on chain (commitment, anchors, justice, sweep).
import { describe, expect, it } from '@jest/globals';
import { MemoryKVStore, outPointKey, toHex } from 'ln-types';
import { type Tx, txidOf } from 'ln-tx';
import { OutputSweeper } from '../src/index.js';
import type { SimHtlc } from './support/channel-sim.js';
import { MonitorNode } from './support/harness.js';
import { testKey } from './support/keys.js';

/** Drives the channel through its states; returns the commitment number of each. */
async function history(node: MonitorNode): Promise<string[]> {
  const { sim } = node;
  const h = node.chain.height + 300;
  const labels = ['no HTLCs (opening)'];
  const step = async (label: string, state: typeof sim.state) => {
    await node.apply((await sim.advance(state)).forA);
    labels.push(label);
  };
  await step('no HTLCs, balance moved', { ...sim.state, aMsat: sim.state.aMsat - 50_000_000n, bMsat: sim.state.bMsat + 50_000_000n });
  const a1 = sim.htlc('A', 30_000_000n, h);
  await step('one HTLC from us', sim.withHtlcs(a1));
  const b1 = sim.htlc('B', 20_000_000n, h + 1);
  await step('one HTLC each way', sim.withHtlcs(b1));
  const many: SimHtlc[] = [];
  for (let i = 0; i < 4; i++) many.push(sim.htlc('A', 5_000_000n + BigInt(i) * 700_000n, h + 2 + i), sim.htlc('B', 6_000_000n + BigInt(i) * 900_000n, h + 10 + i));
  many.push(sim.htlc('B', 500_000n, h + 20)); // dust on some commitments
  await step('many HTLCs both ways', sim.withHtlcs(...many));
  await node.apply([sim.preimage('A', b1)]);
  await step('settled some', sim.settled(b1, true));
  await step('settled more', sim.settled(a1, false));
  await step('fee change', { ...sim.state, feeratePerKw: 2500 });
  await step('latest', { ...sim.state, aMsat: sim.state.aMsat - 1_000_000n, bMsat: sim.state.bMsat + 1_000_000n });
  return labels;
}

async function punishState(format: 'static_remotekey' | 'anchors', k: number): Promise<void> {
  const node = await MonitorNode.start({ format, seed: 40 + k });
  const labels = await history(node);
  const { sim, chain } = node;
  expect(BigInt(k)).toBeLessThan(sim.n);
  const cheat = await sim.signedCommitment('B', BigInt(k));
  expect(chain.submit([cheat])).toEqual({ accepted: true });
  await node.mine(2);
  await node.mine(6);
  const cheatId = toHex(txidOf(cheat));
  const justice = node.broadcaster.all().filter((t) => t.inputs.some((i) => toHex(i.previousOutput.txid) === cheatId));
  for (const j of justice) expect(chain.isConfirmed(txidOf(j))).toBe(true);
  const spentByJustice = new Set(justice.flatMap((j) => j.inputs.map((i) => outPointKey(i.previousOutput))));
  const toRemote = node.spendable().filter((d) => d.kind === 'static_payment_output' && toHex(d.outpoint.txid) === cheatId);
  const reported = new Set(toRemote.map((d) => outPointKey(d.outpoint)));
  let anchors = 0n;
  cheat.outputs.forEach((o, vout) => {
    if (format === 'anchors' && o.amount === 330n) {
      anchors += 330n;
      return;
    }
    const key = `${cheatId}:${vout}`;
    if (!spentByJustice.has(key) && !reported.has(key)) throw new Error(`state ${k} (${labels[k]}): output ${vout} neither punished nor ours`);
  });
  // our to_remote goes to the wallet through the sweeper
  const wallet = testKey('revoked-states wallet');
  const sweeper = new OutputSweeper(
    { broadcaster: node.broadcaster, feeEstimator: node.fees, signerProvider: sim.a, store: new MemoryKVStore(), changeDestination: async () => wallet.script },
    { blockHash: chain.tip.hash, height: chain.height },
  );
  chain.listeners.push(sweeper);
  let swept: Tx[] = [];
  if (toRemote.length > 0) {
    await sweeper.trackSpendableOutputs(toRemote, sim.channelId);
    await chain.mine(1);
    await sweeper.whenIdle();
    swept = toRemote.map((d) => chain.spenderOf(d.outpoint)!.tx);
    for (const t of swept) expect(chain.isConfirmed(txidOf(t))).toBe(true);
  }
  expect(node.broadcaster.refused).toEqual([]);
  const destination = await sim.a.getDestinationScript(sim.keysIdA);
  const received = [...justice, ...swept].flatMap((t) => t.outputs).filter((o) => toHex(o.script) === toHex(destination) || toHex(o.script) === toHex(wallet.script)).reduce((s, o) => s + o.amount, 0n);
  const commitmentFee = sim.fundingSat - cheat.outputs.reduce((s, o) => s + o.amount, 0n);
  const fees = (txs: Tx[], spentValue: (t: Tx) => bigint) => txs.reduce((s, t) => s + spentValue(t) - t.outputs.reduce((x, o) => x + o.amount, 0n), 0n);
  const justiceFees = fees(justice, (t) => t.inputs.reduce((s, i) => s + cheat.outputs[i.previousOutput.index]!.amount, 0n));
  const sweepFees = fees(swept, (t) => t.inputs.reduce((s, i) => s + cheat.outputs[i.previousOutput.index]!.amount, 0n));
  // everything in the channel, minus what the chain took
  expect(received).toBe(sim.fundingSat - commitmentFee - anchors - justiceFees - sweepFees);
  expect(justiceFees + sweepFees).toBeLessThan(25_000n);
  // one justice transaction takes everything punishable
  expect(justice).toHaveLength(1);
}

describe('justice at every revoked state', () => {
  // commitment 8 is the latest: every earlier one is revoked
  const states = [0, 1, 2, 3, 4, 5, 6, 7];
  for (const format of ['static_remotekey', 'anchors'] as const) {
    for (const k of states) {
      it(`revoked commitment ${k} (${format})`, async () => {
        await punishState(format, k);
      });
    }
  }
});
