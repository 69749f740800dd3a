// Over real TCP loopback: two nodes, then 200 concurrent peers.
import { describe, expect, test } from '@jest/globals';
import native from 'secp256k1';
import { createNativeSecp256k1Backend } from 'ln-crypto';
import { localEcdh } from 'ln-noise';
import { publicKey, toHex } from 'ln-types';
import { PeerManager } from '../src/index.js';
import { connect, listen } from '../src/net/index.js';

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

describe('ln-peer/net over TCP loopback', () => {
  test('two nodes connect, exchange init and pings, and disconnect', async () => {
    const server = manager(1);
    const client = manager(2);
    const listener = await listen(server, { port: 0 });
    await connect(client, { host: '127.0.0.1', port: listener.port, theirNodeId: server.nodeId });
    await until(() => client.listPeers().length === 1 && server.listPeers().length === 1);
    expect(toHex(server.listPeers()[0]!.nodeId)).toBe(toHex(client.nodeId));
    // init carried our address as the server saw it (BOLT 7 IPv4 descriptor).
    expect(client.listPeers()[0]!.init.remoteAddr?.[0]).toBe(1);
    for (let i = 1; i <= 3; i++) {
      client.timerTickOccurred();
      server.timerTickOccurred();
      await until(() => client.listPeers()[0]!.pongsReceived === i && server.listPeers()[0]!.pongsReceived === i);
    }
    client.disconnectAllPeers();
    await until(() => server.connectionCount === 0);
    await listener.close();
  });

  test('200 concurrent peers connect, handshake and exchange pings; a bad one is dropped alone', async () => {
    const hub = manager(1000, { limits: { maxInboundPeersWithoutChannels: 300 } });
    const listener = await listen(hub, { port: 0 });
    const clients = Array.from({ length: 200 }, (_, i) => manager(i + 1));
    await Promise.all(clients.map((c) => connect(c, { host: '127.0.0.1', port: listener.port, theirNodeId: hub.nodeId })));
    // A garbage-sending connection among them.
    const net = await import('node:net');
    const bad = net.connect({ host: '127.0.0.1', port: listener.port });
    await new Promise((r) => bad.once('connect', r));
    bad.write(new Uint8Array(50).fill(7));
    const badClosed = new Promise((r) => bad.once('close', r));
    await until(() => hub.listPeers().length === 200 && clients.every((c) => c.listPeers().length === 1), 60_000);
    await badClosed;
    hub.timerTickOccurred();
    for (const c of clients) c.timerTickOccurred();
    await until(() => clients.every((c) => c.listPeers()[0]!.pongsReceived === 1) && hub.listPeers().every((p) => p.pongsReceived === 1), 30_000);
    expect(hub.listPeers().length).toBe(200);
    hub.disconnectAllPeers();
    await until(() => clients.every((c) => c.connectionCount === 0), 30_000);
    await listener.close();
  });
});
