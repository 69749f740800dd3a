import { beforeAll, describe, expect, it } from '@jest/globals';
import { utxoFound, utxoMissing, type UtxoLookup } from 'ln-chain-api';
import { sha256d } from 'ln-crypto';
import { allMessages, deterministicKey, fundingOutputScript, signChannelAnnouncement, signChannelUpdate, signNodeAnnouncement, type ChannelKeys } from 'ln-gossip-generator';
import { CHAIN_HASHES, shortChannelIdFromParts, toHex, type ChainHash, type NodeId, type PublicKey, type ShortChannelId } from 'ln-types';
import {
  decodeMessage,
  encodeMessage,
  featuresFromBits,
  gossipSignedBytes,
  type ChannelAnnouncementMessage,
  type ChannelUpdateMessage,
  type NodeAnnouncementMessage,
} from 'ln-wire';
import { GossipIngest, NetworkGraph, TWO_WEEKS_SECONDS, type IngestOutcome, type RefusalReason } from '../src/index.js';
import { canonicalDump, fastVerifier, freshIngest, gossipFixture, signer } from './helpers.js';

const g = gossipFixture(6);
const now = g.timestamp;
const seed = new TextEncoder().encode('validation tests');
const key = (label: string, i = 0) => deterministicKey(signer, seed, label, i);
const privByNode = new Map(g.nodeKeys.map((k) => [toHex(signer.publicKeyCreate(k)), k]));

// Extra channels, outside the generated set, each with its own funding answer.
const scid = (n: number) => shortChannelIdFromParts(700_000 + n, 1, 0);
const freshKeys = (n: number): ChannelKeys => ({ nodeKeyA: g.nodeKeys[0]!, nodeKeyB: key('node', n), bitcoinKeyA: key('btc-a', n), bitcoinKeyB: key('btc-b', n) });
const X = scid(1); // announced and funded, no updates yet
const funding = new Map<bigint, ReturnType<typeof utxoFound>>();
const unknownChain = scid(90);
const lookup: UtxoLookup = { getUtxo: (_c, s) => (s === unknownChain ? utxoMissing('unknown_chain') : (funding.get(s) ?? (g.fundingOutputs.has(s) ? utxoFound(g.fundingOutputs.get(s)!) : utxoMissing('unknown_tx')))) };

function fund(s: ShortChannelId, keys: ChannelKeys, valueSat = 1_000_000n, script?: Uint8Array): void {
  const k1 = signer.publicKeyCreate(keys.bitcoinKeyA);
  const k2 = signer.publicKeyCreate(keys.bitcoinKeyB);
  funding.set(s, utxoFound({ script: script ?? fundingOutputScript(k1, k2), valueSat }));
}

/** A channel_announcement with fields changed after ordering, re-signed with all four keys (or with some signatures spoiled). */
function announcement(s: ShortChannelId, keys: ChannelKeys, change: (m: ChannelAnnouncementMessage) => ChannelAnnouncementMessage = (m) => m, spoil: 'node' | 'bitcoin' | undefined = undefined): Uint8Array {
  const base = signChannelAnnouncement(signer, g.chainHash, s, keys);
  const m = change(base.message);
  const privOf = new Map([keys.nodeKeyA, keys.nodeKeyB, keys.bitcoinKeyA, keys.bitcoinKeyB].map((k) => [toHex(signer.publicKeyCreate(k)), k]));
  const h = sha256d(gossipSignedBytes({ ...m, extra: m.extra ?? new Uint8Array(0) } as ChannelAnnouncementMessage));
  const sign = (pub: Uint8Array) => signer.ecdsaSign(h, privOf.get(toHex(pub))!);
  const signed = { ...m, nodeSignature1: sign(m.nodeId1), nodeSignature2: sign(m.nodeId2), bitcoinSignature1: sign(m.bitcoinKey1), bitcoinSignature2: sign(m.bitcoinKey2) };
  if (spoil === 'node') signed.nodeSignature2 = sign(m.bitcoinKey1);
  if (spoil === 'bitcoin') signed.bitcoinSignature2 = sign(m.nodeId1);
  return encodeMessage(signed);
}

/** A generated message changed and re-signed by the right node (or left with its old signature). */
function resignUpdate(raw: Uint8Array, change: (m: ChannelUpdateMessage) => ChannelUpdateMessage, signerPub?: Uint8Array, keepSignature = false): Uint8Array {
  const m = change(decodeMessage(raw) as ChannelUpdateMessage);
  const fresh = { ...m, signature: new Uint8Array(64) };
  if (keepSignature) return encodeMessage(m);
  const priv = privByNode.get(toHex(signerPub!))!;
  return encodeMessage({ ...fresh, signature: signer.ecdsaSign(sha256d(gossipSignedBytes(fresh)), priv) });
}

