// Bad input from the peer gets the BOLT-mandated reaction (an error and a
// failed channel, whose latest commitment goes on chain), never a throw out of
// handleMessage, never a corrupted state; fast-check feeds random messages.
import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import native from 'secp256k1';
import { createNativeSecp256k1Backend } from 'ln-crypto';
import { type ChannelId, type PublicKey, toHex } from 'ln-types';
import type { Message } from 'ln-wire';
import type { ChannelMessage } from 'ln-peer-api';
import { decodeManager } from '../src/serialization/manager-codec.js';
import { pay } from './helpers/pay.js';
import { ofKind, openChannel, pair, type Pair, userConfig } from './helpers/scenario.js';

const backend = createNativeSecp256k1Backend(native);
const config = userConfig({ channelHandshakeConfig: { minimumDepth: 1, ourMaxAcceptedHtlcs: 5 } });

async function ready(cfg = config): Promise<{ p: Pair; id: ChannelId }> {
  const p = pair({ a: { config: cfg, backend }, b: { config, backend } });
  const id = await openChannel(p, { valueSat: 1_000_000n, pushMsat: 300_000_000n });
  return { p, id };
}

/** Delivers a crafted message from b to a and waits for a to react. */
async function inject(p: Pair, m: ChannelMessage): Promise<void> {
  p.a.manager.handleMessage(p.b.nodeId, m);
  await p.a.manager.idle();
}

/** a failed the channel as BOLT 2 says: an error to b, ChannelClosed(processing_error), our commitment to the monitor for broadcast. */
async function expectFailed(p: Pair, id: ChannelId, why: RegExp): Promise<void> {
  const closed = ofKind(await p.a.drainEvents(), 'channel_closed');
  expect(closed).toHaveLength(1);
  expect(closed[0]!.reason.kind).toBe('processing_error');
  expect((closed[0]!.reason as { error: string }).error).toMatch(why);
  // One error fails the channel (later messages for it, now unknown, get their own).
  const errors = p.a.manager.getAndClearPendingMsgEvents().filter((e) => e.kind === 'send' && e.message.type === 'error');
  expect(errors.length).toBeGreaterThanOrEqual(1);
  expect(toHex((errors[0] as { message: Message & { channelId: Uint8Array } }).message.channelId)).toBe(toHex(id));
  const mon = p.a.watch.monitors.get(toHex(id))!;
  expect(mon.closed).toBe(true);
  expect(mon.broadcastOnClose).toBe(true);
  expect(p.a.manager.internalErrors).toEqual([]);
  expect(p.a.watch.violations).toEqual([]);
}

const onion = new Uint8Array(1366);
const add = (id: ChannelId, over: Partial<Extract<ChannelMessage, { type: 'update_add_htlc' }>> = {}): ChannelMessage => ({
  type: 'update_add_htlc',
  channelId: id,
  id: 0n,
  amountMsat: 1_000_000n,
  paymentHash: new Uint8Array(32).fill(1),
  cltvExpiry: 500,
  onionRoutingPacket: onion,
  ...over,
});

