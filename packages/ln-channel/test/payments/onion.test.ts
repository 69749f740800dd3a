import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { sha256 } from 'ln-crypto';
import { deriveSharedSecrets, encodeHopPayload, FAILURE_CODES, buildOnionPacket, serializeOnionPacket } from 'ln-onion';
import { fromHex, shortChannelId, toHex } from 'ln-types';
import {
  buildPathOnion,
  decodePathFailure,
  failureForUpstream,
  fulfillAttribution,
  peelIncomingHtlc,
  type PeeledHtlc,
  type PrevHop,
} from '../../src/payments/index.js';
import { fixture, keyOf, keySigner, pubOf, syntheticPath } from './helpers.js';

const runs = process.env.LN_LONG_TESTS === '1' ? 200 : 12;

function prevHop(sharedSecret: Uint8Array, extra: Partial<PrevHop> = {}): PrevHop {
  return {
    channelId: new Uint8Array(32) as PrevHop['channelId'],
    counterpartyNodeId: pubOf(0),
    htlcId: 0n,
    amountMsat: 1000n,
    cltvExpiry: 800_100,
    sharedSecret,
    blinded: 'none',
    sha256OfOnion: new Uint8Array(32),
    ...extra,
  };
}

describe('BOLT 4 blinded payment onion vector through peelIncomingHtlc', () => {
  const v = fixture('bolt04-blinded-payment-onion-test.json').vectors;
  const hash = fromHex(v.generate.associated_data);
  const steps = v.decrypt.hops as { alias: string; onion: string; node_privkey: string; next_path_key?: string }[];
  // The incoming HTLC of each hop: Alice forwards 110125 at 749150 to Bob (the
  // introduction node); each blinded hop's amount and expiry follow from its payment_relay.
  const expected = [
    { amount: 0n, cltv: 0, next: 10n, fwd: 110125n, out: 749150 },
    { amount: 110125n, cltv: 749150, next: 1n, fwd: 100125n, out: 749100 },
    { amount: 100125n, cltv: 749100, next: 2n, fwd: 100010n, out: 749025 },
    { amount: 100010n, cltv: 749025, next: 3n, fwd: 100000n, out: 749000 },
    { amount: 100000n, cltv: 749000 },
  ];

  it('each hop forwards to the vector next hop with the vector onion and path key; Eve receives', async () => {
    let pathKey: Uint8Array | undefined;
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i]!;
      const e = expected[i]!;
      const peeled = await peelIncomingHtlc(
        { amountMsat: i === 0 ? 110125n : e.amount, paymentHash: hash, cltvExpiry: i === 0 ? 749200 : e.cltv, onionRoutingPacket: fromHex(step.onion), ...(pathKey !== undefined && { pathKey }) },
        { signer: keySigner(step.node_privkey) },
      );
      if (i < steps.length - 1) {
        expect(peeled.kind).toBe('forward');
        const f = peeled as Extract<PeeledHtlc, { kind: 'forward' }>;
        expect(f.blinded).toBe(i === 0 ? 'none' : i === 1 ? 'introduction' : 'inside');
        expect(f.next).toEqual({ kind: 'scid', shortChannelId: shortChannelId(e.next!) });
        expect(f.amountToForwardMsat).toBe(e.fwd);
        expect(f.outgoingCltvValue).toBe(e.out);
        expect(toHex(f.nextOnion)).toBe(steps[i + 1]!.onion);
        if (i > 0) expect(toHex(f.nextPathKey!)).toBe(step.next_path_key);
        pathKey = f.nextPathKey;
      } else {
        expect(peeled.kind).toBe('receive');
        const r = peeled as Extract<PeeledHtlc, { kind: 'receive' }>;
        expect(r.blinded).toBe('inside');
        expect(r.payload).toEqual({
          amountMsat: 100000n,
          outgoingCltvValue: 749000,
          paymentData: { paymentSecret: fromHex('c9cf92f45ade68345bc20ae672e2012f4af487ed4415'), totalMsat: 150000n },
          customRecords: [],
          blinded: true,
        });
      }
    }
  });

  it('inside the blinded route every refusal is update_fail_malformed_htlc with invalid_onion_blinding; at the introduction node an invalid_onion_blinding failure', async () => {
    const carol = steps[2]!;
    // Carol's constraint: max_cltv_expiry 750100.
    const tooLate = await peelIncomingHtlc(
      { amountMsat: 100125n, paymentHash: hash, cltvExpiry: 750101, onionRoutingPacket: fromHex(carol.onion), pathKey: fromHex(steps[1]!.next_path_key!) },
      { signer: keySigner(carol.node_privkey) },
    );
    expect(tooLate).toMatchObject({ kind: 'malformed', failureCode: FAILURE_CODES.invalid_onion_blinding, sha256OfOnion: sha256(fromHex(carol.onion)) });
    const wrongKey = await peelIncomingHtlc(
      { amountMsat: 100125n, paymentHash: hash, cltvExpiry: 749100, onionRoutingPacket: fromHex(carol.onion), pathKey: fromHex(steps[2]!.next_path_key!) },
      { signer: keySigner(carol.node_privkey) },
    );
    expect(wrongKey).toMatchObject({ kind: 'malformed', failureCode: FAILURE_CODES.invalid_onion_blinding });
    const bob = steps[1]!;
    const bobTooLate = await peelIncomingHtlc({ amountMsat: 110125n, paymentHash: hash, cltvExpiry: 750151, onionRoutingPacket: fromHex(bob.onion) }, { signer: keySigner(bob.node_privkey) });
    expect(bobTooLate).toMatchObject({ kind: 'fail', blinded: 'introduction', failure: { name: 'invalid_onion_blinding', sha256OfOnion: sha256(fromHex(bob.onion)) } });
  });
});

