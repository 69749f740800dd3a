// Protocol and policy constants (BOLT 2, and LDK 0.1's channel.rs where BOLT
// leaves a choice to the implementation).

/** BOLT 2: no side may offer more than 483 HTLCs. */
export const MAX_HTLCS = 483;
/** Lowest dust limit we accept or use (LDK's MIN_CHAN_DUST_LIMIT_SATOSHIS: bitcoind's P2WSH dust at 1 sat/vB is 330; 354 covers every output type we use). */
export const MIN_CHAN_DUST_LIMIT_SATOSHIS = 354n;
/** Highest dust limit we accept (546: the largest standard output dust limit, P2PKH). */
export const MAX_CHAN_DUST_LIMIT_SATOSHIS = 546n;
/** The smallest reserve we require of a peer (LDK's MIN_THEIR_CHAN_RESERVE_SATOSHIS). */
export const MIN_THEIR_CHAN_RESERVE_SATOSHIS = 1000n;
/** Our dust limit. */
export const HOLDER_DUST_LIMIT_SATOSHIS = MIN_CHAN_DUST_LIMIT_SATOSHIS;
/** The opener must afford the commitment fee with this many HTLCs at open (LDK's MIN_AFFORDABLE_HTLC_COUNT). */
export const MIN_AFFORDABLE_HTLC_COUNT = 4;
/** The fee spike buffer: the opener keeps enough for twice the current fee rate (BOLT 2's recommendation). */
export const FEE_SPIKE_BUFFER_FEE_INCREASE_MULTIPLE = 2n;
/** Concurrent HTLCs the fee-spike buffer accounts for on top of the one being added (LDK's CONCURRENT_INBOUND_HTLC_FEE_BUFFER). */
export const CONCURRENT_INBOUND_HTLC_FEE_BUFFER = 2;
/** The fundee forgets a channel whose funding never confirms after this many blocks (BOLT 2: 2016). */
export const FUNDING_CONF_DEADLINE_BLOCKS = 2016;
/** Unfunded channels older than this many timer ticks are dropped (LDK's UNFUNDED_CHANNEL_AGE_LIMIT_TICKS). */
export const UNFUNDED_CHANNEL_AGE_LIMIT_TICKS = 60;
/** Inbound channels left unaccepted by the user this many ticks are rejected (LDK). */
export const UNACCEPTED_INBOUND_CHANNEL_AGE_LIMIT_TICKS = 2;
/** A cltv_expiry of 500,000,000 or more is a timestamp, which BOLT 2 forbids. */
export const CLTV_TIMESTAMP_THRESHOLD = 500_000_000;
/** BOLT 2 funding_satoshis limit without option_support_large_channel. */
export const MAX_FUNDING_SATOSHIS_NO_WUMBO = (1n << 24n) - 1n;
/** All the bitcoin there will ever be. */
export const TOTAL_BITCOIN_SUPPLY_SATOSHIS = 21_000_000n * 100_000_000n;
/** Blocks before an inbound HTLC's expiry at which we fail it back if we are still holding it (LDK's HTLC_FAIL_BACK_BUFFER: CLTV_CLAIM_BUFFER + LATENCY_GRACE_PERIOD_BLOCKS). */
export const HTLC_FAIL_BACK_BUFFER = 18 + 3;
/** Maximum commitment number (2^48 - 1). */
export const MAX_COMMITMENT_NUMBER = (1n << 48n) - 1n;
/** How far above the `maximum_fee_estimate` a peer's update_fee may go before we call it unreasonable. */
export const MAX_REMOTE_FEERATE_MULTIPLIER = 10;
