// The ChainMonitor fed by ln-chain-source's BlockSync over bitcoind's JSON-RPC,
// served by ln-regtest over real HTTP: a revoked commitment is punished, a reorg
// that takes the justice transaction out is walked back by the driver (stale
// blocks disconnected tip first) and the claim goes out again.
import { describe, expect, it } from '@jest/globals';
import { BitcoindRpcClient, BlockSync } from 'ln-chain-source';
import { startRegtest } from 'ln-regtest';
import { toHex } from 'ln-types';
import { txidOf } from 'ln-tx';
import { MonitorNode } from './support/harness.js';
import { RegtestChain } from './support/regtest-chain.js';

describe('BlockSync feeding a ChainMonitor', () => {
  it('punishes through the sync driver, across a reorg', async () => {
    const regtest = await startRegtest({ port: 0 });
    try {
      const node = await MonitorNode.start({ format: 'anchors', chain: new RegtestChain(regtest.node) });
      const { sim, chain, chainMonitor } = node;
      // from here on, the ChainMonitor hears of blocks only through the driver
      chain.listeners.splice(chain.listeners.indexOf(chainMonitor), 1);
      const sync = new BlockSync(new BitcoindRpcClient({ url: regtest.rpcUrl, auth: regtest.credentials }), { network: 'regtest' });
      expect(chainMonitor.bestBlock?.height).toBe(chain.height);
      sync.addListener(chainMonitor, chainMonitor.bestBlock!);
      const step = async (blocks = 1) => {
        await chain.mine(blocks);
        await sync.poll();
        await node.settle();
      };
      await node.apply((await sim.advance(sim.withHtlcs(sim.htlc('A', 9_000_000n, chain.height + 300), sim.htlc('B', 8_000_000n, chain.height + 310)))).forA);
      await node.apply((await sim.advance({ ...sim.state, aMsat: sim.state.aMsat - 1000n, bMsat: sim.state.bMsat + 1000n })).forA);
      const cheat = await sim.signedCommitment('B', 1n);
      chain.submit([cheat]);
      await step();
      await step();
      const justice = node.broadcaster.all().filter((t) => t.inputs.some((i) => toHex(i.previousOutput.txid) === toHex(txidOf(cheat))));
      expect(justice).toHaveLength(1);
      expect(chain.isConfirmed(txidOf(justice[0]!))).toBe(true);
      // a two-block reorg without the justice transaction: the driver walks back, the monitor rebroadcasts
      await chain.reorg(2, (tx) => toHex(txidOf(tx)) === toHex(txidOf(justice[0]!)));
      const result = await sync.poll();
      expect(result.blocksDisconnected).toBe(2);
      await node.settle();
      expect(chain.isConfirmed(txidOf(justice[0]!))).toBe(false);
      await step();
      expect(chain.isConfirmed(txidOf(justice[0]!))).toBe(true);
      expect(node.broadcaster.refused).toEqual([]);
    } finally {
      await regtest.close();
    }
  });
});
