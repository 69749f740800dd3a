// rust-lightning (LDK 0.1 compiled to WebAssembly, npm `lightningdevkit`) reads
// the snapshots we build: a full one, then an incremental one on top.
import { beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as ldk from 'lightningdevkit';
import { publicKeyFromPrivate, sha256 } from 'ln-crypto';
import { CHAIN_HASHES, compareBytes, type ShortChannelId } from 'ln-types';
import { buildRgsSnapshot, encodeRgsSnapshot, type RgsChannelState, type RgsPolicy } from '../src/index.js';

beforeAll(async () => {
  const require = createRequire(import.meta.url);
  await ldk.initializeWasmFromBinary(readFileSync(require.resolve('lightningdevkit/liblightningjs.wasm')));
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

    const view = graph.read_only();
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
  });
});
