import type { Secp256k1Backend, SymmetricBackend } from 'ln-crypto';
import type { EcdhFunction, HandshakeOptions } from 'ln-noise';
import { NoiseError } from 'ln-noise';
import {
  isChannelMessage,
  isOnionMessage,
  isRoutingMessage,
  messageHandlers,
  type MessageHandlers,
  type MessageSendEvent,
  type PeerInit,
  type PeerLifecycleHandler,
} from 'ln-peer-api';
import {
  ALL_CHANNELS,
  equalBytes,
  isLogEnabled,
  silentLogger,
  toHex,
  utf8ToBytes,
  type ChainHash,
  type LogLevel,
  type Logger,
  type NodeId,
  type PublicKey,
} from 'ln-types';
import {
  decodeMessage,
  encodeMessage,
  initFeatures,
  MAX_PONG_BYTES,
  mergeFeatures,
  WireError,
  type DecodedMessage,
  type ErrorMessage,
  type InitMessage,
  type Message,
  type WarningMessage,
} from 'ln-wire';
import { addressDescriptor, type SocketAddress } from './address.js';
import { PeerError } from './errors.js';
import { buildInit, checkInit } from './init.js';
import { DEFAULT_LIMITS, type PeerLimits } from './limits.js';
import { NoiseLink, type LinkOutput } from './noise-link.js';
import { Peer } from './peer.js';
import type { ReadResult, SocketDescriptor } from './socket.js';

/** How a PeerManager is set up. */
export interface PeerManagerOptions {
  /** Our node id (the static public key the ECDH function's secret belongs to). */
  readonly localPublicKey: PublicKey;
  /** ECDH with our node key (may answer asynchronously: a remote signer). */
  readonly ecdh: EcdhFunction;
  /** Where messages go; missing handlers are "ignoring" ones. */
  readonly handlers?: Partial<MessageHandlers>;
  /** Chains we are on, sent in init's `networks` and required in the peer's (when it sends any). */
  readonly chains?: readonly ChainHash[];
  /**
   * Init feature bits the connection layer adds to the handlers' (for example
   * the ones a peer insists on before it talks to us at all).
   */
  readonly baseInitFeatures?: Uint8Array;
  readonly limits?: Partial<PeerLimits>;
  readonly logger?: Logger;
  readonly symmetric?: SymmetricBackend;
  readonly secp256k1?: Secp256k1Backend;
}

/** A connected peer as `listPeers` shows it. */
export interface PeerDetails {
  readonly nodeId: NodeId;
  readonly inbound: boolean;
  readonly init: PeerInit;
  readonly pingsSent: number;
  readonly pongsReceived: number;
  readonly messagesReceived: number;
  readonly gossipDropped: number;
  readonly outboundBytes: number;
}

const EMPTY = new Uint8Array(0);
const MODULE = 'ln-peer/peer-manager';

/**
 * The connection layer: BOLT 8 transport, the init exchange, ping/pong
 * liveness and dispatch of messages to the handlers (after LDK's PeerManager).
 *
 * It never opens sockets, reads a clock or schedules anything: the
 * application reports socket events (`newOutboundConnection`,
 * `newInboundConnection`, `readEvent`, `writeBufferSpaceAvail`,
 * `socketDisconnected`) and calls `processEvents()` (after reads, and whenever
 * handlers may have queued messages) and `timerTickOccurred()` (about every
 * ten seconds). Misbehaving peers are disconnected, never thrown.
 */
export class PeerManager {
  private readonly handlers: MessageHandlers;
  private readonly lifecycle: PeerLifecycleHandler[];
  private readonly limits: PeerLimits;
  private readonly logger: Logger;
  private readonly chains: readonly ChainHash[];
  private readonly handshakeOptions: HandshakeOptions;
  private readonly baseInitFeatures: Uint8Array;
  private readonly peers = new Map<SocketDescriptor, Peer>();
  private readonly byNodeId = new Map<string, Peer>();

