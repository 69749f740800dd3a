// A malformed, out-of-order or inconsistent ChannelMonitorUpdate is refused
// (ChainMonitor: `unrecoverable_error`; ChannelMonitor.applyUpdate: a typed
// MonitorError) and the monitor is byte for byte what it was; the correct update
// still applies afterwards. Mutations are drawn by fast-check from every field
// of every kind of step.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { ChannelMonitorUpdate, ChannelMonitorUpdateStep } from 'ln-chain-api';
import { type ChannelId, type Txid, toHex } from 'ln-types';
import { MonitorError } from '../src/index.js';
import { MonitorNode } from './support/harness.js';

const RUNS = process.env.LN_LONG_TESTS === '1' ? 400 : 60;

function flip(bytes: Uint8Array, at: number): Uint8Array {
  const out = bytes.slice();
  out[at % out.length] = out[at % out.length]! ^ (1 << at % 8);
  return out;
}

/** One way of breaking an update, given a random number. */
function mutate(update: ChannelMonitorUpdate, choice: number, r: number): ChannelMonitorUpdate {
  const step = update.steps[r % update.steps.length]!;
  const withStep = (s: ChannelMonitorUpdateStep): ChannelMonitorUpdate => ({ ...update, steps: update.steps.map((x) => (x === step ? s : x)) });
  switch (choice % 12) {
    case 0:
      return { ...update, updateId: update.updateId + 1n + BigInt(r % 3) };
    case 1:
      return { ...update, updateId: update.updateId - 1n - BigInt(r % 2) };
    case 2:
      return { ...update, channelId: flip(update.channelId, r) as ChannelId };
    case 3:
      if (step.kind === 'latest_holder_commitment') return withStep({ ...step, commitment: { ...step.commitment, counterpartySignature: flip(step.commitment.counterpartySignature, r) } });
      if (step.kind === 'latest_counterparty_commitment') return withStep({ ...step, commitment: { ...step.commitment, txid: flip(step.commitment.txid, r) as Txid } });
      if (step.kind === 'commitment_secret') return withStep({ ...step, secret: flip(step.secret, r) });
      return { ...update, updateId: 0n };
    case 4:
      if (step.kind === 'latest_holder_commitment' || step.kind === 'latest_counterparty_commitment') {
        return withStep({ ...step, commitment: { ...step.commitment, data: { ...step.commitment.data, commitmentNumber: step.commitment.data.commitmentNumber + 1n + BigInt(r % 2) } } } as ChannelMonitorUpdateStep);
      }
      if (step.kind === 'commitment_secret') return withStep({ ...step, commitmentNumber: step.commitmentNumber + 1n });
      return { ...update, updateId: update.updateId + 5n };
    case 5:
      if (step.kind === 'latest_holder_commitment' || step.kind === 'latest_counterparty_commitment') {
        const d = step.commitment.data;
        return withStep({ ...step, commitment: { ...step.commitment, data: { ...d, toBroadcasterMsat: d.toBroadcasterMsat + 1000n + BigInt(r) } } } as ChannelMonitorUpdateStep);
      }
      return { ...update, channelId: new Uint8Array(32) as ChannelId };
    case 6:
      if (step.kind === 'latest_holder_commitment' || step.kind === 'latest_counterparty_commitment') {
        const d = step.commitment.data;
        return withStep({ ...step, commitment: { ...step.commitment, data: { ...d, perCommitmentPoint: flip(d.perCommitmentPoint, 1 + (r % 32)) } } } as ChannelMonitorUpdateStep);
      }
      return { ...update, steps: [...update.steps, { kind: 'payment_preimage', preimage: new Uint8Array(31) }] };
    case 7:
      if (step.kind === 'latest_holder_commitment' && step.commitment.htlcSignatures.length > 0) {
        return withStep({ ...step, commitment: { ...step.commitment, htlcSignatures: step.commitment.htlcSignatures.slice(1) } });
      }
      if (step.kind === 'latest_holder_commitment' || step.kind === 'latest_counterparty_commitment') {
        const d = step.commitment.data;
        return withStep({ ...step, commitment: { ...step.commitment, data: { ...d, feeratePerKw: d.feeratePerKw + 1 + (r % 100) } } } as ChannelMonitorUpdateStep);
      }
      return { ...update, steps: [...update.steps, { kind: 'commitment_secret', commitmentNumber: 0n, secret: new Uint8Array(32).fill(r % 256) }] };
    case 8:
      // a later step valid on its own, after a broken one: nothing of the update may stick
      return { ...update, steps: [{ kind: 'payment_preimage', preimage: new Uint8Array(32).fill(7) }, { kind: 'shutdown_script', script: new Uint8Array(0) }] };
    case 9:
      if (step.kind === 'latest_holder_commitment' || step.kind === 'latest_counterparty_commitment') {
        const d = step.commitment.data;
        // The expiry of an HTLC the broadcaster offered is not in the commitment itself (only
        // in its HTLC-timeout transaction, which the counterparty's signatures cover for our
        // commitments): for theirs, only the expiries in their scripts can be checked.
        const candidates = step.kind === 'latest_holder_commitment' ? d.htlcs : d.htlcs.filter((x) => !x.offered);
        const h = candidates[r % Math.max(1, candidates.length)];
        if (h !== undefined) {
          return withStep({ ...step, commitment: { ...step.commitment, data: { ...d, htlcs: d.htlcs.map((x) => (x === h ? { ...x, cltvExpiry: x.cltvExpiry + 1 } : x)) } } } as ChannelMonitorUpdateStep);
        }
      }
      return { ...update, steps: [...update.steps, { kind: 'commitment_secret', commitmentNumber: 999n, secret: new Uint8Array(32).fill(1) }] };
    case 10:
      // the same commitment twice in one update (a replay inside the batch); preimages may repeat
      if (update.steps.some((s) => s.kind === 'latest_holder_commitment' || s.kind === 'latest_counterparty_commitment' || s.kind === 'commitment_secret')) {
        return { ...update, steps: [...update.steps, ...update.steps] };
      }
      return { ...update, updateId: update.updateId + 2n };
    default:
      return { ...update, steps: [...update.steps, { kind: 'latest_holder_commitment', commitment: { ...(update.steps.find((s) => s.kind === 'latest_holder_commitment') as Extract<ChannelMonitorUpdateStep, { kind: 'latest_holder_commitment' }> | undefined)?.commitment ?? { data: { commitmentNumber: 99n, perCommitmentPoint: new Uint8Array(33), feeratePerKw: 1, toBroadcasterMsat: 0n, toCountersignatoryMsat: 0n, htlcs: [] }, counterpartySignature: new Uint8Array(64), htlcSignatures: [] } } }] };
  }
}

