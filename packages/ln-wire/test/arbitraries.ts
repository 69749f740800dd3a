// fast-check generators for messages, shared by the round-trip and robustness tests.
import fc from 'fast-check';
import type { ChainHash, ChannelId, PublicKey, ShortChannelId, Txid } from 'ln-types';
import type { Message, TlvRecord } from '../src/index.js';

export const bytes = (maxLength = 64) => fc.uint8Array({ maxLength });
export const fixed = (n: number) => fc.uint8Array({ minLength: n, maxLength: n });
export const channelId = fixed(32).map((b) => b as ChannelId);

/** Unknown odd TLV records above `above`, sorted and unique. */
export const unknownOdd = (above: number) =>
  fc
    .uniqueArray(fc.integer({ min: 0, max: 500 }), { maxLength: 3 })
    .map((ns) => ns.map((n) => BigInt(above + 1 + 2 * n + (above % 2 === 0 ? 0 : 1))).sort((a, b) => (a < b ? -1 : 1)))
    .chain((types) => fc.tuple(...types.map((type) => bytes(8).map((value): TlvRecord => ({ type, value })))));

/** An optional extension of unknown odd records only. */
export const plainExtension = fc.option(unknownOdd(0).filter((u) => u.length > 0).map((unknown) => ({ unknown })), { nil: undefined });

function withTlvs<T extends object>(m: T, tlvs: object | undefined): T {
  return tlvs === undefined || Object.keys(tlvs).length === 0 ? m : { ...m, tlvs };
}

export const bolt1Message: fc.Arbitrary<Message> = fc.oneof(
  fc
    .tuple(bytes(4), bytes(8), fc.option(fc.array(fixed(32), { maxLength: 3 }), { nil: undefined }), fc.option(bytes(18), { nil: undefined }), unknownOdd(3))
    .map(([globalFeatures, features, networks, remoteAddr, unknown]): Message => {
      const tlvs = {
        ...(networks === undefined ? {} : { networks: networks as ChainHash[] }),
        ...(remoteAddr === undefined ? {} : { remoteAddr }),
        ...(unknown.length === 0 ? {} : { unknown }),
      };
      return withTlvs({ type: 'init' as const, globalFeatures, features }, tlvs);
    }),
  fc.tuple(fc.constantFrom('error' as const, 'warning' as const), channelId, bytes(100), plainExtension).map(([type, cid, data, tlvs]) => withTlvs({ type, channelId: cid, data }, tlvs)),
  fc.tuple(fc.integer({ min: 0, max: 65535 }), bytes(100), plainExtension).map(([numPongBytes, ignored, tlvs]) => withTlvs({ type: 'ping' as const, numPongBytes, ignored }, tlvs)),
  fc.tuple(bytes(100), plainExtension).map(([ignored, tlvs]) => withTlvs({ type: 'pong' as const, ignored }, tlvs)),
  fc.tuple(fc.constantFrom('peer_storage' as const, 'peer_storage_retrieval' as const), bytes(200), plainExtension).map(([type, blob, tlvs]) => withTlvs({ type, blob }, tlvs)),
);

// ---- BOLT 2 and BOLT 4 ----

export const u8 = fc.integer({ min: 0, max: 0xff });
export const u16 = fc.integer({ min: 0, max: 0xffff });
export const u32 = fc.integer({ min: 0, max: 0xffffffff });
export const u64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
export const s64 = fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n });
export const point = fc.tuple(fc.constantFrom(2, 3), fixed(32)).map(([prefix, x]) => {
  const p = new Uint8Array(33);
  p[0] = prefix;
  p.set(x, 1);
  return p as PublicKey;
});
export const hash = fixed(32);
export const txidArb = fixed(32).map((b) => b as Txid);
export const signature = fixed(64);

/**
 * An optional TLV extension: any subset of the namespace's known records plus
 * unknown odd records above `maxKnownType`.
 */
export function extension<K extends Record<string, fc.Arbitrary<unknown>>>(known: K, maxKnownType: number) {
  return fc.tuple(fc.record(known, { requiredKeys: [] }), unknownOdd(maxKnownType)).map(([k, unknown]) => {
    const tlvs = { ...k, ...(unknown.length === 0 ? {} : { unknown }) };
    return Object.keys(tlvs).length === 0 ? undefined : tlvs;
  });
}

