import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { messageHandlers, type ChannelMessageHandler, type CustomMessageHandler, type MessageSendEvent, type RoutingMessageHandler } from 'ln-peer-api';
import { ALL_CHANNELS, CHAIN_HASHES, channelId, toHex, utf8ToBytes, type NodeId } from 'ln-types';
import { featuresFromBits, type ErrorMessage, type Message } from 'ln-wire';
import { PeerError } from '../src/index.js';
import { connect, makeManager, memoryLogger, pump, socketPair } from './harness.js';

const runs = process.env.LN_LONG_TESTS === '1' ? 200 : 15;

/** A handler recording what it gets and sending what the test queues. */
function recordingHandlers() {
  const received: { peer: string; message: Message | { typeId: number } }[] = [];
  const errors: ErrorMessage[] = [];
  const connected: string[] = [];
  const disconnected: string[] = [];
  const queue: MessageSendEvent[] = [];
  const base = {
    peerConnected: (peer: NodeId) => {
      connected.push(toHex(peer));
    },
    peerDisconnected: (peer: NodeId) => {
      disconnected.push(toHex(peer));
    },
    provideInitFeatures: () => new Uint8Array(0),
    provideNodeFeatures: () => new Uint8Array(0),
    getAndClearPendingMsgEvents: () => queue.splice(0),
  };
  const channel: ChannelMessageHandler = {
    ...base,
    handleMessage: (peer, message) => received.push({ peer: toHex(peer), message }),
    handleError: (_peer, message) => errors.push(message),
    hasChannelsWith: () => false,
  };
  const routing: RoutingMessageHandler = { ...messageHandlers().routing, getAndClearPendingMsgEvents: () => queue.splice(0) };
  const custom: CustomMessageHandler = {
    ...messageHandlers().custom,
    handlesType: (t) => t === 32769 || t === 32770,
    handleMessage: (peer, typeId) => received.push({ peer: toHex(peer), message: { typeId } }),
  };
  return { channel, routing, custom, received, errors, connected, disconnected, queue };
}

describe('PeerManager between two in-memory nodes', () => {
  test('connects, handshakes, exchanges init, pings on ticks and disconnects', () => {
    const alice = makeManager(1);
    const bob = makeManager(2);
    const [a, b] = connect(alice, bob);
    expect(alice.listPeers().map((p) => toHex(p.nodeId))).toEqual([toHex(bob.nodeId)]);
    expect(bob.listPeers().map((p) => [toHex(p.nodeId), p.inbound])).toEqual([[toHex(alice.nodeId), true]]);
    for (let i = 0; i < 3; i++) {
      alice.timerTickOccurred();
      bob.timerTickOccurred();
      pump([a, b]);
    }
    expect(alice.listPeers()[0]!.pingsSent).toBe(3);
    expect(alice.listPeers()[0]!.pongsReceived).toBe(3);
    expect(bob.listPeers()[0]!.pongsReceived).toBe(3);
    alice.disconnectByNodeId(bob.nodeId);
    pump([a, b]);
    expect(alice.listPeers()).toEqual([]);
    expect(bob.listPeers()).toEqual([]);
    expect(bob.connectionCount).toBe(0);
  });

  test('any chunking of the byte streams gives the same connection', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 80 }), { minLength: 1, maxLength: 10 }), (sizes) => {
        let i = 0;
        const alice = makeManager(1);
        const bob = makeManager(2);
        const [a, b] = connect(alice, bob, () => sizes[i++ % sizes.length]!);
        alice.timerTickOccurred();
        pump([a, b], () => sizes[i++ % sizes.length]!);
        expect(alice.listPeers()[0]?.pongsReceived).toBe(1);
        expect(bob.listPeers().length).toBe(1);
      }),
      { numRuns: runs },
    );
  });

  test('an asynchronous ECDH (remote signer) works on both sides', async () => {
    const { nobleSecp256k1 } = await import('ln-crypto');
    const { localEcdh } = await import('ln-noise');
    const slow = (n: number) => {
      const f = localEcdh(new Uint8Array(32).fill(n));
      return (p: Uint8Array) => new Promise<Uint8Array>((resolve) => setTimeout(() => resolve(f(p) as Uint8Array), 2));
    };
    const { PeerManager } = await import('../src/index.js');
    const { publicKey } = await import('ln-types');
    const mk = (n: number) => new PeerManager({ localPublicKey: publicKey(nobleSecp256k1.publicKeyCreate(new Uint8Array(32).fill(n))), ecdh: slow(n) });
    const alice = mk(1);
    const bob = mk(2);
    const [a, b] = socketPair(alice, bob);
    bob.newInboundConnection(b);
    alice.newOutboundConnection(bob.nodeId, a);
    for (let i = 0; i < 500 && alice.listPeers().length === 0; i++) {
      pump([a, b]);
      await new Promise((r) => setTimeout(r, 10));
    }
    pump([a, b]);
    expect(alice.listPeers().length).toBe(1);
    expect(bob.listPeers().length).toBe(1);
  });
});

