// Payment storms through real ChannelManagers: 5 nodes, 7 channels, real
// signatures (native backend), real onions, every message through the wire
// codecs; random payments (invoices and keysend, multi-part when the router
// splits), random disconnections and reconnections, deliveries interleaved
// with new payments, timer ticks and blocks. At the end: every payment ended
// in exactly one payment_sent or payment_failed, every sent payment was
// claimed exactly once by its payee, no HTLC is left, and no msat appeared or
// vanished (each node's balance moved by what it received, minus what it paid
// and its fees, plus the fees it earned).
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { toHex } from 'ln-types';
import type { Event } from '../../src/index.js';
import { nativeSecp } from './helpers.js';
import { Mesh, ofKind } from './mesh.js';

const long = process.env.LN_LONG_TESTS === '1';
const runs = long ? 12 : 2;

type Action =
  | { kind: 'pay'; from: number; to: number; amount: bigint; how: 'invoice' | 'keysend'; reject: boolean }
  | { kind: 'cut'; link: number }
  | { kind: 'deliver'; rounds: number }
  | { kind: 'tick' }
  | { kind: 'block' };

const PAIRS = [
  [0, 1],
  [1, 2],
  [2, 3],
  [3, 4],
  [4, 0],
  [0, 2],
  [1, 3],
] as const;

const actionArb: fc.Arbitrary<Action> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('pay' as const), from: fc.nat(4), to: fc.nat(4), amount: fc.bigInt({ min: 10_000n, max: 400_000_000n }), how: fc.constantFrom('invoice' as const, 'keysend' as const), reject: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('cut' as const), link: fc.nat(PAIRS.length - 1) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('deliver' as const), rounds: fc.integer({ min: 1, max: 6 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('tick' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('block' as const) }) },
);

async function network(): Promise<Mesh> {
  const mesh = new Mesh(5, { backend: nativeSecp });
  for (const [a, b] of PAIRS) await mesh.open(a, b, 4_000_000n, 1_500_000_000n);
  await mesh.mine(1);
  for (let i = 0; i < 5; i++) await mesh.drain(i);
  mesh.refreshGraph();
  return mesh;
}

