// Interop with LDK (rust-lightning in WebAssembly) over TCP loopback, with
// us as initiator and as responder: handshake, init, ping/pong both ways.
import { describe, expect, test, beforeAll } from '@jest/globals';
import { nobleSecp256k1 } from 'ln-crypto';
import { localEcdh } from 'ln-noise';
import { CHAIN_HASHES, publicKey, toHex, type NodeId } from 'ln-types';
import { featuresFromBits } from 'ln-wire';
import { PeerManager } from '../src/index.js';
import { connect, listen } from '../src/net/index.js';
import { createLdkNode, initLdk, type LdkNode } from './ldk/ldk-node.js';

// LDK drops a peer that does not support these (BOLT 9 ASSUMED features):
// option_data_loss_protect, var_onion_optin, option_static_remotekey, payment_secret.
const LDK_REQUIRED = featuresFromBits([1, 9, 13, 15]);

function ours(): PeerManager {
  const secret = new Uint8Array(32).fill(0x5a);
  return new PeerManager({
    localPublicKey: publicKey(nobleSecp256k1.publicKeyCreate(secret)),
    ecdh: localEcdh(secret),
    baseInitFeatures: LDK_REQUIRED,
    chains: [CHAIN_HASHES.regtest],
  });
}

async function until(what: string, condition: () => boolean, node: LdkNode, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; LDK said:\n${node.logs.slice(-20).join('\n')}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function exercise(us: PeerManager, node: LdkNode): Promise<void> {
  const ldkId = toHex(node.nodeId);
  await until('init exchange', () => us.listPeers().length === 1 && node.peers().includes(toHex(us.nodeId)), node);
  expect(toHex(us.listPeers()[0]!.nodeId)).toBe(ldkId);
  for (let i = 1; i <= 3; i++) {
    // Our ping: LDK answers it.
    us.timerTickOccurred();
    await until(`pong ${i} from LDK`, () => us.listPeers()[0]?.pongsReceived === i, node);
    // LDK's ping: we answer before its next tick, or it would disconnect us.
    node.tick();
    await new Promise((r) => setTimeout(r, 50));
  }
  node.tick();
  await new Promise((r) => setTimeout(r, 50));
  expect(node.peers()).toEqual([toHex(us.nodeId)]);
  expect(us.listPeers().length).toBe(1);
}

describe('interop with LDK 0.1 (WebAssembly) over TCP loopback', () => {
  beforeAll(async () => {
    await initLdk();
  });

  test('we initiate, LDK responds', async () => {
    const node = createLdkNode(7);
    const us = ours();
    const server = await node.listen();
    try {
      await connect(us, { host: '127.0.0.1', port: server.port, theirNodeId: publicKey(node.nodeId) as NodeId });
      await exercise(us, node);
    } finally {
      us.disconnectAllPeers();
      node.stop();
    }
  });

  test('LDK initiates, we respond', async () => {
    const node = createLdkNode(8);
    const us = ours();
    const listener = await listen(us, { port: 0 });
    try {
      await node.connect(listener.port, us.nodeId);
      await exercise(us, node);
    } finally {
      us.disconnectAllPeers();
      node.stop();
      await listener.close();
    }
  });

  test('a feature we require and LDK lacks: both sides drop the connection, LDK naming the bit', async () => {
    const node = createLdkNode(9);
    const secret = new Uint8Array(32).fill(0x5b);
    // option_onion_messages (38) as required: this LDK node has no onion-message handler.
    const strict = new PeerManager({
      localPublicKey: publicKey(nobleSecp256k1.publicKeyCreate(secret)),
      ecdh: localEcdh(secret),
      baseInitFeatures: featuresFromBits([1, 9, 13, 15, 38]),
    });
    const server = await node.listen();
    try {
      await connect(strict, { host: '127.0.0.1', port: server.port, theirNodeId: publicKey(node.nodeId) as NodeId });
      await until('the connection to close', () => strict.connectionCount === 0 && node.peers().length === 0, node);
      expect(node.logs.some((l) => l.includes('requires features unknown to us: [38]'))).toBe(true);
    } finally {
      node.stop();
    }
  });
});
