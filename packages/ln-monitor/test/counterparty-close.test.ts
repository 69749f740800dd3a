// The counterparty's commitment goes on chain (its latest, or the previous one it
// has not revoked yet): we take our to_remote (reported as ours), claim HTLCs it
// offered with the preimage (before their expiry), take back HTLCs we offered after
// their expiry, and pass a preimage the counterparty reveals on chain back to
// ChannelManager at once.
import { describe, expect, it } from '@jest/globals';
import type { MonitorHtlc } from 'ln-chain-api';
import { toHex } from 'ln-types';
import { type Tx, txidOf } from 'ln-tx';
import { sourceOf } from './support/channel-sim.js';
import { MonitorNode } from './support/harness.js';
import { testKey } from './support/keys.js';

const FORMATS = ['static_remotekey', 'anchors'] as const;

function htlcVout(node: MonitorNode, owner: 'A' | 'B', n: bigint, id: bigint): number {
  const built = node.sim.built(owner, n);
  const i = built.description.htlcs.findIndex((h) => (h as MonitorHtlc).htlcId === id);
  return built.htlcOutputs.find((o) => o.htlcIndex === i)!.outputIndex;
}

function spender(node: MonitorNode, tx: Tx, vout: number) {
  return node.chain.spenderOf({ txid: txidOf(tx), index: vout });
}

describe('the counterparty broadcasts an unrevoked commitment', () => {
  for (const format of FORMATS) {
    for (const which of ['latest', 'previous'] as const) {
      it(`${which} commitment: to_remote, preimage and timeout claims, preimage learned on chain (${format})`, async () => {
        const node = await MonitorNode.start({ format });
        const { sim, chain } = node;
        const h = chain.height;
        const theirs = sim.htlc('B', 40_000_000n, h + 40); // B offered: we claim with the preimage
        const ours = sim.htlc('A', 20_000_000n, h + 12); // we offered: we take it back after expiry
        const claimedByThem = sim.htlc('A', 15_000_000n, h + 50); // we offered, B claims it with the preimage
        await node.apply((await sim.advance(sim.withHtlcs(theirs, ours, claimedByThem))).forA);
        let n = 1n;
        if (which === 'previous') {
          // A signs B's next commitment, but B broadcasts commitment 1 before revoking it
          const next = await sim.advance({ ...sim.state, aMsat: sim.state.aMsat - 1_000_000n, bMsat: sim.state.bMsat + 1_000_000n });
          await node.apply(next.forA.slice(0, 1));
          sim.resumeUpdatesAfter(next.forA[0]!.updateId);
        } else {
          n = sim.n;
        }
        const commitment = await sim.signedCommitment('B', n);
        expect(chain.submit([commitment])).toEqual({ accepted: true });
        await node.mine(1);
        expect(node.monitorEvents.some((e) => e.kind === 'commitment_tx_confirmed' && toHex(e.txid) === toHex(txidOf(commitment)))).toBe(true);
        // B claims our HTLC with its preimage through its HTLC-success transaction
        // (anchors: B pays the zero-fee HTLC-success with a coin of its own)
        const bKey = testKey('B fee coin');
        const feeCoin = format === 'anchors' ? { outpoint: await chain.fund(bKey.script, 50_000n), amount: 50_000n, key: bKey } : undefined;
        const [success] = (await sim.signedHtlcTxs('B', n, (x) => x.id === claimedByThem.id, feeCoin)).filter((x) => x.sim.id === claimedByThem.id);
        expect(chain.submit([success!.tx])).toEqual({ accepted: true });
        // the preimage of the HTLC B offered arrives (from downstream): claimed at once
        await node.apply([sim.preimage('A', theirs)]);
        await node.mine(1);
        expect(node.broadcaster.refused).toEqual([]);
        expect(spender(node, commitment, htlcVout(node, 'B', n, theirs.id))).toBeDefined();
        const learned = node.monitorEvents.find((e) => e.kind === 'htlc_resolved' && e.preimage !== undefined);
        expect(learned).toMatchObject({ source: sourceOf(claimedByThem), preimage: claimedByThem.preimage });
        // our HTLC comes back after its expiry
        while (chain.height <= ours.cltvExpiry) await node.mine(1);
        const back = spender(node, commitment, htlcVout(node, 'B', n, ours.id));
        expect(back).toBeDefined();
        expect(back!.height).toBeGreaterThan(ours.cltvExpiry);
        await node.mine(6);
        expect(node.broadcaster.refused).toEqual([]);
        const failures = node.monitorEvents.filter((e) => e.kind === 'htlc_resolved' && e.preimage === undefined);
        expect(failures.map((e) => e.kind === 'htlc_resolved' && new TextDecoder().decode(e.source))).toContain(new TextDecoder().decode(sourceOf(ours)));
        // what ChannelManager would reconcile with at start-up: one HTLC claimed (with its preimage), one failed
        const [view] = node.chainMonitor.monitorViews();
        const byId = (h: typeof ours) => view!.outboundHtlcs.find((x) => toHex(x.source) === toHex(sourceOf(h)));
        expect(view!.closed).toBe(true);
        expect(byId(claimedByThem)).toMatchObject({ preimage: claimedByThem.preimage });
        expect(byId(ours)).toMatchObject({ failed: true });
        // to_remote and our claims' outputs are ours
        const toRemote = sim.built('B', n).outputs.findIndex((o) => o.kind === 'to_remote');
        const reported = node.spendable();
        expect(reported.some((d) => d.kind === 'static_payment_output' && toHex(d.outpoint.txid) === toHex(txidOf(commitment)) && d.outpoint.index === toRemote)).toBe(true);
        expect(reported.filter((d) => d.kind === 'static_output').length).toBeGreaterThanOrEqual(2);
      });
    }
  }
});

describe('the counterparty commitment on chain is revoked afterwards', () => {
  it('a secret for the broadcast commitment, arriving later, turns the claims into justice', async () => {
    const node = await MonitorNode.start({ format: 'static_remotekey' });
    const { sim, chain } = node;
    const theirs = sim.htlc('B', 9_000_000n, chain.height + 300);
    await node.apply((await sim.advance(sim.withHtlcs(theirs))).forA);
    // A signs B's next commitment; B broadcasts commitment 1 (still unrevoked for A's monitor)...
    const next = await sim.advance({ ...sim.state, aMsat: sim.state.aMsat - 1000n, bMsat: sim.state.bMsat + 1000n });
    await node.apply(next.forA.slice(0, 1));
    const commitment = await sim.signedCommitment('B', 1n);
    chain.submit([commitment]);
    await node.mine(1);
    expect(node.monitor.state.fundingSpend?.kind).toBe('counterparty');
    // ...then its revoke_and_ack for commitment 1 reaches ChannelManager
    await node.apply(next.forA.slice(1, 2));
    expect(node.monitor.state.fundingSpend?.kind).toBe('revoked');
    await node.mine(2);
    const toLocal = sim.built('B', 1n).outputs.findIndex((o) => o.kind === 'to_local');
    const spend = chain.spenderOf({ txid: txidOf(commitment), index: toLocal });
    expect(spend).toBeDefined();
    const htlc = sim.built('B', 1n).htlcOutputs[0]!.outputIndex;
    expect(toHex(chain.spenderOf({ txid: txidOf(commitment), index: htlc })!.tx.outputs[0]!.script)).toBe(toHex(await sim.a.getDestinationScript(sim.keysIdA)));
    expect(node.broadcaster.refused).toEqual([]);
  });
});