/** A message of `type` with the given fields and an optional extension. */
function message<T extends string, F extends Record<string, fc.Arbitrary<unknown>>>(type: T, fields: F, tlvs: fc.Arbitrary<object | undefined> = plainExtension): fc.Arbitrary<Message> {
  return fc.tuple(fc.record(fields), tlvs).map(([f, t]) => withTlvs({ type, ...f }, t) as unknown as Message);
}

const openingKeys = {
  fundingPubkey: point,
  revocationBasepoint: point,
  paymentBasepoint: point,
  delayedPaymentBasepoint: point,
  htlcBasepoint: point,
  firstPerCommitmentPoint: point,
};
const openTlvs = extension({ upfrontShutdownScript: bytes(34), channelType: bytes(8) }, 1);
const open2Tlvs = extension({ upfrontShutdownScript: bytes(34), channelType: bytes(8), requireConfirmedInputs: fc.constant(true as const) }, 2);
const rbfTlvs = extension({ fundingOutputContribution: s64, requireConfirmedInputs: fc.constant(true as const) }, 2);
const attribution = extension({ attributionData: fc.record({ htlcHoldTimes: fc.array(u32, { minLength: 20, maxLength: 20 }), truncatedHmacs: fixed(840) }) }, 1);
const fundingRetransmit = fc.record({ txid: txidArb, retransmitFlags: u8 });
const closingFields = {
  channelId,
  closerScriptpubkey: bytes(34),
  closeeScriptpubkey: bytes(34),
  feeSatoshis: u64,
  locktime: u32,
};
const closingTlvs = extension({ closerOutputOnly: signature, closeeOutputOnly: signature, closerAndCloseeOutputs: signature }, 3);

