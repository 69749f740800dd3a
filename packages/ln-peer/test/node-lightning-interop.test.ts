// Over TCP loopback against @node-lightning/noise's NoiseSocket/NoiseServer (an
// independent BOLT 8 implementation with its own socket handling), in both
// roles. The other side speaks just enough BOLT 1 by hand: it answers our init
// with an empty init and our pings with pongs.
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { describe, expect, test } from '@jest/globals';
import { nobleSecp256k1 } from 'ln-crypto';
import { localEcdh } from 'ln-noise';
import { publicKey, toHex } from 'ln-types';
import { PeerManager } from '../src/index.js';
import { connect, listen } from '../src/net/index.js';

interface TheirSocket extends Duplex {
  rpk: Buffer;
}
const noise = createRequire(import.meta.url)('@node-lightning/noise') as {
  connect(o: { ls: Buffer; rpk: Buffer; host: string; port: number }): TheirSocket;
  createServer(o: { ls: Buffer }, onSocket: (s: TheirSocket) => void): { listen(o: { host: string; port: number }, cb: () => void): void; address(): { port: number }; close(): void };
};

const theirKey = randomBytes(32);
const theirPub = nobleSecp256k1.publicKeyCreate(new Uint8Array(theirKey));

/** Plays the BOLT 1 part by hand; records the message types it received. */
function speakBolt1(socket: TheirSocket): number[] {
  const seen: number[] = [];
  socket.on('data', (m: Buffer) => {
    const type = m.readUInt16BE(0);
    seen.push(type);
    if (type === 16) socket.write(Buffer.from([0, 16, 0, 0, 0, 0]));
    if (type === 18) {
      const n = m.readUInt16BE(2);
      const pong = Buffer.alloc(4 + n);
      pong.writeUInt16BE(19, 0);
      pong.writeUInt16BE(n, 2);
      socket.write(pong);
    }
  });
  socket.on('error', () => undefined);
  return seen;
}

function ours(): PeerManager {
  const secret = new Uint8Array(32).fill(0x33);
  return new PeerManager({ localPublicKey: publicKey(nobleSecp256k1.publicKeyCreate(secret)), ecdh: localEcdh(secret) });
}

async function until(condition: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function exercise(us: PeerManager, seen: number[]): Promise<void> {
  await until(() => us.listPeers().length === 1);
  expect(toHex(us.listPeers()[0]!.nodeId)).toBe(toHex(theirPub));
  for (let i = 1; i <= 3; i++) {
    us.timerTickOccurred();
    await until(() => us.listPeers()[0]?.pongsReceived === i);
  }
  expect(seen.filter((t) => t === 16).length).toBe(1);
  expect(seen.filter((t) => t === 18).length).toBe(3);
}

describe('interop with @node-lightning/noise over TCP loopback', () => {
  test('we connect to their NoiseServer', async () => {
    const us = ours();
    let seen: number[] = [];
    let theirSocket: TheirSocket | undefined;
    const server = noise.createServer({ ls: theirKey }, (s) => {
      theirSocket = s;
      seen = speakBolt1(s);
    });
    await new Promise<void>((r) => server.listen({ host: '127.0.0.1', port: 0 }, r));
    await connect(us, { host: '127.0.0.1', port: server.address().port, theirNodeId: publicKey(theirPub) });
    await exercise(us, seen);
    expect(theirSocket!.rpk.toString('hex')).toBe(toHex(us.nodeId));
    us.disconnectAllPeers();
    server.close();
  });

  test('their NoiseSocket connects to us', async () => {
    const us = ours();
    const listener = await listen(us, { port: 0 });
    const socket = noise.connect({ ls: theirKey, rpk: Buffer.from(us.nodeId), host: '127.0.0.1', port: listener.port });
    const seen = speakBolt1(socket);
    await exercise(us, seen);
    socket.destroy();
    await until(() => us.connectionCount === 0);
    await listener.close();
  });
});
