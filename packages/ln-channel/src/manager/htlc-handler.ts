// The seam between the channel machinery and payments (issue 15). The manager
// moves HTLCs through channels and tells an HtlcHandler about the events that
// need a decision; the handler answers through the manager's HTLC primitives
// (addHtlc, claimHtlc, failHtlc, failMalformedHtlc). The handler owns the
// format of HTLC sources (the opaque bytes kept with each HTLC we offer and in
// its monitor): the default handler is the payments engine (src/payments).

import type { Secp256k1Backend } from 'ln-crypto';
import type { EntropySource, NodeSigner } from 'ln-signer-api';
import type { ChannelId, LogLevel, NodeId } from 'ln-types';
import type { UserConfig } from '../config.js';
import type { Event } from '../events.js';
import type { HtlcToSend } from './htlc-ops.js';
import type { PaymentChannel } from '../payments/engine.js';
import type { Htlc } from '../channel/types.js';

/** An incoming HTLC irrevocably committed in both commitments: it must be claimed, failed or forwarded. */
export interface LockedInHtlc {
  readonly channelId: ChannelId;
  readonly counterpartyNodeId: NodeId;
  /** The channel's short channel id or alias the HTLC arrived on (for failure channel_updates), when known. */
  readonly shortChannelId?: bigint;
  readonly htlc: Htlc;
}

/** How an HTLC we offered failed. */
export type HtlcFailure =
  /** The counterparty (or a node behind it) failed it with an encrypted reason (update_fail_htlc). */
  | { readonly kind: 'fail'; readonly reason: Uint8Array; readonly attribution?: Uint8Array }
  /** The next node could not parse the onion (update_fail_malformed_htlc). */
  | { readonly kind: 'malformed'; readonly failureCode: number; readonly sha256OfOnion: Uint8Array }
  /** It was never sent, or was dropped before being committed (channel closed, local check failed). */
  | { readonly kind: 'local'; readonly reason: string; readonly failureCode?: number }
  /** It timed out on chain (the monitor resolved it without a preimage). */
  | { readonly kind: 'on_chain' };

/** Where an HTLC we offered ended: the channel and its id there. */
export interface OutboundHtlcInfo {
  readonly channelId: ChannelId;
  readonly counterpartyNodeId: NodeId;
  readonly htlcId: bigint | undefined;
  readonly amountMsat: bigint;
  /** Settled by a transaction on chain rather than by a message. */
  readonly onChain: boolean;
}

/** An HTLC we offered that a channel or a monitor still holds at start-up. */
export interface OfferedHtlc {
  readonly source: Uint8Array;
  readonly paymentHash: Uint8Array;
  readonly amountMsat: bigint;
  readonly channelId: ChannelId;
}

/**
 * What decides about HTLCs (receive, forward, our payments' outcomes). Methods
 * may return a promise (an asynchronous NodeSigner for onion ECDH); the manager
 * counts them as pending work.
 */
export interface HtlcHandler {
  /**
   * An incoming HTLC is irrevocably committed: decide. Each call must lead,
   * eventually, to exactly one claimHtlc / failHtlc / failMalformedHtlc for it
   * (directly, or when the HTLC it was forwarded as settles).
   */
  htlcLockedIn(htlc: LockedInHtlc): void | Promise<void>;
  /** An HTLC we offered (any source: a payment of ours, a forward) was fulfilled, off or on chain. */
  offeredHtlcFulfilled(source: Uint8Array, preimage: Uint8Array, info: OutboundHtlcInfo, attribution?: Uint8Array): void;
  /** An HTLC we offered failed for good. */
  offeredHtlcFailed(source: Uint8Array, failure: HtlcFailure, info: OutboundHtlcInfo): void;
  /** A new best block (held HTLCs may have to be failed before their expiry; payments may expire). */
  bestBlockUpdated(height: number, timestamp: number): void;
  /** Every timer tick (MPP timeouts, retries). */
  timerTickOccurred(): void;
  /**
   * After the manager was read and reconciled with its monitors: the HTLCs we
   * offered that channels or monitors still hold, and the incoming HTLCs that
   * are committed and not being removed (some may have been decided already:
   * the handler knows which).
   */
  started?(state: { readonly offered: readonly OfferedHtlc[]; readonly lockedIn: readonly LockedInHtlc[] }): void;
  /** Resolves when the handler's own background work (retries, claims) is done (tests and orderly shutdown). */
  idle?(): Promise<void>;
  /** The handler's persistent state, written inside the manager's bytes. */
  write(): Uint8Array;
}

/**
 * What an HtlcHandler may use of the manager: the HTLC primitives, channel
 * lookup, chain height, events and keys. ChannelManager builds one for its handler.
 */
export interface PaymentsContext {
  readonly ourNodeId: NodeId;
  readonly nodeSigner: NodeSigner;
  readonly entropy: EntropySource;
  readonly backend: Secp256k1Backend;
  readonly config: () => UserConfig;
  readonly bestHeight: () => number;
  readonly highestSeenTimestamp: () => number;
  readonly emit: (event: Event) => void;
  readonly markDirty: () => void;
  readonly log: (level: LogLevel, message: string) => void;
  /** Offers an HTLC on a channel; throws ApiError when it cannot carry it. */
  readonly addHtlc: (channelId: ChannelId, htlc: HtlcToSend) => void;
  /** Claims an incoming HTLC (the monitor learns the preimage first); `attribution` goes in update_fulfill_htlc. */
  readonly claimHtlc: (channelId: ChannelId, htlcId: bigint, preimage: Uint8Array, attribution?: Uint8Array) => void;
  /** Fails an incoming HTLC with an encrypted reason (and its attribution data). */
  readonly failHtlc: (channelId: ChannelId, htlcId: bigint, reason: Uint8Array, attribution?: Uint8Array) => void;
  readonly failMalformedHtlc: (channelId: ChannelId, htlcId: bigint, sha256OfOnion: Uint8Array, failureCode: number) => void;
  /** Every funded channel as the payments layer sees it (policy, aliases, limits, usability). */
  readonly paymentChannels: () => readonly PaymentChannel[];
  /** The incoming HTLCs committed in open channels and not being removed. */
  readonly committedIncoming: () => readonly { readonly channelId: ChannelId; readonly htlcId: bigint }[];
}
