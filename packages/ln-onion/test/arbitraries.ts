import fc from 'fast-check';
import type { FailureMessage } from '../src/index.js';

const u16 = fc.nat({ max: 0xffff });
const u32 = fc.nat({ max: 0xffffffff });
const u64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
const bytes32 = fc.uint8Array({ minLength: 32, maxLength: 32 });
const update = fc.uint8Array({ maxLength: 200 });

/** Every BOLT 4 failure with random data (and sometimes odd TLV records). */
export const failureMessageArb: fc.Arbitrary<FailureMessage> = fc
  .tuple(
    fc.oneof(
      fc.constantFrom(
        'invalid_realm',
        'temporary_node_failure',
        'permanent_node_failure',
        'required_node_feature_missing',
        'permanent_channel_failure',
        'required_channel_feature_missing',
        'unknown_next_peer',
        'expiry_too_far',
        'mpp_timeout',
      ).map((name) => ({ name }) as FailureMessage),
      fc.record({ name: fc.constantFrom('invalid_onion_version', 'invalid_onion_hmac', 'invalid_onion_key', 'invalid_onion_blinding'), sha256OfOnion: bytes32 }) as fc.Arbitrary<FailureMessage>,
      fc.record({ name: fc.constantFrom('temporary_channel_failure', 'expiry_too_soon'), channelUpdate: update }) as fc.Arbitrary<FailureMessage>,
      fc.record({ name: fc.constantFrom('amount_below_minimum', 'fee_insufficient'), htlcMsat: u64, channelUpdate: update }) as fc.Arbitrary<FailureMessage>,
      fc.record({ name: fc.constant('incorrect_cltv_expiry'), cltvExpiry: u32, channelUpdate: update }) as fc.Arbitrary<FailureMessage>,
      fc.record({ name: fc.constant('incorrect_or_unknown_payment_details'), htlcMsat: u64, height: u32 }) as fc.Arbitrary<FailureMessage>,
      fc.record({ name: fc.constant('final_incorrect_cltv_expiry'), cltvExpiry: u32 }) as fc.Arbitrary<FailureMessage>,
      fc.record({ name: fc.constant('final_incorrect_htlc_amount'), incomingHtlcAmtMsat: u64 }) as fc.Arbitrary<FailureMessage>,
      fc.record({ name: fc.constant('channel_disabled'), disabledFlags: u16, channelUpdate: update }) as fc.Arbitrary<FailureMessage>,
      fc.record({ name: fc.constant('invalid_onion_payload'), tlvType: u64, offset: u16 }) as fc.Arbitrary<FailureMessage>,
      // Codes BOLT 4 does not define (flags kept), with opaque data.
      fc.record({ name: fc.constant('unknown'), code: u16.filter((c) => ![0x4001, 0x2002, 0x6002, 0x6003, 0xc004, 0xc005, 0xc006, 0x1007, 0x4008, 0x4009, 0x400a, 0x100b, 0x100c, 0x100d, 0x100e, 0x400f, 18, 19, 0x1014, 21, 0x4016, 23, 0xc018].includes(c)), data: fc.uint8Array({ maxLength: 50 }) }) as fc.Arbitrary<FailureMessage>,
    ),
    fc.uniqueArray(fc.bigInt({ min: 0n, max: 100_000n }).map((t) => 2n * t + 1n), { maxLength: 3 }),
  )
  .map(([m, types]) => {
    // Unknown codes swallow everything after the code, so they carry no separate TLVs.
    if (m.name === 'unknown' || types.length === 0) return m;
    const tlvs = [...types].sort((a, b) => (a < b ? -1 : 1)).map((type) => ({ type, value: Uint8Array.of(Number(type % 256n)) }));
    return { ...m, tlvs };
  });
