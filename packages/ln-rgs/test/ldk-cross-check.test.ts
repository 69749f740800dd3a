// rust-lightning (LDK 0.1 compiled to WebAssembly, npm `lightningdevkit`) reads
// the snapshots we build: a full one, then an incremental one on top.
import { beforeAll, describe, expect, it } from '@jest/globals';
import * as ldk from 'lightningdevkit';
import { initLdk } from 'ln-ldk-node';
import { publicKeyFromPrivate, sha256 } from 'ln-crypto';
import { CHAIN_HASHES, compareBytes, fromHex, toHex, type ShortChannelId } from 'ln-types';
import { Writer, writeAddresses, type NodeAddress } from 'ln-wire';
import { buildRgsSnapshot, decodeRgsSnapshot, encodeRgsSnapshot, type RgsChannelState, type RgsNodeState, type RgsPolicy } from '../src/index.js';

beforeAll(async () => {
  await initLdk();
});

const T0 = 1_800_000_000;
const key = (i: number) => publicKeyFromPrivate(sha256(Uint8Array.of(i)));
const policy = (i: number): RgsPolicy => ({
  cltvExpiryDelta: [40, 144, 80][i % 3]!,
  htlcMinimumMsat: 1000n,
  feeBaseMsat: i % 4 === 0 ? 0 : 1000,
  feeProportionalMillionths: i * 10,
  htlcMaximumMsat: 100_000_000n + BigInt(i),
});

function channels(updatedFee: boolean): RgsChannelState[] {
  return Array.from({ length: 12 }, (_, i) => {
    const [a, b] = [key(i), key(i + 100)].sort(compareBytes);
    const later = updatedFee && i % 3 === 0 ? [{ timestamp: T0 + 7200, disabled: i === 3, policy: { ...policy(i), feeBaseMsat: 5555 } }] : [];
    return {
      shortChannelId: ((BigInt(700_000 + i) << 40n) | 1n) as ShortChannelId,
      node1: a!,
      node2: b!,
      features: new Uint8Array(0),
      announcedAt: T0,
      directions: [[{ timestamp: T0, disabled: false, policy: policy(i) }, ...later], i % 2 === 0 ? [{ timestamp: T0, disabled: false, policy: policy(i + 1) }] : []],
    };
  });
}

const ascii = (s: string) => new TextEncoder().encode(s);
/** Node i's features: four nodes share each of three common sets, the others have their own. */
function nodeFeatures(i: number, changed: boolean): Uint8Array {
  if (changed) return fromHex('0a' + (i + 1).toString(16).padStart(2, '0') + '0000');
  return i < 12 ? fromHex(['08a0', '0a8a0a69a2', '2000888252a1'][i % 3]!) : fromHex('80' + (i + 1).toString(16).padStart(2, '0'));
}
function nodeAddresses(i: number, changed: boolean): NodeAddress[] {
  const all: NodeAddress[] = [
    { kind: 'ipv4', addr: Uint8Array.of(10, 0, i, 1), port: 9735 },
    { kind: 'ipv6', addr: new Uint8Array(16).fill(i + 1), port: 9736 },
    { kind: 'torv3', addr: new Uint8Array(35).fill(i + 2), port: 9737 },
    { kind: 'dns', hostname: ascii(`node${i}.example.com`), port: changed ? 1000 + i : 9738 },
    { kind: 'torv2', addr: new Uint8Array(10).fill(i + 3), port: 9739 },
  ];
  return all.slice(0, i % 6);
}
/** Announcements of node i; with `later`, nodes 0, 5, 10... change addresses and 1, 6, 11... features afterwards. */
function nodeStates(keys: Uint8Array[], later: boolean): RgsNodeState[] {
  return keys.map((nodeId, i) => {
    const first = { timestamp: T0, features: nodeFeatures(i, false), addresses: nodeAddresses(i, false) };
    const next = later && i % 5 < 2 ? [{ timestamp: T0 + 7200, features: nodeFeatures(i, i % 5 === 1), addresses: nodeAddresses(i, i % 5 === 0) }] : [];
    return { nodeId, announcements: [first, ...next] };
  });
}
const addressHex = (a: NodeAddress) => {
  const w = new Writer(64);
  writeAddresses(w, [a]);
  return toHex(w.finish());
};

function apply(sync: ldk.RapidGossipSync, bytes: Uint8Array, now: number): number {
  const result = sync.update_network_graph_no_std(bytes, ldk.Option_u64Z.constructor_some(BigInt(now)));
  if (!(result instanceof ldk.Result_u32GraphSyncErrorZ_OK)) throw new Error('LDK refused the snapshot');
  return result.res;
}

