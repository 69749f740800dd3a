/* eslint-disable @typescript-eslint/no-explicit-any */
import { describe, expect, it } from '@jest/globals';
import { fromHex, shortChannelId, toHex } from 'ln-types';
import { defaultSecp256k1 } from 'ln-crypto';
import {
  addAttributionData,
  blindedHopEcdh,
  blindedNodeIdTweak,
  blindedPathOnionHops,
  aggregateBlindedPayInfo,
  blindedForwardingValues,
  buildFailurePayload,
  buildOnionMessage,
  buildOnionPacket,
  createBlindedPath,
  createFailurePacket,
  decodeEncryptedData,
  decodeFailureMessage,
  decodeHopPayload,
  decryptBlindedHopData,
  decryptFailurePacket,
  deriveSharedSecrets,
  encodeEncryptedData,
  encodeFailureMessage,
  encodeHopPayload,
  generateKey,
  obfuscateFailure,
  peelOnionMessage,
  peelOnionPacket,
  serializeOnionMessagePacket,
  serializeOnionPacket,
  verifyAttributionData,
  authenticateFailure,
  validateBlindedPaymentData,
  type BlindedPath,
} from '../src/index.js';
import { fixture, nodeEcdh, stripLength } from './fixtures.js';

describe('onion test (variable-length hop payloads)', () => {
  const v = fixture('bolt04-onion-test.json').vectors;
  const ad = fromHex(v.generate.associated_data);
  const hops = v.generate.hops.map((h: any) => ({ publicKey: fromHex(h.pubkey), payload: stripLength(h.payload) }));

  it('builds the spec onion byte for byte', () => {
    const built = buildOnionPacket(fromHex(v.generate.session_key), hops, ad);
    expect(toHex(serializeOnionPacket(built.packet))).toBe(v.onion);
  });

  it('each hop peels its payload in order; the last sees a zero HMAC', () => {
    let packet = buildOnionPacket(fromHex(v.generate.session_key), hops, ad).packet;
    v.decode.forEach((priv: string, i: number) => {
      const peeled = peelOnionPacket(packet, ad, nodeEcdh(priv));
      expect(toHex(peeled.payload)).toBe(toHex(hops[i].payload));
      expect(peeled.next === undefined).toBe(i === v.decode.length - 1);
      if (peeled.next) packet = peeled.next;
    });
  });

  it('the spec payloads decode as hop payload TLVs and re-encode identically', () => {
    for (const h of hops) expect(encodeHopPayload(decodeHopPayload(h.payload))).toEqual(h.payload);
    expect(decodeHopPayload(hops[0].payload)).toEqual({ amtToForward: 15000n, outgoingCltvValue: 1500, shortChannelId: 1n });
  });
});

describe('onion error test (legacy failure)', () => {
  const v = fixture('bolt04-onion-error-test.json').vectors;
  const hops = v.generate.hops;
  const { sharedSecrets } = deriveSharedSecrets(
    fromHex(v.generate.session_key),
    hops.map((h: any) => fromHex(h.pubkey)),
  );

  it('derives every shared secret, ammag and um key', () => {
    hops.forEach((h: any, i: number) => {
      expect(toHex(sharedSecrets[i]!)).toBe(h.hop_shared_secret);
      expect(toHex(generateKey('ammag', sharedSecrets[i]!))).toBe(h.ammag_key);
      if (h.um_key) expect(toHex(generateKey('um', sharedSecrets[i]!))).toBe(h.um_key);
    });
  });

  it('builds the erring payload, obfuscates back to the origin, and the origin finds hop 4', () => {
    expect(toHex(buildFailurePayload(fromHex(v.generate.failure_message)))).toBe(hops[4].payload);
    let packet = createFailurePacket(sharedSecrets[4]!, fromHex(v.generate.failure_message));
    for (let i = 3; i >= 0; i--) packet = obfuscateFailure(sharedSecrets[i]!, packet);
    expect(toHex(packet)).toBe(v.errorpacket);
    const found = decryptFailurePacket(sharedSecrets, fromHex(v.errorpacket));
    expect(found.hopIndex).toBe(4);
    expect(decodeFailureMessage(found.failureMessage)).toEqual({ name: 'temporary_node_failure' });
  });
});