function resignNode(raw: Uint8Array, change: (m: NodeAnnouncementMessage) => NodeAnnouncementMessage, keepSignature = false): Uint8Array {
  const m = change(decodeMessage(raw) as NodeAnnouncementMessage);
  if (keepSignature) return encodeMessage(m);
  const fresh = { ...m, signature: new Uint8Array(64) };
  return encodeMessage({ ...fresh, signature: signer.ecdsaSign(sha256d(gossipSignedBytes(fresh)), privByNode.get(toHex(m.nodeId))!) });
}

const updateOn = (s: ShortChannelId, keys: ChannelKeys, fields: Partial<Parameters<typeof signChannelUpdate>[3]> = {}) => {
  const ann = signChannelAnnouncement(signer, g.chainHash, s, keys);
  return signChannelUpdate(
    signer,
    g.chainHash,
    s,
    { timestamp: now, direction: 0, disabled: false, cltvExpiryDelta: 40, htlcMinimumMsat: 1n, htlcMaximumMsat: 1000n, feeBaseMsat: 1, feeProportionalMillionths: 1, ...fields },
    ann.aIsNode1 === ((fields.direction ?? 0) === 0) ? keys.nodeKeyA : keys.nodeKeyB,
  );
};

let ingest: GossipIngest;
const firstUpdate = g.channelUpdates[0]!;
const firstUpdateMsg = decodeMessage(firstUpdate) as ChannelUpdateMessage;
const firstAnn = decodeMessage(g.channelAnnouncements[0]!) as ChannelAnnouncementMessage;
const signerOfFirst = (firstUpdateMsg.channelFlags & 1) === 0 ? firstAnn.nodeId1 : firstAnn.nodeId2;

beforeAll(async () => {
  ingest = freshIngest(g, { utxoLookup: lookup });
  fund(X, freshKeys(1));
  const outcomes = await ingest.ingest([...allMessages(g), announcement(X, freshKeys(1))]);
  expect(outcomes.every((o) => o.status === 'applied')).toBe(true);
});

async function expectRefused(raw: Uint8Array, reason: RefusalReason): Promise<void> {
  const before = canonicalDump(ingest.graph);
  const version = ingest.graph.version;
  const checks = ingest.stats.signatureChecks;
  const outcome: IngestOutcome = await ingest.handle(raw);
  expect(outcome).toEqual({ status: 'refused', reason });
  expect(ingest.graph.version).toBe(version);
  expect(canonicalDump(ingest.graph)).toBe(before);
  // Duplicates and stale messages are dropped before any signature check.
  if (reason === 'duplicate' || reason === 'stale') expect(ingest.stats.signatureChecks).toBe(checks);
}