describe('failing back: BOLT 4 error vectors through failureForUpstream', () => {
  it('the attributable-errors trace: each node wraps the failure and its attribution data byte for byte; the origin attributes it', () => {
    const a = fixture('bolt04-attributable-errors.json');
    const hops = a.parameters.hops as { pubkey: string; htlc_hold_time: number }[];
    const { sharedSecrets } = deriveSharedSecrets(fromHex(a.parameters.session_key), hops.map((h) => fromHex(h.pubkey)));
    const holdTimeOf = (node: number) => hops[hops.length - 1 - node]!.htlc_hold_time;
    const message = {
      name: 'incorrect_or_unknown_payment_details' as const,
      htlcMsat: 100n,
      height: 800000,
      tlvs: [{ type: 34001n, value: new Uint8Array(300).fill(128) }],
    };
    let up = failureForUpstream(prevHop(sharedSecrets[4]!), { kind: 'local', failure: message }, { holdTime: holdTimeOf(4), paddedLength: 1024 });
    const forwarding = a.forwarding as { node: string; error_packet: string; attribution_data: string }[];
    for (const step of forwarding) {
      const node = Number(step.node);
      if (node !== 4) {
        if (up.kind !== 'fail') throw new Error('expected a failure packet');
        up = failureForUpstream(prevHop(sharedSecrets[node]!), { kind: 'downstream', reason: up.reason, ...(up.attributionData && { attributionData: up.attributionData }) }, { holdTime: holdTimeOf(node) });
      }
      expect(up.kind).toBe('fail');
      if (up.kind !== 'fail') return;
      expect(toHex(up.reason)).toBe(step.error_packet);
      expect(toHex(up.attributionData!)).toBe(step.attribution_data);
    }
    // The origin's view of a 5-hop path over these nodes.
    const path = syntheticPath(5, 100n);
    const withKeys = { hops: path.hops.map((h, i) => ({ ...h, nodeId: fromHex(hops[i]!.pubkey) as typeof h.nodeId })) };
    if (up.kind !== 'fail') throw new Error('unreachable');
    const decoded = decodePathFailure(withKeys, sharedSecrets, { kind: 'fail', reason: up.reason, attributionData: up.attributionData! });
    expect(decoded.failure).toMatchObject({ kind: 'on_path', erringHopIndex: 4, holdTimes: [5, 4, 3, 2, 1], failure: { name: 'incorrect_or_unknown_payment_details', htlcMsat: 100n, height: 800000 } });
    expect(decoded.paymentFailedPermanently).toBe(true);
    expect(decoded.fromFinalHop).toBe(true);
    expect(decoded.shortChannelId).toBeUndefined();
  });

  it('success attribution data for update_fulfill_htlc matches the vector', () => {
    const a = fixture('bolt04-attributable-errors.json');
    const hops = a.parameters.hops as { pubkey: string; htlc_hold_time: number }[];
    const { sharedSecrets } = deriveSharedSecrets(fromHex(a.parameters.session_key), hops.map((h) => fromHex(h.pubkey)));
    let data: Uint8Array | undefined;
    for (const step of a.success_attribution_data as { node: number; attribution_data: string }[]) {
      data = fulfillAttribution(prevHop(sharedSecrets[step.node]!), hops[hops.length - 1 - step.node]!.htlc_hold_time, data);
      expect(toHex(data!)).toBe(step.attribution_data);
    }
  });

  it('the legacy onion-error vector: temporary_node_failure from hop 4, relayed without attribution', () => {
    const v = fixture('bolt04-onion-error-test.json').vectors;
    const secrets = (v.generate.hops as { hop_shared_secret: string }[]).map((h) => fromHex(h.hop_shared_secret));
    let up = failureForUpstream(prevHop(secrets[4]!), { kind: 'local', failure: { name: 'temporary_node_failure' } });
    for (let node = 3; node >= 0; node--) {
      if (up.kind !== 'fail') throw new Error('expected a failure packet');
      up = failureForUpstream(prevHop(secrets[node]!), { kind: 'downstream', reason: up.reason });
    }
    if (up.kind !== 'fail') throw new Error('expected a failure packet');
    expect(toHex(up.reason)).toBe(v.errorpacket);
    // NODE failure from an intermediate hop: blame the channel into it.
    const path = syntheticPath(6, 1000n);
    const d = decodePathFailure(path, [...secrets, new Uint8Array(32).fill(9)], { kind: 'fail', reason: up.reason });
    expect(d).toMatchObject({ paymentFailedPermanently: false, shortChannelId: path.hops[4]!.shortChannelId, failure: { erringHopIndex: 4, failure: { name: 'temporary_node_failure' } } });
  });

  it('blinded roles: inside gives update_fail_malformed_htlc, introduction turns any failure into invalid_onion_blinding', () => {
    const ss = new Uint8Array(32).fill(5);
    const onionHash = new Uint8Array(32).fill(6);
    expect(failureForUpstream(prevHop(ss, { blinded: 'inside', sha256OfOnion: onionHash }), { kind: 'local', failure: { name: 'temporary_node_failure' } })).toEqual({
      kind: 'malformed',
      failureCode: FAILURE_CODES.invalid_onion_blinding,
      sha256OfOnion: onionHash,
    });
    const intro = failureForUpstream(prevHop(ss, { blinded: 'introduction', sha256OfOnion: onionHash }), { kind: 'downstream', reason: new Uint8Array(292) });
    expect(intro.kind).toBe('fail');
    const d = decodePathFailure(syntheticPath(1, 1n), [ss], intro as { kind: 'fail'; reason: Uint8Array });
    expect(d.failure).toMatchObject({ failure: { name: 'invalid_onion_blinding', sha256OfOnion: onionHash } });
    // A malformed downstream answer becomes our own failure with its code and onion hash (BOLT 2).
    const m = failureForUpstream(prevHop(ss), { kind: 'downstream_malformed', failureCode: FAILURE_CODES.invalid_onion_hmac, sha256OfOnion: onionHash });
    expect(decodePathFailure(syntheticPath(1, 1n), [ss], m as { kind: 'fail'; reason: Uint8Array }).failure).toMatchObject({ failure: { name: 'invalid_onion_hmac', sha256OfOnion: onionHash } });
  });
});

