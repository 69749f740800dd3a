import type { TxOut } from 'ln-chain-api';
import type { Secp256k1Backend } from 'ln-crypto';
import { CHAIN_HASHES, utf8ToBytes, type ChainHash, type ShortChannelId } from 'ln-types';
import type { MainnetGraph } from 'ln-mainnet-graph';
import { deterministicKey } from './keys.js';
import { fundingOutputScript, signChannelAnnouncement, signChannelUpdate, signNodeAnnouncement } from './sign.js';

/** Options of {@link generateGossip}. */
export interface GenerateOptions {
  /** Signing backend (use `fastestBackend()`; noble works but is slow for the full graph). */
  readonly backend: Secp256k1Backend;
  /** Seed of every key (default: the bytes of "ln-gossip-generator"). */
  readonly seed?: Uint8Array;
  /** Default: bitcoin mainnet. */
  readonly chainHash?: ChainHash;
  /** Newest timestamp of the generated messages (default 1770076800, 2026-02-03). */
  readonly timestamp?: number;
}

/** Signed gossip for a topology, with what a UtxoLookup needs to confirm the channels. */
export interface GeneratedGossip {
  readonly chainHash: ChainHash;
  readonly channelAnnouncements: Uint8Array[];
  /** Two per channel (direction 0 and 1), in channel order. */
  readonly channelUpdates: Uint8Array[];
  readonly nodeAnnouncements: Uint8Array[];
  /** The funding output of each channel, by short channel id. */
  readonly fundingOutputs: Map<bigint, TxOut>;
  /** Node private keys by node index of the input graph. */
  readonly nodeKeys: Uint8Array[];
  /** Newest timestamp used (use it as the validating clock). */
  readonly timestamp: number;
}

/** Default generation timestamp: 2026-02-03T00:00:00Z, the date of the topology. */
export const DEFAULT_TIMESTAMP = 1_770_076_800;

/**
 * Turns a topology (nodes, channels with capacities and policies) into fully
 * signed channel_announcement, channel_update and node_announcement messages,
 * with fresh keys derived from a fixed seed (same seed, same bytes). Node ids
 * are new, so which end is node_id_1 is recomputed and each policy is signed by
 * its end under its new direction. htlc_maximum_msat is capped at the capacity
 * (the validation rule), aliases are cut to 32 bytes on a character boundary.
 */
export function generateGossip(graph: MainnetGraph, options: GenerateOptions): GeneratedGossip {
  const backend = options.backend;
  const seed = options.seed ?? utf8ToBytes('ln-gossip-generator');
  const chainHash = options.chainHash ?? CHAIN_HASHES.bitcoin;
  const now = options.timestamp ?? DEFAULT_TIMESTAMP;
  const nodeKeys = graph.nodes.map((_n, i) => deterministicKey(backend, seed, 'node', i));
  const channelAnnouncements: Uint8Array[] = [];
  const channelUpdates: Uint8Array[] = [];
  const fundingOutputs = new Map<bigint, TxOut>();
  const hasChannel = new Uint8Array(graph.nodes.length);

  for (const [k, ch] of graph.channels.entries()) {
    const scid = ch.shortChannelId as ShortChannelId;
    const keys = {
      nodeKeyA: nodeKeys[ch.node1]!,
      nodeKeyB: nodeKeys[ch.node2]!,
      bitcoinKeyA: deterministicKey(backend, seed, 'funding', 2 * k),
      bitcoinKeyB: deterministicKey(backend, seed, 'funding', 2 * k + 1),
    };
    const ann = signChannelAnnouncement(backend, chainHash, scid, keys);
    channelAnnouncements.push(ann.raw);
    hasChannel[ch.node1] = 1;
    hasChannel[ch.node2] = 1;
    fundingOutputs.set(scid, { script: fundingOutputScript(ann.message.bitcoinKey1, ann.message.bitcoinKey2), valueSat: ch.capacitySat });
    const capMsat = ch.capacitySat * 1000n;
    // policies[0] belongs to the input's node1 (= our node A).
    for (const p of [0, 1] as const) {
      const policy = ch.policies[p];
      const isA = p === 0;
      const direction: 0 | 1 = isA === ann.aIsNode1 ? 0 : 1;
      const htlcMax = policy.htlcMaximumMsat > capMsat ? capMsat : policy.htlcMaximumMsat;
      channelUpdates.push(
        signChannelUpdate(
          backend,
          chainHash,
          scid,
          {
            timestamp: now - (k % 3600) - p,
            direction,
            disabled: policy.disabled,
            cltvExpiryDelta: policy.cltvExpiryDelta,
            htlcMinimumMsat: policy.htlcMinimumMsat,
            htlcMaximumMsat: htlcMax,
            feeBaseMsat: policy.feeBaseMsat,
            feeProportionalMillionths: policy.feeProportionalMillionths,
          },
          isA ? keys.nodeKeyA : keys.nodeKeyB,
        ),
      );
    }
  }

  const nodeAnnouncements: Uint8Array[] = [];
  for (const node of graph.nodes) {
    if (hasChannel[node.index] !== 1) continue;
    const i = node.index;
    nodeAnnouncements.push(
      signNodeAnnouncement(
        backend,
        {
          timestamp: now - (i % 3600),
          features: Uint8Array.of(0x08, 0xa0, 0x00, 0x0a, 0x69, 0xa2),
          rgbColor: Uint8Array.of(i & 0xff, (i >> 8) & 0xff, (i * 7) & 0xff),
          alias: aliasBytes(node.alias),
          addresses: [{ kind: 'ipv4', addr: Uint8Array.of(10, (i >> 16) & 0xff, (i >> 8) & 0xff, i & 0xff), port: 9735 }],
        },
        nodeKeys[i]!,
      ),
    );
  }
  return { chainHash, channelAnnouncements, channelUpdates, nodeAnnouncements, fundingOutputs, nodeKeys, timestamp: now };
}

/** UTF-8 of an alias, cut to at most 32 bytes without splitting a character. */
export function aliasBytes(alias: string): Uint8Array {
  const out: number[] = [];
  for (const ch of alias) {
    const b = utf8ToBytes(ch);
    if (out.length + b.length > 32) break;
    out.push(...b);
  }
  return Uint8Array.from(out);
}

/** All messages in the order a peer would send them: announcements, updates, node announcements. */
export function allMessages(g: GeneratedGossip): Uint8Array[] {
  return [...g.channelAnnouncements, ...g.channelUpdates, ...g.nodeAnnouncements];
}