describe('attributable failures', () => {
  const a = fixture('bolt04-attributable-errors.json');
  const hops = a.parameters.hops;
  const { sharedSecrets } = deriveSharedSecrets(
    fromHex(a.parameters.session_key),
    hops.map((h: any) => fromHex(h.pubkey)),
  );
  // The spec lists htlc_hold_time[i] next to pubkey[i], but its data has hop k
  // report the value listed for index nhops - 1 - k (the erring node reports 1):
  // matching every byte of the vector pins this down.
  const holdTimeOf = (node: number) => hops[hops.length - 1 - node].htlc_hold_time as number;

  it('the failure message and raw packet match the creation values', () => {
    const c = a.creation;
    const message = decodeFailureMessage(fromHex(c.encoded_failure_message).subarray(0, 320));
    expect(message).toMatchObject({ name: 'incorrect_or_unknown_payment_details', htlcMsat: 100n, height: 800000 });
    expect(message.tlvs?.[0]?.type).toBe(34001n);
    expect(message.tlvs?.[0]?.value).toEqual(new Uint8Array(300).fill(128));
    expect(encodeFailureMessage(message)).toEqual(fromHex(c.encoded_failure_message).subarray(0, 320));
    const payload = buildFailurePayload(encodeFailureMessage(message), 1024);
    expect(toHex(payload)).toBe(c.payload);
    expect(toHex(generateKey('um', sharedSecrets[4]!))).toBe(c.um_key);
    expect(toHex(authenticateFailure(sharedSecrets[4]!, payload))).toBe(c.raw_error_packet);
  });

  it('every forwarding step gives the spec error packet and attribution data', () => {
    let packet = fromHex(a.creation.raw_error_packet);
    let data: Uint8Array | undefined;
    for (const step of a.forwarding) {
      expect(toHex(sharedSecrets[step.node]!)).toBe(step.shared_secret);
      expect(toHex(generateKey('ammag', sharedSecrets[step.node]!))).toBe(step.ammag_key);
      data = addAttributionData(sharedSecrets[step.node]!, packet, holdTimeOf(step.node), data);
      packet = obfuscateFailure(sharedSecrets[step.node]!, packet);
      expect(toHex(packet)).toBe(step.error_packet);
      expect(toHex(data)).toBe(step.attribution_data);
    }
    const found = decryptFailurePacket(sharedSecrets, packet);
    expect(found.hopIndex).toBe(4);
    expect(verifyAttributionData(sharedSecrets, packet, data!, found.hopIndex)).toEqual({ holdTimes: [5, 4, 3, 2, 1] });
  });

  it('success attribution data matches the spec for every node', () => {
    let data: Uint8Array | undefined;
    for (const step of a.success_attribution_data) {
      data = addAttributionData(sharedSecrets[step.node]!, new Uint8Array(0), holdTimeOf(step.node), data);
      expect(toHex(data)).toBe(step.attribution_data);
    }
    expect(verifyAttributionData(sharedSecrets, new Uint8Array(0), data!, 4)).toEqual({ holdTimes: [5, 4, 3, 2, 1] });
  });

  it('when hop k alters what hop k+1 returned, the origin stops at hop k+1 (the pair k, k+1 is blamed)', () => {
    for (let k = 0; k < 4; k++) {
      // Hop k+1's hold time, and the HMAC it made for its actual position (3 - k hops from the erring node).
      for (const byte of [0, 3, 80 + 4 * (19 - (3 - k)), 80 + 4 * (19 - (3 - k)) + 3]) {
        let packet = fromHex(a.creation.raw_error_packet);
        let data: Uint8Array | undefined;
        for (let node = 4; node >= 0; node--) {
          if (node === k) data![byte]! ^= 0x40;
          data = addAttributionData(sharedSecrets[node]!, packet, holdTimeOf(node), data);
          packet = obfuscateFailure(sharedSecrets[node]!, packet);
        }
        const r = verifyAttributionData(sharedSecrets, packet, data!, 4);
        expect(r.firstInvalidHop).toBe(k + 1);
        expect(r.holdTimes).toEqual([5, 4, 3, 2, 1].slice(0, k + 1));
      }
    }
  });
});

