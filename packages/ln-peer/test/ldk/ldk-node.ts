// A minimal LDK node (rust-lightning 0.1 compiled to WebAssembly, npm
// `lightningdevkit`) with its own TCP glue, used as an independent peer.
// It has no channels: ErroringMessageHandler for channel messages and
// IgnoringMessageHandler for the rest, as LDK's own examples do.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as net from 'node:net';
import * as ldk from 'lightningdevkit';

let initialized: Promise<void> | undefined;

/** Loads the WebAssembly module once per process. */
export function initLdk(): Promise<void> {
  initialized ??= (async () => {
    const wasm = readFileSync(createRequire(import.meta.url).resolve('lightningdevkit/liblightningjs.wasm'));
    await ldk.initializeWasmFromBinary(wasm);
  })();
  return initialized;
}

export interface LdkNode {
  readonly nodeId: Uint8Array;
  readonly peerManager: ldk.PeerManager;
  /** LDK's debug log lines (it gives disconnect reasons only there). */
  readonly logs: string[];
  /** Connected peers (init exchanged), by node id hex. */
  peers(): string[];
  listen(): Promise<{ port: number; close(): void }>;
  connect(port: number, theirNodeId: Uint8Array): Promise<void>;
  tick(): void;
  stop(): void;
}

let nextId = 1n;

export function createLdkNode(seedByte: number): LdkNode {
  const logs: string[] = [];
  const logger = ldk.Logger.new_impl({
    log(record: ldk.Record) {
      logs.push(`${record.get_module_path()}: ${record.get_args()}`);
    },
  });
  const seed = new Uint8Array(32).fill(seedByte);
  const keys = ldk.KeysManager.constructor_new(seed, BigInt(Math.floor(Date.now() / 1000)), 0);
  const nodeIdResult = keys.as_NodeSigner().get_node_id(ldk.Recipient.LDKRecipient_Node);
  if (!(nodeIdResult instanceof ldk.Result_PublicKeyNoneZ_OK)) throw new Error('LDK gave no node id');
  const ignorer = ldk.IgnoringMessageHandler.constructor_new();
  const erroring = ldk.ErroringMessageHandler.constructor_new();
  const pm = ldk.PeerManager.constructor_new(
    erroring.as_ChannelMessageHandler(),
    ignorer.as_RoutingMessageHandler(),
    ignorer.as_OnionMessageHandler(),
    ignorer.as_CustomMessageHandler(),
    Math.floor(Date.now() / 1000),
    keys.as_EntropySource().get_secure_random_bytes(),
    logger,
    keys.as_NodeSigner(),
  );
  const sockets = new Set<net.Socket>();
  const servers = new Set<net.Server>();

  function attach(socket: net.Socket): ldk.SocketDescriptor {
    sockets.add(socket);
    const id = nextId++;
    const descriptor = ldk.SocketDescriptor.new_impl({
      send_data(data: Uint8Array, resumeRead: boolean): number {
        if (resumeRead) socket.resume();
        if (socket.destroyed) return 0;
        socket.write(data);
        return data.length;
      },
      disconnect_socket(): void {
        socket.destroy();
      },
      eq(other: ldk.SocketDescriptor): boolean {
        return other.hash() === id;
      },
      hash(): bigint {
        return id;
      },
    });
    socket.on('data', (chunk: Uint8Array) => {
      const result = pm.read_event(descriptor, new Uint8Array(chunk));
      if (result instanceof ldk.Result_boolPeerHandleErrorZ_OK) {
        if (result.res) socket.pause();
      } else {
        socket.destroy();
      }
      pm.process_events();
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      sockets.delete(socket);
      pm.socket_disconnected(descriptor);
    });
    return descriptor;
  }

  return {
    nodeId: nodeIdResult.res,
    peerManager: pm,
    logs,
    peers: () => pm.list_peers().map((p) => Buffer.from(p.get_counterparty_node_id()).toString('hex')),
    listen() {
      return new Promise((resolve) => {
        const server = net.createServer((socket) => {
          const d = attach(socket);
          const r = pm.new_inbound_connection(d, ldk.Option_SocketAddressZ.constructor_none());
          if (!(r instanceof ldk.Result_NonePeerHandleErrorZ_OK)) socket.destroy();
        });
        servers.add(server);
        server.listen(0, '127.0.0.1', () => resolve({ port: (server.address() as net.AddressInfo).port, close: () => server.close() }));
      });
    },
    connect(port, theirNodeId) {
      return new Promise((resolve, reject) => {
        const socket = net.connect({ host: '127.0.0.1', port });
        socket.once('error', reject);
        socket.once('connect', () => {
          const d = attach(socket);
          const r = pm.new_outbound_connection(theirNodeId, d, ldk.Option_SocketAddressZ.constructor_none());
          if (r instanceof ldk.Result_CVec_u8ZPeerHandleErrorZ_OK) {
            socket.write(r.res);
            resolve();
          } else {
            socket.destroy();
            reject(new Error('LDK refused the outbound connection'));
          }
        });
      });
    },
    tick() {
      pm.timer_tick_occurred();
      pm.process_events();
    },
    stop() {
      pm.disconnect_all_peers();
      for (const s of sockets) s.destroy();
      for (const s of servers) s.close();
    },
  };
}
