/** Bounds the PeerManager enforces per peer and overall. */
export interface PeerLimits {
  /** Timer ticks a connection may take from accept/connect to a completed init exchange (default 2). */
  readonly handshakeTimeoutTicks: number;
  /** Ticks a ping may stay unanswered, with nothing else received from the peer, before it is disconnected (default 2). */
  readonly pingTimeoutTicks: number;
  /** Outbound bytes buffered for a peer above which gossip broadcasts to it are dropped (default 256 KiB). */
  readonly gossipDropBytes: number;
  /** Outbound bytes buffered above which reading from the peer is paused (default 512 KiB). */
  readonly readPauseBytes: number;
  /** Outbound bytes buffered above which the peer is disconnected: memory stays bounded (default 4 MiB). */
  readonly maxOutboundBytes: number;
  /** Inbound connections allowed from peers we have no channel with (default 100). */
  readonly maxInboundPeersWithoutChannels: number;
}

export const DEFAULT_LIMITS: PeerLimits = Object.freeze({
  handshakeTimeoutTicks: 2,
  pingTimeoutTicks: 2,
  gossipDropBytes: 256 * 1024,
  readPauseBytes: 512 * 1024,
  maxOutboundBytes: 4 * 1024 * 1024,
  maxInboundPeersWithoutChannels: 100,
});
