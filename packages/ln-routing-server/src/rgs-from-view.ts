import type { ShortChannelId } from 'ln-types';
import type { NetworkGraphView } from 'ln-router-api';
import type { RgsChannelState, RgsPolicyRecord } from 'ln-rgs';

/**
 * The RGS input for a graph view that keeps no history: each channel with
 * its current policies, announced at its oldest policy's timestamp. Full
 * snapshots are exact; incremental ones send full updates for what changed.
 * `withCapacity` adds known capacities (for version 2 snapshots).
 */
export function* rgsChannelsFromView(view: NetworkGraphView, options: { withCapacity?: boolean } = {}): Generator<RgsChannelState> {
  for (let c = 0; c < view.channelCount; c++) {
    if (!view.hasChannel(c)) continue;
    const directions: RgsPolicyRecord[][] = [[], []];
    let announcedAt = Number.MAX_SAFE_INTEGER;
    for (const d of [0, 1] as const) {
      if (!view.hasPolicy(c, d)) continue;
      const timestamp = view.policyLastUpdate(c, d);
      announcedAt = Math.min(announcedAt, timestamp);
      directions[d]!.push({
        timestamp,
        disabled: !view.policyEnabled(c, d),
        policy: {
          cltvExpiryDelta: view.policyCltvExpiryDelta(c, d),
          htlcMinimumMsat: BigInt(view.policyHtlcMinimumMsat(c, d)),
          feeBaseMsat: view.policyFeeBaseMsat(c, d),
          feeProportionalMillionths: view.policyFeeProportionalMillionths(c, d),
          htlcMaximumMsat: BigInt(view.policyHtlcMaximumMsat(c, d)),
        },
      });
    }
    const channel: RgsChannelState = {
      shortChannelId: view.channelScid(c) as ShortChannelId,
      node1: view.nodeId(view.channelNode1(c)),
      node2: view.nodeId(view.channelNode2(c)),
      features: view.channelFeatures(c),
      announcedAt: announcedAt === Number.MAX_SAFE_INTEGER ? 0 : announcedAt,
      directions: [directions[0]!, directions[1]!],
    };
    // Version 2 carries capacities; a graph without a chain source does not know them (-1).
    const capacity = view.channelCapacitySat(c);
    yield options.withCapacity === true && capacity >= 0 ? { ...channel, fundingSatoshis: BigInt(capacity) } : channel;
  }
}
