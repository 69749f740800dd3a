import { describe, expect, it } from '@jest/globals';
import { CHAIN_HASHES, fromHex, type ShortChannelId } from 'ln-types';
import { decodeMessage } from 'ln-wire';
import { encodeRgsSnapshot, type RgsPolicy, type RgsSnapshot } from 'ln-rgs';
import { GossipError, NetworkGraph, applyRgsSnapshot, deserializeGraph, serializeGraph } from '../src/index.js';

const a = fromHex('02' + '11'.repeat(32));
const b = fromHex('03' + '22'.repeat(32));
const scid = (700_000n << 40n) as ShortChannelId;
const policy: RgsPolicy = { cltvExpiryDelta: 40, htlcMinimumMsat: 1000n, feeBaseMsat: 1000, feeProportionalMillionths: 100, htlcMaximumMsat: 5_000_000n };
const WEEK = 7 * 24 * 3600;

function snapshot(latest: number, updates: RgsSnapshot['updates'], announce = true): RgsSnapshot {
  return {
    chainHash: CHAIN_HASHES.regtest,
    latestSeenTimestamp: latest,
    nodeIds: announce ? [a, b] : [],
    announcements: announce ? [{ shortChannelId: scid, features: Uint8Array.of(1), node1: 0, node2: 1 }] : [],
    updates,
  };
}

describe('applyRgsSnapshot', () => {
  it('adds channels and full policies, dated a week before the snapshot', () => {
    const g = new NetworkGraph(CHAIN_HASHES.regtest);
    const r = applyRgsSnapshot(g, encodeRgsSnapshot(snapshot(2_000_000, [{ kind: 'full', shortChannelId: scid, direction: 0, disabled: false, policy }])));
    expect(r).toEqual({ latestSeenTimestamp: 2_000_000, channelsAdded: 1, policiesUpdated: 1, updatesSkipped: 0 });
    const c = g.channelIndex(scid);
    expect(g.policyFeeBaseMsat(c, 0)).toBe(1000);
    expect(g.policyLastUpdate(c, 0)).toBe(2_000_000 - WEEK);
    expect(g.hasPolicy(c, 1)).toBe(false);
    expect(g.channelFeatures(c)).toEqual(Uint8Array.of(1));
    // The stored bytes decode as the messages they stand for (zero signatures).
    const update = decodeMessage(g.channelUpdate(c, 0)!);
    expect(update.type).toBe('channel_update');
  });

  it('patches policies with incremental updates, skips what it cannot patch or what is older', () => {
    const g = new NetworkGraph(CHAIN_HASHES.regtest);
    applyRgsSnapshot(g, snapshot(2_000_000, [{ kind: 'full', shortChannelId: scid, direction: 0, disabled: false, policy }]));
    const r = applyRgsSnapshot(
      g,
      snapshot(2_100_000, [
        { kind: 'incremental', shortChannelId: scid, direction: 0, disabled: true, changes: { feeBaseMsat: 7 } },
        { kind: 'incremental', shortChannelId: scid, direction: 1, disabled: false, changes: { feeBaseMsat: 9 } },
      ], false),
    );
    expect(r).toEqual({ latestSeenTimestamp: 2_100_000, channelsAdded: 0, policiesUpdated: 1, updatesSkipped: 1 });
    const c = g.channelIndex(scid);
    expect(g.policyFeeBaseMsat(c, 0)).toBe(7);
    expect(g.policyCltvExpiryDelta(c, 0)).toBe(40);
    expect(g.policyEnabled(c, 0)).toBe(false);
    // An older snapshot does not roll the policy back.
    const old = applyRgsSnapshot(g, snapshot(2_050_000, [{ kind: 'full', shortChannelId: scid, direction: 0, disabled: false, policy }], false));
    expect(old.updatesSkipped).toBe(1);
    expect(g.policyFeeBaseMsat(c, 0)).toBe(7);
  });

  it('refuses another chain and survives serialization', () => {
    const g = new NetworkGraph(CHAIN_HASHES.regtest);
    expect(() => applyRgsSnapshot(g, { ...snapshot(1, []), chainHash: CHAIN_HASHES.bitcoin })).toThrow(GossipError);
    applyRgsSnapshot(g, snapshot(2_000_000, [{ kind: 'full', shortChannelId: scid, direction: 1, disabled: false, policy }]));
    const copy = deserializeGraph(serializeGraph(g));
    expect(copy.policyHtlcMaximumMsatExact(copy.channelIndex(scid), 1)).toBe(5_000_000n);
  });
});
