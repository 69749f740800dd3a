// Decode and encode of channel messages, with an independent implementation measured in
// the same run: rust-lightning (the `lightningdevkit` WebAssembly bindings) for
// update_add_htlc, which @node-lightning/wire does not implement, and @node-lightning/wire
// for open_channel, the largest BOLT 2 message it does implement. The gossip messages
// (channel_update, channel_announcement) are measured against @node-lightning/wire in bolt7.bench.ts.
import { measure, reportMeasurement } from 'ln-bench';
import { CHAIN_HASHES, type ChannelId, type PublicKey } from 'ln-types';
import { OpenChannelMessage as NlOpenChannel } from '@node-lightning/wire';
import * as ldk from 'lightningdevkit';
import { initLdk } from 'ln-ldk-node';
import { decodeMessage, encodeMessage, type MessageOf } from '../src/index.js';

await initLdk();

const fill = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);
const point = (seed: number) => {
  const p = fill(33, seed);
  p[0] = 2;
  return p as PublicKey;
};
const onion = fill(1366, 5);
onion[0] = 0;
onion[1] = 3;

const add: MessageOf<'update_add_htlc'> = {
  type: 'update_add_htlc',
  channelId: fill(32, 1) as ChannelId,
  id: 42n,
  amountMsat: 150_000_000n,
  paymentHash: fill(32, 2),
  cltvExpiry: 850_000,
  onionRoutingPacket: onion,
};
const addBytes = encodeMessage(add);
// LDK reads and writes the payload after the 2-byte type.
const addPayload = addBytes.slice(2);
const ldkAdd = (ldk.UpdateAddHTLC.constructor_read(addPayload) as ldk.Result_UpdateAddHTLCDecodeErrorZ_OK).res;
if (ldkAdd.get_amount_msat() !== add.amountMsat || ldkAdd.get_htlc_id() !== add.id) throw new Error('lightningdevkit decoded a different update_add_htlc');

reportMeasurement('ln-wire', 'decode update_add_htlc', measure(() => decodeMessage(addBytes)), 'msg/s', {
  name: 'lightningdevkit',
  measurement: measure(() => ldk.UpdateAddHTLC.constructor_read(addPayload)),
});
reportMeasurement('ln-wire', 'encode update_add_htlc', measure(() => encodeMessage(add)), 'msg/s', {
  name: 'lightningdevkit',
  measurement: measure(() => ldkAdd.write()),
});

const open: MessageOf<'open_channel'> = {
  type: 'open_channel',
  chainHash: CHAIN_HASHES.bitcoin,
  temporaryChannelId: fill(32, 3) as ChannelId,
  fundingSatoshis: 1_000_000n,
  pushMsat: 0n,
  dustLimitSatoshis: 546n,
  maxHtlcValueInFlightMsat: 990_000_000n,
  channelReserveSatoshis: 10_000n,
  htlcMinimumMsat: 1n,
  feeratePerKw: 253,
  toSelfDelay: 144,
  maxAcceptedHtlcs: 483,
  fundingPubkey: point(10),
  revocationBasepoint: point(11),
  paymentBasepoint: point(12),
  delayedPaymentBasepoint: point(13),
  htlcBasepoint: point(14),
  firstPerCommitmentPoint: point(15),
  channelFlags: 1,
  tlvs: { upfrontShutdownScript: fill(22, 4) },
};
const openBytes = encodeMessage(open);
const openBuffer = Buffer.from(openBytes);
const nlOpen = NlOpenChannel.deserialize(openBuffer);
if (!Buffer.from(nlOpen.serialize()).equals(openBuffer)) throw new Error('@node-lightning/wire re-encoded open_channel differently');

reportMeasurement('ln-wire', 'decode open_channel', measure(() => decodeMessage(openBytes)), 'msg/s', {
  name: '@node-lightning/wire',
  measurement: measure(() => NlOpenChannel.deserialize(openBuffer)),
});
reportMeasurement('ln-wire', 'encode open_channel', measure(() => encodeMessage(open)), 'msg/s', {
  name: '@node-lightning/wire',
  measurement: measure(() => nlOpen.serialize()),
});
