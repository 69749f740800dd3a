// The two ways PeerManagers reach each other in these tests: TCP (ln-peer/net)
// and WebSocket (connectWebSocket + ln-peer/ws-server). The transport suite
// runs the same scenarios over both.
import * as net from 'node:net';
import { WebSocket } from 'ws';
import type { NodeId } from 'ln-types';
import { connectWebSocket, type PeerManager, type WebSocketConstructor } from '../src/index.js';
import { connect, listen } from '../src/net/index.js';
import { listenWebSocket } from '../src/ws-server/index.js';

export interface TestEndpoint {
  /** Connects `client` to the listening manager. */
  dial(client: PeerManager, theirNodeId: NodeId): Promise<void>;
  /** Opens a raw connection, writes garbage, resolves when the server has closed it. */
  sendGarbage(bytes: Uint8Array): Promise<void>;
  close(): Promise<void>;
}

export interface TestTransport {
  readonly name: string;
  listen(server: PeerManager): Promise<TestEndpoint>;
}

export const tcp: TestTransport = {
  name: 'TCP',
  async listen(server) {
    const listener = await listen(server, { port: 0 });
    return {
      dial: (client, theirNodeId) => connect(client, { host: '127.0.0.1', port: listener.port, theirNodeId }),
      async sendGarbage(bytes) {
        const raw = net.connect({ host: '127.0.0.1', port: listener.port });
        await new Promise((r) => raw.once('connect', r));
        const closed = new Promise<void>((r) => raw.once('close', () => r()));
        raw.write(bytes);
        await closed;
      },
      close: () => listener.close(),
    };
  },
};

export const websocket: TestTransport = {
  name: 'WebSocket',
  async listen(server) {
    const listener = await listenWebSocket(server, { port: 0 });
    return {
      dial: (client, theirNodeId) => connectWebSocket(client, { url: listener.url, theirNodeId, WebSocket: WebSocket as unknown as WebSocketConstructor }),
      async sendGarbage(bytes) {
        const raw = new WebSocket(listener.url);
        await new Promise((r) => raw.once('open', r));
        const closed = new Promise<void>((r) => raw.once('close', () => r()));
        raw.send(bytes);
        await closed;
      },
      close: () => listener.close(),
    };
  },
};
