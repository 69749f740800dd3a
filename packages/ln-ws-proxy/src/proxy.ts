import { createServer, type IncomingMessage, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import { Buffer } from 'node:buffer';
import type { Duplex } from 'node:stream';
import { silentLogger, type Logger } from 'ln-types';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { isAllowed, parseTarget, type AllowRule, type Target } from './target.js';

/** Options of {@link startProxy}. */
export interface ProxyOptions {
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** Destinations allowed; default: any host on port 9735 only. */
  readonly allow?: AllowRule;
  /** Concurrent connections per client address (default 8). */
  readonly maxConnectionsPerClient?: number;
  /** Concurrent connections in all (default 1000). */
  readonly maxConnections?: number;
  /** Bytes buffered toward one side before the other side is paused (default 1 MiB). */
  readonly maxBufferedBytes?: number;
  /** Give up on a TCP connect after this long (default 10 s). */
  readonly connectTimeoutMs?: number;
  /** Close a connection idle in both directions for this long (default 5 min). */
  readonly idleTimeoutMs?: number;
  /** Largest WebSocket frame accepted (default 70 kB: one BOLT 8 message with its header and MACs). */
  readonly maxFrameBytes?: number;
  readonly logger?: Logger;
}

/** A running proxy. */
export interface RunningProxy {
  readonly port: number;
  /** Current connections, for tests and metrics. */
  connections(): number;
  close(): Promise<void>;
}

const MODULE = 'ln-ws-proxy';

/**
 * Starts a WebSocket-to-TCP proxy: a browser opens `ws://proxy/<host>:<port>`
 * and every binary frame it sends is written to that TCP destination, every
 * byte the destination sends comes back as a binary frame. BOLT 8 runs end to
 * end between the browser and the node, so the proxy only moves ciphertext.
 * Destinations are checked against the allow rule before any connection is
 * made; per-client and total connection limits apply at the upgrade; each
 * direction is paused while the other side has too much buffered, so a slow
 * client never makes the proxy buffer without bound.
 */
export async function startProxy(options: ProxyOptions): Promise<RunningProxy> {
  const logger = options.logger ?? silentLogger;
  const perClient = options.maxConnectionsPerClient ?? 8;
  const maxTotal = options.maxConnections ?? 1000;
  const maxBuffered = options.maxBufferedBytes ?? 1 << 20;
  const connectTimeout = options.connectTimeoutMs ?? 10_000;
  const idleTimeout = options.idleTimeoutMs ?? 300_000;
  const byClient = new Map<string, number>();
  let total = 0;

  const http: Server = createServer((_req, res) => {
    res.writeHead(426, { 'content-type': 'text/plain' }).end('WebSocket upgrade required\n');
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxFrameBytes ?? 70_000, perMessageDeflate: false });

  const refuse = (socket: Duplex, status: number, reason: string) => {
    socket.end(`HTTP/1.1 ${status} ${reason}\r\ncontent-type: text/plain\r\nconnection: close\r\n\r\n${reason}\n`);
  };

  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const client = req.socket.remoteAddress ?? 'unknown';
    const target = parseTarget(req.url ?? '');
    if (target === undefined) return refuse(socket, 400, 'Bad Request: expected /<host>:<port>');
    if (!isAllowed(options.allow, target)) {
      logger.log({ level: 'info', module: MODULE, message: 'destination refused', fields: { client, host: target.host, port: target.port } });
      return refuse(socket, 403, 'Forbidden: destination not allowed');
    }
    if (total >= maxTotal || (byClient.get(client) ?? 0) >= perClient) return refuse(socket, 429, 'Too Many Requests');
    total++;
    byClient.set(client, (byClient.get(client) ?? 0) + 1);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      total--;
      const n = (byClient.get(client) ?? 1) - 1;
      if (n === 0) byClient.delete(client);
      else byClient.set(client, n);
    };
    socket.once('close', release);
    wss.handleUpgrade(req, socket, head, (ws) => bridge(ws, target, client, release));
  });

  function bridge(ws: WebSocket, target: Target, client: string, release: () => void): void {
    const tcp: Socket = connect({ host: target.host, port: target.port });
    tcp.setNoDelay(true);
    let toClientPending = 0;
    let closed = false;
    const close = (code: number, why: string) => {
      if (closed) return;
      closed = true;
      logger.log({ level: 'debug', module: MODULE, message: 'connection closed', fields: { client, host: target.host, port: target.port, why } });
      tcp.destroy();
      if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.close(code, why.slice(0, 120));
      else ws.terminate();
      release();
    };
    const connectTimer = setTimeout(() => close(1011, 'destination did not answer'), connectTimeout);
    let idleTimer = setTimeout(() => close(1001, 'idle'), idleTimeout);
    const touch = () => {
      if (closed) return;
      clearTimeout(idleTimer);
      idleTimer = setTimeout(() => close(1001, 'idle'), idleTimeout);
    };
    tcp.once('connect', () => clearTimeout(connectTimer));
    tcp.on('data', (chunk: Buffer) => {
      touch();
      toClientPending += chunk.length;
      if (toClientPending > maxBuffered) tcp.pause();
      ws.send(chunk, { binary: true }, () => {
        toClientPending -= chunk.length;
        if (toClientPending <= maxBuffered / 2 && tcp.isPaused()) tcp.resume();
      });
    });
    tcp.on('drain', () => ws.resume());
    tcp.once('error', (e) => close(1011, `destination error: ${e.message}`));
    tcp.once('close', () => close(1000, 'destination closed'));
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (!isBinary) return close(1003, 'binary frames only');
      touch();
      const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
      if (!tcp.write(bytes) || tcp.writableLength > maxBuffered) ws.pause();
    });
    ws.once('error', (e) => close(1002, `client error: ${e.message}`));
    ws.once('close', () => close(1000, 'client closed'));
    const clearTimers = () => {
      clearTimeout(connectTimer);
      clearTimeout(idleTimer);
    };
    tcp.once('close', clearTimers);
    ws.once('close', clearTimers);
  }

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = http.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  logger.log({ level: 'info', module: MODULE, message: 'listening', fields: { port } });
  return {
    port,
    connections: () => total,
    close: () =>
      new Promise<void>((resolve) => {
        for (const ws of wss.clients) ws.terminate();
        wss.close();
        http.close(() => resolve());
        http.closeAllConnections();
      }),
  };
}
