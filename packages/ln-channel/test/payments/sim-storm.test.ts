// Payment storms on simulated channels: random payments (invoice, keysend,
// multi-part), random channel outages, deliveries in random order, timer
// ticks, blocks and restarts of any node from its bytes. Checked at the end:
// each payment ended in exactly one payment_sent or payment_failed, a sent
// payment was claimed exactly once by its payee, nothing is left in flight,
// and no msat appeared or vanished (each node's balance moved by what it
// received, minus what it paid and its fees, plus the fees it earned).
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { DefaultRouter } from 'ln-router';
import { toHex } from 'ln-types';
import { PaymentEngine, type PaymentEvent } from '../../src/payments/index.js';
import { SimNetwork } from './sim.js';

const runs = process.env.LN_LONG_TESTS === '1' ? 60 : 6;

type Action =
  | { kind: 'pay'; from: number; to: number; amount: bigint; how: 'invoice' | 'keysend' }
  | { kind: 'toggle'; channel: number }
  | { kind: 'tick' }
  | { kind: 'block' }
  | { kind: 'restart'; node: number }
  | { kind: 'deliver'; steps: number };

const actionArb: fc.Arbitrary<Action> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('pay' as const), from: fc.nat(4), to: fc.nat(4), amount: fc.bigInt({ min: 1000n, max: 1_500_000n }), how: fc.constantFrom('invoice' as const, 'keysend' as const) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('toggle' as const), channel: fc.nat(7) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('tick' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('block' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('restart' as const), node: fc.nat(4) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('deliver' as const), steps: fc.integer({ min: 1, max: 20 }) }) },
);

function lcg(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('payment storms on simulated channels', () => {
  it('every payment ends once, is received once, and no msat is created or lost', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(actionArb, { minLength: 10, maxLength: 60 }), fc.integer(), async (actions, seed) => {
        const net = new SimNetwork(5, { shuffle: lcg(seed) });
        const pairs = [
          [0, 1],
          [1, 2],
          [2, 3],
          [3, 4],
          [4, 0],
          [0, 2],
          [1, 3],
          [2, 4],
        ] as const;
        for (const [a, b] of pairs) net.open(a, b, 2_000_000n, 2_000_000n);
        net.start();
        const total = net.totalMsat();
        const start = net.nodes.map((_, i) => net.balanceOf(i));
        const payments = new Map<string, { from: number; to: number; amount: bigint; hash?: string }>();
        let nextId = 1;
        const step = async (n: number) => {
          for (let i = 0; i < n && net.tasks.length > 0; i++) {
            const k = Math.floor(net.options.shuffle!() * net.tasks.length);
            const [t] = net.tasks.splice(k, 1);
            await t!();
          }
        };
        for (const a of actions) {
          if (a.kind === 'pay') {
            if (a.from === a.to) continue;
            const pid = new Uint8Array(32);
            new DataView(pid.buffer).setUint32(0, nextId++);
            const payer = net.nodes[a.from]!.engine;
            try {
              let hash: Uint8Array;
              if (a.how === 'invoice') {
                const { invoice } = await net.nodes[a.to]!.engine.createInvoice({ amountMsat: a.amount, description: 's', nowSeconds: net.timestamp });
                hash = await payer.payInvoice(invoice, pid, { kind: 'attempts', count: 3 });
              } else {
                hash = await payer.sendSpontaneousPayment({ paymentId: pid, payee: net.nodes[a.to]!.nodeId, amountMsat: a.amount, retry: { kind: 'attempts', count: 2 } });
              }
              payments.set(toHex(pid), { from: a.from, to: a.to, amount: a.amount, hash: toHex(hash) });
            } catch (e) {
              expect((e as { code?: string }).code).toMatch(/route_not_found|no_usable_channel/);
            }
          } else if (a.kind === 'toggle') {
            const c = net.channels[a.channel]!;
            c.usable = !c.usable;
          } else if (a.kind === 'tick') {
            for (const n of net.nodes) await n.engine.timerTickOccurred();
          } else if (a.kind === 'block') {
            net.height += 1;
            net.timestamp += 600;
            for (const n of net.nodes) await n.engine.bestBlockUpdated(net.height, net.timestamp);
          } else if (a.kind === 'restart') {
            const n = net.nodes[a.node]!;
            await n.engine.idle();
            const bytes = n.engine.write();
            n.engine = PaymentEngine.read(bytes, {
              nodeSigner: n.keys,
              entropy: n.keys,
              router: new DefaultRouter(net.graph!, net.scorer!),
              host: net.host(n),
              currency: 'bcrt',
              scorer: net.scorer!,
            });
            await n.engine.replayPendingClaims();
          } else {
            await step(a.steps);
          }
        }
        // Heal the network and let everything settle (timeouts included).
        for (const c of net.channels) c.usable = true;
        await net.run();
        for (let i = 0; i < 12; i++) await net.tick();
        await net.run();

        expect(net.channels.every((c) => c.htlcs.size === 0)).toBe(true);
        expect(net.totalMsat()).toBe(total);
        const byKind = (i: number, kind: PaymentEvent['kind']) => net.nodes[i]!.events.filter((e) => e.kind === kind);
        const delta = net.nodes.map(() => 0n);
        for (const [pid, p] of payments) {
          const sent = byKind(p.from, 'payment_sent').filter((e) => e.kind === 'payment_sent' && toHex(e.paymentId) === pid);
          const failed = byKind(p.from, 'payment_failed').filter((e) => e.kind === 'payment_failed' && toHex(e.paymentId) === pid);
          expect(sent.length + failed.length).toBe(1);
          const claimed = byKind(p.to, 'payment_claimed').filter((e) => e.kind === 'payment_claimed' && toHex(e.paymentHash) === p.hash);
          expect(claimed.length).toBe(sent.length);
          if (sent.length === 1 && sent[0]!.kind === 'payment_sent') {
            delta[p.from]! -= p.amount + sent[0]!.feePaidMsat;
            delta[p.to]! += claimed[0]!.kind === 'payment_claimed' ? claimed[0]!.amountMsat : 0n;
          }
        }
        for (let i = 0; i < 5; i++) {
          for (const e of byKind(i, 'payment_forwarded')) if (e.kind === 'payment_forwarded') delta[i]! += e.totalFeeEarnedMsat;
          expect(net.balanceOf(i) - start[i]!).toBe(delta[i]);
        }
      }),
      { numRuns: runs },
    );
  });
});

