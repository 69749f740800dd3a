import { bytesToUtf8, compareBytes, concatBytes } from 'ln-types';
import { sha256 } from 'ln-crypto';
import { unknownRequiredBits, type NodeAddress } from 'ln-wire';
import type { RefusalReason } from './refusal.js';

// The BOLT 7 receiving rules that need no signature check and no graph state.

/** channel_update timestamps further ahead than this are refused (BOLT 7: "unreasonably far in the future"). */
export const MAX_FUTURE_SECONDS = 24 * 3600;

/** node_id_1 must be strictly lesser than node_id_2 (equal ids would be a channel with itself). */
export function checkNodeOrder(nodeId1: Uint8Array, nodeId2: Uint8Array): RefusalReason | undefined {
  return compareBytes(nodeId1, nodeId2) < 0 ? undefined : 'node_ids_not_ordered';
}

/** A channel_announcement requiring a feature we do not understand must not be used. */
export function checkChannelFeatures(features: Uint8Array): RefusalReason | undefined {
  return unknownRequiredBits(features).length === 0 ? undefined : 'unknown_required_feature';
}

/**
 * Address list rules of node_announcement: at most one DNS hostname, made of
 * printable ASCII (non-ASCII names must be punycode) and not empty. (Addresses
 * with port 0 are kept but must be ignored when connecting, as the spec says.)
 */
export function checkAddresses(addresses: readonly NodeAddress[]): RefusalReason | undefined {
  let dns = 0;
  for (const a of addresses) {
    if (a.kind !== 'dns') continue;
    if (++dns > 1 || a.hostname.length === 0) return 'bad_address';
    for (const b of a.hostname) if (b < 0x21 || b > 0x7e) return 'bad_address';
  }
  return undefined;
}

/** The alias must be UTF-8 once its zero padding is removed. */
export function checkAlias(alias: Uint8Array): RefusalReason | undefined {
  let end = alias.length;
  while (end > 0 && alias[end - 1] === 0) end--;
  return bytesToUtf8(alias.subarray(0, end)) === undefined ? 'bad_alias' : undefined;
}

/** channel_update timestamp window: not far in the future, not older than the pruning horizon. */
export function checkUpdateTimestamp(timestamp: number, now: number, maxAgeSeconds: number): RefusalReason | undefined {
  if (timestamp > now + MAX_FUTURE_SECONDS) return 'timestamp_in_future';
  if (timestamp < now - maxAgeSeconds) return 'timestamp_too_old';
  return undefined;
}

/**
 * The funding output script of a channel (BOLT 3): P2WSH of
 * `2 <key1> <key2> 2 OP_CHECKMULTISIG` with the keys in lexicographic order.
 */
export function fundingScript(bitcoinKey1: Uint8Array, bitcoinKey2: Uint8Array): Uint8Array {
  const [a, b] = compareBytes(bitcoinKey1, bitcoinKey2) <= 0 ? [bitcoinKey1, bitcoinKey2] : [bitcoinKey2, bitcoinKey1];
  const witnessScript = concatBytes(Uint8Array.of(0x52, 0x21), a, Uint8Array.of(0x21), b, Uint8Array.of(0x52, 0xae));
  return concatBytes(Uint8Array.of(0x00, 0x20), sha256(witnessScript));
}