/** One generator per BOLT 2 message type, by name. */
export const bolt2Messages: Record<string, fc.Arbitrary<Message>> = {
  stfu: message('stfu', { channelId, initiator: fc.boolean() }),
  open_channel: message(
    'open_channel',
    {
      chainHash: hash.map((b) => b as ChainHash),
      temporaryChannelId: channelId,
      fundingSatoshis: u64,
      pushMsat: u64,
      dustLimitSatoshis: u64,
      maxHtlcValueInFlightMsat: u64,
      channelReserveSatoshis: u64,
      htlcMinimumMsat: u64,
      feeratePerKw: u32,
      toSelfDelay: u16,
      maxAcceptedHtlcs: u16,
      ...openingKeys,
      channelFlags: u8,
    },
    openTlvs,
  ),
  accept_channel: message(
    'accept_channel',
    {
      temporaryChannelId: channelId,
      dustLimitSatoshis: u64,
      maxHtlcValueInFlightMsat: u64,
      channelReserveSatoshis: u64,
      htlcMinimumMsat: u64,
      minimumDepth: u32,
      toSelfDelay: u16,
      maxAcceptedHtlcs: u16,
      ...openingKeys,
    },
    openTlvs,
  ),
  funding_created: message('funding_created', { temporaryChannelId: channelId, fundingTxid: txidArb, fundingOutputIndex: u16, signature }),
  funding_signed: message('funding_signed', { channelId, signature }),
  channel_ready: message('channel_ready', { channelId, secondPerCommitmentPoint: point }, extension({ shortChannelId: u64.map((v) => v as ShortChannelId) }, 1)),
  shutdown: message('shutdown', { channelId, scriptpubkey: bytes(34) }),
  closing_signed: message('closing_signed', { channelId, feeSatoshis: u64, signature }, extension({ feeRange: fc.record({ minFeeSatoshis: u64, maxFeeSatoshis: u64 }) }, 1)),
  closing_complete: message('closing_complete', closingFields, closingTlvs),
  closing_sig: message('closing_sig', closingFields, closingTlvs),
  open_channel2: message(
    'open_channel2',
    {
      chainHash: hash.map((b) => b as ChainHash),
      temporaryChannelId: channelId,
      fundingFeeratePerkw: u32,
      commitmentFeeratePerkw: u32,
      fundingSatoshis: u64,
      dustLimitSatoshis: u64,
      maxHtlcValueInFlightMsat: u64,
      htlcMinimumMsat: u64,
      toSelfDelay: u16,
      maxAcceptedHtlcs: u16,
      locktime: u32,
      ...openingKeys,
      secondPerCommitmentPoint: point,
      channelFlags: u8,
    },
    open2Tlvs,
  ),
  accept_channel2: message(
    'accept_channel2',
    {
      temporaryChannelId: channelId,
      fundingSatoshis: u64,
      dustLimitSatoshis: u64,
      maxHtlcValueInFlightMsat: u64,
      htlcMinimumMsat: u64,
      minimumDepth: u32,
      toSelfDelay: u16,
      maxAcceptedHtlcs: u16,
      ...openingKeys,
      secondPerCommitmentPoint: point,
    },
    open2Tlvs,
  ),
  tx_add_input: message('tx_add_input', { channelId, serialId: u64, prevtx: bytes(300), prevtxVout: u32, sequence: u32 }, extension({ sharedInputTxid: txidArb }, 0)),
  tx_add_output: message('tx_add_output', { channelId, serialId: u64, sats: u64, script: bytes(34) }),
  tx_remove_input: message('tx_remove_input', { channelId, serialId: u64 }),
  tx_remove_output: message('tx_remove_output', { channelId, serialId: u64 }),
  tx_complete: message('tx_complete', { channelId }),
  tx_signatures: message('tx_signatures', { channelId, txid: txidArb, witnesses: fc.array(bytes(110), { maxLength: 4 }) }, extension({ sharedInputSignature: signature }, 0)),
  tx_init_rbf: message('tx_init_rbf', { channelId, locktime: u32, feerate: u32 }, rbfTlvs),
  tx_ack_rbf: message('tx_ack_rbf', { channelId }, rbfTlvs),
  tx_abort: message('tx_abort', { channelId, data: bytes(60) }),
  splice_init: message(
    'splice_init',
    { channelId, fundingContributionSatoshis: s64, fundingFeeratePerkw: u32, locktime: u32, fundingPubkey: point },
    extension({ requireConfirmedInputs: fc.constant(true as const) }, 2),
  ),
  splice_ack: message('splice_ack', { channelId, fundingContributionSatoshis: s64, fundingPubkey: point }, extension({ requireConfirmedInputs: fc.constant(true as const) }, 2)),
  splice_locked: message('splice_locked', { channelId, spliceTxid: txidArb }),
  start_batch: message('start_batch', { channelId, batchSize: u16 }, extension({ messageType: u16 }, 1)),
  update_add_htlc: message(
    'update_add_htlc',
    { channelId, id: u64, amountMsat: u64, paymentHash: hash, cltvExpiry: u32, onionRoutingPacket: fixed(1366) },
    extension({ blindedPath: point }, 0),
  ),
  update_fulfill_htlc: message('update_fulfill_htlc', { channelId, id: u64, paymentPreimage: hash }, attribution),
  update_fail_htlc: message('update_fail_htlc', { channelId, id: u64, reason: bytes(300) }, attribution),
  update_fail_malformed_htlc: message('update_fail_malformed_htlc', { channelId, id: u64, sha256OfOnion: hash, failureCode: u16 }),
  commitment_signed: message('commitment_signed', { channelId, signature, htlcSignatures: fc.array(signature, { maxLength: 5 }) }, extension({ fundingTxid: txidArb }, 1)),
  revoke_and_ack: message('revoke_and_ack', { channelId, perCommitmentSecret: hash, nextPerCommitmentPoint: point }),
  update_fee: message('update_fee', { channelId, feeratePerKw: u32 }),
  channel_reestablish: message(
    'channel_reestablish',
    { channelId, nextCommitmentNumber: u64, nextRevocationNumber: u64, yourLastPerCommitmentSecret: hash, myCurrentPerCommitmentPoint: point },
    extension({ nextFunding: fundingRetransmit, myCurrentFundingLocked: fundingRetransmit }, 5),
  ),
};

/** One generator per BOLT 4 message type, by name. */
export const bolt4Messages: Record<string, fc.Arbitrary<Message>> = {
  onion_message: message('onion_message', { pathKey: point, onionMessagePacket: bytes(1400) }),
};