describe('asynchronous ECDH failures', () => {
  test('a signer that rejects drops that connection only', async () => {
    const { nobleSecp256k1 } = await import('ln-crypto');
    const { PeerManager } = await import('../src/index.js');
    const { publicKey } = await import('ln-types');
    const secret = new Uint8Array(32).fill(9);
    const broken = new PeerManager({
      localPublicKey: publicKey(nobleSecp256k1.publicKeyCreate(secret)),
      ecdh: () => Promise.reject(new Error('signer offline')),
    });
    const [a, b] = socketPair(makeManager(1), broken);
    broken.newInboundConnection(b);
    a.manager.newOutboundConnection(broken.nodeId, a);
    pump([a, b]);
    await new Promise((r) => setTimeout(r, 10));
    pump([a, b]);
    expect(b.closed).toBe(true);
    expect(broken.connectionCount).toBe(0);
  });
});

describe('init and feature negotiation', () => {
  const mainnet = CHAIN_HASHES.bitcoin;
  const regtest = CHAIN_HASHES.regtest;

  test('networks: a common chain connects, disjoint chains disconnect', () => {
    expect(connect(makeManager(1, { chains: [regtest] }), makeManager(2, { chains: [regtest, mainnet] }))[0].closed).toBe(false);
    const logger = memoryLogger();
    const [a] = connect(makeManager(1, { chains: [mainnet], logger }), makeManager(2, { chains: [regtest] }));
    expect(a.closed).toBe(true);
    expect(logger.records.some((r) => r.message.includes('none of our chains'))).toBe(true);
  });

  test('a peer requiring a feature we do not know is refused; an odd unknown one is fine', () => {
    const [a] = connect(makeManager(1), makeManager(2, { baseInitFeatures: featuresFromBits([100]) }));
    expect(a.closed).toBe(true);
    const [c] = connect(makeManager(1), makeManager(2, { baseInitFeatures: featuresFromBits([101]) }));
    expect(c.closed).toBe(false);
  });

  test('a peer lacking a feature we require is refused; one offering it optionally is accepted', () => {
    const [a] = connect(makeManager(1, { baseInitFeatures: featuresFromBits([14]) }), makeManager(2));
    expect(a.closed).toBe(true);
    const [c] = connect(makeManager(1, { baseInitFeatures: featuresFromBits([14]) }), makeManager(2, { baseInitFeatures: featuresFromBits([15]) }));
    expect(c.closed).toBe(false);
  });

  test('a feature set without its dependency is refused (basic_mpp without payment_secret)', () => {
    const [a] = connect(makeManager(1, { baseInitFeatures: featuresFromBits([17]) }), makeManager(2, { baseInitFeatures: featuresFromBits([17]) }));
    expect(a.closed).toBe(true);
  });

  test('handlers see the peer features and announce connection and disconnection', () => {
    const h = recordingHandlers();
    const alice = makeManager(1, { handlers: { channel: h.channel }, baseInitFeatures: featuresFromBits([1, 15]) });
    const bob = makeManager(2, { baseInitFeatures: featuresFromBits([1, 14]) });
    const [a, b] = connect(alice, bob);
    expect(h.connected).toEqual([toHex(bob.nodeId)]);
    expect(toHex(alice.listPeers()[0]!.init.features)).toBe(toHex(featuresFromBits([1, 14])));
    bob.disconnectAllPeers();
    pump([a, b]);
    expect(h.disconnected).toEqual([toHex(bob.nodeId)]);
  });
});

