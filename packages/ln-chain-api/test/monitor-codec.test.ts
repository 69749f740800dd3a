import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { BlockHash, ChannelId, NodeId, Txid } from 'ln-types';
import {
  type ChannelMonitorUpdate,
  type ChannelMonitorUpdateStep,
  ChainDataError,
  type MonitorCommitmentData,
  type MonitorEvent,
  type NewChannelMonitor,
  decodeChannelMonitorUpdate,
  decodeMonitorEvent,
  decodeNewChannelMonitor,
  encodeChannelMonitorUpdate,
  encodeMonitorEvent,
  encodeNewChannelMonitor,
} from '../src/index.js';

const bytes = (n: number) => fc.uint8Array({ minLength: n, maxLength: n });
const point = fc.tuple(fc.constantFrom(2, 3), bytes(32)).map(([p, x]) => Uint8Array.from([p, ...x]));
const u64 = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
const u32 = fc.nat({ max: 0xffffffff });
const u16 = fc.nat({ max: 0xffff });
const script = fc.uint8Array({ maxLength: 80 });

const basepoints = fc.record({ fundingPubkey: point, revocationBasepoint: point, paymentBasepoint: point, delayedPaymentBasepoint: point, htlcBasepoint: point });

const htlc = fc.record(
  {
    offered: fc.boolean(),
    htlcId: u64,
    amountMsat: u64,
    cltvExpiry: u32,
    paymentHash: bytes(32),
    source: fc.uint8Array({ maxLength: 120 }),
  },
  { requiredKeys: ['offered', 'htlcId', 'amountMsat', 'cltvExpiry', 'paymentHash'] },
);

const commitmentData: fc.Arbitrary<MonitorCommitmentData> = fc.record({
  commitmentNumber: u64,
  perCommitmentPoint: point,
  feeratePerKw: u32,
  toBroadcasterMsat: u64,
  toCountersignatoryMsat: u64,
  htlcs: fc.array(htlc, { maxLength: 6 }),
});

const holderCommitment = commitmentData.chain((data) =>
  fc.record({
    data: fc.constant(data),
    counterpartySignature: bytes(64),
    htlcSignatures: fc.array(bytes(64), { maxLength: data.htlcs.length, minLength: data.htlcs.length }),
  }),
);
const counterpartyCommitment = fc.record({ data: commitmentData, txid: bytes(32).map((b) => b as Txid) });

const newMonitor: fc.Arbitrary<NewChannelMonitor> = fc.record(
  {
    channelId: bytes(32).map((b) => b as ChannelId),
    counterpartyNodeId: point.map((p) => p as NodeId),
    channelKeysId: bytes(32),
    parameters: fc.record({
      holderPubkeys: basepoints,
      counterpartyPubkeys: basepoints,
      holderIsOpener: fc.boolean(),
      holderSelectedContestDelay: u16,
      counterpartySelectedContestDelay: u16,
      holderDustLimitSat: u64,
      counterpartyDustLimitSat: u64,
      fundingOutpoint: fc.record({ txid: bytes(32).map((b) => b as Txid), index: u32 }),
      fundingAmountSat: u64,
      format: fc.constantFrom('static_remotekey' as const, 'anchors' as const),
    }),
    destinationScript: script,
    shutdownScript: script,
    holderCommitment,
    counterpartyCommitment,
    bestBlock: fc.record({ blockHash: bytes(32).map((b) => b as BlockHash), height: u32 }),
  },
  { requiredKeys: ['channelId', 'counterpartyNodeId', 'channelKeysId', 'parameters', 'destinationScript', 'holderCommitment', 'counterpartyCommitment', 'bestBlock'] },
);

const step: fc.Arbitrary<ChannelMonitorUpdateStep> = fc.oneof(
  holderCommitment.map((commitment) => ({ kind: 'latest_holder_commitment' as const, commitment })),
  counterpartyCommitment.map((commitment) => ({ kind: 'latest_counterparty_commitment' as const, commitment })),
  bytes(32).map((preimage) => ({ kind: 'payment_preimage' as const, preimage })),
  fc.record({ kind: fc.constant('commitment_secret' as const), commitmentNumber: u64, secret: bytes(32) }),
  fc.record({ kind: fc.constant('channel_force_closed' as const), shouldBroadcast: fc.boolean() }),
  fc.record({ kind: fc.constant('shutdown_script' as const), script }),
);

const update: fc.Arbitrary<ChannelMonitorUpdate> = fc.record({
  channelId: bytes(32).map((b) => b as ChannelId),
  updateId: u64,
  steps: fc.array(step, { maxLength: 4 }),
});

