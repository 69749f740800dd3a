// A PeerManager speaking BOLT 8 over WebSocket reaches a PeerManager listening
// on plain TCP through the proxy: handshake, init and pings end to end.
import { afterAll, describe, expect, it } from '@jest/globals';
import native from 'secp256k1';
import { WebSocket } from 'ws';
import { createNativeSecp256k1Backend } from 'ln-crypto';
import { localEcdh } from 'ln-noise';
import { publicKey, toHex } from 'ln-types';
import { PeerManager, connectWebSocket, type WebSocketConstructor } from 'ln-peer';
import { listen } from 'ln-peer/net';
import { startProxy, type RunningProxy } from '../src/index.js';

const secp256k1 = createNativeSecp256k1Backend(native);
function manager(n: number): PeerManager {
  const secret = new Uint8Array(32).fill(n);
  return new PeerManager({ localPublicKey: publicKey(secp256k1.publicKeyCreate(secret)), ecdh: localEcdh(secret, secp256k1), secp256k1 });
}
async function until(condition: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

let proxy: RunningProxy | undefined;
afterAll(() => proxy?.close());

describe('BOLT 8 through ln-ws-proxy', () => {
  it('a WebSocket client and a TCP node handshake, exchange init and pings', async () => {
    const node = manager(3);
    const listener = await listen(node, { port: 0 });
    proxy = await startProxy({ port: 0, allow: [`127.0.0.1:${listener.port}`] });
    const browser = manager(4);
    await connectWebSocket(browser, {
      url: `ws://127.0.0.1:${proxy.port}/127.0.0.1:${listener.port}`,
      theirNodeId: node.nodeId,
      WebSocket: WebSocket as unknown as WebSocketConstructor,
    });
    await until(() => browser.listPeers().length === 1 && node.listPeers().length === 1);
    expect(toHex(node.listPeers()[0]!.nodeId)).toBe(toHex(browser.nodeId));
    browser.timerTickOccurred();
    browser.processEvents();
    await until(() => browser.listPeers()[0]!.pongsReceived === 1);
    browser.disconnectAllPeers();
    await until(() => node.connectionCount === 0 && proxy!.connections() === 0);
    await listener.close();
  });
});