describe('route blinding test', () => {
  const v = fixture('bolt04-route-blinding-test.json').vectors;
  const g = v.generate.hops;

  it('creates the concatenated route (Bob -> Carol, then Dave -> Eve)', () => {
    const first = createBlindedPath(fromHex(g[0].session_key), g.slice(0, 2).map((h: any) => ({ nodeId: fromHex(h.node_id), data: fromHex(h.encoded_tlvs) })));
    const second = createBlindedPath(fromHex(g[2].session_key), g.slice(2).map((h: any) => ({ nodeId: fromHex(h.node_id), data: fromHex(h.encoded_tlvs) })));
    expect(toHex(first.introductionNodeId)).toBe(v.route.first_node_id);
    expect(toHex(first.firstPathKey)).toBe(v.route.first_path_key);
    expect(toHex(second.firstPathKey)).toBe(g[2].path_key);
    const hops = [...first.hops, ...second.hops];
    hops.forEach((h, i) => {
      expect(toHex(h.blindedNodeId)).toBe(v.route.hops[i].blinded_node_id);
      expect(toHex(h.encryptedData)).toBe(v.route.hops[i].encrypted_data);
    });
  });

  it('encrypted_data_tlv payloads decode to the listed fields and re-encode identically', () => {
    for (const h of g) expect(toHex(encodeEncryptedData(decodeEncryptedData(fromHex(h.encoded_tlvs))))).toBe(h.encoded_tlvs);
    expect(decodeEncryptedData(fromHex(g[0].encoded_tlvs))).toMatchObject({
      shortChannelId: 1729n,
      paymentRelay: { cltvExpiryDelta: 36, feeProportionalMillionths: 150, feeBaseMsat: 10000 },
      paymentConstraints: { maxCltvExpiry: 748005, htlcMinimumMsat: 1500n },
      allowedFeatures: new Uint8Array(0),
      unknown: [{ type: 561n, value: fromHex('123456') }],
    });
    expect(toHex(decodeEncryptedData(fromHex(g[1].encoded_tlvs)).nextPathKeyOverride!)).toBe(g[1].tlvs.next_path_key_override);
  });

  it('each hop unblinds its data, derives the next path key and its blinded private key', () => {
    v.unblind.hops.forEach((u: any, i: number) => {
      const ecdh = nodeEcdh(u.node_privkey);
      const r = decryptBlindedHopData(ecdh, fromHex(u.path_key), fromHex(v.route.hops[i].encrypted_data));
      expect(toHex(r.data)).toBe(u.decrypted_data);
      expect(toHex(r.nextPathKey)).toBe(u.next_path_key);
      expect(toHex(defaultSecp256k1.privateKeyTweakMul(fromHex(u.node_privkey), blindedNodeIdTweak(r.sharedSecret)))).toBe(u.blinded_privkey);
    });
  });
});

describe('blinded payment onion test', () => {
  const v = fixture('bolt04-blinded-payment-onion-test.json').vectors;
  const gen = v.generate;
  const ad = fromHex(gen.associated_data);
  const path: BlindedPath = {
    introductionNodeId: fromHex(gen.blinded_route.first_node_id),
    firstPathKey: fromHex(gen.blinded_route.first_path_key),
    hops: gen.blinded_route.hops.map((h: any) => ({ blindedNodeId: fromHex(h.blinded_node_id), encryptedData: fromHex(h.encrypted_data) })),
  };
  const full = gen.full_route.hops;

  it('the sender builds the spec payloads and onion', () => {
    const blinded = blindedPathOnionHops(path, { amtToForward: BigInt(gen.final_amount_msat), outgoingCltvValue: gen.final_cltv, totalAmountMsat: 150000n });
    blinded.forEach((h, i) => {
      expect(toHex(h.publicKey)).toBe(full[i + 1].pubkey);
      expect(toHex(h.payload)).toBe(toHex(stripLength(full[i + 1].payload)));
    });
    const alice = { publicKey: fromHex(full[0].pubkey), payload: encodeHopPayload({ shortChannelId: shortChannelId(10n), amtToForward: 110125n, outgoingCltvValue: 749150 }) };
    expect(toHex(alice.payload)).toBe(toHex(stripLength(full[0].payload)));
    const built = buildOnionPacket(fromHex(gen.session_key), [alice, ...blinded], ad);
    expect(toHex(serializeOnionPacket(built.packet))).toBe(gen.onion);
  });

  it('aggregates the blinded payinfo as the spec does', () => {
    const relays = gen.full_route.hops.slice(1, 4).map((h: any) => decodeEncryptedData(decryptFor(h.alias)).paymentRelay!);
    expect(aggregateBlindedPayInfo(relays)).toEqual({
      feeBaseMsat: BigInt(gen.blinded_payinfo.fee_base_msat),
      feeProportionalMillionths: BigInt(gen.blinded_payinfo.fee_proportional_millionths),
      cltvExpiryDelta: gen.blinded_payinfo.cltv_expiry_delta,
    });
  });

  // Each blinded hop's data, decrypted by walking the route (used above for the relays).
  const decrypted = new Map<string, Uint8Array>();
  function decryptFor(alias: string): Uint8Array {
    if (decrypted.size === 0) walk();
    return decrypted.get(alias)!;
  }

  function walk(): { onions: string[]; pathKeys: string[]; amounts: bigint[] } {
    let packet = buildOnionPacket(fromHex(gen.session_key), [
      { publicKey: fromHex(full[0].pubkey), payload: stripLength(full[0].payload) },
      ...blindedPathOnionHops(path, { amtToForward: 100000n, outgoingCltvValue: 749000, totalAmountMsat: 150000n }),
    ], ad).packet;
    let pathKey: Uint8Array | undefined;
    const onions: string[] = [];
    const pathKeys: string[] = [];
    const amounts: bigint[] = [];
    let amount = 110125n;
    let cltv = 749150;
    for (const d of v.decrypt.hops) {
      onions.push(toHex(serializeOnionPacket(packet)));
      const ecdh = nodeEcdh(d.node_privkey);
      const peeled = peelOnionPacket(packet, ad, pathKey ? blindedHopEcdh(ecdh, pathKey) : ecdh);
      const payload = decodeHopPayload(peeled.payload);
      const key = pathKey ?? payload.currentPathKey;
      if (payload.encryptedRecipientData !== undefined && key !== undefined) {
        const u = decryptBlindedHopData(ecdh, key, payload.encryptedRecipientData);
        decrypted.set(d.alias, u.data);
        const data = decodeEncryptedData(u.data);
        // The HTLC each blinded hop receives meets the constraints its recipient set.
        validateBlindedPaymentData(data, { isFinal: peeled.next === undefined, amountMsat: amount, cltvExpiry: cltv });
        pathKey = data.nextPathKeyOverride ?? u.nextPathKey;
        pathKeys.push(toHex(pathKey));
        if (data.paymentRelay) {
          ({ amtToForward: amount, outgoingCltvValue: cltv } = blindedForwardingValues(data.paymentRelay, amount, cltv));
          amounts.push(amount);
        }
      }
      if (peeled.next) packet = peeled.next;
    }
    return { onions, pathKeys, amounts };
  }

  it('every hop sees the spec onion and derives the spec next path key', () => {
    const { onions, pathKeys } = walk();
    expect(onions).toEqual(v.decrypt.hops.map((d: any) => d.onion));
    expect(pathKeys).toEqual(v.decrypt.hops.slice(1).map((d: any) => d.next_path_key));
  });

  it('blinded hops compute amounts from payment_relay down to the final amount', () => {
    const { amounts } = walk();
    expect(amounts[amounts.length - 1]).toBe(100000n);
  });
});