  constructor(options: PeerManagerOptions) {
    this.handlers = messageHandlers(options.handlers);
    this.lifecycle = [this.handlers.channel, this.handlers.routing, this.handlers.onion, this.handlers.custom];
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.logger = options.logger ?? silentLogger;
    this.chains = options.chains ?? [];
    this.baseInitFeatures = options.baseInitFeatures ?? EMPTY;
    const handshake: { -readonly [K in keyof HandshakeOptions]: HandshakeOptions[K] } = { localPublicKey: options.localPublicKey, ecdh: options.ecdh };
    if (options.symmetric !== undefined) handshake.symmetric = options.symmetric;
    if (options.secp256k1 !== undefined) handshake.secp256k1 = options.secp256k1;
    this.handshakeOptions = handshake;
  }

  /** Our node id. */
  get nodeId(): PublicKey {
    return this.handshakeOptions.localPublicKey as PublicKey;
  }

  /**
   * Registers a connection we opened to `theirNodeId` and writes act one.
   * @throws PeerError `duplicate_descriptor`; NoiseError `invalid_option` for a malformed node id
   */
  newOutboundConnection(theirNodeId: NodeId, descriptor: SocketDescriptor, remoteAddress?: SocketAddress): void {
    this.checkNew(descriptor);
    const link = NoiseLink.outbound(this.handshakeOptions, theirNodeId);
    const peer = new Peer(descriptor, false, link, remoteAddress === undefined ? undefined : addressDescriptor(remoteAddress));
    this.peers.set(descriptor, peer);
    peer.outbound.push(link.initialWrite!);
    peer.outbound.flush(descriptor, false);
  }

  /**
   * Registers a connection a peer opened to us; the handshake starts with its act one.
   * @throws PeerError `too_many_peers` over the inbound limit (close the socket), `duplicate_descriptor`
   */
  newInboundConnection(descriptor: SocketDescriptor, remoteAddress?: SocketAddress): void {
    this.checkNew(descriptor);
    let withoutChannels = 0;
    for (const p of this.peers.values()) {
      if (p.inbound && (p.nodeId === undefined || !this.handlers.channel.hasChannelsWith(p.nodeId))) withoutChannels++;
    }
    if (withoutChannels >= this.limits.maxInboundPeersWithoutChannels) {
      throw new PeerError('too_many_peers', `already ${withoutChannels} inbound peers without channels`);
    }
    const link = NoiseLink.inbound(this.handshakeOptions);
    this.peers.set(descriptor, new Peer(descriptor, true, link, remoteAddress === undefined ? undefined : addressDescriptor(remoteAddress)));
  }

  /**
   * Bytes received on a connection. Returns whether to keep reading, pause
   * (the peer's outbound buffer is full) or stop (the peer was disconnected:
   * `disconnectSocket` has been called).
   */
  readEvent(descriptor: SocketDescriptor, data: Uint8Array): ReadResult {
    const peer = this.peers.get(descriptor);
    if (peer === undefined) return 'disconnected';
    let output: LinkOutput;
    try {
      output = peer.link.receive(data);
    } catch (err) {
      this.disconnect(peer, `transport failure: ${describe(err)}`, 'debug');
      return 'disconnected';
    }
    this.handleLinkOutput(peer, output);
    if (peer.stage === 'closed') return 'disconnected';
    peer.outbound.flush(descriptor, false);
    if (peer.outbound.bytes >= this.limits.readPauseBytes) {
      peer.readPaused = true;
      return 'pause';
    }
    return 'ok';
  }

  /** The socket can take more data: writing resumes (and reading, if it was paused). */
  writeBufferSpaceAvail(descriptor: SocketDescriptor): void {
    const peer = this.peers.get(descriptor);
    if (peer === undefined) return;
    peer.outbound.blocked = false;
    this.flush(peer);
  }

  /** The socket closed (by the peer or the network). The descriptor is forgotten. */
  socketDisconnected(descriptor: SocketDescriptor): void {
    const peer = this.peers.get(descriptor);
    if (peer !== undefined) this.disconnect(peer, 'socket closed', 'info', false);
  }

  /**
   * Delivers the messages the handlers queued (to one peer or broadcast) and
   * writes buffered data. Call it after reads and whenever handlers may have
   * queued messages.
   */
  processEvents(): void {
    for (const handler of this.lifecycle) {
      for (const event of handler.getAndClearPendingMsgEvents()) this.deliver(event);
    }
    for (const peer of this.peers.values()) this.flush(peer);
  }

