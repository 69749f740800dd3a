import type { PeerInit } from 'ln-peer-api';
import type { NodeId } from 'ln-types';
import type { NoiseLink } from './noise-link.js';
import { OutboundQueue } from './outbound.js';
import type { SocketDescriptor } from './socket.js';

/** Where a connection is in its life. */
export type PeerStage = 'handshake' | 'awaiting_init' | 'connected' | 'closed';

/** Everything the PeerManager keeps about one connection. */
export class Peer {
  stage: PeerStage = 'handshake';
  nodeId: NodeId | undefined;
  init: PeerInit | undefined;
  readonly outbound = new OutboundQueue();
  /** Reading was paused (a `"pause"` was returned) and must be resumed with the next write. */
  readPaused = false;
  /** Handlers were told `peerConnected`, so they must hear `peerDisconnected`. */
  announced = false;
  /** Timer ticks since the connection started, while not connected. */
  ticksUnready = 0;
  awaitingPong = false;
  /** Ticks the outstanding ping has gone unanswered with nothing received. */
  pingTicks = 0;
  receivedSinceTick = false;
  pingsSent = 0;
  pongsReceived = 0;
  messagesReceived = 0;
  gossipDropped = 0;

  constructor(
    readonly descriptor: SocketDescriptor,
    readonly inbound: boolean,
    readonly link: NoiseLink,
    /** The peer's address as we see it (sent in our init's remote_addr), when the adapter knows it. */
    readonly remoteAddr: Uint8Array | undefined,
  ) {}
}
