// Outbound connections that cannot open reject with a typed PeerError, over TCP and WebSocket.
import { createServer } from 'node:net';
import { describe, expect, test } from '@jest/globals';
import { WebSocket } from 'ws';
import { nobleSecp256k1 } from 'ln-crypto';
import { localEcdh } from 'ln-noise';
import { publicKey } from 'ln-types';
import { connectWebSocket, PeerError, PeerManager } from '../src/index.js';
import { connect } from '../src/net/index.js';

const secret = new Uint8Array(32).fill(7);
const manager = () => new PeerManager({ localPublicKey: publicKey(nobleSecp256k1.publicKeyCreate(secret)), ecdh: localEcdh(secret) });
const them = publicKey(nobleSecp256k1.publicKeyCreate(new Uint8Array(32).fill(8)));

/** A local port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('connection failures', () => {
  test('TCP to a closed port: PeerError connect_failed', async () => {
    const port = await closedPort();
    const error = await connect(manager(), { host: '127.0.0.1', port, theirNodeId: them }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PeerError);
    expect(error).toMatchObject({ code: 'connect_failed' });
  });

  test('WebSocket to a closed port: PeerError connect_failed', async () => {
    const port = await closedPort();
    const error = await connectWebSocket(manager(), { url: `ws://127.0.0.1:${port}`, theirNodeId: them, WebSocket: WebSocket as never }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PeerError);
    expect(error).toMatchObject({ code: 'connect_failed' });
  });

  test('no WebSocket implementation: PeerError invalid_option', async () => {
    const global = globalThis as { WebSocket?: unknown };
    const saved = global.WebSocket;
    delete global.WebSocket;
    try {
      await expect(connectWebSocket(manager(), { url: 'ws://127.0.0.1:1', theirNodeId: them })).rejects.toMatchObject({ code: 'invalid_option' });
    } finally {
      if (saved !== undefined) global.WebSocket = saved;
    }
  });
});