  /**
   * The application's periodic tick (about every 10 s): times out handshakes,
   * disconnects peers that left a ping unanswered, and pings the others.
   */
  timerTickOccurred(): void {
    for (const peer of [...this.peers.values()]) {
      if (peer.stage !== 'connected') {
        peer.ticksUnready++;
        if (peer.ticksUnready >= this.limits.handshakeTimeoutTicks) this.disconnect(peer, 'handshake timed out', 'debug');
        continue;
      }
      if (peer.awaitingPong) {
        if (!peer.receivedSinceTick) peer.pingTicks++;
        if (peer.pingTicks >= this.limits.pingTimeoutTicks) {
          this.disconnect(peer, 'ping not answered', 'info');
          continue;
        }
      } else {
        peer.awaitingPong = true;
        peer.pingTicks = 0;
        peer.pingsSent++;
        this.send(peer, { type: 'ping', numPongBytes: 0, ignored: EMPTY }, false);
      }
      peer.receivedSinceTick = false;
    }
    for (const peer of this.peers.values()) this.flush(peer);
  }

  /** Disconnects a peer by node id (no-op when not connected). */
  disconnectByNodeId(nodeId: NodeId): void {
    const peer = this.byNodeId.get(toHex(nodeId));
    if (peer !== undefined) this.disconnect(peer, 'disconnect requested', 'info');
  }

  /** Disconnects every connection. */
  disconnectAllPeers(): void {
    for (const peer of [...this.peers.values()]) this.disconnect(peer, 'disconnect requested', 'info');
  }

  /** The peers that completed the init exchange. */
  listPeers(): PeerDetails[] {
    const out: PeerDetails[] = [];
    for (const p of this.byNodeId.values()) {
      if (p.stage !== 'connected') continue;
      out.push({
        nodeId: p.nodeId!,
        inbound: p.inbound,
        init: p.init!,
        pingsSent: p.pingsSent,
        pongsReceived: p.pongsReceived,
        messagesReceived: p.messagesReceived,
        gossipDropped: p.gossipDropped,
        outboundBytes: p.outbound.bytes,
      });
    }
    return out;
  }

  /**
   * Bytes queued for a connected peer and not yet taken by its socket (0 for
   * an unknown peer). A direct lookup, for per-message checks such as a gossip
   * handler's "can I send this peer more" (no `listPeers()` array built).
   */
  outboundBytes(nodeId: NodeId): number {
    return this.byNodeId.get(toHex(nodeId))?.outbound.bytes ?? 0;
  }

  /** Connections of any stage (handshaking included). */
  get connectionCount(): number {
    return this.peers.size;
  }

  // --- internals ---

  private checkNew(descriptor: SocketDescriptor): void {
    if (this.peers.has(descriptor)) throw new PeerError('duplicate_descriptor', 'this descriptor is already registered');
  }

  private handleLinkOutput(peer: Peer, output: LinkOutput): void {
    for (const bytes of output.write) peer.outbound.push(bytes);
    if (output.established !== undefined) this.established(peer, output.established);
    for (const message of output.messages) {
      if (peer.stage === 'closed') return;
      this.handleMessage(peer, message);
    }
    if (output.wait !== undefined && peer.stage !== 'closed') {
      // An asynchronous ECDH: continue when it settles.
      output.wait.then(() => this.resume(peer));
    }
  }

  private resume(peer: Peer): void {
    if (peer.stage === 'closed') return;
    let output: LinkOutput;
    try {
      output = peer.link.resume();
    } catch (err) {
      this.disconnect(peer, `handshake failure: ${describe(err)}`, 'debug');
      return;
    }
    this.handleLinkOutput(peer, output);
    this.flush(peer);
  }

  private established(peer: Peer, nodeId: NodeId): void {
    const key = toHex(nodeId);
    const previous = this.byNodeId.get(key);
    // One connection per node id: the new one replaces the old.
    if (previous !== undefined && previous !== peer) this.disconnect(previous, 'replaced by a new connection', 'debug');
    peer.nodeId = nodeId;
    peer.stage = 'awaiting_init';
    this.byNodeId.set(key, peer);
    this.log('debug', 'handshake complete', peer);
    this.send(peer, buildInit(this.localInitFeatures(nodeId), this.chains, peer.remoteAddr), false);
  }

