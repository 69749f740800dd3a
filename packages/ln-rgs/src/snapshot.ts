import type { ChainHash, ShortChannelId } from 'ln-types';
import type { NodeAddress } from 'ln-wire';

/** The RGS format versions this package reads and writes. */
export type RgsVersion = 1 | 2;

/**
 * A rapid gossip sync snapshot as plain data: what rust-lightning's RGS format
 * (versions 1 and 2) carries. Signatures are omitted (the client trusts the
 * server); node ids are listed once and referenced by index.
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
  /**
   * Version 2 only: node announcement data (features, addresses), at most one
   * entry per node, in node index order. The decoder sets it exactly when the
   * snapshot is version 2 (possibly empty); the version 1 encoder ignores it.
   */
  readonly nodes?: readonly RgsNodeUpdate[];
}

/** A stripped channel announcement. */
export interface RgsAnnouncement {
  readonly shortChannelId: ShortChannelId;
  readonly features: Uint8Array;
  /** Index into `nodeIds` of node_id_1 (the lexicographically smaller). */
  readonly node1: number;
  readonly node2: number;
  /**
   * Version 2 only: the channel's capacity, carried in the announcement's
   * additional data (rust-lightning reads it from 0.2 on; 0.1 skips it). The
   * version 1 encoder ignores it.
   */
  readonly fundingSatoshis?: bigint;
}

/**
 * Version 2: what changed in a node's announcement since the client's last
 * sync. An absent field is unchanged; an entry with neither is a reminder (the
 * client re-dates what it has, so it does not prune the node).
 */
export interface RgsNodeUpdate {
  /** Index into `nodeIds`. */
  readonly node: number;
  /** The node's features (big-endian bytes, as in node_announcement). */
  readonly features?: Uint8Array;
  /**
   * The node's whole address list. Each entry must fit the format's one-byte
   * length (a hostname up to 251 bytes) and a hostname must be ASCII; an
   * `opaque` entry is one address of a type this package does not know.
   */
  readonly addresses?: readonly NodeAddress[];
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
