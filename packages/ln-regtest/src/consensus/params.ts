// Regtest's consensus parameters, as Bitcoin Core's CRegTestParams sets them.

/** Compact target of every regtest block (no retargeting on regtest). */
export const REGTEST_BITS = 0x207fffff;
/** Blocks before a coinbase output may be spent. */
export const COINBASE_MATURITY = 100;
/** Regtest halves the subsidy every 150 blocks. */
export const SUBSIDY_HALVING_INTERVAL = 150;
/** 50 BTC in satoshis. */
export const INITIAL_SUBSIDY = 5_000_000_000n;
/** 21 million BTC in satoshis. */
export const MAX_MONEY = 2_100_000_000_000_000n;
export const MAX_BLOCK_WEIGHT = 4_000_000;
export const WITNESS_SCALE_FACTOR = 4;
/** nLockTime below this is a height, at or above it a time. */
export const LOCKTIME_THRESHOLD = 500_000_000;
/** Blocks in the median-time-past window. */
export const MEDIAN_TIME_SPAN = 11;
/** A block may be at most two hours ahead of the node's clock. */
export const MAX_FUTURE_BLOCK_TIME = 2 * 60 * 60;
/** Version of the blocks this chain mines (BIP 9 top bits, no deployment signalled). */
export const BLOCK_VERSION = 0x20000000;
/** Transactions smaller than this without witness are refused (CVE-2017-12842). */
export const MIN_TRANSACTION_SIZE_NO_WITNESS = 65;

// BIP 68 sequence fields.
export const SEQUENCE_FINAL = 0xffffffff;
export const SEQUENCE_LOCKTIME_DISABLE_FLAG = 0x80000000;
export const SEQUENCE_LOCKTIME_TYPE_FLAG = 0x00400000;
export const SEQUENCE_LOCKTIME_MASK = 0x0000ffff;
/** Time-based relative locks count units of 512 seconds. */
export const SEQUENCE_LOCKTIME_GRANULARITY = 9;

/** The block subsidy at `height`. */
export function blockSubsidy(height: number): bigint {
  const halvings = Math.floor(height / SUBSIDY_HALVING_INTERVAL);
  if (halvings >= 64) return 0n;
  return INITIAL_SUBSIDY >> BigInt(halvings);
}