describe('every BOLT 7 rule refuses a message that breaks only it, leaving the graph unchanged', () => {
  it('malformed bytes', () => expectRefused(firstUpdate.subarray(0, 100), 'malformed'));
  it('a message that is not gossip', () => expectRefused(encodeMessage({ type: 'ping', numPongBytes: 1, ignored: new Uint8Array(0) }), 'not_gossip'));

  describe('channel_announcement', () => {
    it('wrong chain', async () => {
      fund(scid(2), freshKeys(2));
      await expectRefused(announcement(scid(2), freshKeys(2), (m) => ({ ...m, chainHash: CHAIN_HASHES.regtest })), 'wrong_chain');
    });
    it('node ids not in order', async () => {
      fund(scid(3), freshKeys(3));
      const swapped = (m: ChannelAnnouncementMessage) => ({ ...m, nodeId1: m.nodeId2, nodeId2: m.nodeId1, bitcoinKey1: m.bitcoinKey2, bitcoinKey2: m.bitcoinKey1 });
      await expectRefused(announcement(scid(3), freshKeys(3), swapped), 'node_ids_not_ordered');
    });
    it('unknown required feature', async () => {
      fund(scid(4), freshKeys(4));
      await expectRefused(announcement(scid(4), freshKeys(4), (m) => ({ ...m, features: featuresFromBits([200]) })), 'unknown_required_feature');
    });
    it('a bad node signature', async () => {
      fund(scid(5), freshKeys(5));
      await expectRefused(announcement(scid(5), freshKeys(5), undefined, 'node'), 'bad_node_signature');
    });
    it('a bad bitcoin signature', async () => {
      fund(scid(6), freshKeys(6));
      await expectRefused(announcement(scid(6), freshKeys(6), undefined, 'bitcoin'), 'bad_bitcoin_signature');
    });
    it('signatures over other bytes (a field changed after signing)', async () => {
      fund(scid(7), freshKeys(7));
      const raw = announcement(scid(7), freshKeys(7)).slice();
      raw[raw.length - 40]! ^= 1; // inside bitcoin_key_2: the node signatures no longer match
      await expectRefused(raw, decodeMessage(raw).type === 'channel_announcement' ? 'bad_node_signature' : 'malformed');
    });
    it('duplicate (before any signature check)', () => expectRefused(g.channelAnnouncements[2]!, 'duplicate'));
    it('funding output missing', () => expectRefused(announcement(scid(8), freshKeys(8)), 'funding_missing'));
    it('funding output not the 2-of-2 of the bitcoin keys', async () => {
      fund(scid(9), freshKeys(9), 1_000_000n, fundingOutputScript(signer.publicKeyCreate(key('x')), signer.publicKeyCreate(key('y'))));
      await expectRefused(announcement(scid(9), freshKeys(9)), 'funding_script_mismatch');
    });
    it('funding lookup does not know the chain', () => expectRefused(announcement(unknownChain, freshKeys(90)), 'funding_unknown_chain'));
  });

  describe('node_announcement', () => {
    const raw = g.nodeAnnouncements[0]!;
    const bump = (m: NodeAnnouncementMessage) => ({ ...m, timestamp: m.timestamp + 10 });
    it('bad signature', () => expectRefused(resignNode(raw, bump, true), 'bad_signature'));
    it('duplicate', () => expectRefused(raw, 'duplicate'));
    it('stale', () => expectRefused(resignNode(raw, (m) => ({ ...m, timestamp: m.timestamp - 1 })), 'stale'));
    it('two DNS hostnames', () =>
      expectRefused(
        resignNode(raw, (m) => ({ ...bump(m), addresses: [{ kind: 'dns', hostname: new TextEncoder().encode('a.example'), port: 9735 }, { kind: 'dns', hostname: new TextEncoder().encode('b.example'), port: 9735 }] })),
        'bad_address',
      ));
    it('a non-ASCII hostname', () => expectRefused(resignNode(raw, (m) => ({ ...bump(m), addresses: [{ kind: 'dns', hostname: Uint8Array.of(0x61, 0xc3, 0xa9), port: 9735 }] })), 'bad_address'));
    it('an alias that is not UTF-8', () => expectRefused(resignNode(raw, (m) => ({ ...bump(m), alias: Uint8Array.of(0xff, 0xfe, ...new Uint8Array(30)) })), 'bad_alias'));
    // A far-future announcement would otherwise lock the node's announcement until that date.
    it('timestamp far in the future', () => expectRefused(resignNode(raw, (m) => ({ ...m, timestamp: now + 2 * 86400 })), 'timestamp_in_future'));
  });

  describe('channel_update', () => {
    const xKeys = freshKeys(1);
    it('wrong chain', () => expectRefused(resignUpdate(firstUpdate, (m) => ({ ...m, chainHash: CHAIN_HASHES.regtest as ChainHash, timestamp: m.timestamp + 1 }), signerOfFirst), 'wrong_chain'));
    it('signed by the other endpoint', () => {
      const other = signerOfFirst === firstAnn.nodeId1 ? firstAnn.nodeId2 : firstAnn.nodeId1;
      return expectRefused(resignUpdate(firstUpdate, (m) => ({ ...m, timestamp: m.timestamp + 1 }), other), 'bad_signature');
    });
    it('a field changed after signing', () => expectRefused(resignUpdate(firstUpdate, (m) => ({ ...m, timestamp: m.timestamp + 1, feeBaseMsat: m.feeBaseMsat + 1 }), undefined, true), 'bad_signature'));
    it('duplicate (before any signature check)', () => expectRefused(firstUpdate, 'duplicate'));
    it('stale (before any signature check)', () => expectRefused(resignUpdate(firstUpdate, (m) => ({ ...m, timestamp: m.timestamp - 1 }), signerOfFirst), 'stale'));
    it('timestamp far in the future', () => expectRefused(updateOn(X, xKeys, { timestamp: now + 2 * 86400 }), 'timestamp_in_future'));
    it('timestamp older than two weeks', () => expectRefused(updateOn(X, xKeys, { timestamp: now - TWO_WEEKS_SECONDS - 1 }), 'timestamp_too_old'));
    it('htlc_maximum_msat above the capacity', () => expectRefused(updateOn(X, xKeys, { htlcMaximumMsat: 1_000_000_001n }), 'htlc_maximum_above_capacity'));
    it('must_be_one flag clear', () => {
      const raw = updateOn(X, xKeys);
      const m = decodeMessage(raw) as ChannelUpdateMessage;
      const ann = decodeMessage(announcement(X, xKeys)) as ChannelAnnouncementMessage;
      return expectRefused(resignUpdate(raw, () => ({ ...m, messageFlags: 0 }), ann.nodeId1), 'htlc_maximum_missing');
    });
  });

  it('a valid update at exactly the capacity is applied (the boundary of the rule)', async () => {
    expect(await ingest.handle(updateOn(X, freshKeys(1), { htlcMaximumMsat: 1_000_000_000n }))).toEqual({ status: 'applied' });
  });

  it('a closed channel: its announcement and updates are refused afterwards', async () => {
    const s = firstAnn.shortChannelId;
    expect(ingest.graph.channelClosed(s)).toBe(true);
    await expectRefused(g.channelAnnouncements[0]!, 'channel_closed');
    await expectRefused(resignUpdate(firstUpdate, (m) => ({ ...m, timestamp: m.timestamp + 5 }), signerOfFirst), 'channel_closed');
  });

  it('updates and node announcements for unknown channels and nodes are held, not applied', async () => {
    const before = canonicalDump(ingest.graph);
    const k = freshKeys(50);
    fund(scid(50), k);
    const u = updateOn(scid(50), k);
    expect(await ingest.handle(u)).toEqual({ status: 'held' });
    expect(canonicalDump(ingest.graph)).toBe(before);
    expect(ingest.heldCount).toBeGreaterThan(0);
    // The channel arrives: the held update is replayed and applied.
    expect(await ingest.handle(announcement(scid(50), k))).toEqual({ status: 'applied' });
    const c = ingest.graph.channelIndex(scid(50));
    expect(ingest.graph.hasPolicy(c, 0) || ingest.graph.hasPolicy(c, 1)).toBe(true);
    const lonely = signNodeAnnouncement(signer, { timestamp: now, features: new Uint8Array(0), rgbColor: new Uint8Array(3), alias: new Uint8Array(0), addresses: [] }, key('stranger'));
    const dump = canonicalDump(ingest.graph);
    expect(await ingest.handle(lonely)).toEqual({ status: 'held' });
    expect(canonicalDump(ingest.graph)).toBe(dump);
  });
});

