// Block and tick constants of the payment logic, with LDK's values and reasons.

/** Blocks we allow the peer to see a new block and fail an HTLC back with a full commitment dance. */
export const LATENCY_GRACE_PERIOD_BLOCKS = 3;
/** Blocks it may take to confirm one transaction. */
export const MAX_BLOCKS_FOR_CONF = 18;
/** Blocks needed to confirm a commitment and then an HTLC transaction. */
export const CLTV_CLAIM_BUFFER = 2 * MAX_BLOCKS_FOR_CONF;
/**
 * An inbound HTLC whose expiry is this close (or an unclaimed received HTLC) is
 * failed back before the channel would have to go on chain for it.
 */
export const HTLC_FAIL_BACK_BUFFER = CLTV_CLAIM_BUFFER + LATENCY_GRACE_PERIOD_BLOCKS;
/** The smallest cltv_expiry_delta we accept for our own channels (forwarding safety). */
export const MIN_CLTV_EXPIRY_DELTA = 48;
/** An HTLC expiring further than this above the current height is refused (`expiry_too_far`). */
export const CLTV_FAR_FAR_AWAY = 14 * 24 * 6;
/**
 * The smallest min_final_cltv_expiry_delta of our invoices: a received HTLC
 * must expire more than HTLC_FAIL_BACK_BUFFER + 1 blocks from now, plus
 * room for a block found while the payment travels.
 */
export const MIN_FINAL_CLTV_EXPIRY_DELTA = HTLC_FAIL_BACK_BUFFER + 3;
/** Timer ticks a partial multi-path payment waits for its other parts before failing with `mpp_timeout`. */
export const MPP_TIMEOUT_TICKS = 3;
/** Timer ticks a finished payment's id stays reserved after its last event (idempotency window). */
export const IDEMPOTENCY_TIMEOUT_TICKS = 7;
/** Timer ticks an intercepted HTLC waits for the user before it is failed back. */
export const INTERCEPT_TIMEOUT_TICKS = 10;
/** Route hints we put in an invoice at most (as LDK). */
export const MAX_ROUTE_HINTS = 3;
/** Invoice expiry when none is given, seconds (BOLT 11's default). */
export const DEFAULT_INVOICE_EXPIRY_SECONDS = 3600;
/** The largest total cltv a payment may use by default (LDK's default). */
export const DEFAULT_MAX_TOTAL_CLTV_EXPIRY_DELTA = 1008;
