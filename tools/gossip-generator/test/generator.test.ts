import { describe, expect, it } from '@jest/globals';
import { sha256d } from 'ln-crypto';
import { loadMainnetGraph } from 'ln-mainnet-graph';
import { bytesToUtf8, compareBytes, toHex } from 'ln-types';
import { decodeMessage, gossipSignedBytes, type ChannelAnnouncementMessage, type ChannelUpdateMessage, type NodeAnnouncementMessage } from 'ln-wire';
import { aliasBytes, allMessages, fastestBackend, generateGossip, packMessages, subgraph, unpackMessages } from '../src/index.js';

const backend = fastestBackend();
const mainnet = loadMainnetGraph();
const piece = subgraph(mainnet, 80);

describe('ln-gossip-generator', () => {
  it('takes a connected piece of the requested size, re-indexed', () => {
    expect(piece.channels.length).toBe(80);
    piece.channels.forEach((c, i) => {
      expect(c.index).toBe(i);
      expect(c.node1).toBeLessThan(piece.nodes.length);
      expect(c.node2).toBeLessThan(piece.nodes.length);
    });
    piece.nodes.forEach((n, i) => expect(n.index).toBe(i));
  });

  it('signs every message correctly, with the right endpoint for each direction', () => {
    const g = generateGossip(piece, { backend });
    expect(g.channelAnnouncements.length).toBe(80);
    expect(g.channelUpdates.length).toBe(160);
    const anns = new Map<bigint, ChannelAnnouncementMessage>();
    for (const raw of g.channelAnnouncements) {
      const a = decodeMessage(raw) as ChannelAnnouncementMessage;
      expect(compareBytes(a.nodeId1, a.nodeId2)).toBeLessThan(0);
      const h = sha256d(gossipSignedBytes(a));
      expect(backend.ecdsaVerify(a.nodeSignature1, h, a.nodeId1) && backend.ecdsaVerify(a.nodeSignature2, h, a.nodeId2)).toBe(true);
      expect(backend.ecdsaVerify(a.bitcoinSignature1, h, a.bitcoinKey1) && backend.ecdsaVerify(a.bitcoinSignature2, h, a.bitcoinKey2)).toBe(true);
      expect(g.fundingOutputs.get(a.shortChannelId)!.script.length).toBe(34);
      anns.set(a.shortChannelId, a);
    }
    for (const raw of g.channelUpdates) {
      const u = decodeMessage(raw) as ChannelUpdateMessage;
      const a = anns.get(u.shortChannelId)!;
      const signer = (u.channelFlags & 1) === 0 ? a.nodeId1 : a.nodeId2;
      expect(backend.ecdsaVerify(u.signature, sha256d(gossipSignedBytes(u)), signer)).toBe(true);
      expect(u.htlcMaximumMsat).toBeLessThanOrEqual(g.fundingOutputs.get(u.shortChannelId)!.valueSat * 1000n);
    }
    // The policy of the topology's node1 is signed by that node, whichever direction it got.
    const ch = piece.channels[0]!;
    const nodeA = toHex(backend.publicKeyCreate(g.nodeKeys[ch.node1]!));
    const updates = g.channelUpdates.map((r) => decodeMessage(r) as ChannelUpdateMessage).filter((u) => u.shortChannelId === ch.shortChannelId);
    const a = anns.get(ch.shortChannelId)!;
    const fromA = updates.find((u) => toHex((u.channelFlags & 1) === 0 ? a.nodeId1 : a.nodeId2) === nodeA)!;
    expect(fromA.feeBaseMsat).toBe(ch.policies[0].feeBaseMsat);
    expect(fromA.cltvExpiryDelta).toBe(ch.policies[0].cltvExpiryDelta);
    for (const raw of g.nodeAnnouncements) {
      const n = decodeMessage(raw) as NodeAnnouncementMessage;
      expect(backend.ecdsaVerify(n.signature, sha256d(gossipSignedBytes(n)), n.nodeId)).toBe(true);
      let end = 32;
      while (end > 0 && n.alias[end - 1] === 0) end--;
      expect(bytesToUtf8(n.alias.subarray(0, end))).toBeDefined();
    }
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const small = subgraph(mainnet, 5);
    const a = allMessages(generateGossip(small, { backend }));
    const b = allMessages(generateGossip(small, { backend }));
    const c = allMessages(generateGossip(small, { backend, seed: Uint8Array.of(1) }));
    expect(a).toEqual(b);
    expect(toHex(a[0]!)).not.toBe(toHex(c[0]!));
    expect(unpackMessages(packMessages(a))).toEqual(a);
    expect(() => unpackMessages(packMessages(a).subarray(0, 10))).toThrow(RangeError);
  });

  it('cuts aliases on character boundaries', () => {
    expect(aliasBytes('é'.repeat(20)).length).toBe(32);
    expect(aliasBytes('a' + '€'.repeat(11)).length).toBe(31);
  });
});
