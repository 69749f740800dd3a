import { describe, expect, it } from '@jest/globals';
import { CHAIN_HASHES, fromHex, type NodeId, type ShortChannelId } from 'ln-types';
import { decodeMessage, encodeMessage, type NodeAnnouncementMessage } from 'ln-wire';
import { encodeRgsSnapshot, type RgsNodeUpdate, type RgsPolicy, type RgsSnapshot } from 'ln-rgs';
import { NetworkGraph, applyRgsSnapshot, deserializeGraph, serializeGraph } from '../src/index.js';

// Valid compressed keys (x on the curve), a < b as BOLT 7 orders node_id_1 and node_id_2.
const a = fromHex('02' + '33'.repeat(32));
const b = fromHex('03' + '22'.repeat(32));
const scid = (700_000n << 40n) as ShortChannelId;
const policy: RgsPolicy = { cltvExpiryDelta: 40, htlcMinimumMsat: 1000n, feeBaseMsat: 1000, feeProportionalMillionths: 100, htlcMaximumMsat: 5_000_000n };
const WEEK = 7 * 24 * 3600;
/** "Now" for these tests: every snapshot below is less than two weeks older. */
const NOW = 2_100_000;
const at = { now: NOW };

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
    const r = applyRgsSnapshot(g, encodeRgsSnapshot(snapshot(2_000_000, [{ kind: 'full', shortChannelId: scid, direction: 0, disabled: false, policy }])), at);
    expect(r).toEqual({ latestSeenTimestamp: 2_000_000, channelsAdded: 1, announcementsSkipped: 0, policiesUpdated: 1, updatesSkipped: 0, nodesUpdated: 0 });
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
    applyRgsSnapshot(g, snapshot(2_000_000, [{ kind: 'full', shortChannelId: scid, direction: 0, disabled: false, policy }]), at);
    const r = applyRgsSnapshot(
      g,
      snapshot(2_100_000, [
        { kind: 'incremental', shortChannelId: scid, direction: 0, disabled: true, changes: { feeBaseMsat: 7 } },
        { kind: 'incremental', shortChannelId: scid, direction: 1, disabled: false, changes: { feeBaseMsat: 9 } },
      ], false),
      at,
    );
    expect(r).toEqual({ latestSeenTimestamp: 2_100_000, channelsAdded: 0, announcementsSkipped: 0, policiesUpdated: 1, updatesSkipped: 1, nodesUpdated: 0 });
    const c = g.channelIndex(scid);
    expect(g.policyFeeBaseMsat(c, 0)).toBe(7);
    expect(g.policyCltvExpiryDelta(c, 0)).toBe(40);
    expect(g.policyEnabled(c, 0)).toBe(false);
    // An older snapshot does not roll the policy back.
    const old = applyRgsSnapshot(g, snapshot(2_050_000, [{ kind: 'full', shortChannelId: scid, direction: 0, disabled: false, policy }], false), at);
    expect(old.updatesSkipped).toBe(1);
    expect(g.policyFeeBaseMsat(c, 0)).toBe(7);
  });

  it('survives serialization', () => {
    const g = new NetworkGraph(CHAIN_HASHES.regtest);
    applyRgsSnapshot(g, snapshot(2_000_000, [{ kind: 'full', shortChannelId: scid, direction: 1, disabled: false, policy }]), at);
    const copy = deserializeGraph(serializeGraph(g));
    expect(copy.policyHtlcMaximumMsatExact(copy.channelIndex(scid), 1)).toBe(5_000_000n);
  });

  it('applies version 2 node data over what the graph has, and channel capacities', () => {
    const g = new NetworkGraph(CHAIN_HASHES.regtest);
    const ipv4 = { kind: 'ipv4' as const, addr: Uint8Array.of(1, 2, 3, 4), port: 9735 };
    const dns = { kind: 'dns' as const, hostname: new TextEncoder().encode('b.example'), port: 9735 };
    const v2 = (latest: number, nodes: readonly RgsNodeUpdate[]): RgsSnapshot => ({ ...snapshot(latest, []), announcements: [{ shortChannelId: scid, features: Uint8Array.of(1), node1: 0, node2: 1, fundingSatoshis: 250_000n }], nodes });
    const announcementOf = (id: Uint8Array) => decodeMessage(g.nodeAnnouncement(g.nodeIndex(id))!) as NodeAnnouncementMessage;

    const first = applyRgsSnapshot(g, encodeRgsSnapshot(v2(2_000_000, [{ node: 0, features: Uint8Array.of(0x0a), addresses: [ipv4, { kind: 'opaque', bytes: Uint8Array.of(9, 9) }] }, { node: 1 }]), { version: 2 }), at);
    expect(first.nodesUpdated).toBe(2);
    expect(g.channelCapacitySat(g.channelIndex(scid))).toBe(250_000);
    expect(announcementOf(a)).toMatchObject({ features: Uint8Array.of(0x0a), timestamp: 2_000_000 - WEEK, addresses: [ipv4] });
    // A reminder for a node the graph knows nothing of gives it an empty announcement.
    expect(announcementOf(b)).toMatchObject({ features: new Uint8Array(0), addresses: [] });
    expect(g.nodeFeatures(g.nodeIndex(a))).toEqual(Uint8Array.of(0x0a));

    // A signed announcement of b arrives over P2P; a later snapshot changes only its addresses.
    const p2p: NodeAnnouncementMessage = { type: 'node_announcement', signature: new Uint8Array(64).fill(1), features: Uint8Array.of(0x02), timestamp: 2_000_000 - WEEK + 10, nodeId: b as NodeId, rgbColor: Uint8Array.of(1, 2, 3), alias: new Uint8Array(32).fill(0x41), addresses: [ipv4] };
    g.updateNodeAnnouncement(g.nodeIndex(b), p2p.timestamp, encodeMessage(p2p));
    expect(applyRgsSnapshot(g, v2(2_000_005, [{ node: 1, addresses: [dns] }]), at).nodesUpdated).toBe(0);
    expect(applyRgsSnapshot(g, v2(2_100_000, [{ node: 1, addresses: [dns] }]), at).nodesUpdated).toBe(1);
    expect(announcementOf(b)).toMatchObject({ features: Uint8Array.of(0x02), rgbColor: Uint8Array.of(1, 2, 3), alias: p2p.alias, addresses: [dns], timestamp: 2_100_000 - WEEK });
    expect(announcementOf(a).addresses).toEqual([ipv4]);
  });
});
