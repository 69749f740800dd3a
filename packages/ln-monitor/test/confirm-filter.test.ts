// A light client's view: the ChainMonitor registers with a Filter what it must
// hear about (the funding output, then every output it may have to claim), is fed
// only those transactions through Confirm, is told when one is reorganized out
// (transactionUnconfirmed, from getRelevantTxids), and still punishes.
import { describe, expect, it } from '@jest/globals';
import type { Filter, WatchedOutput } from 'ln-chain-api';
import { type OutPoint, outPointKey, toHex } from 'ln-types';
import { type Block, txidOf } from 'ln-tx';
import { ChainMonitor } from '../src/index.js';
import { MonitorNode } from './support/harness.js';
import { backend } from './support/keys.js';

class RecordingFilter implements Filter {
  readonly outputs = new Map<string, WatchedOutput>();
  readonly txids: string[] = [];
  registerTx(txid: Uint8Array): void {
    this.txids.push(toHex(txid));
  }
  registerOutput(output: WatchedOutput): void {
    this.outputs.set(outPointKey(output.outpoint), output);
  }
  watches(o: OutPoint): boolean {
    return this.outputs.has(outPointKey(o));
  }
}

describe('Confirm and Filter', () => {
  it('punishes a revoked commitment fed only the transactions the filter asked for', async () => {
    const node = await MonitorNode.start({ format: 'anchors' });
    const { sim, chain } = node;
    // this ChainMonitor replaces the node's one; it hears of blocks only as a light client would
    chain.listeners.splice(chain.listeners.indexOf(node.chainMonitor), 1);
    const filter = new RecordingFilter();
    const cm = new ChainMonitor({ signerProvider: sim.a, broadcaster: node.broadcaster, feeEstimator: node.fees, persister: node.persister, backend, filter });
    sim.resumeUpdatesAfter(0n);
    cm.watchChannel(sim.newMonitor('A', { blockHash: chain.tip.hash, height: chain.height }, await sim.a.getDestinationScript(sim.keysIdA)));
    expect(filter.watches(sim.fundingOutpoint)).toBe(true);
    const updates = [...(await sim.advance(sim.withHtlcs(sim.htlc('A', 9_000_000n, chain.height + 300), sim.htlc('B', 8_000_000n, chain.height + 310)))).forA];
    updates.push(...(await sim.advance({ ...sim.state, aMsat: sim.state.aMsat - 1000n, bMsat: sim.state.bMsat + 1000n })).forA);
    for (const u of updates) cm.updateChannel(u);
    const feed = {
      blockConnected: async (block: Block, height: number) => {
        const relevant = block.transactions.filter((t) => t.tx.inputs.some((i) => filter.watches(i.previousOutput)));
        if (relevant.length > 0) await cm.transactionsConfirmed(block.header, relevant, height);
        await cm.bestBlockUpdated(block.header, height);
        await cm.flush();
      },
      blockDisconnected: async () => {
        // a light client learns of the reorg by checking the relevant txids still confirm
        for (const r of cm.getRelevantTxids()) if (!chain.isConfirmed(r.txid)) await cm.transactionUnconfirmed(r.txid);
        await cm.flush();
      },
    };
    chain.listeners.push(feed);
    const cheat = await sim.signedCommitment('B', 1n);
    chain.submit([cheat]);
    await chain.mine(1);
    // every output of the revoked commitment that we punish is now watched (anchors and our to_remote need not be)
    const outputs = sim.built('B', 1n).outputs;
    cheat.outputs.forEach((_, vout) => {
      const kind = outputs[vout]!.kind;
      expect(filter.watches({ txid: txidOf(cheat), index: vout })).toBe(kind === 'to_local' || kind === 'htlc');
    });
    expect(cm.getRelevantTxids().map((r) => toHex(r.txid))).toContain(toHex(txidOf(cheat)));
    await chain.mine(1);
    const justice = node.broadcaster.all().filter((t) => t.inputs.some((i) => toHex(i.previousOutput.txid) === toHex(txidOf(cheat))));
    expect(justice).toHaveLength(1);
    expect(chain.isConfirmed(txidOf(justice[0]!))).toBe(true);
    // the justice transaction is reorganized out: unconfirmed through Confirm, broadcast again, confirmed again
    await chain.reorg(1, (tx) => toHex(txidOf(tx)) === toHex(txidOf(justice[0]!)));
    expect(chain.isConfirmed(txidOf(justice[0]!))).toBe(false);
    await chain.mine(1);
    expect(chain.isConfirmed(txidOf(justice[0]!))).toBe(true);
    expect(node.broadcaster.refused).toEqual([]);
  });
});
