// Crash tests: a payment runs one message at a time, both nodes persisting
// their manager after every step (as a background processor does); at every
// step one node is killed (the object dropped, the manager read back from its
// last write, the monitors as durably persisted) and restarted. Afterwards the
// payment completes exactly once, the balances are right and the channel goes
// on. A crash in the window between a monitor update and the manager's write
// leaves a stale manager: the channel is force closed through the monitor's
// current commitment and nothing is lost (the funds are on chain).
import { describe, expect, test } from '@jest/globals';
import native from 'secp256k1';
import { createNativeSecp256k1Backend } from 'ln-crypto';
import { toHex } from 'ln-types';
import { decodeManager } from '../src/serialization/manager-codec.js';
import type { TestNode } from './helpers/node.js';
import { pay } from './helpers/pay.js';
import { ofKind, openChannel, pair, type Pair, userConfig } from './helpers/scenario.js';

const backend = createNativeSecp256k1Backend(native);
const config = userConfig({ channelHandshakeConfig: { minimumDepth: 1 } });
const AMOUNT = 4_000_000n;

function balance(n: TestNode): bigint {
  return decodeManager(n.manager.write()).channels[0]!.state.localCommit.spec.toLocalMsat;
}

/** Persists both managers (what a background processor does after each event-processing pass). */
async function persistBoth(p: Pair): Promise<void> {
  await Promise.all([p.a.manager.idle(), p.b.manager.idle()]);
  p.a.persist();
  p.b.persist();
}

/**
 * Runs one payment a -> b, delivering one message at a time, and kills `victim`
 * after `killAt` deliveries. Returns how many deliveries the payment took.
 */
async function runWithCrash(p: Pair, victim: 'a' | 'b' | undefined, killAt: number): Promise<number> {
  const inv = p.b.manager.createInboundPayment({ amountMsat: AMOUNT, expirySeconds: 3600 });
  await persistBoth(p);
  p.a.manager.payDirect({ paymentId: inv.paymentHash, payee: p.b.nodeId, paymentHash: inv.paymentHash, paymentSecret: inv.paymentSecret, amountMsat: AMOUNT, minFinalCltvExpiryDelta: 24 });
  let delivered = 0;
  let claimed = false;
  let killed = false;
  for (let round = 0; round < 200; round++) {
    await persistBoth(p);
    if (!claimed && ofKind(await p.b.drainEvents(), 'payment_claimable').length > 0) {
      p.b.manager.claimFunds(inv.preimage!);
      claimed = true;
      await persistBoth(p);
    }
    await p.a.drainEvents();
    // Handled events are persisted as handled (a background processor writes the manager after handling them).
    await persistBoth(p);
    if (!killed && victim !== undefined && delivered === killAt) {
      killed = true;
      p.pipe.disconnect();
      await (victim === 'a' ? p.a : p.b).crash();
      p.pipe.connect();
      await persistBoth(p);
      continue;
    }
    p.pipe.pull();
    const moved = p.pipe.deliverOne('a') || p.pipe.deliverOne('b');
    if (moved) delivered++;
    else if (p.a.manager.pendingTasks === 0 && p.b.manager.pendingTasks === 0 && p.pipe.inFlight.a.length === 0 && p.pipe.inFlight.b.length === 0) {
      await persistBoth(p);
      p.pipe.pull();
      if (p.pipe.inFlight.a.length === 0 && p.pipe.inFlight.b.length === 0 && (claimed || ofKind(p.b.events, 'payment_claimable').length > 0)) {
        // Quiet: a claimable event may still be pending after a restart.
        if (!claimed && ofKind(await p.b.drainEvents(), 'payment_claimable').length > 0) {
          p.b.manager.claimFunds(inv.preimage!);
          claimed = true;
          continue;
        }
        break;
      }
    }
  }
  await persistBoth(p);
  await p.a.drainEvents();
  await p.b.drainEvents();
  return delivered;
}

describe('crash at every step of a payment', () => {
  test('nothing is lost and the channel goes on, whichever node dies, wherever', async () => {
    // How many deliveries a payment takes when nothing dies.
    const probe = pair({ a: { config, backend }, b: { config, backend } });
    await openChannel(probe, { valueSat: 1_000_000n });
    await persistBoth(probe);
    const steps = await runWithCrash(probe, undefined, -1);
    expect(steps).toBeGreaterThanOrEqual(6);
    for (const victim of ['a', 'b'] as const) {
      for (let k = 0; k <= steps; k++) {
        const p = pair({ a: { config, backend }, b: { config, backend } });
        await openChannel(p, { valueSat: 1_000_000n });
        await persistBoth(p);
        const a0 = balance(p.a);
        await runWithCrash(p, victim, k);
        const label = `${victim} killed after ${k} deliveries`;
        const closedEv = [...ofKind(p.a.events, 'channel_closed'), ...ofKind(p.b.events, 'channel_closed')].map((e) => JSON.stringify(e.reason));
        expect([label, closedEv]).toEqual([label, []]);
        // The payment completed exactly once.
        expect([label, ofKind(p.a.events, 'payment_sent').length]).toEqual([label, 1]);
        expect([label, ofKind(p.b.events, 'payment_claimed').length]).toEqual([label, 1]);
        expect([label, balance(p.a)]).toEqual([label, a0 - AMOUNT]);
        expect([label, balance(p.b)]).toEqual([label, AMOUNT]);
        // The channel goes on.
        expect(p.a.manager.listChannels()[0]!.isUsable).toBe(true);
        await pay(p.pipe, p.a, p.b, 1_000_000n);
        for (const n of [p.a, p.b]) {
          expect([label, n.manager.internalErrors]).toEqual([label, []]);
          expect([label, n.watch.violations]).toEqual([label, []]);
        }
      }
    }
  }, 300_000);

  test('a crash between a monitor update and the manager write closes the channel through the current commitment', async () => {
    const p = pair({ a: { config, backend }, b: { config, backend } });
    const id = await openChannel(p, { valueSat: 1_000_000n });
    await persistBoth(p);
    // a's monitor takes the next commitments; a's manager is not written again before the crash.
    const inv = p.b.manager.createInboundPayment({ amountMsat: AMOUNT, expirySeconds: 3600 });
    p.a.manager.payDirect({ paymentId: inv.paymentHash, payee: p.b.nodeId, paymentHash: inv.paymentHash, paymentSecret: inv.paymentSecret, amountMsat: AMOUNT, minFinalCltvExpiryDelta: 24 });
    await p.pipe.settle();
    p.b.manager.claimFunds(inv.preimage!);
    await p.pipe.settle();
    p.pipe.disconnect();
    await p.a.crash();
    expect(ofKind(await p.a.drainEvents(), 'channel_closed')[0]!.reason.kind).toBe('outdated_channel_manager');
    await new Promise((r) => setTimeout(r, 10));
    // What goes on chain is the monitor's latest commitment: a's balance after the payment.
    const tx = p.a.watch.broadcasts[0]!;
    const mon = p.a.watch.monitors.get(toHex(id))!;
    expect(mon.holder.data.toBroadcasterMsat).toBe(1_000_000_000n - AMOUNT);
    expect(p.a.broadcastErrors).toEqual([]);
    p.chain.mine(1);
    expect(p.chain.confirmations((await import('ln-tx')).txidOf(tx))).toBe(1);
  });
});