describe('handler features and lifecycle', () => {
  test("every handler's init features are merged into our init", () => {
    const channel = { ...messageHandlers().channel, provideInitFeatures: () => featuresFromBits([13]) };
    const routing = { ...messageHandlers().routing, provideInitFeatures: () => featuresFromBits([7]) };
    const alice = makeManager(1, { handlers: { channel, routing }, baseInitFeatures: featuresFromBits([1]) });
    const bob = makeManager(2);
    connect(alice, bob);
    expect(toHex(bob.listPeers()[0]!.init.features)).toBe(toHex(featuresFromBits([1, 7, 13])));
  });

  test('a handler refusing the peer in peerConnected disconnects it, and every handler hears peerDisconnected', () => {
    const gone: string[] = [];
    const channel = { ...messageHandlers().channel, peerDisconnected: () => void gone.push('channel') };
    const routing = { ...messageHandlers().routing, peerConnected: () => 'disconnect' as const, peerDisconnected: () => void gone.push('routing') };
    const alice = makeManager(1, { handlers: { channel, routing } });
    const [a] = connect(alice, makeManager(2));
    expect(a.closed).toBe(true);
    expect(alice.listPeers()).toEqual([]);
    expect(gone.sort()).toEqual(['channel', 'routing']);
  });

  test('peers we have channels with do not count against the inbound limit', () => {
    const channel = { ...messageHandlers().channel, hasChannelsWith: () => true };
    const bob = makeManager(2, { handlers: { channel }, limits: { maxInboundPeersWithoutChannels: 1 } });
    connect(makeManager(3), bob);
    connect(makeManager(4), bob);
    connect(makeManager(5), bob);
    expect(bob.listPeers().length).toBe(3);
  });
});

describe('liveness and limits', () => {
  test('a peer that stops answering pings is disconnected after pingTimeoutTicks', () => {
    const alice = makeManager(1);
    const bob = makeManager(2);
    const [a, b] = connect(alice, bob);
    alice.timerTickOccurred();
    // Bob never reads again: nothing reaches him, no pong comes back.
    b.readPaused = true;
    pump([a, b]);
    alice.timerTickOccurred();
    expect(a.closed).toBe(false);
    alice.timerTickOccurred();
    expect(a.closed).toBe(true);
    expect(alice.connectionCount).toBe(0);
  });

  test('a handshake that never completes times out, other peers unaffected', () => {
    const alice = makeManager(1);
    const bob = makeManager(2);
    const [a, b] = connect(alice, bob);
    const [, idle] = socketPair(makeManager(3), alice);
    alice.newInboundConnection(idle);
    alice.timerTickOccurred();
    bob.timerTickOccurred();
    pump([a, b]);
    alice.timerTickOccurred();
    expect(idle.closed).toBe(true);
    expect(a.closed).toBe(false);
    expect(alice.listPeers().length).toBe(1);
  });

  test('one connection per node id: a new connection replaces the old', () => {
    const alice = makeManager(1);
    const bob = makeManager(2);
    const [a1, b1] = connect(alice, bob);
    const [a2, b2] = connect(alice, bob);
    pump([a1, b1, a2, b2]);
    expect(b1.closed || a1.closed).toBe(true);
    expect(a2.closed).toBe(false);
    expect(alice.listPeers().length).toBe(1);
    expect(bob.listPeers().length).toBe(1);
  });

  test('inbound peers without channels are limited', () => {
    const bob = makeManager(2, { limits: { maxInboundPeersWithoutChannels: 2 } });
    connect(makeManager(3), bob);
    connect(makeManager(4), bob);
    const [, extra] = socketPair(makeManager(5), bob);
    expect(() => bob.newInboundConnection(extra)).toThrow(PeerError);
    expect(bob.listPeers().length).toBe(2);
  });
});

