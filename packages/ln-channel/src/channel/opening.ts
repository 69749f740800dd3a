// Channel establishment v1 (BOLT 2 "Channel Establishment"): the parameters we
// announce in open_channel / accept_channel, and the checks of the peer's
// (BOLT 2's MUSTs plus the limits of our UserConfig, as LDK does).

import type { Secp256k1Backend } from 'ln-crypto';
import { isValidShutdownScript, type ChannelBasepoints } from 'ln-tx';
import { supportsFeature, type AcceptChannelMessage, type OpenChannelMessage } from 'ln-wire';
import { MAX_LOCAL_BREAKDOWN_TIMEOUT, type UserConfig } from '../config.js';
import { failChannel } from '../errors.js';
import { type ChannelTypeInfo, parseChannelType } from './channel-type.js';
import {
  HOLDER_DUST_LIMIT_SATOSHIS,
  MAX_CHAN_DUST_LIMIT_SATOSHIS,
  MAX_HTLCS,
  MIN_AFFORDABLE_HTLC_COUNT,
  MIN_CHAN_DUST_LIMIT_SATOSHIS,
  MIN_THEIR_CHAN_RESERVE_SATOSHIS,
  TOTAL_BITCOIN_SUPPLY_SATOSHIS,
} from './constants.js';
import { checkRemoteFeerate, type RemoteFeeBounds } from './fee-updates.js';
import type { SideParams } from './types.js';
import { ANCHOR_OUTPUT_VALUE_SAT, commitmentFee } from 'ln-tx';

/** The reserve we require of the peer: a proportion of the channel, at least 1000 sat, at most the channel (LDK). */
export function holderSelectedReserveSat(channelValueSat: bigint, config: UserConfig): bigint {
  const calculated = (channelValueSat * BigInt(config.channelHandshakeConfig.theirChannelReserveProportionalMillionths)) / 1_000_000n;
  const atLeast = calculated > MIN_THEIR_CHAN_RESERVE_SATOSHIS ? calculated : MIN_THEIR_CHAN_RESERVE_SATOSHIS;
  return atLeast < channelValueSat ? atLeast : channelValueSat;
}

/** The most HTLC value we let the peer have in flight towards us: a percentage of the channel (1..100). */
export function holderMaxHtlcValueInFlightMsat(channelValueSat: bigint, config: UserConfig): bigint {
  const pct = Math.min(100, Math.max(1, config.channelHandshakeConfig.maxInboundHtlcValueInFlightPercentOfChannel));
  return channelValueSat * 10n * BigInt(pct);
}

/** The parameters we announce. */
export function holderSideParams(channelValueSat: bigint, config: UserConfig, basepoints: ChannelBasepoints, upfrontShutdownScript: Uint8Array | undefined): SideParams {
  const c = config.channelHandshakeConfig;
  return {
    basepoints,
    dustLimitSat: HOLDER_DUST_LIMIT_SATOSHIS,
    maxHtlcValueInFlightMsat: holderMaxHtlcValueInFlightMsat(channelValueSat, config),
    channelReserveSat: holderSelectedReserveSat(channelValueSat, config),
    htlcMinimumMsat: c.ourHtlcMinimumMsat > 0n ? c.ourHtlcMinimumMsat : 1n,
    toSelfDelay: c.ourToSelfDelay,
    maxAcceptedHtlcs: Math.min(MAX_HTLCS, Math.max(1, c.ourMaxAcceptedHtlcs)),
    ...(upfrontShutdownScript !== undefined && { upfrontShutdownScript }),
  };
}

function checkKeys(m: { fundingPubkey: Uint8Array; revocationBasepoint: Uint8Array; paymentBasepoint: Uint8Array; delayedPaymentBasepoint: Uint8Array; htlcBasepoint: Uint8Array; firstPerCommitmentPoint: Uint8Array }, backend: Secp256k1Backend): void {
  for (const [name, key] of [
    ['funding_pubkey', m.fundingPubkey],
    ['revocation_basepoint', m.revocationBasepoint],
    ['payment_basepoint', m.paymentBasepoint],
    ['delayed_payment_basepoint', m.delayedPaymentBasepoint],
    ['htlc_basepoint', m.htlcBasepoint],
    ['first_per_commitment_point', m.firstPerCommitmentPoint],
  ] as const) {
    if (key.length !== 33 || !backend.isValidPublicKey(key)) failChannel(`${name} is not a valid public key`);
  }
}

