// The same PeerManager scenarios over real TCP loopback and over WebSocket:
// two nodes, then 200 concurrent peers with a garbage-sending one among them.
import { describe, expect, test } from '@jest/globals';
import native from 'secp256k1';
import { WebSocket } from 'ws';
import { createNativeSecp256k1Backend } from 'ln-crypto';
import { localEcdh } from 'ln-noise';
import { publicKey, toHex } from 'ln-types';
import { messageHandlers, type MessageHandlers, type MessageSendEvent } from 'ln-peer-api';
import { featuresFromBits } from 'ln-wire';
import { PeerManager } from '../src/index.js';
import { listenWebSocket } from '../src/ws-server/index.js';
import { tcp, websocket, type TestTransport } from './transports.js';

const secp256k1 = createNativeSecp256k1Backend(native);

function manager(n: number, extra: Partial<ConstructorParameters<typeof PeerManager>[0]> = {}): PeerManager {
  const secret = new Uint8Array(32);
  secret[31] = n & 0xff;
  secret[30] = n >> 8;
  secret[0] = 1;
  return new PeerManager({ localPublicKey: publicKey(secp256k1.publicKeyCreate(secret)), ecdh: localEcdh(secret, secp256k1), secp256k1, ...extra });
}

async function until(condition: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe.each<[string, TestTransport]>([
  ['TCP', tcp],
  ['WebSocket', websocket],
])('PeerManager over %s', (_name, transport) => {
  test('two nodes connect, exchange init and pings, and disconnect', async () => {
    const server = manager(1);
    const client = manager(2);
    const endpoint = await transport.listen(server);
    await endpoint.dial(client, server.nodeId);
    await until(() => client.listPeers().length === 1 && server.listPeers().length === 1);
    expect(toHex(server.listPeers()[0]!.nodeId)).toBe(toHex(client.nodeId));
    for (let i = 1; i <= 3; i++) {
      client.timerTickOccurred();
      server.timerTickOccurred();
      client.processEvents();
      server.processEvents();
      await until(() => client.listPeers()[0]!.pongsReceived === i && server.listPeers()[0]!.pongsReceived === i);
    }
    client.disconnectAllPeers();
    await until(() => server.connectionCount === 0);
    await endpoint.close();
  });

  test('messages of every size up to 65535 bytes arrive whole and in order, both ways', async () => {
    const inbox = (received: { typeId: number; payload: Uint8Array }[], queue: MessageSendEvent[]): Partial<MessageHandlers> => ({
      custom: {
        ...messageHandlers().custom,
        handlesType: (t) => t === 32769,
        handleMessage: (_peer, typeId, payload) => received.push({ typeId, payload: payload.slice() }),
        getAndClearPendingMsgEvents: () => queue.splice(0),
      },
    });
    const atServer: { typeId: number; payload: Uint8Array }[] = [];
    const atClient: { typeId: number; payload: Uint8Array }[] = [];
    const serverQueue: MessageSendEvent[] = [];
    const clientQueue: MessageSendEvent[] = [];
    const server = manager(11, { handlers: inbox(atServer, serverQueue) });
    const client = manager(12, { handlers: inbox(atClient, clientQueue) });
    const endpoint = await transport.listen(server);
    await endpoint.dial(client, server.nodeId);
    await until(() => client.listPeers().length === 1 && server.listPeers().length === 1);
    // The largest body a message can have is 65535 bytes: 2 of type, 65533 of payload.
    const sizes = [0, 1, 2, 100, 1000, 4096, 65533, 17, 65533, 300];
    const payloads = sizes.map((n, i) => Uint8Array.from({ length: n }, (_, k) => (k * 31 + i) & 0xff));
    const raw = (p: Uint8Array) => Uint8Array.of(0x80, 0x01, ...p);
    for (const p of payloads) clientQueue.push({ kind: 'send_raw', nodeId: server.nodeId, bytes: raw(p) });
    for (const p of [...payloads].reverse()) serverQueue.push({ kind: 'send_raw', nodeId: client.nodeId, bytes: raw(p) });
    client.processEvents();
    server.processEvents();
    await until(() => atServer.length === payloads.length && atClient.length === payloads.length, 30_000);
    expect(atServer.map((m) => m.payload)).toEqual(payloads);
    expect(atClient.map((m) => m.payload)).toEqual([...payloads].reverse());
    expect(server.listPeers().length).toBe(1);
    client.disconnectAllPeers();
    await until(() => server.connectionCount === 0);
    await endpoint.close();
  }, 60_000);

  test('init negotiation: a peer requiring a feature we do not know is refused on both sides', async () => {
    const server = manager(21);
    const client = manager(22, { baseInitFeatures: featuresFromBits([100]) });
    const endpoint = await transport.listen(server);
    await endpoint.dial(client, server.nodeId);
    await until(() => server.connectionCount === 0 && client.connectionCount === 0);
    expect(server.listPeers()).toEqual([]);
    expect(client.listPeers()).toEqual([]);
    // The server is still fine for others.
    const other = manager(23);
    await endpoint.dial(other, server.nodeId);
    await until(() => server.listPeers().length === 1 && other.listPeers().length === 1);
    other.disconnectAllPeers();
    await endpoint.close();
  });

  test('200 concurrent peers connect, handshake and exchange pings; a bad one is dropped alone', async () => {
    const hub = manager(1000, { limits: { maxInboundPeersWithoutChannels: 300 } });
    const endpoint = await transport.listen(hub);
    const clients = Array.from({ length: 200 }, (_, i) => manager(i + 1));
    await Promise.all(clients.map((c) => endpoint.dial(c, hub.nodeId)));
    await endpoint.sendGarbage(new Uint8Array(50).fill(7));
    await until(() => hub.listPeers().length === 200 && clients.every((c) => c.listPeers().length === 1), 60_000);
    hub.timerTickOccurred();
    hub.processEvents();
    for (const c of clients) {
      c.timerTickOccurred();
      c.processEvents();
    }
    await until(() => clients.every((c) => c.listPeers()[0]!.pongsReceived === 1) && hub.listPeers().every((p) => p.pongsReceived === 1), 30_000);
    expect(hub.listPeers().length).toBe(200);
    hub.disconnectAllPeers();
    await until(() => clients.every((c) => c.connectionCount === 0), 30_000);
    await endpoint.close();
  }, 120_000);
});

describe('WebSocket specifics', () => {
  test('a text frame closes that connection only', async () => {
    const server = manager(7);
    const listener = await listenWebSocket(server, { port: 0 });
    const ws = new WebSocket(listener.url);
    await new Promise((r) => ws.once('open', r));
    const code = new Promise<number>((r) => ws.once('close', (c) => r(c)));
    ws.send('hello');
    expect(await code).toBe(1003);
    await until(() => server.connectionCount === 0);
    await listener.close();
  });
});
