import type { ChainHash, ShortChannelId } from 'ln-types';

/**
 * A rapid gossip sync snapshot as plain data: what rust-lightning's RGS format
 * (version 1) carries. Signatures are omitted (the client trusts the server);
 * node ids are listed once and referenced by index.
 */
export interface RgsSnapshot {
  readonly chainHash: ChainHash;
  /**
   * The latest gossip timestamp the server had seen. The client stores it and
   * asks for the next snapshot "since" it; applied data is dated a week earlier.
   */
  readonly latestSeenTimestamp: number;
  readonly nodeIds: readonly Uint8Array[];
  readonly announcements: readonly RgsAnnouncement[];
  readonly updates: readonly RgsUpdate[];
}

/** A stripped channel announcement. */
export interface RgsAnnouncement {
  readonly shortChannelId: ShortChannelId;
  readonly features: Uint8Array;
  /** Index into `nodeIds` of node_id_1 (the lexicographically smaller). */
  readonly node1: number;
  readonly node2: number;
}

/** The policy fields of a channel update. */
export interface RgsPolicy {
  readonly cltvExpiryDelta: number;
  readonly htlcMinimumMsat: bigint;
  readonly feeBaseMsat: number;
  readonly feeProportionalMillionths: number;
  readonly htlcMaximumMsat: bigint;
}

/**
 * A channel update. A full update carries a whole policy. An incremental one
 * carries only the fields that changed since the client's last snapshot: the
 * client applies them over the policy it already has (and skips the update if
 * it has none).
 */
export type RgsUpdate =
  | {
      readonly kind: 'full';
      readonly shortChannelId: ShortChannelId;
      readonly direction: 0 | 1;
      readonly disabled: boolean;
      readonly policy: RgsPolicy;
    }
  | {
      readonly kind: 'incremental';
      readonly shortChannelId: ShortChannelId;
      readonly direction: 0 | 1;
      readonly disabled: boolean;
      readonly changes: Partial<RgsPolicy>;
    };

/** A week: applied gossip is dated this much before `latestSeenTimestamp` (as LDK does). */
export const RGS_BACKDATE_SECONDS = 7 * 24 * 3600;

/** rust-lightning's staleness limit for a snapshot: two weeks (BOLT 7's pruning age). */
export const RGS_STALE_AFTER_SECONDS = 14 * 24 * 3600;