  private localInitFeatures(peer: NodeId): Uint8Array {
    return mergeFeatures(this.baseInitFeatures, ...this.lifecycle.map((h) => h.provideInitFeatures(peer)));
  }

  private handleMessage(peer: Peer, bytes: Uint8Array): void {
    peer.messagesReceived++;
    peer.receivedSinceTick = true;
    let message: DecodedMessage;
    try {
      message = decodeMessage(bytes);
    } catch (err) {
      if (!(err instanceof WireError)) throw err;
      this.sendWarning(peer, `malformed message: ${err.code}`);
      this.disconnect(peer, `malformed message (${err.code})`, 'debug');
      return;
    }
    if (peer.stage === 'awaiting_init') {
      if (message.type !== 'init') {
        this.disconnect(peer, `first message was ${message.type}, not init`, 'debug');
        return;
      }
      this.handleInit(peer, message);
      return;
    }
    this.dispatch(peer, peer.nodeId!, message);
  }

  private handleInit(peer: Peer, init: InitMessage): void {
    const nodeId = peer.nodeId!;
    const refusal = checkInit(init, this.localInitFeatures(nodeId), this.chains);
    if (refusal !== undefined) {
      this.sendWarning(peer, refusal);
      this.disconnect(peer, `init refused: ${refusal}`, 'info');
      return;
    }
    const info: { features: Uint8Array; networks?: ChainHash[]; remoteAddr?: Uint8Array } = { features: initFeatures(init) };
    if (init.tlvs?.networks !== undefined) info.networks = init.tlvs.networks;
    if (init.tlvs?.remoteAddr !== undefined) info.remoteAddr = init.tlvs.remoteAddr;
    peer.init = info;
    peer.stage = 'connected';
    for (const handler of this.lifecycle) {
      peer.announced = true;
      if (handler.peerConnected(nodeId, info, peer.inbound) === 'disconnect') {
        this.disconnect(peer, 'a handler refused the peer', 'info');
        return;
      }
    }
    this.log('info', 'peer connected', peer, { inbound: peer.inbound });
  }

  private dispatch(peer: Peer, nodeId: NodeId, message: DecodedMessage): void {
    switch (message.type) {
      case 'ping':
        // BOLT 1: no pong at all for num_pong_bytes of 65532 or more.
        if (message.numPongBytes <= MAX_PONG_BYTES) this.send(peer, { type: 'pong', ignored: new Uint8Array(message.numPongBytes) }, false);
        return;
      case 'pong':
        if (peer.awaitingPong) {
          peer.awaitingPong = false;
          peer.pingTicks = 0;
          peer.pongsReceived++;
        }
        return;
      case 'init':
        this.disconnect(peer, 'second init', 'debug');
        return;
      case 'error':
        this.handleError(peer, nodeId, message);
        return;
      case 'warning':
        this.log('warn', `warning from peer: ${printable(message.data)}`, peer);
        return;
      case 'unknown_odd':
      case 'unknown_even':
        if (this.handlers.custom.handlesType(message.typeId)) {
          this.handlers.custom.handleMessage(nodeId, message.typeId, message.payload);
        } else if (message.type === 'unknown_even') {
          this.disconnect(peer, `unknown even message type ${message.typeId}`, 'debug');
        }
        return;
      default:
        if (isChannelMessage(message)) this.handlers.channel.handleMessage(nodeId, message);
        else if (isRoutingMessage(message)) this.handlers.routing.handleMessage(nodeId, message);
        else if (isOnionMessage(message)) this.handlers.onion.handleMessage(nodeId, message);
        else this.log('debug', `ignored ${(message as { type: string }).type}`, peer);
    }
  }

  private handleError(peer: Peer, nodeId: NodeId, message: ErrorMessage): void {
    this.log('warn', `error from peer: ${printable(message.data)}`, peer);
    this.handlers.channel.handleError(nodeId, message);
    // BOLT 1: an all-zero channel id means every channel: the connection goes too.
    if (equalBytes(message.channelId, ALL_CHANNELS)) this.disconnect(peer, 'peer sent an error for all channels', 'info');
  }