describe('payment storms through ChannelManagers', () => {
  it('every payment ends once, is received once, and no msat is created or lost', async () => {
    // One network for all runs (opening 7 channels is the slow part); each run starts from where the last ended.
    const mesh = await network();
    const events: Event[][] = mesh.nodes.map(() => []);
    const refuse = new Set<string>();
    const collect = async (i: number) => {
      const got = await mesh.drain(i);
      events[i]!.push(...got);
      // The payee claims (node-made hashes and keysend carry their preimage), or refuses the payments marked so.
      for (const e of got) {
        if (e.kind !== 'payment_claimable') continue;
        if (refuse.has(toHex(e.paymentHash))) mesh.nodes[i]!.manager.failHtlcBackwards(e.paymentHash);
        else mesh.nodes[i]!.manager.claimFunds(e.purpose.paymentPreimage!);
      }
    };
    let nextId = 1;
    await fc.assert(
      fc.asyncProperty(fc.array(actionArb, { minLength: 8, maxLength: long ? 40 : 16 }), fc.integer(), async (actions, seed) => {
        let s = seed >>> 0 || 1;
        const random = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
        const start = mesh.nodes.map((_, i) => mesh.balance(i));
        for (const e of events) e.length = 0;
        const payments = new Map<string, { from: number; to: number; amount: bigint; hash: string }>();
        for (const a of actions) {
          if (a.kind === 'pay') {
            if (a.from === a.to) continue;
            const pid = new Uint8Array(32);
            new DataView(pid.buffer).setUint32(0, nextId++);
            const payer = mesh.nodes[a.from]!.manager;
            try {
              let hash: Uint8Array;
              if (a.how === 'invoice') {
                const { invoice } = await mesh.nodes[a.to]!.manager.createInvoice({ amountMsat: a.amount, description: 'storm' });
                hash = await payer.payInvoice(invoice, pid, { kind: 'attempts', count: 2 });
              } else {
                hash = await payer.sendSpontaneousPayment({ paymentId: pid, payee: mesh.nodeId(a.to), amountMsat: a.amount, retry: { kind: 'attempts', count: 2 } });
              }
              payments.set(toHex(pid), { from: a.from, to: a.to, amount: a.amount, hash: toHex(hash) });
              // About one payment in four is refused by its payee.
              if (a.reject && (a.amount & 3n) === 0n) refuse.add(toHex(hash));
            } catch (e) {
              expect((e as { code?: string }).code).toMatch(/route_not_found|no_usable_channel/);
            }
          } else if (a.kind === 'cut') {
            const [x, y] = PAIRS[a.link]!;
            if (mesh.isConnected(x, y)) mesh.disconnect(x, y);
            else mesh.connect(x, y);
          } else if (a.kind === 'deliver') {
            for (let r = 0; r < a.rounds; r++) {
              await mesh.idle();
              mesh.pull();
              mesh.deliver(random);
            }
          } else if (a.kind === 'tick') {
            for (const n of mesh.nodes) n.manager.timerTickOccurred();
          } else {
            await mesh.mine(1);
          }
          for (let i = 0; i < 5; i++) await collect(i);
        }
        // Heal every link, then let payments finish (retries, timeouts, claims).
        for (const [x, y] of PAIRS) mesh.connect(x, y);
        for (let round = 0; round < 8; round++) {
          await mesh.settle(5000, random);
          for (let i = 0; i < 5; i++) await collect(i);
          for (const n of mesh.nodes) n.manager.timerTickOccurred();
        }
        await mesh.settle();
        for (let i = 0; i < 5; i++) await collect(i);

        for (const n of mesh.nodes) {
          expect(n.manager.internalErrors).toEqual([]);
          expect(n.watch.violations).toEqual([]);
          expect(n.manager.listChannels().every((c) => c.pendingHtlcs === 0)).toBe(true);
          expect(n.manager.listChannels().filter((c) => c.isUsable)).toHaveLength(n.manager.listChannels().length);
        }
        if (process.env.STORM_DEBUG === '1') {
          const count = (k: Event['kind']) => events.reduce((n, e) => n + e.filter((x) => x.kind === k).length, 0);
          console.log(`payments ${payments.size} sent ${count('payment_sent')} failed ${count('payment_failed')} path_failed ${count('payment_path_failed')} forwarded ${count('payment_forwarded')} mpp ${ofKind(events.flat(), 'payment_claimed').filter((e) => e.htlcs.length > 1).length} cuts ${actions.filter((a) => a.kind === 'cut').length}`);
        }
        const delta = mesh.nodes.map(() => 0n);
        for (const [pid, p] of payments) {
          const sent = ofKind(events[p.from]!, 'payment_sent').filter((e) => toHex(e.paymentId) === pid);
          const failed = ofKind(events[p.from]!, 'payment_failed').filter((e) => toHex(e.paymentId) === pid);
          expect(sent.length + failed.length).toBe(1);
          const claimed = ofKind(events[p.to]!, 'payment_claimed').filter((e) => toHex(e.paymentHash) === p.hash);
          expect(claimed.length).toBe(sent.length);
          if (sent[0] !== undefined) {
            delta[p.from]! -= p.amount + sent[0].feePaidMsat;
            delta[p.to]! += claimed[0]!.amountMsat;
          }
        }
        for (let i = 0; i < 5; i++) {
          for (const e of ofKind(events[i]!, 'payment_forwarded')) delta[i]! += e.totalFeeEarnedMsat;
          expect(mesh.balance(i) - start[i]!).toBe(delta[i]);
        }
      }),
      { numRuns: runs },
    );
  });
});