describe('LDK reads our RGS snapshots', () => {
  it('applies a full snapshot, then an incremental one, to the same policies we hold', () => {
    const logger = ldk.Logger.new_impl({ log() {} } as ldk.LoggerInterface);
    const graph = ldk.NetworkGraph.constructor_new(ldk.Network.LDKNetwork_Bitcoin, logger);
    const sync = ldk.RapidGossipSync.constructor_new(graph, logger);

    const full = encodeRgsSnapshot(buildRgsSnapshot(CHAIN_HASHES.bitcoin, channels(false)));
    expect(apply(sync, full, T0 + 3600)).toBe(T0);
    const inc = buildRgsSnapshot(CHAIN_HASHES.bitcoin, channels(true), T0);
    expect(inc.updates.every((u) => u.kind === 'incremental')).toBe(true);
    expect(apply(sync, encodeRgsSnapshot(inc), T0 + 10_000)).toBe(T0 + 7200);

    // A read-only graph holds LDK's lock: free it here, or the bindings' finalizer throws
    // (and kills the test process) whenever the garbage collector gets to it.
    const view = graph.read_only();
    try {
      expect(view.list_channels().length).toBe(12);
      for (const [i, ch] of channels(true).entries()) {
        const info = view.channel(ch.shortChannelId);
        for (const d of [0, 1] as const) {
          const ours = ch.directions[d].at(-1);
          const theirs = d === 0 ? info.get_one_to_two() : info.get_two_to_one();
          if (ours === undefined) {
            // The bindings return a null-pointer wrapper for a missing direction.
            expect(theirs === null || (theirs as unknown as { ptr: bigint }).ptr === 0n).toBe(true);
            continue;
          }
          expect({ channel: i, d, base: theirs.get_fees().get_base_msat(), prop: theirs.get_fees().get_proportional_millionths(), cltv: theirs.get_cltv_expiry_delta(), max: theirs.get_htlc_maximum_msat(), enabled: Boolean(theirs.get_enabled()) }).toEqual({
            channel: i,
            d,
            base: ours.policy.feeBaseMsat,
            prop: ours.policy.feeProportionalMillionths,
            cltv: ours.policy.cltvExpiryDelta,
            max: ours.policy.htlcMaximumMsat,
            enabled: !ours.disabled,
          });
        }
      }
    } finally {
      view.free();
    }
  });
});

describe('LDK reads our version 2 snapshots', () => {
  it('ends with the node features and addresses we encoded, after a full then an incremental snapshot', () => {
    const logger = ldk.Logger.new_impl({ log() {} } as ldk.LoggerInterface);
    const graph = ldk.NetworkGraph.constructor_new(ldk.Network.LDKNetwork_Bitcoin, logger);
    const sync = ldk.RapidGossipSync.constructor_new(graph, logger);
    const keys = channels(false).flatMap((c) => [c.node1, c.node2]);
    const withFunding = (chs: RgsChannelState[]) => chs.map((c, i) => ({ ...c, fundingSatoshis: BigInt(100_000 * (i + 1)) }));

    const full = buildRgsSnapshot(CHAIN_HASHES.bitcoin, withFunding(channels(false)), 0, nodeStates(keys, false));
    expect(full.nodes?.length).toBe(24);
    const fullBytes = encodeRgsSnapshot(full, { version: 2 });
    expect(fullBytes[3]).toBe(2);
    // The three shared feature sets go out once, as defaults.
    expect(fullBytes[40]).toBe(3);
    expect(apply(sync, fullBytes, T0 + 3600)).toBe(T0);

    const inc = buildRgsSnapshot(CHAIN_HASHES.bitcoin, withFunding(channels(true)), T0, nodeStates(keys, true));
    // Only nodes 5 and 10 have a hostname whose port changes; 1, 6, 11, 16, 21 change features.
    const indexOfKey = (k: number) => inc.nodeIds.findIndex((id) => compareBytes(id, keys[k]!) === 0);
    const expected = [...[5, 10].map((k) => ({ node: indexOfKey(k), addresses: true, features: false })), ...[1, 6, 11, 16, 21].map((k) => ({ node: indexOfKey(k), addresses: false, features: true }))];
    expect(inc.nodes?.map((n) => ({ node: n.node, addresses: n.addresses !== undefined, features: n.features !== undefined }))).toEqual(expected.sort((a, b) => a.node - b.node));
    expect(apply(sync, encodeRgsSnapshot(inc, { version: 2 }), T0 + 10_000)).toBe(T0 + 7200);

    const view = graph.read_only();
    try {
      expect(view.list_channels().length).toBe(12);
      expect(view.list_nodes().length).toBe(24);
      for (const [i, state] of nodeStates(keys, true).entries()) {
        const ours = state.announcements.at(-1)!;
        const info = view.node(ldk.NodeId.constructor_from_pubkey(state.nodeId)).get_announcement_info();
        expect(info).toBeInstanceOf(ldk.Option_NodeAnnouncementInfoZ_Some);
        const announced = (info as ldk.Option_NodeAnnouncementInfoZ_Some).some;
        expect({ node: i, features: toHex(announced.features().write()), addresses: announced.addresses().map((a) => toHex(a.write())) }).toEqual({
          node: i,
          features: toHex(new Writer(8).u16Bytes(ours.features).finish()),
          addresses: ours.addresses.map(addressHex),
        });
      }
    } finally {
      view.free();
    }
    // What LDK holds is also what we decode from the same bytes.
    const decoded = decodeRgsSnapshot(fullBytes);
    expect(decoded.nodes?.map((n) => toHex(n.features!))).toEqual(full.nodes?.map((n) => toHex(n.features!)));
    expect(decoded.announcements.map((a) => a.fundingSatoshis)).toEqual(full.announcements.map((a) => a.fundingSatoshis));
  });

  it('refuses a version 3 snapshot, as we do', () => {
    const logger = ldk.Logger.new_impl({ log() {} } as ldk.LoggerInterface);
    const graph = ldk.NetworkGraph.constructor_new(ldk.Network.LDKNetwork_Bitcoin, logger);
    const sync = ldk.RapidGossipSync.constructor_new(graph, logger);
    const bytes = encodeRgsSnapshot(buildRgsSnapshot(CHAIN_HASHES.bitcoin, channels(false)), { version: 2 });
    bytes[3] = 3;
    expect(() => apply(sync, bytes, T0 + 3600)).toThrow('LDK refused');
    expect(() => decodeRgsSnapshot(bytes)).toThrow(expect.objectContaining({ code: 'unknown_version' }));
  });
});