/** The counterparty's side parameters from its open/accept message. */
export function counterpartySideParams(m: OpenChannelMessage | AcceptChannelMessage, channelValueSat: bigint, upfront: Uint8Array | undefined): SideParams {
  return {
    basepoints: {
      fundingPubkey: m.fundingPubkey,
      revocationBasepoint: m.revocationBasepoint,
      paymentBasepoint: m.paymentBasepoint,
      delayedPaymentBasepoint: m.delayedPaymentBasepoint,
      htlcBasepoint: m.htlcBasepoint,
    },
    dustLimitSat: m.dustLimitSatoshis,
    // Values above the channel mean "no limit"; cap them so later arithmetic stays sane.
    maxHtlcValueInFlightMsat: m.maxHtlcValueInFlightMsat < channelValueSat * 1000n ? m.maxHtlcValueInFlightMsat : channelValueSat * 1000n,
    channelReserveSat: m.channelReserveSatoshis,
    htlcMinimumMsat: m.htlcMinimumMsat,
    toSelfDelay: m.toSelfDelay,
    maxAcceptedHtlcs: m.maxAcceptedHtlcs,
    ...(upfront !== undefined && { upfrontShutdownScript: upfront }),
  };
}

/**
 * The peer's upfront shutdown script: with option_upfront_shutdown_script the
 * TLV must be present (empty opts out) and BOLT 2-valid; without, it is ignored.
 */
function upfrontScriptOf(tlv: Uint8Array | undefined, theirInit: Uint8Array, ourInit: Uint8Array): Uint8Array | undefined {
  if (!supportsFeature(theirInit, 'option_upfront_shutdown_script')) return undefined;
  if (tlv === undefined) failChannel('peer signals upfront_shutdown_script but sent none (an empty script opts out)');
  if (tlv.length === 0) return undefined;
  const anySegwit = supportsFeature(theirInit, 'option_shutdown_anysegwit') && supportsFeature(ourInit, 'option_shutdown_anysegwit');
  if (!isValidShutdownScript(tlv, { anySegwit, opReturn: false })) failChannel('upfront_shutdown_script is not a valid shutdown script');
  return tlv;
}

/** The channel type of an open_channel: its TLV, or static_remotekey alone when absent (legacy peers). */
function channelTypeOf(tlv: Uint8Array | undefined): ChannelTypeInfo {
  if (tlv === undefined) return { format: 'static_remotekey', scidAlias: false, zeroconf: false };
  const t = parseChannelType(tlv);
  if (t === undefined) failChannel('unsupported channel_type');
  return t;
}

/** What an accepted open_channel gives us. */
export interface CheckedOpen {
  readonly channelType: ChannelTypeInfo;
  readonly counterparty: SideParams;
  readonly holderReserveSat: bigint;
}

/**
 * BOLT 2 "The open_channel Message", receiving side, with our limits. Every
 * refusal fails the (not yet existing) channel with an error.
 */
