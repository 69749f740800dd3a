// channel_type negotiation (BOLT 2 "Defined Channel Types", BOLT 9): which
// commitment format a channel uses and which options go with it.

import { type CommitmentFormat } from 'ln-tx';
import { featureBitsOf, featuresFromBits, supportsFeature } from 'ln-wire';
import type { ChannelHandshakeConfig } from '../config.js';

/** Even (required) bits of the features a channel_type may carry. */
export const CHANNEL_TYPE_BITS = {
  staticRemotekey: 12,
  anchorsZeroFeeHtlcTx: 22,
  scidAlias: 46,
  zeroconf: 50,
} as const;

const KNOWN_TYPE_BITS: ReadonlySet<number> = new Set(Object.values(CHANNEL_TYPE_BITS));

/** A parsed channel type. */
export interface ChannelTypeInfo {
  readonly format: CommitmentFormat;
  readonly scidAlias: boolean;
  readonly zeroconf: boolean;
}

/**
 * Reads a channel_type. BOLT 2: a channel type sets only even bits, and we
 * support `static_remotekey` and `anchors_zero_fee_htlc_tx` + `static_remotekey`,
 * each optionally with `scid_alias` and/or `zeroconf`. Anything else: undefined.
 */
export function parseChannelType(bytes: Uint8Array): ChannelTypeInfo | undefined {
  const bits = featureBitsOf(bytes);
  if (bits.some((b) => b % 2 === 1 || !KNOWN_TYPE_BITS.has(b))) return undefined;
  const has = (b: number) => bits.includes(b);
  if (!has(CHANNEL_TYPE_BITS.staticRemotekey)) return undefined;
  return {
    format: has(CHANNEL_TYPE_BITS.anchorsZeroFeeHtlcTx) ? 'anchors' : 'static_remotekey',
    scidAlias: has(CHANNEL_TYPE_BITS.scidAlias),
    zeroconf: has(CHANNEL_TYPE_BITS.zeroconf),
  };
}

/** The channel_type bytes of a type. */
export function encodeChannelType(t: ChannelTypeInfo): Uint8Array {
  const bits: number[] = [CHANNEL_TYPE_BITS.staticRemotekey];
  if (t.format === 'anchors') bits.push(CHANNEL_TYPE_BITS.anchorsZeroFeeHtlcTx);
  if (t.scidAlias) bits.push(CHANNEL_TYPE_BITS.scidAlias);
  if (t.zeroconf) bits.push(CHANNEL_TYPE_BITS.zeroconf);
  return featuresFromBits(bits);
}

/**
 * The type we propose to a peer with these init features: anchors when both
 * want it, scid_alias for private channels when configured and supported.
 */
export function proposeChannelType(config: ChannelHandshakeConfig, theirInit: Uint8Array, announced: boolean): ChannelTypeInfo {
  const anchors = config.negotiateAnchorsZeroFeeHtlcTx && supportsFeature(theirInit, 'option_anchors');
  const scidAlias = !announced && config.negotiateScidPrivacy && supportsFeature(theirInit, 'option_scid_alias');
  return { format: anchors ? 'anchors' : 'static_remotekey', scidAlias, zeroconf: false };
}

/**
 * A weaker type to retry with after the peer refused `current` (LDK's
 * maybe_handle_error_without_close): drop scid_alias first, then anchors.
 */
export function downgradeChannelType(current: ChannelTypeInfo): ChannelTypeInfo | undefined {
  if (current.scidAlias) return { ...current, scidAlias: false };
  if (current.format === 'anchors') return { ...current, format: 'static_remotekey' };
  return undefined;
}

/**
 * Whether we accept an inbound channel of this type: its features must be
 * supported by both of us (BOLT 2: the type must be one both sides advertised),
 * anchors only if we are configured for them, scid_alias only on private
 * channels, zeroconf only if the user trusts the peer (checked at acceptance).
 */
export function acceptableInboundType(t: ChannelTypeInfo, ourConfig: ChannelHandshakeConfig, theirInit: Uint8Array, announced: boolean): string | undefined {
  if (t.format === 'anchors' && (!ourConfig.negotiateAnchorsZeroFeeHtlcTx || !supportsFeature(theirInit, 'option_anchors'))) return 'anchors_zero_fee_htlc_tx not negotiated';
  if (t.scidAlias && announced) return 'scid_alias is only for private channels';
  if (t.scidAlias && !supportsFeature(theirInit, 'option_scid_alias')) return 'peer did not announce option_scid_alias';
  if (t.zeroconf && !supportsFeature(theirInit, 'option_zeroconf')) return 'peer did not announce option_zeroconf';
  return undefined;
}
