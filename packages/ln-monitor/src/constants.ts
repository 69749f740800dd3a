// Timing rules of the monitor, after rust-lightning's channelmonitor.rs / package.rs.

/**
 * Blocks after an outbound HTLC's expiry before the monitor force closes (LDK's
 * LATENCY_GRACE_PERIOD_BLOCKS): the counterparty gets a moment to fail it off-chain.
 */
export const LATENCY_GRACE_PERIOD_BLOCKS = 3;

/** The longest we expect a claim to take to confirm (LDK's MAX_BLOCKS_FOR_CONF). */
export const MAX_BLOCKS_FOR_CONF = 18;

/**
 * Blocks before an inbound HTLC's expiry (preimage known) at which the monitor force
 * closes so the claim confirms before the counterparty can time it out (LDK's CLTV_CLAIM_BUFFER).
 */
export const CLTV_CLAIM_BUFFER = MAX_BLOCKS_FOR_CONF * 2;

/** Claims whose deadline is this close use `urgent_on_chain_sweep` fee rates. */
export const URGENT_DEADLINE_BLOCKS = 12;

/** Re-bump intervals by distance to the deadline (LDK: 1 / 3 / 15 blocks). */
export const HIGH_FREQUENCY_BUMP_INTERVAL = 1;
export const MIDDLE_FREQUENCY_BUMP_INTERVAL = 3;
export const LOW_FREQUENCY_BUMP_INTERVAL = 15;

/** BIP 125 replacements pay at least this much more per 1000 weight (1 sat/vbyte, rounded as LDK does). */
export const INCREMENTAL_RELAY_FEE_SAT_PER_KW = 253;

/** A claim transaction's weight stays below this (standard transactions are at most 400,000). */
export const MAX_CLAIM_TX_WEIGHT = 380_000;

/** Outputs below this are not worth creating (the P2WSH dust limit). */
export const CLAIM_DUST_LIMIT_SAT = 330n;

/** Blocks between full writes of a monitor whose chain state did not change (spread over monitors). */
export const IDLE_PERSIST_INTERVAL_BLOCKS = 50;

/** The highest valid block height for a locktime (locktimes from 500,000,000 up are timestamps). */
export const LOCKTIME_THRESHOLD = 500_000_000;