const ids = { channelId: bytes(32).map((b) => b as ChannelId), counterpartyNodeId: point.map((p) => p as NodeId) };
const event: fc.Arbitrary<MonitorEvent> = fc.oneof(
  fc.record(
    {
      kind: fc.constant('htlc_resolved' as const),
      ...ids,
      source: fc.uint8Array({ maxLength: 100 }),
      paymentHash: bytes(32),
      amountMsat: u64,
      preimage: bytes(32),
      txid: bytes(32).map((b) => b as Txid),
    },
    { requiredKeys: ['kind', 'channelId', 'counterpartyNodeId', 'source', 'paymentHash', 'amountMsat'] },
  ),
  fc.record({ kind: fc.constant('holder_force_closed' as const), ...ids, reason: fc.string({ maxLength: 40 }) }),
  fc.record({ kind: fc.constant('commitment_tx_confirmed' as const), ...ids, txid: bytes(32).map((b) => b as Txid) }),
  fc.record({ kind: fc.constant('update_completed' as const), ...ids, updateId: u64 }),
);

function expectTypedRefusal(decode: () => unknown): void {
  try {
    decode();
  } catch (e) {
    expect(e).toBeInstanceOf(ChainDataError);
    return;
  }
}

describe('monitor contract codecs', () => {
  it('round-trip new monitors', () => {
    fc.assert(fc.property(newMonitor, (m) => expect(decodeNewChannelMonitor(encodeNewChannelMonitor(m))).toEqual(m)), { numRuns: 60 });
  });

  it('round-trip updates of every step kind', () => {
    fc.assert(fc.property(update, (u) => expect(decodeChannelMonitorUpdate(encodeChannelMonitorUpdate(u))).toEqual(u)), { numRuns: 150 });
  });

  it('round-trip monitor events', () => {
    fc.assert(fc.property(event, (e) => expect(decodeMonitorEvent(encodeMonitorEvent(e))).toEqual(e)), { numRuns: 150 });
  });

  it('refuse every truncation, a trailing byte and another record kind with ChainDataError', () => {
    fc.assert(
      fc.property(update, fc.nat(), (u, cut) => {
        const bytes = encodeChannelMonitorUpdate(u);
        expect(() => decodeChannelMonitorUpdate(bytes.subarray(0, cut % bytes.length))).toThrow(ChainDataError);
        expect(() => decodeChannelMonitorUpdate(Uint8Array.from([...bytes, 0]))).toThrow(ChainDataError);
        expect(() => decodeMonitorEvent(bytes)).toThrow(ChainDataError);
      }),
      { numRuns: 100 },
    );
  });

  it('refuse an unknown version with its own code', () => {
    const bytes = encodeMonitorEvent({ kind: 'update_completed', channelId: new Uint8Array(32) as ChannelId, counterpartyNodeId: new Uint8Array(33).fill(2) as NodeId, updateId: 7n });
    bytes[1] = 2;
    expect(() => decodeMonitorEvent(bytes)).toThrow(expect.objectContaining({ code: 'unsupported_version' }));
  });

  it('give only typed errors for random and mutated bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (junk) => {
        expectTypedRefusal(() => decodeNewChannelMonitor(junk));
        expectTypedRefusal(() => decodeChannelMonitorUpdate(junk));
        expectTypedRefusal(() => decodeMonitorEvent(junk));
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(newMonitor, fc.nat(), fc.integer({ min: 1, max: 255 }), (m, at, flip) => {
        const bytes = encodeNewChannelMonitor(m);
        bytes[at % bytes.length] = bytes[at % bytes.length]! ^ flip;
        expectTypedRefusal(() => decodeNewChannelMonitor(bytes));
      }),
      { numRuns: 100 },
    );
  });

  it('refuse to write what cannot be read back', () => {
    const bad: ChannelMonitorUpdate = { channelId: new Uint8Array(31) as ChannelId, updateId: 1n, steps: [] };
    expect(() => encodeChannelMonitorUpdate(bad)).toThrow(ChainDataError);
    const tooMany: ChannelMonitorUpdate = { channelId: new Uint8Array(32) as ChannelId, updateId: 1n, steps: Array.from({ length: 65 }, () => ({ kind: 'payment_preimage' as const, preimage: new Uint8Array(32) })) };
    expect(() => encodeChannelMonitorUpdate(tooMany)).toThrow(ChainDataError);
  });
});