describe('dispatch', () => {
  function pairWithHandlers() {
    const ha = recordingHandlers();
    const hb = recordingHandlers();
    const alice = makeManager(1, { handlers: { channel: ha.channel, routing: ha.routing, custom: ha.custom } });
    const bob = makeManager(2, { handlers: { channel: hb.channel, routing: hb.routing, custom: hb.custom } });
    const [a, b] = connect(alice, bob);
    return { alice, bob, a, b, ha, hb };
  }

  test('send events reach the one peer; custom types reach the custom handler; unknown odd is ignored', () => {
    const { bob, a, b, ha, hb } = pairWithHandlers();
    hb.queue.push({ kind: 'send', nodeId: makeManager(1).nodeId, message: { type: 'peer_storage', blob: Uint8Array.of(1, 2) } });
    hb.queue.push({ kind: 'send_raw', nodeId: makeManager(1).nodeId, bytes: Uint8Array.of(0x80, 0x01, 9) });
    hb.queue.push({ kind: 'send_raw', nodeId: makeManager(1).nodeId, bytes: Uint8Array.of(0x80, 0x03, 9) });
    bob.processEvents();
    pump([a, b]);
    expect(ha.received.map((r) => ('type' in r.message ? r.message.type : r.message.typeId))).toEqual(['peer_storage', 32769]);
    expect(a.closed).toBe(false);
  });

  test('an unknown even message disconnects', () => {
    const { bob, a, b, hb } = pairWithHandlers();
    hb.queue.push({ kind: 'send_raw', nodeId: makeManager(1).nodeId, bytes: Uint8Array.of(0x80, 0x04, 9) });
    bob.processEvents();
    pump([a, b]);
    expect(a.closed).toBe(true);
    expect(b.closed).toBe(true);
  });

  test('errors go to the channel handler; an all-zero channel id also disconnects', () => {
    const { bob, a, b, ha, hb } = pairWithHandlers();
    const one = channelId(new Uint8Array(32).fill(7));
    hb.queue.push({ kind: 'send', nodeId: makeManager(1).nodeId, message: { type: 'error', channelId: one, data: utf8ToBytes('bad') } });
    hb.queue.push({ kind: 'send', nodeId: makeManager(1).nodeId, message: { type: 'warning', channelId: one, data: utf8ToBytes('hmm') } });
    bob.processEvents();
    pump([a, b]);
    expect(ha.errors.length).toBe(1);
    expect(a.closed).toBe(false);
    hb.queue.push({ kind: 'disconnect', nodeId: makeManager(1).nodeId, message: { type: 'error', channelId: ALL_CHANNELS, data: utf8ToBytes('bye') } });
    bob.processEvents();
    pump([a, b]);
    expect(ha.errors.length).toBe(2);
    expect(a.closed).toBe(true);
  });

  test('broadcast goes to every peer but the excepted one', () => {
    const hub = recordingHandlers();
    const center = makeManager(10, { handlers: { routing: hub.routing } });
    const hs = [1, 2, 3].map(() => recordingHandlers());
    const leaves = hs.map((h, i) => makeManager(i + 1, { handlers: { channel: h.channel, custom: h.custom } }));
    const sockets = leaves.flatMap((leaf) => connect(leaf, center));
    hub.queue.push({ kind: 'broadcast', message: { type: 'peer_storage', blob: Uint8Array.of(5) }, exceptNodeId: leaves[1]!.nodeId });
    center.processEvents();
    pump(sockets);
    expect(hs.map((h) => h.received.length)).toEqual([1, 0, 1]);
  });

  test('a ping is answered with the requested pong length; 65532 and more get no pong', () => {
    const h = recordingHandlers();
    const alice = makeManager(1, { handlers: { channel: h.channel } });
    const bob = makeManager(2);
    const [a, b] = connect(alice, bob);
    const sent: Uint8Array[] = [];
    const orig = b.sendData.bind(b);
    b.sendData = (data, resume) => {
      sent.push(data);
      return orig(data, resume);
    };
    h.queue.push({ kind: 'send', nodeId: bob.nodeId, message: { type: 'ping', numPongBytes: 300, ignored: new Uint8Array(0) } });
    h.queue.push({ kind: 'send', nodeId: bob.nodeId, message: { type: 'ping', numPongBytes: 65532, ignored: new Uint8Array(0) } });
    alice.processEvents();
    pump([a, b]);
    // Bob wrote exactly one frame: a pong of 300 bytes (2 type + 2 length + 300) plus 34 bytes of framing.
    expect(sent.map((s) => s.length)).toEqual([2 + 2 + 300 + 34]);
  });
});