export function checkOpenChannel(
  m: OpenChannelMessage,
  config: UserConfig,
  theirInit: Uint8Array,
  ourInit: Uint8Array,
  feeBoundsFor: (format: ChannelTypeInfo['format']) => RemoteFeeBounds,
  backend: Secp256k1Backend,
): CheckedOpen {
  const limits = config.channelHandshakeLimits;
  const value = m.fundingSatoshis;
  checkKeys(m, backend);
  const channelType = channelTypeOf(m.tlvs?.channelType);
  if (value >= TOTAL_BITCOIN_SUPPLY_SATOSHIS) failChannel('funding_satoshis above the bitcoin supply');
  if (value > limits.maxFundingSatoshis) failChannel(`funding_satoshis ${value} above our maximum ${limits.maxFundingSatoshis}`);
  if (value < limits.minFundingSatoshis) failChannel(`funding_satoshis ${value} below our minimum ${limits.minFundingSatoshis}`);
  if (m.channelReserveSatoshis > value) failChannel('channel_reserve_satoshis above the channel value');
  if (m.pushMsat > (value - m.channelReserveSatoshis) * 1000n) failChannel('push_msat above the channel value minus the reserve');
  if (m.dustLimitSatoshis > value) failChannel('dust_limit_satoshis above the channel value');
  if (m.htlcMinimumMsat >= (value - m.channelReserveSatoshis) * 1000n) failChannel('htlc_minimum_msat not below the usable channel value');
  const fee = checkRemoteFeerate(m.feeratePerKw, feeBoundsFor(channelType.format));
  if (fee !== undefined) failChannel(`open_channel: ${fee}`);
  const maxDelay = Math.min(limits.theirToSelfDelay, MAX_LOCAL_BREAKDOWN_TIMEOUT);
  if (m.toSelfDelay > maxDelay) failChannel(`to_self_delay ${m.toSelfDelay} above our limit ${maxDelay}`);
  if (m.maxAcceptedHtlcs < 1) failChannel('max_accepted_htlcs is 0');
  if (m.maxAcceptedHtlcs > MAX_HTLCS) failChannel(`max_accepted_htlcs ${m.maxAcceptedHtlcs} above 483`);
  if (m.htlcMinimumMsat > limits.maxHtlcMinimumMsat) failChannel('htlc_minimum_msat above our limit');
  if (m.maxHtlcValueInFlightMsat < limits.minMaxHtlcValueInFlightMsat) failChannel('max_htlc_value_in_flight_msat below our limit');
  if (m.channelReserveSatoshis > limits.maxChannelReserveSatoshis) failChannel('channel_reserve_satoshis above our limit');
  if (m.maxAcceptedHtlcs < limits.minMaxAcceptedHtlcs) failChannel('max_accepted_htlcs below our limit');
  if (m.dustLimitSatoshis < MIN_CHAN_DUST_LIMIT_SATOSHIS) failChannel(`dust_limit_satoshis below ${MIN_CHAN_DUST_LIMIT_SATOSHIS}`);
  if (m.dustLimitSatoshis > MAX_CHAN_DUST_LIMIT_SATOSHIS) failChannel(`dust_limit_satoshis above ${MAX_CHAN_DUST_LIMIT_SATOSHIS}`);
  const announced = (m.channelFlags & 1) === 1;
  if (limits.forceAnnouncedChannelPreference && announced !== config.channelHandshakeConfig.announceForForwarding) failChannel('announce_channel preference differs from ours');
  const holderReserveSat = holderSelectedReserveSat(value, config);
  const usable = (value - m.channelReserveSatoshis) * 1000n;
  if (holderReserveSat * 1000n >= usable) failChannel('no suitable channel reserve for this channel value');
  // BOLT 2: the reserve each side requires must not be below the other's dust limit.
  if (holderReserveSat < m.dustLimitSatoshis) failChannel(`their dust limit ${m.dustLimitSatoshis} is above the reserve we require (${holderReserveSat})`);
  if (m.channelReserveSatoshis < HOLDER_DUST_LIMIT_SATOSHIS) failChannel('channel_reserve_satoshis below our dust limit');
  // The opener must pay the first commitment's fee (with a few HTLCs) and the anchors, and keep our reserve.
  const anchors = channelType.format === 'anchors' ? 2n * ANCHOR_OUTPUT_VALUE_SAT : 0n;
  const funderSat = (value * 1000n - m.pushMsat) / 1000n;
  const initialFee = commitmentFee(channelType.format, m.feeratePerKw, MIN_AFFORDABLE_HTLC_COUNT);
  if (funderSat - anchors < initialFee) failChannel('the opener cannot pay the initial commitment fee');
  if (funderSat - initialFee - anchors < holderReserveSat) failChannel('the opener keeps less than the reserve we require');
  const upfront = upfrontScriptOf(m.tlvs?.upfrontShutdownScript, theirInit, ourInit);
  return { channelType, counterparty: counterpartySideParams(m, value, upfront), holderReserveSat };
}

/**
 * BOLT 2 "The accept_channel Message", receiving side (we opened), with our limits.
 */
