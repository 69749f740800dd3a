import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { CHAIN_HASHES, shortChannelId } from 'ln-types';
import { decodeMessage, encodeMessage, type ChannelUpdateMessage } from 'ln-wire';
import {
  addAttributionData,
  authenticateFailure,
  buildFailurePayload,
  checkMalformedFailureCode,
  createFailurePacket,
  decodeFailureChannelUpdate,
  decodeFailureMessage,
  decryptFailurePacket,
  deriveSharedSecrets,
  encodeFailureMessage,
  FAILURE_CODES,
  failureChannelUpdate,
  failureCode,
  failureNameOf,
  isBadOnionCode,
  malformedHtlcFailure,
  obfuscateFailure,
  OnionError,
  verifyAttributionData,
} from '../src/index.js';
import { failureMessageArb } from './arbitraries.js';
import { keyOf, pubOf } from './fixtures.js';

const runs = process.env.LN_LONG_TESTS === '1' ? 500 : 20;

describe('failure messages', () => {
  it('decode(encode(m)) == m for every code, with odd TLV records', () => {
    fc.assert(
      fc.property(failureMessageArb, (m) => {
        expect(decodeFailureMessage(encodeFailureMessage(m))).toEqual(m);
      }),
      { numRuns: 300 },
    );
  });

  it('names and flags of every BOLT 4 code', () => {
    expect(Object.keys(FAILURE_CODES)).toHaveLength(23);
    for (const [name, code] of Object.entries(FAILURE_CODES)) expect(failureNameOf(code)).toBe(name);
    expect(FAILURE_CODES.invalid_onion_hmac).toBe(0xc005);
    expect(FAILURE_CODES.temporary_channel_failure).toBe(0x1007);
    expect(FAILURE_CODES.incorrect_or_unknown_payment_details).toBe(0x400f);
    expect(failureCode({ name: 'mpp_timeout' })).toBe(23);
    expect(isBadOnionCode(FAILURE_CODES.invalid_onion_blinding)).toBe(true);
    expect(isBadOnionCode(FAILURE_CODES.temporary_node_failure)).toBe(false);
  });

  it('malformed messages give typed errors: truncated data, an even TLV, random bytes', () => {
    expect(() => decodeFailureMessage(Uint8Array.of(0x40))).toThrow(expect.objectContaining({ code: 'invalid_failure_message' }));
    expect(() => decodeFailureMessage(Uint8Array.of(0x10, 0x07, 0x00, 0x05, 1))).toThrow(OnionError);
    expect(() => decodeFailureMessage(Uint8Array.of(0x20, 0x02, 0x02, 0x00))).toThrow(expect.objectContaining({ code: 'invalid_failure_message' }));
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
        try {
          decodeFailureMessage(b);
        } catch (e) {
          expect(e).toBeInstanceOf(OnionError);
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe('the channel_update of UPDATE failures, typed', () => {
  const updateArb: fc.Arbitrary<ChannelUpdateMessage> = fc.record({
    type: fc.constant('channel_update' as const),
    signature: fc.uint8Array({ minLength: 64, maxLength: 64 }),
    chainHash: fc.constant(CHAIN_HASHES.bitcoin),
    shortChannelId: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }).map(shortChannelId),
    timestamp: fc.nat(),
    messageFlags: fc.constant(1),
    channelFlags: fc.integer({ min: 0, max: 3 }),
    cltvExpiryDelta: fc.integer({ min: 0, max: 0xffff }),
    htlcMinimumMsat: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
    feeBaseMsat: fc.nat(),
    feeProportionalMillionths: fc.nat(),
    htlcMaximumMsat: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
  });

  it('reads it with the message type in front (as senders write it) and without', () => {
    fc.assert(
      fc.property(updateArb, fc.boolean(), fc.constantFrom('temporary_channel_failure', 'expiry_too_soon', 'channel_disabled', 'fee_insufficient'), (update, prefixed, name) => {
        const withType = encodeMessage(update);
        const carried = prefixed ? withType : withType.subarray(2);
        const failure =
          name === 'channel_disabled'
            ? { name, disabledFlags: 0, channelUpdate: carried }
            : name === 'fee_insufficient'
              ? { name, htlcMsat: 5n, channelUpdate: carried }
              : { name, channelUpdate: carried };
        const decoded = decodeFailureMessage(encodeFailureMessage(failure));
        expect(failureChannelUpdate(decoded)).toEqual(update);
        expect(decodeFailureChannelUpdate(carried)).toEqual(decodeMessage(withType));
      }),
      { numRuns: 200 },
    );
  });

  it('reads an unprefixed update whose signature starts with the type bytes 01 02', () => {
    fc.assert(
      fc.property(updateArb, fc.boolean(), (update, prefixed) => {
        const signature = update.signature.slice();
        signature[0] = 0x01;
        signature[1] = 0x02;
        const tricky = { ...update, signature };
        const withType = encodeMessage(tricky);
        expect(decodeFailureChannelUpdate(prefixed ? withType : withType.subarray(2))).toEqual(tricky);
      }),
      { numRuns: 200 },
    );
  });

  it('gives undefined for failures without one, an empty one or bytes that do not parse; typed errors when asked directly', () => {
    expect(failureChannelUpdate({ name: 'mpp_timeout' })).toBeUndefined();
    expect(failureChannelUpdate({ name: 'temporary_channel_failure', channelUpdate: new Uint8Array(0) })).toBeUndefined();
    expect(failureChannelUpdate({ name: 'temporary_channel_failure', channelUpdate: Uint8Array.of(1, 2, 3) })).toBeUndefined();
    expect(() => decodeFailureChannelUpdate(Uint8Array.of(1, 2, 3))).toThrow(expect.objectContaining({ code: 'invalid_failure_message' }));
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        try {
          decodeFailureChannelUpdate(bytes);
        } catch (e) {
          expect(e).toBeInstanceOf(OnionError);
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe('failure packets along a route', () => {
  const routeArb = fc.record({
    hops: fc.integer({ min: 1, max: 20 }),
    failing: fc.nat(),
    message: failureMessageArb,
    session: fc.integer({ min: 1, max: 1000 }),
    holdTimes: fc.array(fc.nat({ max: 0xffffffff }), { minLength: 20, maxLength: 20 }),
  });

  it('the origin identifies the failing hop and reads its message; attribution data verifies with every hold time', () => {
    fc.assert(
      fc.property(routeArb, ({ hops, failing, message, session, holdTimes }) => {
        const e = failing % hops;
        const { sharedSecrets } = deriveSharedSecrets(
          keyOf(50_000 + session),
          Array.from({ length: hops }, (_, i) => pubOf(i)),
        );
        const raw = authenticateFailure(sharedSecrets[e]!, buildFailurePayload(encodeFailureMessage(message)));
        let packet = raw;
        let data: Uint8Array | undefined;
        for (let i = e; i >= 0; i--) {
          data = addAttributionData(sharedSecrets[i]!, packet, holdTimes[i]!, data);
          packet = obfuscateFailure(sharedSecrets[i]!, packet);
        }
        expect(packet).toEqual(createFailureFromHop(e));
        const found = decryptFailurePacket(sharedSecrets, packet);
        expect(found.hopIndex).toBe(e);
        expect(decodeFailureMessage(found.failureMessage)).toEqual(message);
        expect(verifyAttributionData(sharedSecrets, packet, data!, e)).toEqual({ holdTimes: holdTimes.slice(0, e + 1) });

        function createFailureFromHop(hop: number): Uint8Array {
          let p = createFailurePacket(sharedSecrets[hop]!, encodeFailureMessage(message));
          for (let i = hop - 1; i >= 0; i--) p = obfuscateFailure(sharedSecrets[i]!, p);
          return p;
        }
      }),
      { numRuns: runs },
    );
  });

  it('a corrupted return packet is not attributed to any hop', () => {
    const { sharedSecrets } = deriveSharedSecrets(keyOf(77), [pubOf(1), pubOf(2), pubOf(3)]);
    let packet = createFailurePacket(sharedSecrets[2]!, encodeFailureMessage({ name: 'temporary_node_failure' }));
    packet = obfuscateFailure(sharedSecrets[1]!, packet);
    packet[100]! ^= 1;
    packet = obfuscateFailure(sharedSecrets[0]!, packet);
    expect(() => decryptFailurePacket(sharedSecrets, packet)).toThrow(expect.objectContaining({ code: 'unattributable_failure' }));
    expect(() => decryptFailurePacket(sharedSecrets, new Uint8Array(10))).toThrow(expect.objectContaining({ code: 'unattributable_failure' }));
  });

  it('random return packets give a typed error, never another exception', () => {
    const { sharedSecrets } = deriveSharedSecrets(keyOf(78), [pubOf(1), pubOf(2)]);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (b) => {
        expect(() => decryptFailurePacket(sharedSecrets, b)).toThrow(OnionError);
      }),
      { numRuns: 300 },
    );
  });

  it('pads to 256 by default and to any larger size on request', () => {
    expect(buildFailurePayload(Uint8Array.of(0x20, 0x02)).length).toBe(2 + 2 + 2 + 254);
    expect(buildFailurePayload(new Uint8Array(300)).length).toBe(2 + 300 + 2);
    expect(buildFailurePayload(new Uint8Array(320), 1024).length).toBe(2 + 1024 + 2);
  });
});

describe('update_fail_malformed_htlc', () => {
  it('maps peel errors to BADONION codes with the onion hash', () => {
    const onion = new Uint8Array(1366);
    expect(malformedHtlcFailure(onion, new OnionError('invalid_hmac', 'x'))?.failureCode).toBe(FAILURE_CODES.invalid_onion_hmac);
    expect(malformedHtlcFailure(onion, new OnionError('invalid_version', 'x'))?.failureCode).toBe(FAILURE_CODES.invalid_onion_version);
    expect(malformedHtlcFailure(onion, new OnionError('invalid_public_key', 'x'))?.failureCode).toBe(FAILURE_CODES.invalid_onion_key);
    expect(malformedHtlcFailure(onion, new OnionError('invalid_hmac', 'x'), true)?.failureCode).toBe(FAILURE_CODES.invalid_onion_blinding);
    expect(malformedHtlcFailure(onion, new OnionError('invalid_hop_payload', 'x'))).toBeUndefined();
    expect(malformedHtlcFailure(onion, new OnionError('invalid_hmac', 'x'))?.sha256OfOnion).toHaveLength(32);
  });
  it('accepts only codes with the BADONION bit', () => {
    expect(() => checkMalformedFailureCode(FAILURE_CODES.invalid_onion_key)).not.toThrow();
    expect(() => checkMalformedFailureCode(FAILURE_CODES.temporary_node_failure)).toThrow(expect.objectContaining({ code: 'invalid_failure_message' }));
    expect(() => checkMalformedFailureCode(0x10000)).toThrow(OnionError);
  });
});
