// ln-peer/ws-server (Node only): accept BOLT 8 over WebSocket directly, as Core
// Lightning's WebSocket port does, so browsers can connect without a proxy.
import { WebSocketServer, type WebSocket } from 'ws';
import type { PeerManager } from '../peer-manager.js';
import { scheduleProcessEvents } from '../drive.js';
import { attachWebSocket, WebSocketDescriptor, type WebSocketLike, type WebSocketTransportOptions } from '../ws/descriptor.js';

/** A listening WebSocket endpoint. */
export interface WebSocketListener {
  readonly host: string;
  readonly port: number;
  /** `ws://host:port` for connectWebSocket. */
  readonly url: string;
  close(): Promise<void>;
}

/** Options of {@link listenWebSocket}. */
export interface ListenWebSocketOptions extends WebSocketTransportOptions {
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** Largest frame accepted (default 1 MiB). */
  readonly maxFrameBytes?: number;
}

/** Accepts inbound BOLT 8 connections over WebSocket for `manager`. */
export function listenWebSocket(manager: PeerManager, options: ListenWebSocketOptions): Promise<WebSocketListener> {
  const host = options.host ?? '127.0.0.1';
  const server = new WebSocketServer({ host, port: options.port, maxPayload: options.maxFrameBytes ?? 1 << 20, perMessageDeflate: false });
  server.on('connection', (ws: WebSocket, req) => {
    const like = ws as unknown as WebSocketLike;
    const descriptor = new WebSocketDescriptor(manager, like, options);
    attachWebSocket(descriptor, manager, like);
    const address = req.socket.remoteAddress !== undefined && req.socket.remotePort !== undefined ? { host: req.socket.remoteAddress, port: req.socket.remotePort } : undefined;
    try {
      manager.newInboundConnection(descriptor, address);
    } catch {
      ws.close(1013, 'refused');
      return;
    }
    scheduleProcessEvents(manager);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.once('listening', () => {
      server.off('error', reject);
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : options.port;
      resolve({
        host,
        port,
        url: `ws://${host}:${port}`,
        close: () =>
          new Promise<void>((done) => {
            for (const client of server.clients) client.terminate();
            server.close(() => done());
          }),
      });
    });
  });
}
