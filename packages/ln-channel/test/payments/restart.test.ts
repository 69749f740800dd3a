// Restarts in the middle of a payment, on the sender, the forwarder and the
// receiver: the manager is written and read back (with its monitors) after a
// given number of message rounds, its links reconnect (channel_reestablish),
// and the payment still completes exactly once; the same payment id stays
// refused across the restart.
import { describe, expect, it } from '@jest/globals';
import { toHex } from 'ln-types';
import type { Event } from '../../src/index.js';
import { nativeSecp } from './helpers.js';
import { Mesh, ofKind } from './mesh.js';

const long = process.env.LN_LONG_TESTS === '1';

async function restart(mesh: Mesh, i: number): Promise<void> {
  const node = mesh.nodes[i]!;
  await mesh.idle();
  node.stored = node.manager.write();
  const peers = [...mesh.links.keys()].map((k) => k.split('-').map(Number) as [number, number]).filter(([a, b]) => a === i || b === i);
  for (const [a, b] of peers) mesh.disconnect(a, b);
  await node.restart();
  for (const [a, b] of peers) mesh.connect(a, b);
}

describe('restarts in the middle of a payment', () => {
  it('sender, forwarder or receiver restarted at any step: the payment completes once and its id stays taken', async () => {
    const mesh = new Mesh(3, { backend: nativeSecp });
    await mesh.open(0, 1, 2_000_000n);
    await mesh.open(1, 2, 2_000_000n);
    await mesh.mine(1);
    for (let i = 0; i < 3; i++) await mesh.drain(i);
    mesh.refreshGraph();
    const events: Event[][] = [[], [], []];
    const collect = async () => {
      for (let i = 0; i < 3; i++) {
        const got = await mesh.drain(i);
        events[i]!.push(...got);
        for (const e of got) if (e.kind === 'payment_claimable') mesh.nodes[i]!.manager.claimFunds(e.purpose.paymentPreimage!);
      }
    };
    const start = [0, 1, 2].map((i) => mesh.balance(i));
    let paid = 0n;
    let fees = 0n;
    let n = 0;
    for (const role of [0, 1, 2]) {
      for (let at = 0; at < (long ? 16 : 12); at += long ? 1 : 3) {
        const pid = new Uint8Array(32).fill(++n);
        const amount = 1_000_000n + BigInt(n);
        const { invoice } = await mesh.nodes[2]!.manager.createInvoice({ amountMsat: amount, description: `restart ${role} at ${at}` });
        const hash = toHex(await mesh.nodes[0]!.manager.payInvoice(invoice, pid, { kind: 'attempts', count: 3 }));
        for (let round = 0; round < at; round++) {
          await mesh.idle();
          mesh.pull();
          mesh.deliver();
          await collect();
        }
        await restart(mesh, role);
        // The id is still taken after the sender's restart, whatever the step.
        await expect(mesh.nodes[0]!.manager.payInvoice(invoice, pid)).rejects.toThrow(expect.objectContaining({ code: 'duplicate_payment' }));
        for (let k = 0; k < 4; k++) {
          await mesh.settle();
          await collect();
          for (const node of mesh.nodes) node.manager.timerTickOccurred();
        }
        const sent = ofKind(events[0]!, 'payment_sent').filter((e) => toHex(e.paymentId) === toHex(pid));
        const failed = ofKind(events[0]!, 'payment_failed').filter((e) => toHex(e.paymentId) === toHex(pid));
        expect([sent.length, failed.length]).toEqual([1, 0]);
        expect(ofKind(events[2]!, 'payment_claimed').filter((e) => toHex(e.paymentHash) === hash)).toHaveLength(1);
        paid += amount;
        fees += sent[0]!.feePaidMsat;
      }
    }
    for (const node of mesh.nodes) {
      expect(node.manager.internalErrors).toEqual([]);
      expect(node.watch.violations).toEqual([]);
      expect(node.manager.listChannels().every((c) => c.isUsable && c.pendingHtlcs === 0)).toBe(true);
    }
    const earned = ofKind(events[1]!, 'payment_forwarded').reduce((s, e) => s + e.totalFeeEarnedMsat, 0n);
    expect(earned).toBe(fees);
    expect(mesh.balance(0) - start[0]!).toBe(-(paid + fees));
    expect(mesh.balance(1) - start[1]!).toBe(fees);
    expect(mesh.balance(2) - start[2]!).toBe(paid);
  });
});
