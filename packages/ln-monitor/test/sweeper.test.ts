// The OutputSweeper takes what monitors report spendable and sweeps it to the
// wallet: one transaction for everything pending, rebroadcast until it confirms,
// replaced with a higher fee when it lingers, put back to pending when a reorg
// undoes it, forgotten (and removed from the store) once final; a sweeper read
// back from the store carries on.
import { describe, expect, it } from '@jest/globals';
import type { BestBlock } from 'ln-chain-api';
import { MemoryKVStore, outPointKey, toHex } from 'ln-types';
import { type Tx, txidOf } from 'ln-tx';
import { OutputSweeper, SPENDABLE_OUTPUTS_NAMESPACE } from '../src/index.js';
import { MonitorNode } from './support/harness.js';
import { testKey } from './support/keys.js';

function sweeperFor(node: MonitorNode, store: MemoryKVStore, bestBlock: BestBlock): OutputSweeper {
  const wallet = testKey('sweep destination');
  return new OutputSweeper(
    { broadcaster: node.broadcaster, feeEstimator: node.fees, signerProvider: node.sim.a, store, changeDestination: async () => wallet.script },
    bestBlock,
  );
}

function paysTo(tx: Tx, script: Uint8Array): bigint {
  return tx.outputs.filter((o) => toHex(o.script) === toHex(script)).reduce((s, o) => s + o.amount, 0n);
}

describe('OutputSweeper', () => {
  it('sweeps our delayed outputs after a force close, across a restart, a fee bump and a reorg', async () => {
    const node = await MonitorNode.start({ format: 'static_remotekey', delays: { aSelected: 30, bSelected: 8 } });
    const { sim, chain } = node;
    const out = sim.htlc('A', 20_000_000n, chain.height + 5);
    const inn = sim.htlc('B', 30_000_000n, chain.height + 60);
    await node.apply((await sim.advance(sim.withHtlcs(out, inn))).forA);
    await node.apply([sim.preimage('A', inn)]);
    await node.apply([sim.updateA([{ kind: 'channel_force_closed', shouldBroadcast: true }])]);
    while (chain.height < out.cltvExpiry + 12) await node.mine(1);
    const delayed = node.spendable().filter((d) => d.kind === 'delayed_payment_output');
    expect(delayed).toHaveLength(3);
    const total = delayed.reduce((s, d) => s + d.output.valueSat, 0n);

    const store = new MemoryKVStore();
    let sweeper = sweeperFor(node, store, { blockHash: chain.tip.hash, height: chain.height });
    chain.listeners.push(sweeper);
    await sweeper.trackSpendableOutputs(delayed, sim.channelId);
    expect(await store.list(SPENDABLE_OUTPUTS_NAMESPACE, '')).toHaveLength(3);
    expect(node.broadcaster.refused).toEqual([]);
    const first = sweeper.trackedSpendableOutputs()[0]!.status;
    expect(first.kind).toBe('pending_first_confirmation');
    const firstTx = (first as { spendingTx: Tx }).spendingTx;
    expect(firstTx.inputs).toHaveLength(3);
    // the sweep does not confirm for a while (a miner ignores it): replaced with a higher fee
    for (let i = 0; i < 7; i++) {
      await chain.mine(1, (tx) => tx.inputs.some((x) => delayed.some((d) => outPointKey(d.outpoint) === outPointKey(x.previousOutput))));
      await sweeper.whenIdle();
    }
    const bumped = (sweeper.trackedSpendableOutputs()[0]!.status as { spendingTx: Tx; feerate: number });
    expect(toHex(txidOf(bumped.spendingTx))).not.toBe(toHex(txidOf(firstTx)));
    expect(bumped.feerate).toBeGreaterThan((first as { feerate: number }).feerate);
    expect(node.broadcaster.refused).toEqual([]);
    expect(chain.inMempool(txidOf(bumped.spendingTx))).toBe(true);
    // restart: the sweeper reads its outputs back and keeps the same sweep
    chain.listeners.splice(chain.listeners.indexOf(sweeper), 1);
    sweeper = await OutputSweeper.read(
      { broadcaster: node.broadcaster, feeEstimator: node.fees, signerProvider: sim.a, store, changeDestination: async () => testKey('sweep destination').script },
      { blockHash: chain.tip.hash, height: chain.height },
    );
    chain.listeners.push(sweeper);
    expect(sweeper.trackedSpendableOutputs()).toHaveLength(3);
    await chain.mine(1);
    await sweeper.whenIdle();
    const confirmed = sweeper.trackedSpendableOutputs()[0]!.status;
    expect(confirmed.kind).toBe('pending_threshold_confirmations');
    const sweep = (confirmed as { spendingTx: Tx }).spendingTx;
    expect(chain.isConfirmed(txidOf(sweep))).toBe(true);
    // everything minus the fee reached the wallet
    const fee = total - paysTo(sweep, testKey('sweep destination').script);
    expect(fee).toBeGreaterThan(0n);
    expect(fee).toBeLessThan(5_000n);
    // a reorg takes the sweep out: back to pending, broadcast again, confirmed again
    await chain.reorg(2, (tx) => toHex(txidOf(tx)) === toHex(txidOf(sweep)));
    await sweeper.whenIdle();
    expect(chain.isConfirmed(txidOf(sweep))).toBe(false);
    expect(sweeper.trackedSpendableOutputs()[0]!.status.kind).toBe('pending_first_confirmation');
    await chain.mine(1);
    await sweeper.whenIdle();
    expect(sweeper.trackedSpendableOutputs()[0]!.status.kind).toBe('pending_threshold_confirmations');
    // final after ANTI_REORG_DELAY: forgotten, and gone from the store
    await chain.mine(6);
    await sweeper.whenIdle();
    expect(sweeper.trackedSpendableOutputs()).toHaveLength(0);
    expect(await store.list(SPENDABLE_OUTPUTS_NAMESPACE, '')).toHaveLength(0);
    expect(node.broadcaster.refused).toEqual([]);
  });

  it('sweeps our to_remote of the counterparty commitment (anchors: CSV 1)', async () => {
    const node = await MonitorNode.start({ format: 'anchors' });
    const { sim, chain } = node;
    chain.submit([await sim.signedCommitment('B', 0n)]);
    await node.mine(7);
    const toRemote = node.spendable().filter((d) => d.kind === 'static_payment_output');
    expect(toRemote).toHaveLength(1);
    expect(toRemote[0]!.kind === 'static_payment_output' && toRemote[0]!.witnessScript).toBeDefined();
    const store = new MemoryKVStore();
    const sweeper = sweeperFor(node, store, { blockHash: chain.tip.hash, height: chain.height });
    chain.listeners.push(sweeper);
    await sweeper.trackSpendableOutputs(node.spendable(), sim.channelId);
    // static outputs (already the wallet's) are not swept by default
    expect(sweeper.trackedSpendableOutputs()).toHaveLength(1);
    await chain.mine(1);
    await sweeper.whenIdle();
    expect(node.broadcaster.refused).toEqual([]);
    expect(chain.spenderOf(toRemote[0]!.outpoint)).toBeDefined();
  });
});
