import type { ShortChannelId } from 'ln-types';
import type { NetworkGraphView } from 'ln-router-api';
import type { RgsChannelState, RgsPolicyRecord } from 'ln-rgs';

/**
 * The RGS input for a graph view that keeps no history: each channel with
 * its current policies, announced at its oldest policy's timestamp. Full
 * snapshots are exact; incremental ones send full updates for what changed.
 */
export function* rgsChannelsFromView(view: NetworkGraphView): Generator<RgsChannelState> {
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
    yield {
      shortChannelId: view.channelScid(c) as ShortChannelId,
      node1: view.nodeId(view.channelNode1(c)),
      node2: view.nodeId(view.channelNode2(c)),
      features: view.channelFeatures(c),
      announcedAt: announcedAt === Number.MAX_SAFE_INTEGER ? 0 : announcedAt,
      directions: [directions[0]!, directions[1]!],
    };
  }
}
