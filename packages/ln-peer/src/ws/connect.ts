import type { NodeId } from 'ln-types';
import type { PeerManager } from '../peer-manager.js';
import { scheduleProcessEvents } from '../drive.js';
import { attachWebSocket, WebSocketDescriptor, type WebSocketLike, type WebSocketTransportOptions } from './descriptor.js';
import { PeerError } from '../errors.js';

/** A WebSocket constructor: the browser's `WebSocket`, or `ws`'s in Node. */
export type WebSocketConstructor = new (url: string) => WebSocketLike;

/** Options of {@link connectWebSocket}. */
export interface ConnectWebSocketOptions extends WebSocketTransportOptions {
  /** A node's WebSocket port (`ws://host:port`) or a proxy URL (`wss://proxy/host:9735`). */
  readonly url: string;
  readonly theirNodeId: NodeId;
  /** Default: `globalThis.WebSocket` (browsers, workers, Node 22+). */
  readonly WebSocket?: WebSocketConstructor;
}

/**
 * Opens a WebSocket and starts BOLT 8 over it toward `theirNodeId`: works in
 * browsers and workers with the standard WebSocket API, directly to a node
 * that accepts WebSocket (ln-peer/ws-server, Core Lightning's WebSocket port)
 * or through ln-ws-proxy to any node. Resolves once the socket is open (the
 * handshake and init continue: watch `manager.listPeers()`).
 */
export function connectWebSocket(manager: PeerManager, options: ConnectWebSocketOptions): Promise<void> {
  const Ctor = options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (Ctor === undefined) return Promise.reject(new PeerError('invalid_option', 'no WebSocket implementation: pass options.WebSocket'));
  return new Promise((resolve, reject) => {
    const ws = new Ctor(options.url);
    let opened = false;
    ws.addEventListener('open', () => {
      opened = true;
      const descriptor = new WebSocketDescriptor(manager, ws, options);
      attachWebSocket(descriptor, manager, ws);
      try {
        manager.newOutboundConnection(options.theirNodeId, descriptor);
      } catch (e) {
        ws.close(1011);
        return reject(e instanceof PeerError ? e : new PeerError('connect_failed', `the PeerManager refused the connection: ${String(e)}`, { cause: e }));
      }
      scheduleProcessEvents(manager);
      resolve();
    });
    ws.addEventListener('close', () => {
      if (!opened) reject(new PeerError('connect_failed', `WebSocket to ${options.url} closed before opening`));
    });
    ws.addEventListener('error', () => {
      if (!opened) reject(new PeerError('connect_failed', `WebSocket to ${options.url} failed`));
    });
  });
}
