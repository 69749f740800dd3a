import * as net from 'node:net';
import * as ldk from 'lightningdevkit';
import { LdkNodeError } from './errors.js';
import { type ConnectionHost, PeerConnection } from './connection.js';

/** A listening TCP server of a node. */
export interface Listener {
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

function socketTransport(socket: net.Socket) {
  return {
    write: (data: Uint8Array) => void socket.write(data),
    pause: () => void socket.pause(),
    resume: () => void socket.resume(),
    close: () => void socket.destroy(),
  };
}

function wire(host: ConnectionHost, socket: net.Socket, sockets: Set<net.Socket>): PeerConnection {
  sockets.add(socket);
  socket.setNoDelay(true);
  const connection = new PeerConnection(host, socketTransport(socket));
  socket.on('data', (chunk: Uint8Array) => connection.received(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength)));
  socket.on('error', () => undefined);
  socket.on('close', () => {
    sockets.delete(socket);
    connection.transportClosed();
  });
  return connection;
}

/** Accepts BOLT 8 connections on `host:port` (port 0: any free port). */
export function listenTcp(host: ConnectionHost, sockets: Set<net.Socket>, options: { host?: string; port?: number } = {}): Promise<Listener> {
  const bindHost = options.host ?? '127.0.0.1';
  return new Promise((resolve, reject) => {
    const server = net.createServer((socket) => {
      const connection = wire(host, socket, sockets);
      const r = host.peerManager.new_inbound_connection(connection.descriptor, ldk.Option_SocketAddressZ.constructor_none());
      if (!(r instanceof ldk.Result_NonePeerHandleErrorZ_OK)) socket.destroy();
    });
    server.once('error', reject);
    server.listen(options.port ?? 0, bindHost, () => {
      const port = (server.address() as net.AddressInfo).port;
      resolve({
        host: bindHost,
        port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
          }),
      });
    });
  });
}

/** Opens a BOLT 8 connection to `theirNodeId` at `host:port` (LDK sends act one). */
export function connectTcp(host: ConnectionHost, sockets: Set<net.Socket>, theirNodeId: Uint8Array, address: { host: string; port: number }): Promise<PeerConnection> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: address.host, port: address.port });
    socket.once('error', (e) => reject(new LdkNodeError('not_found', `cannot connect to ${address.host}:${address.port}: ${e.message}`)));
    socket.once('connect', () => {
      const connection = wire(host, socket, sockets);
      const r = host.peerManager.new_outbound_connection(theirNodeId, connection.descriptor, ldk.Option_SocketAddressZ.constructor_none());
      if (!(r instanceof ldk.Result_CVec_u8ZPeerHandleErrorZ_OK)) {
        socket.destroy();
        reject(new LdkNodeError('ldk_refused', 'LDK refused the outbound connection'));
        return;
      }
      socket.write(r.res.slice());
      resolve(connection);
    });
  });
}