describe('our onions, peeled by every hop', () => {
  const hash = new Uint8Array(32).fill(0x42);
  const height = 800_000;

  it('property: a path of 1..8 hops is forwarded hop by hop exactly as the route says; the payee reads its fields', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 8 }), fc.bigInt({ min: 1n, max: 10n ** 12n }), fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.boolean(), async (n, amount, secret, keysend) => {
        const path = syntheticPath(n, amount);
        const recipient = keysend
          ? { keysendPreimage: secret, customRecords: [{ type: 65537n, value: Uint8Array.of(1, 2) }] }
          : { paymentSecret: secret, paymentMetadata: Uint8Array.of(7) };
        const built = buildPathOnion(path, recipient, amount * 2n, height, hash, keyOf(1000));
        expect(built.amountMsat).toBe(path.hops[0]!.amountMsat);
        expect(built.cltvExpiry).toBe(height + path.hops[0]!.cltvExpiryDelta);
        let onion = built.onion;
        let amt = built.amountMsat;
        let cltv = built.cltvExpiry;
        for (let i = 0; i < n; i++) {
          const peeled = await peelIncomingHtlc({ amountMsat: amt, paymentHash: hash, cltvExpiry: cltv, onionRoutingPacket: onion }, { signer: keySigner(keyOf(i + 1)) });
          expect(peeled.kind === 'forward' || peeled.kind === 'receive').toBe(true);
          if (peeled.kind === 'forward') {
            expect(i).toBeLessThan(n - 1);
            expect(peeled.sharedSecret).toEqual(built.sharedSecrets[i]);
            expect(peeled.next).toEqual({ kind: 'scid', shortChannelId: path.hops[i + 1]!.shortChannelId });
            expect(peeled.amountToForwardMsat).toBe(path.hops[i + 1]!.amountMsat);
            expect(peeled.outgoingCltvValue).toBe(height + path.hops[i + 1]!.cltvExpiryDelta);
            onion = peeled.nextOnion;
            amt = peeled.amountToForwardMsat;
            cltv = peeled.outgoingCltvValue;
          } else if (peeled.kind === 'receive') {
            expect(i).toBe(n - 1);
            expect(peeled.payload.amountMsat).toBe(amount);
            expect(peeled.payload.outgoingCltvValue).toBe(height + path.hops[n - 1]!.cltvExpiryDelta);
            if (keysend) {
              expect(peeled.payload.keysendPreimage).toEqual(secret);
              expect(peeled.payload.customRecords).toEqual([{ type: 65537n, value: Uint8Array.of(1, 2) }]);
            } else {
              expect(peeled.payload.paymentData).toEqual({ paymentSecret: secret, totalMsat: amount * 2n });
              expect(peeled.payload.paymentMetadata).toEqual(Uint8Array.of(7));
            }
          }
        }
      }),
      { numRuns: runs },
    );
  });

  it('a corrupted onion is update_fail_malformed_htlc with the BOLT 4 code and the hash of what we received', async () => {
    const path = syntheticPath(3, 5000n);
    const { onion } = buildPathOnion(path, { paymentSecret: new Uint8Array(32) }, 5000n, height, hash, keyOf(77));
    const signer = keySigner(keyOf(1));
    const htlc = { amountMsat: path.hops[0]!.amountMsat, paymentHash: hash, cltvExpiry: height + 200 };
    const version = onion.slice();
    version[0] = 1;
    expect(await peelIncomingHtlc({ ...htlc, onionRoutingPacket: version }, { signer })).toEqual({ kind: 'malformed', failureCode: FAILURE_CODES.invalid_onion_version, sha256OfOnion: sha256(version), reason: expect.any(String) });
    const key = onion.slice();
    key[1] = 4;
    expect(await peelIncomingHtlc({ ...htlc, onionRoutingPacket: key }, { signer })).toMatchObject({ kind: 'malformed', failureCode: FAILURE_CODES.invalid_onion_key });
    for (const at of [40, 700, 1340, 1365]) {
      const bad = onion.slice();
      bad[at]! ^= 1;
      expect(await peelIncomingHtlc({ ...htlc, onionRoutingPacket: bad }, { signer })).toMatchObject({ kind: 'malformed', failureCode: FAILURE_CODES.invalid_onion_hmac, sha256OfOnion: sha256(bad) });
    }
    expect(await peelIncomingHtlc({ ...htlc, paymentHash: new Uint8Array(32) , onionRoutingPacket: onion }, { signer })).toMatchObject({ kind: 'malformed', failureCode: FAILURE_CODES.invalid_onion_hmac });
    expect(await peelIncomingHtlc({ ...htlc, onionRoutingPacket: onion.subarray(0, 1000) }, { signer })).toMatchObject({ kind: 'malformed' });
    // The onion for node 1 peeled by node 2: not ours.
    expect(await peelIncomingHtlc({ ...htlc, onionRoutingPacket: onion }, { signer: keySigner(keyOf(2)) })).toMatchObject({ kind: 'malformed', failureCode: FAILURE_CODES.invalid_onion_hmac });
  });

  it('payloads against the BOLT 4 reader rules are invalid_onion_payload, encrypted to the sender', async () => {
    const signer = keySigner(keyOf(1));
    const cases = [
      // intermediate hop without short_channel_id
      [{ publicKey: pubOf(1), payload: encodeHopPayload({ amtToForward: 1n, outgoingCltvValue: 10 }) }, { publicKey: pubOf(2), payload: encodeHopPayload({ amtToForward: 1n, outgoingCltvValue: 10 }) }],
      // final hop with short_channel_id
      [{ publicKey: pubOf(1), payload: encodeHopPayload({ amtToForward: 1n, outgoingCltvValue: 10, shortChannelId: shortChannelId(5n) }) }],
      // final hop without amount
      [{ publicKey: pubOf(1), payload: encodeHopPayload({ outgoingCltvValue: 10 }) }],
      // an unknown even TLV type
      [{ publicKey: pubOf(1), payload: Uint8Array.of(2, 1, 1, 4, 1, 10, 100, 0) }],
    ];
    for (const hops of cases) {
      const { packet, sharedSecrets } = buildOnionPacket(keyOf(50), hops, hash);
      const peeled = await peelIncomingHtlc({ amountMsat: 10n, paymentHash: hash, cltvExpiry: height, onionRoutingPacket: serializeOnionPacket(packet) }, { signer });
      expect(peeled).toMatchObject({ kind: 'fail', blinded: 'none', failure: { name: 'invalid_onion_payload' }, sharedSecret: sharedSecrets[0] });
    }
  });
});