describe('bad input from the peer', () => {
  test('commitment_signed with a wrong signature fails the channel', async () => {
    const { p, id } = await ready();
    await inject(p, add(id));
    await inject(p, { type: 'commitment_signed', channelId: id, signature: new Uint8Array(64).fill(3), htlcSignatures: [new Uint8Array(64).fill(4)] });
    await expectFailed(p, id, /commitment_signed: invalid commitment signature/);
  });

  test('commitment_signed with the wrong number of HTLC signatures fails the channel', async () => {
    const { p, id } = await ready();
    // A real signature for the right transaction, with no HTLC signature for the HTLC output.
    await inject(p, add(id));
    await inject(p, { type: 'commitment_signed', channelId: id, signature: new Uint8Array(64).fill(3), htlcSignatures: [] });
    await expectFailed(p, id, /commitment_signed/);
  });

  const adds: [string, (id: ChannelId) => ChannelMessage[], RegExp][] = [
    ['a skipped HTLC id', (id) => [add(id, { id: 1n })], /id 1, expected 0/],
    ['zero amount', (id) => [add(id, { amountMsat: 0n })], /0 msat/],
    ['more than the channel', (id) => [add(id, { amountMsat: 2_000_000_000n })], /above the channel value/],
    ['below our htlc_minimum_msat', (id) => [add(id, { amountMsat: 0n })], /0 msat/],
    ['a timestamp as cltv_expiry', (id) => [add(id, { cltvExpiry: 600_000_000 })], /timestamp/],
    ['more HTLCs than our max_accepted_htlcs', (id) => Array.from({ length: 6 }, (_, i) => add(id, { id: BigInt(i) })), /max_accepted_htlcs/],
    ['more value in flight than our limit', (id) => [add(id, { amountMsat: 150_000_000n })], /max_htlc_value_in_flight/],
    ['more than the sender can afford above its reserve', (id) => [add(id, { amountMsat: 150_000_000n }), add(id, { id: 1n, amountMsat: 145_000_000n })], /below its channel reserve/],
  ];
  // A 100% in-flight limit so that the reserve check is the one that bites.
  const wide = userConfig({ channelHandshakeConfig: { minimumDepth: 1, ourMaxAcceptedHtlcs: 5, maxInboundHtlcValueInFlightPercentOfChannel: 100 } });
  for (const [what, msgs, why] of adds) {
    test(`update_add_htlc with ${what} fails the channel`, async () => {
      const { p, id } = await ready(what.includes('reserve') ? wide : config);
      for (const m of msgs(id)) await inject(p, m);
      await expectFailed(p, id, why);
    });
  }

  test('revoke_and_ack with a wrong secret fails the channel', async () => {
    const { p, id } = await ready();
    // Make a send a commitment_signed so a revoke_and_ack is expected.
    const inv = p.b.manager.createInboundPayment({ amountMsat: 1_000_000n, expirySeconds: 3600 });
    p.a.manager.payDirect({ paymentId: new Uint8Array(32).fill(1), payee: p.b.nodeId, paymentHash: inv.paymentHash, paymentSecret: inv.paymentSecret, amountMsat: 1_000_000n, minFinalCltvExpiryDelta: 24 });
    await p.a.manager.idle();
    p.a.manager.getAndClearPendingMsgEvents();
    await inject(p, { type: 'revoke_and_ack', channelId: id, perCommitmentSecret: new Uint8Array(32).fill(7), nextPerCommitmentPoint: backend.publicKeyCreate(new Uint8Array(32).fill(8)) as PublicKey });
    await expectFailed(p, id, /revoke_and_ack secret does not match/);
  });

  test('revoke_and_ack with nothing to revoke fails the channel', async () => {
    const { p, id } = await ready();
    await inject(p, { type: 'revoke_and_ack', channelId: id, perCommitmentSecret: new Uint8Array(32).fill(7), nextPerCommitmentPoint: backend.publicKeyCreate(new Uint8Array(32).fill(8)) as PublicKey });
    await expectFailed(p, id, /without a commitment_signed awaiting it/);
  });

  test('update_fee from the non-opener fails the channel', async () => {
    const { p, id } = await ready();
    await inject(p, { type: 'update_fee', channelId: id, feeratePerKw: 5000 });
    await expectFailed(p, id, /non-opener/);
  });

  test('update_fee too low or unreasonably high fails the channel (both ways)', async () => {
    for (const feerate of [100, 10_000_000]) {
      const { p, id } = await ready();
      // b opened this one: a receives its update_fee.
      const ba = await openChannel(p, { from: 'b', valueSat: 800_000n });
      void id;
      await inject(p, { type: 'update_fee', channelId: ba, feeratePerKw: feerate });
      await expectFailed(p, ba, /update_fee: fee rate/);
    }
  });

  test('update_fulfill_htlc with a wrong preimage or an unknown id fails the channel', async () => {
    for (const [over, why] of [
      [{ id: 0n, paymentPreimage: new Uint8Array(32).fill(9) }, /wrong preimage/],
      [{ id: 7n, paymentPreimage: new Uint8Array(32).fill(9) }, /unknown or uncommitted HTLC 7/],
    ] as const) {
      const { p, id } = await ready();
      await pay(p.pipe, p.a, p.b, 2_000_000n, { claim: false });
      await inject(p, { type: 'update_fulfill_htlc', channelId: id, ...over });
      await expectFailed(p, id, why);
    }
  });

  test('update_fail_malformed_htlc without the BADONION bit fails the channel', async () => {
    const { p, id } = await ready();
    await pay(p.pipe, p.a, p.b, 2_000_000n, { claim: false });
    await inject(p, { type: 'update_fail_malformed_htlc', channelId: id, id: 0n, sha256OfOnion: new Uint8Array(32), failureCode: 0x4000 | 5 });
    await expectFailed(p, id, /BADONION/);
  });

  test('a duplicate funding_created is refused and the channel is untouched', async () => {
    const { p, id } = await ready();
    const fc0 = p.pipe.sent('funding_created', 'a')[0]! as Extract<Message, { type: 'funding_created' }>;
    p.b.manager.handleMessage(p.a.nodeId, fc0);
    await p.b.manager.idle();
    const out = p.b.manager.getAndClearPendingMsgEvents();
    expect(out.some((e) => e.kind === 'send' && e.message.type === 'error')).toBe(true);
    expect(ofKind(await p.b.drainEvents(), 'channel_closed')).toHaveLength(0);
    expect(p.b.manager.listChannels().find((c) => toHex(c.channelId) === toHex(id))!.isUsable).toBe(true);
    await pay(p.pipe, p.a, p.b, 1_000_000n);
  });

  test('a message for an unknown channel gets an error and nothing changes', async () => {
    const { p, id } = await ready();
    await inject(p, add(new Uint8Array(32).fill(0xee) as ChannelId));
    const out = p.a.manager.getAndClearPendingMsgEvents();
    expect(out.filter((e) => e.kind === 'send' && e.message.type === 'error')).toHaveLength(1);
    expect(p.a.manager.listChannels().find((c) => toHex(c.channelId) === toHex(id))!.isUsable).toBe(true);
  });

  test('random messages never escape handleMessage or corrupt the state', async () => {
    const { p, id } = await ready();
    const otherId = new Uint8Array(32).fill(0x42) as ChannelId;
    const bytes = (n: number) => fc.uint8Array({ minLength: n, maxLength: n });
    const cid = fc.constantFrom(id, otherId);
    const point = fc.integer({ min: 1, max: 200 }).map((k) => backend.publicKeyCreate(new Uint8Array(32).fill(k)) as PublicKey);
    const message: fc.Arbitrary<ChannelMessage> = fc.oneof(
      fc.record({ type: fc.constant('update_add_htlc' as const), channelId: cid, id: fc.bigInt(0n, 8n), amountMsat: fc.bigInt(0n, 3_000_000_000n), paymentHash: bytes(32), cltvExpiry: fc.integer({ min: 0, max: 0xffffffff }), onionRoutingPacket: fc.constant(onion) }),
      fc.record({ type: fc.constant('update_fulfill_htlc' as const), channelId: cid, id: fc.bigInt(0n, 8n), paymentPreimage: bytes(32) }),
      fc.record({ type: fc.constant('update_fail_htlc' as const), channelId: cid, id: fc.bigInt(0n, 8n), reason: fc.uint8Array({ maxLength: 300 }) }),
      fc.record({ type: fc.constant('update_fail_malformed_htlc' as const), channelId: cid, id: fc.bigInt(0n, 8n), sha256OfOnion: bytes(32), failureCode: fc.integer({ min: 0, max: 0xffff }) }),
      fc.record({ type: fc.constant('update_fee' as const), channelId: cid, feeratePerKw: fc.integer({ min: 0, max: 0xffffffff }) }),
      fc.record({ type: fc.constant('commitment_signed' as const), channelId: cid, signature: bytes(64), htlcSignatures: fc.array(bytes(64), { maxLength: 3 }) }),
      fc.record({ type: fc.constant('revoke_and_ack' as const), channelId: cid, perCommitmentSecret: bytes(32), nextPerCommitmentPoint: point }),
      fc.record({ type: fc.constant('channel_ready' as const), channelId: cid, secondPerCommitmentPoint: point }),
      fc.record({ type: fc.constant('shutdown' as const), channelId: cid, scriptpubkey: fc.uint8Array({ maxLength: 50 }) }),
      fc.record({ type: fc.constant('closing_signed' as const), channelId: cid, feeSatoshis: fc.bigInt(0n, 2_000_000n), signature: bytes(64) }),
      fc.record({
        type: fc.constant('channel_reestablish' as const),
        channelId: cid,
        nextCommitmentNumber: fc.bigInt(0n, 10n),
        nextRevocationNumber: fc.bigInt(0n, 10n),
        yourLastPerCommitmentSecret: bytes(32),
        myCurrentPerCommitmentPoint: point,
      }),
      fc.record({ type: fc.constant('funding_signed' as const), channelId: cid, signature: bytes(64) }),
      fc.record({ type: fc.constant('accept_channel' as const), temporaryChannelId: cid }).map((m) => ({ ...m, dustLimitSatoshis: 354n, maxHtlcValueInFlightMsat: 1n, channelReserveSatoshis: 1n, htlcMinimumMsat: 1n, minimumDepth: 1, toSelfDelay: 1, maxAcceptedHtlcs: 1, fundingPubkey: backend.publicKeyCreate(new Uint8Array(32).fill(1)) as PublicKey, revocationBasepoint: backend.publicKeyCreate(new Uint8Array(32).fill(2)) as PublicKey, paymentBasepoint: backend.publicKeyCreate(new Uint8Array(32).fill(3)) as PublicKey, delayedPaymentBasepoint: backend.publicKeyCreate(new Uint8Array(32).fill(4)) as PublicKey, htlcBasepoint: backend.publicKeyCreate(new Uint8Array(32).fill(5)) as PublicKey, firstPerCommitmentPoint: backend.publicKeyCreate(new Uint8Array(32).fill(6)) as PublicKey })),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(message, { minLength: 1, maxLength: 8 }), async (msgs) => {
        for (const m of msgs) {
          expect(() => p.a.manager.handleMessage(p.b.nodeId, m)).not.toThrow();
          await p.a.manager.idle();
        }
        p.a.manager.getAndClearPendingMsgEvents();
        expect(p.a.manager.internalErrors).toEqual([]);
        expect(p.a.watch.violations).toEqual([]);
        // Whatever happened, the stored state decodes and every commitment adds up to the channel value.
        for (const c of decodeManager(p.a.manager.write()).channels) {
          const s = c.state;
          const total = (spec: typeof s.localCommit.spec) => spec.toLocalMsat + spec.toRemoteMsat + spec.htlcs.reduce((a, h) => a + h.htlc.amountMsat, 0n);
          expect(total(s.localCommit.spec)).toBe(s.params.channelValueSat * 1000n);
          expect(total(s.remoteCommit.spec)).toBe(s.params.channelValueSat * 1000n);
        }
        for (const e of await p.a.drainEvents()) if (e.kind === 'channel_closed') expect(['processing_error', 'counterparty_force_closed']).toContain(e.reason.kind);
      }),
      { numRuns: process.env.LN_LONG_TESTS === '1' ? 500 : 60 },
    );
  });
});
