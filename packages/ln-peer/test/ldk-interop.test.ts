// Interop with LDK (rust-lightning in WebAssembly) over TCP loopback, with
// us as initiator and as responder: handshake, init, ping/pong both ways.
import { describe, expect, test } from '@jest/globals';
import { nobleSecp256k1 } from 'ln-crypto';
import { localEcdh } from 'ln-noise';
import { LdkNode } from 'ln-ldk-node';
import { CHAIN_HASHES, publicKey, toHex, type NodeId } from 'ln-types';
import { featuresFromBits } from 'ln-wire';
import { PeerManager } from '../src/index.js';
import { connect, listen } from '../src/net/index.js';

/** A peer-only LDK node (no ChannelManager), or one with its channel handler (LDK's full peer checks). */
function createLdkNode(seedByte: number, options: { withChannels?: boolean } = {}): Promise<LdkNode> {
  return LdkNode.create({ name: `ldk-${seedByte}`, seed: new Uint8Array(32).fill(seedByte), channels: options.withChannels === true });
}

// LDK drops a peer that does not support these (BOLT 9 ASSUMED features):
// option_data_loss_protect, var_onion_optin, option_static_remotekey, payment_secret.
const LDK_REQUIRED = featuresFromBits([1, 9, 13, 15]);

function ours(features = LDK_REQUIRED, chains = [CHAIN_HASHES.regtest]): PeerManager {
  const secret = new Uint8Array(32).fill(0x5a);
  return new PeerManager({
    localPublicKey: publicKey(nobleSecp256k1.publicKeyCreate(secret)),
    ecdh: localEcdh(secret),
    baseInitFeatures: features,
    chains,
  });
}

async function until(what: string, condition: () => boolean, node: LdkNode, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; LDK said:\n${node.log.tail(20).join('\n')}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function exercise(us: PeerManager, node: LdkNode): Promise<void> {
  const ldkId = toHex(node.nodeId);
  const pongsAtLdk = () => node.log.grep('Received message Pong').length;
  await until('init exchange', () => us.listPeers().length === 1 && node.isConnected(us.nodeId), node);
  expect(toHex(us.listPeers()[0]!.nodeId)).toBe(ldkId);
  for (let i = 1; i <= 3; i++) {
    // Our ping: LDK answers it.
    us.timerTickOccurred();
    await until(`pong ${i} from LDK`, () => us.listPeers()[0]?.pongsReceived === i, node);
    // LDK's ping: we answer before its next tick, or it would disconnect us.
    const before = pongsAtLdk();
    node.tick();
    await until(`our pong ${i} at LDK`, () => pongsAtLdk() > before, node);
  }
  node.tick();
  await until('LDK to keep us after its ticks', () => pongsAtLdk() >= 4, node);
  expect(node.peers().map(toHex)).toEqual([toHex(us.nodeId)]);
  expect(us.listPeers().length).toBe(1);
}

describe('interop with LDK 0.1 (WebAssembly) over TCP loopback', () => {
  test('we initiate, LDK responds', async () => {
    const node = await createLdkNode(7);
    const us = ours();
    const server = await node.listen();
    try {
      await connect(us, { host: '127.0.0.1', port: server.port, theirNodeId: publicKey(node.nodeId) as NodeId });
      await exercise(us, node);
    } finally {
      us.disconnectAllPeers();
      await node.stop();
    }
  });

  test('LDK initiates, we respond', async () => {
    const node = await createLdkNode(8);
    const us = ours();
    const listener = await listen(us, { port: 0 });
    try {
      await node.connect(us.nodeId, { port: listener.port });
      await exercise(us, node);
    } finally {
      us.disconnectAllPeers();
      await node.stop();
      await listener.close();
    }
  });

  test('a feature we require and LDK lacks: both sides drop the connection, LDK naming the bit', async () => {
    const node = await createLdkNode(9);
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
      expect(node.log.grep('requires features unknown to us: [38]').length).toBeGreaterThan(0);
    } finally {
      await node.stop();
    }
  });

  describe('LDK with a ChannelManager on regtest (its full peer checks)', () => {
    test('we initiate with the features and chain it wants: init, pings both ways', async () => {
      const node = await createLdkNode(10, { withChannels: true });
      const us = ours();
      const server = await node.listen();
      try {
        await connect(us, { host: '127.0.0.1', port: server.port, theirNodeId: publicKey(node.nodeId) as NodeId });
        await exercise(us, node);
        // LDK's channel handler announces regtest in its init, in internal byte order.
        expect(us.listPeers()[0]!.init.networks?.map(toHex)).toEqual([toHex(CHAIN_HASHES.regtest)]);
      } finally {
        us.disconnectAllPeers();
        await node.stop();
      }
    });

    test('LDK initiates to us: init, pings both ways', async () => {
      const node = await createLdkNode(11, { withChannels: true });
      const us = ours();
      const listener = await listen(us, { port: 0 });
      try {
        await node.connect(us.nodeId, { port: listener.port });
        await exercise(us, node);
      } finally {
        us.disconnectAllPeers();
        await node.stop();
        await listener.close();
      }
    });

    test('without feature bits 0/1, 8/9, 12/13, 14/15 LDK drops us', async () => {
      const node = await createLdkNode(12, { withChannels: true });
      const us = ours(new Uint8Array(0));
      const server = await node.listen();
      try {
        await connect(us, { host: '127.0.0.1', port: server.port, theirNodeId: publicKey(node.nodeId) as NodeId });
        await until('LDK to drop us', () => us.connectionCount === 0, node);
        expect(node.peers()).toEqual([]);
      } finally {
        await node.stop();
      }
    });

    test('on another chain (mainnet networks): the connection is dropped', async () => {
      const node = await createLdkNode(13, { withChannels: true });
      const us = ours(LDK_REQUIRED, [CHAIN_HASHES.bitcoin]);
      const server = await node.listen();
      try {
        await connect(us, { host: '127.0.0.1', port: server.port, theirNodeId: publicKey(node.nodeId) as NodeId });
        await until('the connection to drop', () => us.connectionCount === 0, node);
        expect(node.peers()).toEqual([]);
      } finally {
        await node.stop();
      }
    });
  });
});
