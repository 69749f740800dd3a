import * as ldk from 'lightningdevkit';

/**
 * The channel settings of a test node (LDK's UserConfig), with defaults chosen
 * for tests: anchors negotiated, private channels, one confirmation, every
 * inbound channel handled by the node's event loop (LDK needs manual acceptance
 * for anchor channels), forwards to private channels allowed, no in-flight cap.
 */
export interface ChannelOptions {
  /** Propose `option_anchors_zero_fee_htlc_tx` on outbound channels and accept it inbound (default true). */
  readonly anchors?: boolean;
  /** Announce outbound channels (default false: private). */
  readonly announce?: boolean;
  /** Propose `option_scid_alias` (private channels only; default false). */
  readonly scidPrivacy?: boolean;
  /** Confirmations we require of inbound channels' funding (default 1). */
  readonly minimumDepth?: number;
  /** The to_self_delay we ask of the peer (LDK's minimum and default: 144). */
  readonly toSelfDelay?: number;
  readonly htlcMinimumMsat?: bigint;
  /** Inbound in-flight cap as a percentage of the channel (default 100; LDK's own default is 10). */
  readonly maxInboundHtlcValueInFlightPercent?: number;
  /** HTLCs the peer may offer us at once (default 483). */
  readonly maxAcceptedHtlcs?: number;
  /** The reserve we ask the peer to keep, in millionths of the channel (LDK default 10,000 = 1%). */
  readonly theirChannelReserveMillionths?: number;
  /** Commit to a shutdown script at open (default false). */
  readonly upfrontShutdownScript?: boolean;
  readonly forwardingFeeBaseMsat?: number;
  readonly forwardingFeeProportionalMillionths?: number;
  readonly cltvExpiryDelta?: number;
  /** Max dust HTLC exposure: a multiplier of the fee rate (LDK default 10,000) or a fixed msat limit. */
  readonly maxDustHtlcExposure?: { readonly feeRateMultiplier: bigint } | { readonly fixedMsat: bigint };
  readonly forceCloseAvoidanceMaxFeeSat?: bigint;
  /** Limits we impose on peers' proposals (LDK's ChannelHandshakeLimits). */
  readonly limits?: {
    readonly minFundingSat?: bigint;
    readonly maxFundingSat?: bigint;
    readonly maxHtlcMinimumMsat?: bigint;
    readonly minMaxHtlcValueInFlightMsat?: bigint;
    readonly maxChannelReserveSat?: bigint;
    readonly minMaxAcceptedHtlcs?: number;
    readonly maxMinimumDepth?: number;
    readonly trustOwnFunding0conf?: boolean;
    readonly forceAnnouncedChannelPreference?: boolean;
    readonly maxTheirToSelfDelay?: number;
  };
  /** Forward HTLCs onto private channels (default true). */
  readonly acceptForwardsToPrivateChannels?: boolean;
  /** Raise HTLCIntercepted for intercept scids (default false). */
  readonly acceptInterceptHtlcs?: boolean;
}

/** Builds LDK's UserConfig from options (manual inbound acceptance always on: the node's loop decides). */
export function userConfig(o: ChannelOptions = {}, override: Partial<Pick<ChannelOptions, 'anchors' | 'announce' | 'scidPrivacy'>> = {}): ldk.UserConfig {
  const handshake = ldk.ChannelHandshakeConfig.constructor_default();
  handshake.set_negotiate_anchors_zero_fee_htlc_tx(override.anchors ?? o.anchors ?? true);
  handshake.set_announce_for_forwarding(override.announce ?? o.announce ?? false);
  handshake.set_negotiate_scid_privacy(override.scidPrivacy ?? o.scidPrivacy ?? false);
  handshake.set_minimum_depth(o.minimumDepth ?? 1);
  handshake.set_our_to_self_delay(o.toSelfDelay ?? 144);
  if (o.htlcMinimumMsat !== undefined) handshake.set_our_htlc_minimum_msat(o.htlcMinimumMsat);
  handshake.set_max_inbound_htlc_value_in_flight_percent_of_channel(o.maxInboundHtlcValueInFlightPercent ?? 100);
  handshake.set_our_max_accepted_htlcs(o.maxAcceptedHtlcs ?? 483);
  if (o.theirChannelReserveMillionths !== undefined) handshake.set_their_channel_reserve_proportional_millionths(o.theirChannelReserveMillionths);
  handshake.set_commit_upfront_shutdown_pubkey(o.upfrontShutdownScript ?? false);

  const limits = ldk.ChannelHandshakeLimits.constructor_default();
  const l = o.limits ?? {};
  if (l.minFundingSat !== undefined) limits.set_min_funding_satoshis(l.minFundingSat);
  if (l.maxFundingSat !== undefined) limits.set_max_funding_satoshis(l.maxFundingSat);
  if (l.maxHtlcMinimumMsat !== undefined) limits.set_max_htlc_minimum_msat(l.maxHtlcMinimumMsat);
  if (l.minMaxHtlcValueInFlightMsat !== undefined) limits.set_min_max_htlc_value_in_flight_msat(l.minMaxHtlcValueInFlightMsat);
  if (l.maxChannelReserveSat !== undefined) limits.set_max_channel_reserve_satoshis(l.maxChannelReserveSat);
  if (l.minMaxAcceptedHtlcs !== undefined) limits.set_min_max_accepted_htlcs(l.minMaxAcceptedHtlcs);
  limits.set_max_minimum_depth(l.maxMinimumDepth ?? 144);
  limits.set_trust_own_funding_0conf(l.trustOwnFunding0conf ?? true);
  limits.set_force_announced_channel_preference(l.forceAnnouncedChannelPreference ?? false);
  if (l.maxTheirToSelfDelay !== undefined) limits.set_their_to_self_delay(l.maxTheirToSelfDelay);

  const channel = ldk.ChannelConfig.constructor_default();
  if (o.forwardingFeeBaseMsat !== undefined) channel.set_forwarding_fee_base_msat(o.forwardingFeeBaseMsat);
  if (o.forwardingFeeProportionalMillionths !== undefined) channel.set_forwarding_fee_proportional_millionths(o.forwardingFeeProportionalMillionths);
  if (o.cltvExpiryDelta !== undefined) channel.set_cltv_expiry_delta(o.cltvExpiryDelta);
  if (o.forceCloseAvoidanceMaxFeeSat !== undefined) channel.set_force_close_avoidance_max_fee_satoshis(o.forceCloseAvoidanceMaxFeeSat);
  const dust = o.maxDustHtlcExposure;
  if (dust !== undefined) {
    channel.set_max_dust_htlc_exposure(
      'fixedMsat' in dust ? ldk.MaxDustHTLCExposure.constructor_fixed_limit_msat(dust.fixedMsat) : ldk.MaxDustHTLCExposure.constructor_fee_rate_multiplier(dust.feeRateMultiplier),
    );
  }

  const config = ldk.UserConfig.constructor_default();
  config.set_channel_handshake_config(handshake);
  config.set_channel_handshake_limits(limits);
  config.set_channel_config(channel);
  config.set_accept_forwards_to_priv_channels(o.acceptForwardsToPrivateChannels ?? true);
  config.set_accept_inbound_channels(true);
  config.set_manually_accept_inbound_channels(true);
  config.set_accept_intercept_htlcs(o.acceptInterceptHtlcs ?? false);
  return config;
}