describe('blinded onion message test', () => {
  const v = fixture('bolt04-blinded-onion-message-onion-test.json').vectors;
  const g = v.generate.hops;
  const dh = v.decrypt.hops;
  const alice = createBlindedPath(fromHex(g[0].path_key_secret), [{ nodeId: fromHex(v.route.first_node_id), data: fromHex(g[0].encrypted_data_tlv) }]);
  const dave = createBlindedPath(
    fromHex(g[1].path_key_secret),
    [1, 2, 3].map((i) => ({ nodeId: fromHex(dh[i - 1].next_node_id), data: fromHex(g[i].encrypted_data_tlv) })),
  );
  const path: BlindedPath = { introductionNodeId: alice.introductionNodeId, firstPathKey: alice.firstPathKey, hops: [...alice.hops, ...dave.hops] };

  it('joins the sender hop to the recipient path (next_path_key_override)', () => {
    expect(toHex(path.firstPathKey)).toBe(v.route.first_path_key);
    path.hops.forEach((h, i) => {
      expect(toHex(h.blindedNodeId)).toBe(v.route.hops[i].blinded_node_id);
      expect(toHex(h.encryptedData)).toBe(v.route.hops[i].encrypted_recipient_data);
    });
    expect(toHex(dave.firstPathKey)).toBe(g[1].E);
  });

  it('builds the spec onion message and each hop peels it to the spec bytes', () => {
    const message = buildOnionMessage(fromHex(v.generate.session_key), path, { unknown: [{ type: 1n, value: fromHex(v.onionmessage.unknown_tag_1) }] });
    expect(toHex(serializeOnionMessagePacket(message))).toBe(v.onionmessage.onion_message_packet);
    let pathKey = message.pathKey;
    let bytes = serializeOnionMessagePacket(message);
    for (const h of dh) {
      // onion_message: type 513, path_key, u16 len, packet.
      expect('0201' + toHex(pathKey) + bytes.length.toString(16).padStart(4, '0') + toHex(bytes)).toBe(h.onion_message);
      const peeled = peelOnionMessage(nodeEcdh(h.privkey), pathKey, bytes);
      if (peeled.next) {
        expect(toHex(peeled.encryptedData.nextNodeId!)).toBe(h.next_node_id);
        pathKey = peeled.next.pathKey;
        bytes = serializeOnionMessagePacket(peeled.next);
      } else {
        expect(toHex(peeled.payload.encryptedRecipientData!)).toBe(h.tlvs.encrypted_recipient_data);
        expect(peeled.payload.unknown).toEqual([{ type: 1n, value: fromHex(h.tlvs.unknown_tag_1) }]);
        expect(toHex(peeled.encryptedData.pathId!)).toBe(g[3].tlvs.path_id);
      }
    }
  });
});
