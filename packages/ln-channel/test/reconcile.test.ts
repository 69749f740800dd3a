// ChannelManager.read reconciles with the monitors as LDK 0.1 does: a manager
// ahead of its monitor replays its in-flight updates; a monitor ahead of the
// manager means the manager is stale (force close through the monitor's own,
// current commitment); a monitor without a channel is force closed; preimages
// the monitors learned on chain are claimed; corrupt bytes are refused.
import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import native from 'secp256k1';
import { createNativeSecp256k1Backend, sha256 } from 'ln-crypto';
import { CHAIN_HASHES, concatBytes, toHex } from 'ln-types';
import { ChannelError, ChannelManager } from '../src/index.js';
import { pay } from './helpers/pay.js';
import { ofKind, openChannel, pair, userConfig } from './helpers/scenario.js';

const backend = createNativeSecp256k1Backend(native);
const config = userConfig({ channelHandshakeConfig: { minimumDepth: 1 } });

describe('start-up reconciliation', () => {
  test('manager ahead of its monitor: the in-flight updates are replayed and the channel goes on', async () => {
    const p = pair({ a: { config, backend }, b: { config, backend } });
    await openChannel(p, { valueSat: 1_000_000n });
    p.a.watch.mode = 'async';
    const inv = p.b.manager.createInboundPayment({ amountMsat: 2_000_000n, expirySeconds: 3600 });
    p.a.manager.payDirect({ paymentId: new Uint8Array(32).fill(1), payee: p.b.nodeId, paymentHash: inv.paymentHash, paymentSecret: inv.paymentSecret, amountMsat: 2_000_000n, minFinalCltvExpiryDelta: 24 });
    await p.a.manager.idle();
    // a's monitor has not persisted the new counterparty commitment: nothing left a.
    expect(p.a.watch.pending).toBe(1);
    p.a.persist();
    p.pipe.disconnect();
    await p.a.crash();
    expect(p.a.manager.startupReconciliation!.replayedUpdates).toBe(1);
    const mon = [...p.a.watch.monitors.values()][0]!;
    expect(mon.counterpartyNumber).toBe(1n);
    p.pipe.connect();
    await p.pipe.settle();
    expect(ofKind(await p.b.drainEvents(), 'payment_claimable')).toHaveLength(1);
    p.b.manager.claimFunds(inv.preimage!);
    await p.pipe.settle();
    expect(ofKind(await p.a.drainEvents(), 'payment_sent')).toHaveLength(1);
    expect(p.a.watch.violations).toEqual([]);
  });

  test('monitor ahead of the manager: the stale manager force closes through the monitor, which broadcasts its current commitment', async () => {
    const p = pair({ a: { config, backend }, b: { config, backend } });
    const id = await openChannel(p, { valueSat: 1_000_000n, pushMsat: 50_000_000n });
    p.a.persist();
    const stale = p.a.manager.write();
    // The channel moves on; the monitor follows, the manager is never written again.
    await pay(p.pipe, p.a, p.b, 4_000_000n);
    p.pipe.disconnect();
    p.a.stored = stale;
    const monitorLatest = [...p.a.watch.monitors.values()][0]!.latestUpdateId;
    await p.a.crash();
    expect(p.a.manager.startupReconciliation!.staleChannels.map(toHex)).toEqual([toHex(id)]);
    const closed = ofKind(await p.a.drainEvents(), 'channel_closed');
    expect(closed[0]!.reason.kind).toBe('outdated_channel_manager');
    const mon = p.a.watch.monitors.get(toHex(id))!;
    // LDK: ChannelForceClosed { should_broadcast: true } at the monitor's latest update id + 1.
    expect(mon.latestUpdateId).toBe(monitorLatest + 1n);
    expect(mon.broadcastOnClose).toBe(true);
    await new Promise((r) => setTimeout(r, 10));
    // The broadcast commitment is the monitor's latest (number 2), not the manager's stale one (0).
    expect(mon.holder.data.commitmentNumber).toBe(2n);
    expect(p.a.broadcastErrors).toEqual([]);
    expect(p.a.watch.broadcasts).toHaveLength(1);
  });

  test('a monitor with no channel in the manager is force closed', async () => {
    const p = pair({ a: { config, backend }, b: { config, backend } });
    p.a.persist();
    const before = p.a.manager.write();
    const id = await openChannel(p, { valueSat: 600_000n });
    p.pipe.disconnect();
    p.a.stored = before;
    await p.a.crash();
    expect(p.a.manager.startupReconciliation!.orphanMonitors.map(toHex)).toEqual([toHex(id)]);
    const mon = p.a.watch.monitors.get(toHex(id))!;
    expect(mon.closed).toBe(true);
    expect(mon.broadcastOnClose).toBe(true);
  });

  test('a missing monitor refuses to start (the Watch contract was broken)', async () => {
    const p = pair({ a: { config, backend }, b: { config, backend } });
    await openChannel(p, { valueSat: 600_000n });
    const bytes = p.a.manager.write();
    const args = {
      chainHash: CHAIN_HASHES.regtest,
      feeEstimator: p.a.fees,
      watch: p.a.watch,
      broadcaster: p.a.broadcaster,
      signerProvider: p.a.keys,
      nodeSigner: p.a.keys,
      entropySource: p.a.keys,
      backend,
    };
    await expect(ChannelManager.read(bytes, { ...args, channelMonitors: [] })).rejects.toMatchObject({ code: 'dangerous_state' });
  });

  test('a preimage the monitor learned on chain completes our payment after a restart', async () => {
    const p = pair({ a: { config, backend }, b: { config, backend } });
    await openChannel(p, { valueSat: 1_000_000n });
    const { preimage } = await pay(p.pipe, p.a, p.b, 3_000_000n, { claim: false });
    p.a.persist();
    p.pipe.disconnect();
    // The HTLC is in a's monitor; pretend the counterparty claimed it on chain (the monitor saw the preimage).
    const mon = [...p.a.watch.monitors.values()][0]!;
    const htlc = mon.holder.data.htlcs.find((h) => h.offered)!;
    const views = p.a.watch.views().map((v) => ({ ...v, outboundHtlcs: v.outboundHtlcs.map((o) => ({ ...o, preimage })) }));
    expect(htlc.source).toBeDefined();
    const manager = await ChannelManager.read(p.a.stored!, {
      chainHash: CHAIN_HASHES.regtest,
      feeEstimator: p.a.fees,
      watch: p.a.watch,
      broadcaster: p.a.broadcaster,
      signerProvider: p.a.keys,
      nodeSigner: p.a.keys,
      entropySource: p.a.keys,
      backend,
      channelMonitors: views,
    });
    const events: string[] = [];
    await manager.processPendingEvents((e) => {
      events.push(e.kind);
    });
    expect(events).toContain('payment_sent');
  });

  test('corrupted manager bytes are refused with a typed error', async () => {
    const p = pair({ a: { config, backend }, b: { config, backend } });
    await openChannel(p, { valueSat: 600_000n });
    await pay(p.pipe, p.a, p.b, 1_000_000n, { claim: false });
    const good = p.a.manager.write();
    const args = {
      chainHash: CHAIN_HASHES.regtest,
      feeEstimator: p.a.fees,
      watch: p.a.afterCrashWatch(),
      broadcaster: p.a.broadcaster,
      signerProvider: p.a.keys,
      nodeSigner: p.a.keys,
      entropySource: p.a.keys,
      backend,
      channelMonitors: p.a.watch.views(),
    };
    await fc.assert(
      fc.asyncProperty(fc.nat(good.length - 9), fc.integer({ min: 1, max: 255 }), fc.boolean(), fc.boolean(), async (at, xor, truncate, fixChecksum) => {
        // Corrupt the body; half the time re-seal it with a matching checksum, so the decoder itself is exercised.
        const body = good.slice(0, good.length - 8);
        const mutated = truncate ? body.slice(0, at) : body.slice();
        if (!truncate) mutated[at]! ^= xor;
        const bad = fixChecksum ? concatBytes(mutated, sha256(mutated).subarray(0, 8)) : concatBytes(mutated, good.subarray(good.length - 8));
        try {
          await ChannelManager.read(bad, { ...args, watch: p.a.afterCrashWatch() });
        } catch (e) {
          expect(e).toBeInstanceOf(ChannelError);
        }
      }),
      { numRuns: process.env.LN_LONG_TESTS === '1' ? 3000 : 300 },
    );
  });
});
