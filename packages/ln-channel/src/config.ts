// User configuration, after LDK's UserConfig: what we propose when opening or
// accepting a channel (handshake config), what we accept from a peer (handshake
// limits), and per-channel relay settings. Defaults are LDK 0.1's except where a
// comment says otherwise.

/** How much of our balance may sit in dust HTLCs (which are lost to fees if the channel closes on chain). */
export type MaxDustHtlcExposure =
  /** A fixed limit in millisatoshis. */
  | { readonly kind: 'fixed_msat'; readonly limitMsat: bigint }
  /**
   * A multiple of the `maximum_fee_estimate` fee rate (sat/kw), giving msat: the
   * limit follows fee conditions (LDK's default: 10,000 x the rate).
   */
  | { readonly kind: 'feerate_multiplier'; readonly multiplier: bigint };

/** What we propose in open_channel / accept_channel (LDK's ChannelHandshakeConfig). */
export interface ChannelHandshakeConfig {
  /** Confirmations we wait for before channel_ready on an inbound channel (our accept_channel's minimum_depth). */
  readonly minimumDepth: number;
  /** The to_self_delay we ask of the peer: how long its outputs wait on its own commitment (blocks). */
  readonly ourToSelfDelay: number;
  /** The smallest HTLC we accept (msat). */
  readonly ourHtlcMinimumMsat: bigint;
  /** Cap on HTLC value the peer may have in flight towards us, as a percentage of the channel (1..100). */
  readonly maxInboundHtlcValueInFlightPercentOfChannel: number;
  /** Ask for option_scid_alias on private channels (the peer must support it). */
  readonly negotiateScidPrivacy: boolean;
  /** Ask for the channel to be announced (public). */
  readonly announceForForwarding: boolean;
  /** Commit to our shutdown script in open/accept (option_upfront_shutdown_script). */
  readonly commitUpfrontShutdownPubkey: boolean;
  /** The reserve we require of the peer, in millionths of the channel value (min 1000 sat). */
  readonly theirChannelReserveProportionalMillionths: number;
  /**
   * Propose option_anchors_zero_fee_htlc_tx. Default `true` here (LDK 0.1 defaults
   * to false): anchors let either side bump the commitment fee when it must go on chain.
   */
  readonly negotiateAnchorsZeroFeeHtlcTx: boolean;
  /** How many HTLCs the peer may offer us at once (max 483). */
  readonly ourMaxAcceptedHtlcs: number;
}

/** What we accept in a peer's open_channel / accept_channel (LDK's ChannelHandshakeLimits). */
export interface ChannelHandshakeLimits {
  readonly minFundingSatoshis: bigint;
  /** 2^24 - 1 unless option_support_large_channel is negotiated. */
  readonly maxFundingSatoshis: bigint;
  readonly maxHtlcMinimumMsat: bigint;
  readonly minMaxHtlcValueInFlightMsat: bigint;
  readonly maxChannelReserveSatoshis: bigint;
  readonly minMaxAcceptedHtlcs: number;
  /** Treat our own funding transaction as confirmed at 0 depth when the peer says 0 (we funded it). */
  readonly trustOwnFunding0conf: boolean;
  /** The largest minimum_depth we accept from the acceptor of our channel. */
  readonly maxMinimumDepth: number;
  /** Refuse inbound channels whose announce flag differs from `announceForForwarding`. */
  readonly forceAnnouncedChannelPreference: boolean;
  /** The largest to_self_delay we accept for our own outputs (capped at 2016). */
  readonly theirToSelfDelay: number;
}

/** Per-channel settings that can change while the channel is open (LDK's ChannelConfig). */
export interface ChannelConfig {
  readonly forwardingFeeProportionalMillionths: number;
  readonly forwardingFeeBaseMsat: number;
  readonly cltvExpiryDelta: number;
  readonly maxDustHtlcExposure: MaxDustHtlcExposure;
  /** Extra fee (sat) we accept paying in a cooperative close to avoid a force close. */
  readonly forceCloseAvoidanceMaxFeeSatoshis: bigint;
  readonly acceptUnderpayingHtlcs: boolean;
}

/** Everything configurable (LDK's UserConfig). */
export interface UserConfig {
  readonly channelHandshakeConfig: ChannelHandshakeConfig;
  readonly channelHandshakeLimits: ChannelHandshakeLimits;
  readonly channelConfig: ChannelConfig;
  readonly acceptForwardsToPrivChannels: boolean;
  /** Accept inbound channels at all. */
  readonly acceptInboundChannels: boolean;
  /**
   * Ask the user for each inbound channel (OpenChannelRequest event, then
   * acceptInboundChannel / rejectInboundChannel) instead of accepting it.
   */
  readonly manuallyAcceptInboundChannels: boolean;
  readonly acceptInterceptHtlcs: boolean;
}