describe('buffering and backpressure', () => {
  test('a slow peer gets gossip dropped, never unbounded memory, and reading pauses', () => {
    const hub = recordingHandlers();
    const limits = { gossipDropBytes: 10_000, readPauseBytes: 20_000, maxOutboundBytes: 1_000_000 };
    const center = makeManager(10, { handlers: { routing: hub.routing, channel: hub.channel }, limits });
    const leaf = makeManager(1);
    const [l, c] = connect(leaf, center);
    c.capacity = 0; // the center's socket towards the leaf takes nothing more
    const blob = new Uint8Array(1000);
    for (let i = 0; i < 50; i++) hub.queue.push({ kind: 'broadcast', message: { type: 'peer_storage', blob } });
    center.processEvents();
    const details = center.listPeers()[0]!;
    expect(details.outboundBytes).toBeLessThan(12_000);
    expect(details.outboundBytes).toBeGreaterThan(0);
    expect(center.outboundBytes(leaf.nodeId)).toBe(details.outboundBytes);
    expect(center.outboundBytes(makeManager(99).nodeId)).toBe(0);
    expect(details.gossipDropped).toBeGreaterThan(30);
    // Direct messages are still queued, up to the read-pause bound: then reading pauses.
    for (let i = 0; i < 15; i++) hub.queue.push({ kind: 'send', nodeId: leaf.nodeId, message: { type: 'peer_storage', blob } });
    center.processEvents();
    leaf.timerTickOccurred();
    pump([l, c]);
    expect(c.readPaused).toBe(true);
    // The socket drains: writing resumes, and so does reading.
    c.capacity = Number.POSITIVE_INFINITY;
    center.writeBufferSpaceAvail(c);
    expect(c.readPaused).toBe(false);
    pump([l, c]);
    expect(center.listPeers()[0]!.outboundBytes).toBe(0);
    expect(center.outboundBytes(leaf.nodeId)).toBe(0);
  });

  test('past the hard bound the peer is disconnected', () => {
    const hub = recordingHandlers();
    const center = makeManager(10, { handlers: { channel: hub.channel }, limits: { maxOutboundBytes: 5_000, readPauseBytes: 4_000 } });
    const leaf = makeManager(1);
    const [, c] = connect(leaf, center);
    c.capacity = 0;
    for (let i = 0; i < 10; i++) hub.queue.push({ kind: 'send', nodeId: leaf.nodeId, message: { type: 'peer_storage', blob: new Uint8Array(1000) } });
    center.processEvents();
    expect(c.closed).toBe(true);
    expect(center.connectionCount).toBe(0);
  });
});

