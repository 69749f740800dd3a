// ln-peer/net: the Node.js adapter (Node only). TCP sockets over node:net,
// timer ticks and processEvents scheduling; the PeerManager itself stays
// runtime-agnostic, so a WebSocket adapter can be written the same way.
import * as net from 'node:net';
import type { NodeId } from 'ln-types';
import type { PeerManager } from '../peer-manager.js';
import type { SocketDescriptor } from '../socket.js';
import { scheduleProcessEvents } from '../drive.js';
import { PeerError } from '../errors.js';

export { scheduleProcessEvents, startTimers, type Tickable } from '../drive.js';

/** A TCP connection as the PeerManager sees it. */
class NetDescriptor implements SocketDescriptor {
  /** socket.write said its buffer is over the high-water mark: take nothing until 'drain'. */
  full = false;

  constructor(readonly socket: net.Socket) {}

  sendData(data: Uint8Array, resumeRead: boolean): number {
    if (resumeRead && this.socket.isPaused()) this.socket.resume();
    if (this.full || this.socket.destroyed || !this.socket.writable || data.length === 0) return 0;
    // The PeerManager never reuses a frame after handing it over, so Node may keep the reference.
    if (!this.socket.write(data)) this.full = true;
    return data.length;
  }

  disconnectSocket(): void {
    // end() sends what is written (a final warning or error) before closing; destroy after a grace period.
    this.socket.end();
    setTimeout(() => this.socket.destroy(), 1000).unref();
  }
}

function attach(manager: PeerManager, socket: net.Socket, register: (d: NetDescriptor) => void): NetDescriptor | undefined {
  const descriptor = new NetDescriptor(socket);
  socket.setNoDelay(true);
  try {
    register(descriptor);
  } catch {
    socket.destroy();
    return undefined;
  }
  socket.on('data', (chunk: Uint8Array) => {
    const bytes = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const result = manager.readEvent(descriptor, bytes);
    if (result === 'pause') socket.pause();
    scheduleProcessEvents(manager);
  });
  socket.on('drain', () => {
    descriptor.full = false;
    manager.writeBufferSpaceAvail(descriptor);
  });
  socket.on('error', () => {
    // 'close' follows and reports the disconnection.
  });
  socket.on('close', () => manager.socketDisconnected(descriptor));
  return descriptor;
}

/** A listening server; `close()` stops accepting (open connections stay). */
export interface Listener {
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Accepts inbound connections for `manager` on `host:port` (port 0 picks a free one).
 * Connections over the manager's inbound limit are closed at once.
 */
export function listen(manager: PeerManager, options: { host?: string; port: number }): Promise<Listener> {
  const host = options.host ?? '127.0.0.1';
  const server = net.createServer((socket) => {
    const address = socket.remoteAddress !== undefined && socket.remotePort !== undefined ? { host: socket.remoteAddress, port: socket.remotePort } : undefined;
    attach(manager, socket, (d) => manager.newInboundConnection(d, address));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      const port = (server.address() as net.AddressInfo).port;
      resolve({
        host,
        port,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}

/**
 * Opens a TCP connection to `theirNodeId` at `host:port` and starts the
 * handshake. Resolves once the TCP connection is up (the handshake and init
 * exchange continue; watch `manager.listPeers()`); rejects if it cannot connect.
 */
export function connect(manager: PeerManager, options: { host: string; port: number; theirNodeId: NodeId }): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: options.host, port: options.port });
    const failed = (e: Error) => reject(new PeerError('connect_failed', `cannot connect to ${options.host}:${options.port}: ${e.message}`, { cause: e }));
    socket.once('error', failed);
    socket.once('connect', () => {
      socket.off('error', failed);
      const d = attach(manager, socket, (desc) => manager.newOutboundConnection(options.theirNodeId, desc, { host: options.host, port: options.port }));
      if (d === undefined) reject(new PeerError('connect_failed', 'the PeerManager refused the connection'));
      else resolve();
    });
  });
}