/** A partial {@link UserConfig}: every field optional, merged over the defaults by {@link userConfig}. */
export interface UserConfigOverrides {
  readonly channelHandshakeConfig?: Partial<ChannelHandshakeConfig>;
  readonly channelHandshakeLimits?: Partial<ChannelHandshakeLimits>;
  readonly channelConfig?: Partial<ChannelConfig>;
  readonly acceptForwardsToPrivChannels?: boolean;
  readonly acceptInboundChannels?: boolean;
  readonly manuallyAcceptInboundChannels?: boolean;
  readonly acceptInterceptHtlcs?: boolean;
}

/** 144 blocks: the to_self_delay we ask for by default (LDK's BREAKDOWN_TIMEOUT). */
export const BREAKDOWN_TIMEOUT = 144;
/** 2016 blocks: the longest to_self_delay we ever accept for our funds (LDK's MAX_LOCAL_BREAKDOWN_TIMEOUT). */
export const MAX_LOCAL_BREAKDOWN_TIMEOUT = 2016;
/** 2^24 - 1 sat: the channel size limit without option_support_large_channel. */
export const MAX_FUNDING_SATOSHIS_NO_WUMBO = (1n << 24n) - 1n;

/** LDK 0.1's defaults, with anchors proposed by default. */
export const DEFAULT_USER_CONFIG: UserConfig = Object.freeze({
  channelHandshakeConfig: Object.freeze({
    minimumDepth: 6,
    ourToSelfDelay: BREAKDOWN_TIMEOUT,
    ourHtlcMinimumMsat: 1n,
    maxInboundHtlcValueInFlightPercentOfChannel: 10,
    negotiateScidPrivacy: false,
    announceForForwarding: false,
    commitUpfrontShutdownPubkey: true,
    theirChannelReserveProportionalMillionths: 10_000,
    negotiateAnchorsZeroFeeHtlcTx: true,
    ourMaxAcceptedHtlcs: 50,
  }),
  channelHandshakeLimits: Object.freeze({
    minFundingSatoshis: 1000n,
    maxFundingSatoshis: MAX_FUNDING_SATOSHIS_NO_WUMBO,
    maxHtlcMinimumMsat: 0xffffffffffffffffn,
    minMaxHtlcValueInFlightMsat: 0n,
    maxChannelReserveSatoshis: 0xffffffffffffffffn,
    minMaxAcceptedHtlcs: 0,
    trustOwnFunding0conf: true,
    maxMinimumDepth: 144,
    forceAnnouncedChannelPreference: true,
    theirToSelfDelay: MAX_LOCAL_BREAKDOWN_TIMEOUT,
  }),
  channelConfig: Object.freeze({
    forwardingFeeProportionalMillionths: 0,
    forwardingFeeBaseMsat: 1000,
    cltvExpiryDelta: 72,
    maxDustHtlcExposure: Object.freeze({ kind: 'feerate_multiplier', multiplier: 10_000n }) as MaxDustHtlcExposure,
    forceCloseAvoidanceMaxFeeSatoshis: 1000n,
    acceptUnderpayingHtlcs: false,
  }),
  acceptForwardsToPrivChannels: false,
  acceptInboundChannels: true,
  manuallyAcceptInboundChannels: false,
  acceptInterceptHtlcs: false,
});

/** The defaults with `overrides` applied section by section. */
export function userConfig(overrides: UserConfigOverrides = {}, base: UserConfig = DEFAULT_USER_CONFIG): UserConfig {
  return {
    channelHandshakeConfig: { ...base.channelHandshakeConfig, ...overrides.channelHandshakeConfig },
    channelHandshakeLimits: { ...base.channelHandshakeLimits, ...overrides.channelHandshakeLimits },
    channelConfig: { ...base.channelConfig, ...overrides.channelConfig },
    acceptForwardsToPrivChannels: overrides.acceptForwardsToPrivChannels ?? base.acceptForwardsToPrivChannels,
    acceptInboundChannels: overrides.acceptInboundChannels ?? base.acceptInboundChannels,
    manuallyAcceptInboundChannels: overrides.manuallyAcceptInboundChannels ?? base.manuallyAcceptInboundChannels,
    acceptInterceptHtlcs: overrides.acceptInterceptHtlcs ?? base.acceptInterceptHtlcs,
  };
}