export function checkAcceptChannel(
  m: AcceptChannelMessage,
  config: UserConfig,
  channelValueSat: bigint,
  ourReserveForThemSat: bigint,
  proposedType: ChannelTypeInfo,
  theirInit: Uint8Array,
  ourInit: Uint8Array,
  backend: Secp256k1Backend,
): { counterparty: SideParams; minimumDepth: number } {
  const limits = config.channelHandshakeLimits;
  checkKeys(m, backend);
  if (m.tlvs?.channelType !== undefined) {
    const t = parseChannelType(m.tlvs.channelType);
    if (t === undefined || t.format !== proposedType.format || t.scidAlias !== proposedType.scidAlias || t.zeroconf !== proposedType.zeroconf) {
      failChannel('accept_channel channel_type differs from the one we proposed');
    }
  } else if (!supportsFeature(theirInit, 'option_channel_type') && (proposedType.format !== 'static_remotekey' || proposedType.scidAlias || proposedType.zeroconf)) {
    failChannel('peer accepted without channel_type a channel type it cannot negotiate');
  }
  if (m.channelReserveSatoshis > channelValueSat) failChannel('channel_reserve_satoshis above the channel value');
  if (m.dustLimitSatoshis > ourReserveForThemSat) failChannel(`dust_limit_satoshis ${m.dustLimitSatoshis} above the reserve we require (${ourReserveForThemSat})`);
  if (m.channelReserveSatoshis > channelValueSat - ourReserveForThemSat) failChannel('channel_reserve_satoshis above the channel value minus our reserve');
  if (m.channelReserveSatoshis < HOLDER_DUST_LIMIT_SATOSHIS) failChannel('channel_reserve_satoshis below our dust limit');
  if (m.htlcMinimumMsat >= (channelValueSat - m.channelReserveSatoshis) * 1000n) failChannel('htlc_minimum_msat not below the usable channel value');
  const maxDelay = Math.min(limits.theirToSelfDelay, MAX_LOCAL_BREAKDOWN_TIMEOUT);
  if (m.toSelfDelay > maxDelay) failChannel(`to_self_delay ${m.toSelfDelay} above our limit ${maxDelay}`);
  if (m.maxAcceptedHtlcs < 1) failChannel('max_accepted_htlcs is 0');
  if (m.maxAcceptedHtlcs > MAX_HTLCS) failChannel(`max_accepted_htlcs ${m.maxAcceptedHtlcs} above 483`);
  if (m.htlcMinimumMsat > limits.maxHtlcMinimumMsat) failChannel('htlc_minimum_msat above our limit');
  if (m.maxHtlcValueInFlightMsat < limits.minMaxHtlcValueInFlightMsat) failChannel('max_htlc_value_in_flight_msat below our limit');
  if (m.channelReserveSatoshis > limits.maxChannelReserveSatoshis) failChannel('channel_reserve_satoshis above our limit');
  if (m.maxAcceptedHtlcs < limits.minMaxAcceptedHtlcs) failChannel('max_accepted_htlcs below our limit');
  if (m.dustLimitSatoshis < MIN_CHAN_DUST_LIMIT_SATOSHIS) failChannel(`dust_limit_satoshis below ${MIN_CHAN_DUST_LIMIT_SATOSHIS}`);
  if (m.dustLimitSatoshis > MAX_CHAN_DUST_LIMIT_SATOSHIS) failChannel(`dust_limit_satoshis above ${MAX_CHAN_DUST_LIMIT_SATOSHIS}`);
  if (m.minimumDepth > limits.maxMinimumDepth) failChannel(`minimum_depth ${m.minimumDepth} above our limit ${limits.maxMinimumDepth}`);
  const upfront = upfrontScriptOf(m.tlvs?.upfrontShutdownScript, theirInit, ourInit);
  // We funded it: a zero depth is safe when we trust our own funding (LDK's trust_own_funding_0conf).
  const minimumDepth = limits.trustOwnFunding0conf ? m.minimumDepth : Math.max(1, m.minimumDepth);
  return { counterparty: counterpartySideParams(m, channelValueSat, upfront), minimumDepth };
}
