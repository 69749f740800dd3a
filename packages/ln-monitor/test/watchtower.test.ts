// A watchtower in a separate process (child_process): the node ships its
// monitor and every update over TCP (WatchtowerClient, a Watch answering
// `in_progress` until the tower acknowledges), then stops; the counterparty
// broadcasts a revoked commitment and the tower, fed the chain's blocks, punishes
// it. The tower also outlives its own restart (filesystem store).
import { describe, expect, it } from '@jest/globals';
import { type ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Listen } from 'ln-chain-api';
import { fromHex, outPointKey, toHex } from 'ln-types';
import { type Block, type BlockHeader, decodeTx, encodeBlock, txidOf } from 'ln-tx';
import { WatchtowerClient } from '../src/watchtower/index.js';
import { MonitorNode } from './support/harness.js';

interface Tower {
  readonly child: ChildProcess;
  readonly port: number;
  readonly feeder: Listen;
}

async function startTower(node: MonitorNode, dir: string): Promise<Tower> {
  const child = fork(new URL('./tower/bootstrap.mjs', import.meta.url), [JSON.stringify({ seed: 1, dir })], {
    execArgv: ['--conditions=source'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiters = new Map<number, () => void>();
  let onPort: (port: number) => void = () => undefined;
  const port = new Promise<number>((resolve) => (onPort = resolve));
  child.on('message', (msg: { kind: string; port?: number; txs?: string[]; height?: number }) => {
    if (msg.kind === 'listening') onPort(msg.port!);
    if (msg.kind === 'broadcast') node.broadcaster.broadcastTransactions(msg.txs!.map((t) => decodeTx(fromHex(t))));
    if (msg.kind === 'block_done') waiters.get(msg.height!)?.();
  });
  const feeder: Listen = {
    blockConnected: (block: Block, height: number) =>
      new Promise<void>((resolve) => {
        waiters.set(height, resolve);
        child.send({ kind: 'block', height, raw: toHex(encodeBlock(block.header, block.transactions.map((t) => t.raw))) });
      }),
    blockDisconnected: (_header: BlockHeader, _height: number) => undefined,
  };
  return { child, port: await port, feeder };
}

async function stopTower(tower: Tower): Promise<void> {
  const exited = new Promise((resolve) => tower.child.on('exit', resolve));
  tower.child.send({ kind: 'exit' });
  await exited;
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 600 && !condition(); i++) await new Promise((r) => setTimeout(r, 50));
  if (!condition()) throw new Error(`timed out waiting for ${what}`);
}

describe('watchtower in another process', () => {
  it('punishes a revoked commitment while the node is stopped', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ln-monitor-tower-'));
    const node = await MonitorNode.start({ format: 'anchors' });
    const { sim, chain } = node;
    let tower = await startTower(node, dir);
    try {
      chain.listeners.push(tower.feeder);
      const client = new WatchtowerClient();
      client.connect(connect(tower.port, '127.0.0.1'));
      const destination = await sim.a.getDestinationScript(sim.keysIdA);
      expect(client.watchChannel(sim.newMonitor('A', { blockHash: chain.tip.hash, height: chain.height }, destination))).toBe('in_progress');
      const a = sim.htlc('A', 9_000_000n, chain.height + 100);
      const b = sim.htlc('B', 8_000_000n, chain.height + 110);
      const updates = [...(await sim.advance(sim.withHtlcs(a, b))).forA];
      // the tower restarts halfway (its monitor comes back from its files)
      for (const u of updates) expect(client.updateChannel(u)).toBe('in_progress');
      await until(() => client.unacknowledged === 0, 'the first acknowledgements');
      client.disconnect();
      chain.listeners.splice(chain.listeners.indexOf(tower.feeder), 1);
      await stopTower(tower);
      tower = await startTower(node, dir);
      chain.listeners.push(tower.feeder);
      client.connect(connect(tower.port, '127.0.0.1'));
      const more = [...(await sim.advance({ ...sim.state, aMsat: sim.state.aMsat - 1000n, bMsat: sim.state.bMsat + 1000n })).forA];
      for (const u of more) expect(client.updateChannel(u)).toBe('in_progress');
      await until(() => client.unacknowledged === 0, 'the acknowledgements');
      const completed = client.releasePendingMonitorEvents().filter((e) => e.kind === 'update_completed');
      expect(completed.map((e) => e.kind === 'update_completed' && e.updateId).pop()).toBe(more[more.length - 1]!.updateId);
      // the node stops: its own monitor and its link are gone
      client.disconnect();
      chain.listeners.splice(chain.listeners.indexOf(node.chainMonitor), 1);
      const cheat = await sim.signedCommitment('B', 1n);
      expect(chain.submit([cheat])).toEqual({ accepted: true });
      await chain.mine(1);
      await until(() => node.broadcaster.sent.some((batch) => batch.some((t) => t.inputs.some((i) => toHex(i.previousOutput.txid) === toHex(txidOf(cheat))))), 'the justice transaction');
      await chain.mine(1);
      const justice = node.broadcaster.all().filter((t) => t.inputs.some((i) => toHex(i.previousOutput.txid) === toHex(txidOf(cheat))));
      expect(justice).toHaveLength(1);
      expect(chain.isConfirmed(txidOf(justice[0]!))).toBe(true);
      // to_local and both HTLCs, paid to the node's wallet
      expect(justice[0]!.inputs).toHaveLength(3);
      expect(toHex(justice[0]!.outputs[0]!.script)).toBe(toHex(destination));
      const taken = new Set(justice[0]!.inputs.map((i) => outPointKey(i.previousOutput)));
      const toLocal = sim.built('B', 1n).outputs.findIndex((o) => o.kind === 'to_local');
      expect(taken.has(`${toHex(txidOf(cheat))}:${toLocal}`)).toBe(true);
      expect(node.broadcaster.refused).toEqual([]);
    } finally {
      await stopTower(tower).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
