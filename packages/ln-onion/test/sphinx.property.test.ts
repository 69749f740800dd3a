import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  buildOnionPacket,
  OnionError,
  parseOnionPacket,
  peelOnionPacket,
  serializeOnionPacket,
  PAYMENT_ONION_PAYLOADS_LENGTH,
  type OnionPacket,
} from '../src/index.js';
import { keyOf, nodeEcdh, pubOf } from './fixtures.js';

const long = process.env.LN_LONG_TESTS === '1';
const runs = long ? 200 : 12;

/** A random route of 1..20 hops whose payloads fit in 1300 bytes. */
const routeArb = fc
  .integer({ min: 1, max: 20 })
  .chain((n) =>
    fc.record({
      nodes: fc.uniqueArray(fc.integer({ min: 0, max: 10_000 }), { minLength: n, maxLength: n }),
      payloads: fc.array(fc.uint8Array({ minLength: 1, maxLength: Math.floor(1300 / n) - 35 }), { minLength: n, maxLength: n }),
      session: fc.integer({ min: 20_000, max: 30_000 }),
      ad: fc.uint8Array({ minLength: 32, maxLength: 32 }),
    }),
  );

function peelAll(packet: OnionPacket, nodes: number[], ad: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let p: OnionPacket | undefined = packet;
  for (const n of nodes) {
    if (p === undefined) throw new Error('onion ended early');
    const peeled = peelOnionPacket(p, ad, nodeEcdh(keyOf(n)));
    out.push(peeled.payload);
    p = peeled.next;
  }
  expect(p).toBeUndefined();
  return out;
}

describe('build then peel', () => {
  it('every hop of a random 1..20-hop route gets its payload, in order', () => {
    fc.assert(
      fc.property(routeArb, ({ nodes, payloads, session, ad }) => {
        const { packet } = buildOnionPacket(keyOf(session), nodes.map((n, i) => ({ publicKey: pubOf(n), payload: payloads[i]! })), ad);
        expect(serializeOnionPacket(packet).length).toBe(1366);
        // Through the wire form each time, as a forwarding node would receive it.
        const viaWire = parseOnionPacket(serializeOnionPacket(packet));
        expect(peelAll(viaWire, nodes, ad)).toEqual(payloads);
      }),
      { numRuns: runs },
    );
  });

  it('27 hops with payloads filling the 1300 bytes exactly, and no room for a 28th', () => {
    // 27 x (1-byte length + payload + 32-byte HMAC): 23 payloads of 15 bytes and 4 of 16 make 1300.
    const nodes = Array.from({ length: 27 }, (_, i) => 500 + i);
    const payloads = nodes.map((n, i) => new Uint8Array(i < 4 ? 16 : 15).fill(n & 0xff));
    expect(payloads.reduce((sum, p) => sum + 1 + p.length + 32, 0)).toBe(PAYMENT_ONION_PAYLOADS_LENGTH);
    const ad = new Uint8Array(32).fill(3);
    const { packet } = buildOnionPacket(keyOf(9), nodes.map((n, i) => ({ publicKey: pubOf(n), payload: payloads[i]! })), ad);
    expect(peelAll(parseOnionPacket(serializeOnionPacket(packet)), nodes, ad)).toEqual(payloads);
    const oneMore = [...nodes, 600].map((n, i) => ({ publicKey: pubOf(n), payload: new Uint8Array(i < 4 ? 16 : 15) }));
    expect(() => buildOnionPacket(keyOf(9), oneMore, ad)).toThrow(expect.objectContaining({ code: 'payloads_too_large' }));
  });

  it('a packet filled to the last byte works (one hop of 1300 - 3 - 32 bytes)', () => {
    const payload = new Uint8Array(PAYMENT_ONION_PAYLOADS_LENGTH - 3 - 32).fill(7);
    const { packet } = buildOnionPacket(keyOf(1), [{ publicKey: pubOf(2), payload }], new Uint8Array(32));
    expect(peelAll(packet, [2], new Uint8Array(32))).toEqual([payload]);
    expect(() => buildOnionPacket(keyOf(1), [{ publicKey: pubOf(2), payload: new Uint8Array(payload.length + 1) }], new Uint8Array(32))).toThrow(
      expect.objectContaining({ code: 'payloads_too_large' }),
    );
  });

  it('other packet sizes (onion messages) work the same way', () => {
    const nodes = [1, 2, 3];
    const payloads = nodes.map((n) => new Uint8Array(5000).fill(n));
    const { packet } = buildOnionPacket(keyOf(9), nodes.map((n, i) => ({ publicKey: pubOf(n), payload: payloads[i]! })), new Uint8Array(0), { payloadsLength: 32768 });
    expect(peelAll(parseOnionPacket(serializeOnionPacket(packet), 32768), nodes, new Uint8Array(0))).toEqual(payloads);
  });
});

describe('a corrupted byte is caught by exactly the hop it reaches', () => {
  it('corrupting the packet handed to hop k fails at hop k, and every earlier hop peeled fine', () => {
    fc.assert(
      fc.property(routeArb, fc.nat(), fc.nat(), fc.integer({ min: 1, max: 255 }), ({ nodes, payloads, session, ad }, kSeed, byteSeed, flip) => {
        const k = kSeed % nodes.length;
        let packet: OnionPacket = buildOnionPacket(keyOf(session), nodes.map((n, i) => ({ publicKey: pubOf(n), payload: payloads[i]! })), ad).packet;
        for (let i = 0; i < k; i++) packet = peelOnionPacket(packet, ad, nodeEcdh(keyOf(nodes[i]!))).next!;
        const bytes = serializeOnionPacket(packet);
        const at = byteSeed % bytes.length;
        bytes[at]! ^= flip;
        let caught: unknown;
        try {
          peelOnionPacket(parseOnionPacket(bytes), ad, nodeEcdh(keyOf(nodes[k]!)));
        } catch (e) {
          caught = e;
        }
        expect(caught).toBeInstanceOf(OnionError);
        const code = (caught as OnionError).code;
        if (at === 0) expect(code).toBe('invalid_version');
        else if (at < 34) expect(['invalid_public_key', 'invalid_hmac']).toContain(code);
        else expect(code).toBe('invalid_hmac');
      }),
      { numRuns: runs * 2 },
    );
  });

  it('a different associated data (payment hash) fails the HMAC at the first hop', () => {
    const { packet } = buildOnionPacket(keyOf(5), [{ publicKey: pubOf(6), payload: Uint8Array.of(1) }], new Uint8Array(32));
    expect(() => peelOnionPacket(packet, new Uint8Array(32).fill(1), nodeEcdh(keyOf(6)))).toThrow(expect.objectContaining({ code: 'invalid_hmac' }));
    expect(() => peelOnionPacket(packet, new Uint8Array(32), nodeEcdh(keyOf(7)))).toThrow(expect.objectContaining({ code: 'invalid_hmac' }));
  });
});
