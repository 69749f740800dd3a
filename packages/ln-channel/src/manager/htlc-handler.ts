// The seam between the channel machinery and payments (issue 15). The manager
// moves HTLCs through channels and tells an HtlcHandler about the events that
// need a decision; the handler answers through the manager's HTLC primitives
// (claimHtlc, failHtlc, failMalformedHtlc, forwardHtlc, sendHtlc). The default
// handler (BasicPaymentHandler) receives payments for us and reports our own
// payments' outcome; the payments engineer replaces it with the full engine.

import type { ChannelId, NodeId } from 'ln-types';
import type { Htlc } from '../channel/types.js';
import type { OutboundPaymentSource } from './htlc-source.js';

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

/** Where an HTLC of ours ended: the channel and its id there. */
export interface OutboundHtlcInfo {
  readonly channelId: ChannelId;
  readonly counterpartyNodeId: NodeId;
  readonly htlcId: bigint | undefined;
  readonly amountMsat: bigint;
  /** Settled by a transaction on chain rather than by a message. */
  readonly onChain: boolean;
}

/**
 * What decides about HTLCs (receive, forward, our payments' outcomes). Methods
 * may return a promise (an asynchronous NodeSigner for onion ECDH); the manager
 * keeps calls for one channel in order and counts them as pending work.
 */
export interface HtlcHandler {
  /**
   * An incoming HTLC is irrevocably committed: decide. Each call must lead,
   * eventually, to exactly one claimHtlc / failHtlc / failMalformedHtlc /
   * forwardHtlc for it (the manager fails it back if it is still held when its
   * expiry comes close: see `heldHtlcExpiring`).
   */
  htlcLockedIn(htlc: LockedInHtlc): void | Promise<void>;
  /** An HTLC of a payment of ours was fulfilled (off or on chain). */
  outboundFulfilled(source: OutboundPaymentSource, preimage: Uint8Array, info: OutboundHtlcInfo): void;
  /** An HTLC of a payment of ours failed for good. */
  outboundFailed(source: OutboundPaymentSource, failure: HtlcFailure, info: OutboundHtlcInfo): void;
  /** A new best block (held HTLCs may have to be failed before their expiry; payments may expire). */
  bestBlockUpdated(height: number, timestamp: number): void;
  /** Every timer tick (MPP timeouts, retries). */
  timerTickOccurred(): void;
  /** The handler's persistent state, written inside the manager's bytes. */
  write(): Uint8Array;
}

/**
 * What an HtlcHandler may use of the manager: the HTLC primitives, channel
 * lookup, chain height, events and keys. ChannelManager builds one for its handler.
 */
export interface PaymentsContext {
  readonly ourNodeId: NodeId;
  readonly nodeSigner: import('ln-signer-api').NodeSigner;
  readonly entropy: import('ln-signer-api').EntropySource;
  readonly backend: import('ln-crypto').Secp256k1Backend;
  readonly config: () => import('../config.js').UserConfig;
  readonly bestHeight: () => number;
  readonly highestSeenTimestamp: () => number;
  readonly emit: (event: import('../events.js').Event) => void;
  readonly markDirty: () => void;
  readonly log: (level: import('ln-types').LogLevel, message: string) => void;
  /** Offers an HTLC on a channel; throws ApiError when it cannot carry it. */
  readonly addHtlc: (channelId: ChannelId, htlc: import('./htlc-ops.js').HtlcToSend) => void;
  readonly claimHtlc: (channelId: ChannelId, htlcId: bigint, preimage: Uint8Array) => void;
  readonly failHtlc: (channelId: ChannelId, htlcId: bigint, reason: Uint8Array) => void;
  readonly failMalformedHtlc: (channelId: ChannelId, htlcId: bigint, sha256OfOnion: Uint8Array, failureCode: number) => void;
  /** Forwards an incoming HTLC onto the channel with short channel id (or alias) `scid`; throws ApiError when it cannot. */
  readonly forwardHtlc: (prev: LockedInHtlc & { readonly sharedSecret: Uint8Array }, scid: bigint, outgoing: Omit<import('./htlc-ops.js').HtlcToSend, 'source'>) => void;
  /** Channels with a peer that can send now, best first (by next outbound HTLC limit). */
  readonly usableChannelsWith: (peer: NodeId) => readonly { channelId: ChannelId; nextOutboundHtlcLimitMsat: bigint; nextOutboundHtlcMinimumMsat: bigint }[];
}