describe('robustness: each bad connection is dropped alone', () => {
  function withBystander() {
    const alice = makeManager(1);
    const bob = makeManager(2);
    const [a, b] = connect(alice, bob);
    return { alice, bob, a, b };
  }

  test('garbage bytes, a bad act MAC, a wrong version: disconnected, others unaffected', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 400 }), (garbage) => {
        const { alice, a, b, bob } = withBystander();
        const [, s] = socketPair(makeManager(3), alice);
        alice.newInboundConnection(s);
        const result = alice.readEvent(s, garbage);
        if (garbage.length >= 50) expect(result).toBe('disconnected');
        else expect(result).toBe('ok');
        alice.timerTickOccurred();
        alice.timerTickOccurred();
        expect(alice.connectionCount).toBe(1);
        pump([a, b]);
        expect(alice.listPeers().map((p) => toHex(p.nodeId))).toEqual([toHex(bob.nodeId)]);
      }),
      { numRuns: runs },
    );
  });

  test('a corrupted act one or act three MAC disconnects', () => {
    const alice = makeManager(1);
    const bob = makeManager(2);
    const [a, b] = socketPair(alice, bob);
    bob.newInboundConnection(b);
    alice.newOutboundConnection(bob.nodeId, a);
    a.outbox[0]![49]! ^= 1;
    pump([a, b]);
    expect(b.closed).toBe(true);
    expect(a.closed).toBe(true);
  });

  test('a truncated act then a close: the peer is forgotten', () => {
    const alice = makeManager(1);
    const [, s] = socketPair(makeManager(3), alice);
    alice.newInboundConnection(s);
    expect(alice.readEvent(s, new Uint8Array(20))).toBe('ok');
    alice.socketDisconnected(s);
    expect(alice.connectionCount).toBe(0);
  });

  test('a length header claiming 65535 with no body: bounded, then dropped by the ping timeout', () => {
    const h = recordingHandlers();
    const alice = makeManager(1);
    const bob = makeManager(2, { handlers: { channel: h.channel } });
    const [a, b] = connect(alice, bob);
    // Bob sends a large message; Alice receives only its header, then nothing.
    h.queue.push({ kind: 'send_raw', nodeId: alice.nodeId, bytes: new Uint8Array(65535).fill(0).map((_, i) => (i === 0 ? 0x80 : i === 1 ? 0x01 : 0)) });
    bob.processEvents();
    const frame = b.outbox.shift()!;
    expect(frame.length).toBe(65535 + 34);
    expect(alice.readEvent(a, frame.subarray(0, 18))).toBe('ok');
    alice.timerTickOccurred();
    alice.timerTickOccurred();
    alice.timerTickOccurred();
    expect(a.closed).toBe(true);
    expect(alice.connectionCount).toBe(0);
  });

  test('a malformed known message gets a warning and a disconnect', () => {
    const h = recordingHandlers();
    const alice = makeManager(1);
    const bob = makeManager(2, { handlers: { channel: h.channel } });
    const [a, b] = connect(alice, bob);
    // A ping whose ignored field claims more bytes than there are.
    h.queue.push({ kind: 'send_raw', nodeId: alice.nodeId, bytes: Uint8Array.of(0, 18, 0, 1, 0, 9) });
    bob.processEvents();
    pump([a, b]);
    expect(a.closed).toBe(true);
  });
});


describe('PeerManager state machine under random events', () => {
  test('random ticks, sends, chunkings, disconnects and reconnects never throw and keep both sides consistent', () => {
    const op = fc.oneof(
      fc.constant({ kind: 'tick' as const }),
      fc.record({ kind: fc.constant('send' as const), size: fc.integer({ min: 0, max: 3000 }) }),
      fc.record({ kind: fc.constant('pump' as const), chunk: fc.integer({ min: 1, max: 200 }) }),
      fc.constant({ kind: 'disconnect' as const }),
      fc.constant({ kind: 'reconnect' as const }),
    );
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 25 }), (ops) => {
        const ha = recordingHandlers();
        const hb = recordingHandlers();
        const alice = makeManager(1, { handlers: { channel: ha.channel } });
        const bob = makeManager(2, { handlers: { channel: hb.channel } });
        let sockets = connect(alice, bob);
        let sent = 0;
        for (const o of ops) {
          if (o.kind === 'tick') {
            alice.timerTickOccurred();
            bob.timerTickOccurred();
          } else if (o.kind === 'send') {
            ha.queue.push({ kind: 'send', nodeId: bob.nodeId, message: { type: 'peer_storage', blob: new Uint8Array(o.size) } });
            if (alice.listPeers().length === 1) sent++;
            alice.processEvents();
          } else if (o.kind === 'pump') {
            pump(sockets, () => o.chunk);
          } else if (o.kind === 'disconnect') {
            alice.disconnectAllPeers();
            pump(sockets);
          } else {
            sockets = connect(alice, bob);
          }
        }
        pump(sockets);
        // Whatever happened, the two sides agree on whether they are connected.
        expect(alice.listPeers().length).toBe(bob.listPeers().length);
        expect(hb.received.length).toBeLessThanOrEqual(sent);
        // And a fresh connection always works afterwards.
        const fresh = connect(alice, bob);
        alice.timerTickOccurred();
        pump(fresh);
        expect(alice.listPeers().length).toBe(1);
        expect(bob.listPeers().length).toBe(1);
      }),
      { numRuns: runs },
    );
  });
});