  private deliver(event: MessageSendEvent): void {
    switch (event.kind) {
      case 'send': {
        const peer = this.byNodeId.get(toHex(event.nodeId));
        if (peer?.stage === 'connected') this.send(peer, event.message, false);
        return;
      }
      case 'send_raw': {
        const peer = this.byNodeId.get(toHex(event.nodeId));
        if (peer?.stage === 'connected') this.sendBytes(peer, event.bytes, false);
        return;
      }
      case 'broadcast': {
        const bytes = encodeMessage(event.message);
        for (const peer of [...this.byNodeId.values()]) {
          if (peer.stage !== 'connected') continue;
          if (event.exceptNodeId !== undefined && equalBytes(peer.nodeId!, event.exceptNodeId)) continue;
          this.sendBytes(peer, bytes, true);
        }
        return;
      }
      case 'disconnect': {
        const peer = this.byNodeId.get(toHex(event.nodeId));
        if (peer === undefined) return;
        if (event.message !== undefined && peer.stage === 'connected') this.send(peer, event.message, false);
        this.flush(peer);
        this.disconnect(peer, 'a handler asked to disconnect', 'debug');
        return;
      }
    }
  }

  private sendWarning(peer: Peer, text: string): void {
    const warning: WarningMessage = { type: 'warning', channelId: ALL_CHANNELS, data: utf8ToBytes(text) };
    this.send(peer, warning, false);
    this.flush(peer);
  }

  private send(peer: Peer, message: Message, gossip: boolean): void {
    this.sendBytes(peer, encodeMessage(message), gossip);
  }

  /**
   * Queues one encrypted message. Gossip is dropped for a peer whose buffer is
   * over the gossip bound; anything that would pass the hard bound disconnects
   * the peer, so memory per peer stays bounded.
   */
  private sendBytes(peer: Peer, bytes: Uint8Array, gossip: boolean): void {
    if (peer.stage === 'closed') return;
    if (gossip && peer.outbound.bytes >= this.limits.gossipDropBytes) {
      peer.gossipDropped++;
      return;
    }
    if (peer.outbound.bytes + bytes.length > this.limits.maxOutboundBytes) {
      this.disconnect(peer, 'outbound buffer over its bound', 'info');
      return;
    }
    peer.outbound.push(peer.link.encrypt(bytes));
  }

  private flush(peer: Peer): void {
    if (peer.stage === 'closed') return;
    const resume = peer.readPaused && peer.outbound.bytes < this.limits.readPauseBytes;
    if (resume) peer.readPaused = false;
    peer.outbound.flush(peer.descriptor, resume);
    // Writing may have freed enough room to resume reading.
    if (peer.readPaused && !peer.outbound.blocked && peer.outbound.bytes < this.limits.readPauseBytes) {
      peer.readPaused = false;
      peer.outbound.flush(peer.descriptor, true);
    }
  }

  private disconnect(peer: Peer, reason: string, level: LogLevel, closeSocket = true): void {
    if (peer.stage === 'closed') return;
    const wasConnected = peer.stage === 'connected';
    peer.stage = 'closed';
    this.peers.delete(peer.descriptor);
    if (peer.nodeId !== undefined && this.byNodeId.get(toHex(peer.nodeId)) === peer) this.byNodeId.delete(toHex(peer.nodeId));
    peer.outbound.clear();
    this.log(wasConnected ? level : 'debug', `peer disconnected: ${reason}`, peer);
    if (peer.announced) {
      for (const handler of this.lifecycle) handler.peerDisconnected(peer.nodeId!);
    }
    if (closeSocket) peer.descriptor.disconnectSocket();
  }

  private log(level: LogLevel, message: string, peer: Peer, fields?: Record<string, unknown>): void {
    if (!isLogEnabled(this.logger, level)) return;
    const record: { level: LogLevel; module: string; message: string; peer?: string; fields?: Record<string, unknown> } = { level, module: MODULE, message };
    if (peer.nodeId !== undefined) record.peer = toHex(peer.nodeId);
    if (fields !== undefined) record.fields = fields;
    this.logger.log(record);
  }
}

function describe(err: unknown): string {
  if (err instanceof NoiseError) return err.code;
  return err instanceof Error ? err.message : String(err);
}

/** Peer-supplied text made safe to log: printable ASCII only, bounded. */
function printable(data: Uint8Array): string {
  let out = '';
  for (let i = 0; i < data.length && i < 200; i++) {
    const c = data[i]!;
    out += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '?';
  }
  return out;
}
