// Bad input on the wire: HTLCs whose onion is unreadable or whose content a
// forwarding node must refuse. Each gets the BOLT 4 answer (malformed with
// its code and the onion's hash, or a failure the sender decrypts to the
// right code), and the channel stays open and usable.
import { describe, expect, it } from '@jest/globals';
import { sha256 } from 'ln-crypto';
import { buildOnionPacket, decodeFailureMessage, decryptFailurePacket, encodeHopPayload, FAILURE_CODES, serializeOnionPacket, type HopPayload } from 'ln-onion';
import { equalBytes, shortChannelId } from 'ln-types';
import type { Message } from 'ln-wire';
import { encodeHtlcSource } from '../../src/payments/index.js';
import { nativeSecp, pubOf } from './helpers.js';
import { Mesh } from './mesh.js';

describe('bad onions and refused forwards through ChannelManagers', () => {
  it('every case gets its BOLT 4 code and the channel stays open', async () => {
    const mesh = new Mesh(3, { backend: nativeSecp });
    await mesh.open(0, 1, 2_000_000n);
    await mesh.open(1, 2, 2_000_000n);
    await mesh.mine(1);
    for (let i = 0; i < 3; i++) await mesh.drain(i);
    mesh.refreshGraph();
    const a = mesh.nodes[0]!;
    const ab = a.manager.listChannels()[0]!;
    const bc = mesh.nodes[1]!.manager.listChannels().find((c) => equalBytes(c.counterpartyNodeId, mesh.nodeId(2)))!;
    const height = mesh.chain.height;
    let n = 0;

    /** Sends an HTLC with `onion` from A to B and returns B's answer and the onion's shared secrets. */
    async function send(hops: { key: Uint8Array; payload: HopPayload | Uint8Array }[], opts: { amountMsat?: bigint; cltvExpiry?: number; mutate?: (onion: Uint8Array) => void } = {}) {
      const paymentHash = sha256(Uint8Array.of(++n));
      const session = new Uint8Array(32).fill(0x10 + n);
      const { packet, sharedSecrets } = buildOnionPacket(session, hops.map((h) => ({ publicKey: h.key, payload: h.payload instanceof Uint8Array ? h.payload : encodeHopPayload(h.payload) })), paymentHash, { secp256k1: nativeSecp });
      const onion = serializeOnionPacket(packet);
      opts.mutate?.(onion);
      const before = mesh.log.length;
      a.manager.sendHtlc(ab.channelId, {
        amountMsat: opts.amountMsat ?? 100_000n,
        paymentHash,
        cltvExpiry: opts.cltvExpiry ?? height + 200,
        onion,
        source: encodeHtlcSource({ kind: 'outbound', paymentId: new Uint8Array(32).fill(0xbb), sessionKey: session, path: { hops: [] as never }, startHeight: height, isProbe: false }),
      });
      await mesh.settle();
      const answer = mesh.log.slice(before).find((d) => d.from === 1 && d.to === 0 && (d.message.type === 'update_fail_htlc' || d.message.type === 'update_fail_malformed_htlc' || d.message.type === 'update_fulfill_htlc'));
      expect(answer).toBeDefined();
      return { answer: answer!.message as Message, sharedSecrets, onion };
    }
    const failureOf = (m: Message, secrets: Uint8Array[]) => {
      if (m.type !== 'update_fail_htlc') throw new Error(`expected update_fail_htlc, got ${m.type}`);
      const d = decryptFailurePacket(secrets, m.reason);
      return { hop: d.hopIndex, failure: decodeFailureMessage(d.failureMessage) };
    };
    const B = mesh.nodeId(1);
    const C = mesh.nodeId(2);
    const toC = (p: Partial<HopPayload> = {}): HopPayload => ({ amtToForward: 90_000n, outgoingCltvValue: height + 100, shortChannelId: shortChannelId(bc.shortChannelId!), ...p });
    const final = { amtToForward: 90_000n, outgoingCltvValue: height + 100, paymentData: { paymentSecret: new Uint8Array(32), totalMsat: 90_000n } };

    // Unreadable onions: update_fail_malformed_htlc with the code and the hash of what B received.
    for (const [name, at, code] of [
      ['wrong HMAC', 500, FAILURE_CODES.invalid_onion_hmac],
      ['unknown version', 0, FAILURE_CODES.invalid_onion_version],
      ['invalid ephemeral key', 1, FAILURE_CODES.invalid_onion_key],
    ] as const) {
      const { answer, onion } = await send([{ key: B, payload: toC() }, { key: C, payload: final }], { mutate: (o) => void (o[at] = at === 1 ? 0x04 : o[at]! ^ 0x01) });
      expect({ name, type: answer.type }).toEqual({ name, type: 'update_fail_malformed_htlc' });
      if (answer.type === 'update_fail_malformed_htlc') {
        expect(answer.failureCode).toBe(code);
        expect(answer.sha256OfOnion).toEqual(sha256(onion));
      }
    }
    // An onion for another node entirely (our HMAC cannot match).
    expect((await send([{ key: pubOf(99), payload: toC() }])).answer.type).toBe('update_fail_malformed_htlc');

    // Readable onions B must refuse, each with its code, from hop 0 (B).
    const cases: [string, { key: Uint8Array; payload: HopPayload | Uint8Array }[], { amountMsat?: bigint; cltvExpiry?: number }, string][] = [
      ['unknown next channel', [{ key: B, payload: toC({ shortChannelId: shortChannelId(12345n) }) }, { key: C, payload: final }], {}, 'unknown_next_peer'],
      ['amount below the minimum', [{ key: B, payload: toC({ amtToForward: 0n }) }, { key: C, payload: final }], {}, 'amount_below_minimum'],
      ['fee too low', [{ key: B, payload: toC({ amtToForward: 99_500n }) }, { key: C, payload: final }], {}, 'fee_insufficient'],
      ['cltv delta too small', [{ key: B, payload: toC({ outgoingCltvValue: height + 190 }) }, { key: C, payload: final }], {}, 'incorrect_cltv_expiry'],
      ['expiry too far', [{ key: B, payload: toC({ outgoingCltvValue: height + 2100 }) }, { key: C, payload: final }], { cltvExpiry: height + 2200 }, 'expiry_too_far'],
      ['expiry too soon', [{ key: B, payload: toC({ outgoingCltvValue: height + 2 }) }, { key: C, payload: final }], { cltvExpiry: height + 80 }, 'expiry_too_soon'],
      ['payload without an amount', [{ key: B, payload: { outgoingCltvValue: height + 100, shortChannelId: shortChannelId(bc.shortChannelId!) } }, { key: C, payload: final }], {}, 'invalid_onion_payload'],
      ['an unknown even TLV', [{ key: B, payload: Uint8Array.of(2, 1, 1, 4, 1, 10, 100, 0) }], {}, 'invalid_onion_payload'],
      ['payment to B with an unknown secret', [{ key: B, payload: { ...final, amtToForward: 100_000n, paymentData: { paymentSecret: new Uint8Array(32), totalMsat: 100_000n } } }], {}, 'incorrect_or_unknown_payment_details'],
      ['final amount above the HTLC', [{ key: B, payload: { ...final, amtToForward: 100_001n } }], {}, 'final_incorrect_htlc_amount'],
    ];
    for (const [name, hops, opts, expected] of cases) {
      const { answer, sharedSecrets } = await send(hops, opts);
      const got = failureOf(answer, sharedSecrets);
      expect({ name, hop: got.hop, failure: got.failure.name }).toEqual({ name, hop: 0, failure: expected });
    }
    // C refuses what B forwarded: the failure comes back through B, decrypted at hop 1.
    const relayed = await send([{ key: B, payload: toC() }, { key: C, payload: final }]);
    expect(failureOf(relayed.answer, relayed.sharedSecrets)).toMatchObject({ hop: 1, failure: { name: 'incorrect_or_unknown_payment_details' } });

    // The channels are open, empty and usable; a normal payment goes through.
    for (const node of mesh.nodes) {
      expect(node.manager.internalErrors).toEqual([]);
      expect(node.manager.listChannels().every((c) => c.isUsable && c.pendingHtlcs === 0)).toBe(true);
    }
    const { invoice } = await mesh.nodes[2]!.manager.createInvoice({ amountMsat: 5_000n, description: 'after' });
    await a.manager.payInvoice(invoice, new Uint8Array(32).fill(7));
    await mesh.settle();
    const claimable = (await mesh.drain(2)).find((e) => e.kind === 'payment_claimable');
    expect(claimable).toBeDefined();
  });
});