describe('without a UtxoLookup', () => {
  it('accepts announcements on signatures alone, capacity unknown (-1)', async () => {
    const noLookup = new GossipIngest(new NetworkGraph(g.chainHash), { clock: () => now, verifier: fastVerifier });
    const outcomes = await noLookup.ingest(allMessages(g));
    expect(outcomes.every((o) => o.status === 'applied')).toBe(true);
    expect(noLookup.graph.liveChannelCount).toBe(g.channelAnnouncements.length);
    expect(noLookup.graph.channelCapacitySat(0)).toBe(-1);
  });
});

describe('funding answers that come later', () => {
  it('holds updates for a pending channel and applies them after the answer', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const later: UtxoLookup = { getUtxo: async (c, s) => (await gate, lookup.getUtxo(c, s)) };
    const i = freshIngest(g, { utxoLookup: later });
    const outcomes = await i.ingest([g.channelAnnouncements[0]!, ...g.channelUpdates.slice(0, 2)]);
    expect(outcomes.map((o) => o.status)).toEqual(['pending', 'held', 'held']);
    expect(i.pendingCount).toBe(1);
    expect(i.graph.liveChannelCount).toBe(0);
    release();
    await i.settled();
    expect(i.pendingCount).toBe(0);
    expect(i.graph.liveChannelCount).toBe(1);
    expect(i.graph.hasPolicy(0, 0) && i.graph.hasPolicy(0, 1)).toBe(true);
    expect(toHex(i.graph.nodeId(i.graph.channelNode1(0)))).toBe(toHex(firstAnn.nodeId1 as NodeId));
    expect((firstAnn.bitcoinKey1 as PublicKey).length).toBe(33);
  });
});