describe('bad updates are refused and change nothing', () => {
  it('random mutations of every update of a channel with HTLCs both ways', async () => {
    const node = await MonitorNode.start({ format: 'anchors' });
    const { sim } = node;
    const updates: ChannelMonitorUpdate[] = [];
    const a1 = sim.htlc('A', 9_000_000n, 500);
    const b1 = sim.htlc('B', 8_000_000n, 510);
    updates.push(...(await sim.advance(sim.withHtlcs(a1, b1))).forA);
    updates.push(sim.preimage('A', b1));
    updates.push(...(await sim.advance(sim.settled(b1, true))).forA);
    updates.push(...(await sim.advance(sim.withHtlcs(sim.htlc('B', 3_000_000n, 520)))).forA);
    let refused = 0;
    for (const update of updates) {
      const before = toHex(node.monitor.serialize());
      await fc.assert(
        fc.asyncProperty(fc.nat(), fc.nat({ max: 1_000_000 }), async (choice, r) => {
          const bad = mutate(update, choice, r);
          let error: unknown;
          try {
            node.monitor.applyUpdate(bad);
          } catch (e) {
            error = e;
          }
          if (error === undefined) {
            // A mutation that happens to describe a valid update is not one of ours to refuse:
            // only the unchanged update itself can be valid here.
            throw new Error(`mutation ${choice % 12} (r=${r}) of update ${update.updateId} [${update.steps.map((s) => s.kind)}] was accepted`);
          }
          expect(error).toBeInstanceOf(MonitorError);
          expect(toHex(node.monitor.serialize())).toBe(before);
          expect(node.chainMonitor.updateChannel(bad)).toBe('unrecoverable_error');
          expect(toHex(node.monitor.serialize())).toBe(before);
          refused++;
        }),
        { numRuns: RUNS, endOnFailure: true },
      );
      await node.apply([update]);
      expect(toHex(node.monitor.serialize())).not.toBe(before);
    }
    expect(refused).toBe(RUNS * updates.length);
    // after all that, the monitor still knows the channel: the last holder commitment is current
    expect(node.monitor.view().holderCommitmentNumber).toBe(sim.n);
    expect(node.monitor.view().latestUpdateId).toBe(updates[updates.length - 1]!.updateId);
  });

  it('updates for an unknown channel, and after the channel closed, are refused', async () => {
    const node = await MonitorNode.start({ format: 'static_remotekey' });
    const { sim } = node;
    expect(node.chainMonitor.updateChannel({ channelId: new Uint8Array(32).fill(9) as ChannelId, updateId: 1n, steps: [] })).toBe('unrecoverable_error');
    expect(node.chainMonitor.lastError?.code).toBe('unknown_channel');
    await node.apply([sim.updateA([{ kind: 'channel_force_closed', shouldBroadcast: false }])]);
    const next = await sim.advance(sim.withHtlcs(sim.htlc('A', 1_000_000n, 400)));
    const before = toHex(node.monitor.serialize());
    expect(node.chainMonitor.updateChannel(next.forA[0]!)).toBe('unrecoverable_error');
    expect(node.chainMonitor.lastError?.code).toBe('channel_closed');
    expect(toHex(node.monitor.serialize())).toBe(before);
    // a preimage is still taken after the close (it may be claimable on chain)
    sim.resumeUpdatesAfter(node.monitor.latestUpdateId);
    expect(node.chainMonitor.updateChannel(sim.preimage('A', sim.htlc('B', 1n, 1)))).toBe('in_progress');
  });
});
