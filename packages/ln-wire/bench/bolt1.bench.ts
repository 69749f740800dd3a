// Decode and encode of the BOLT 1 messages every connection exchanges.
import { measure, reportMeasurement } from 'ln-bench';
import { CHAIN_HASHES } from 'ln-types';
import { decodeMessage, encodeMessage, featuresFromBits, type Message } from '../src/index.js';

const messages: Message[] = [
  { type: 'init', globalFeatures: new Uint8Array(0), features: featuresFromBits([1, 9, 13, 15, 17, 27, 45]), tlvs: { networks: [CHAIN_HASHES.bitcoin] } },
  { type: 'ping', numPongBytes: 10, ignored: new Uint8Array(20) },
];
for (const m of messages) {
  const bytes = encodeMessage(m);
  reportMeasurement('ln-wire', `decode ${m.type}`, measure(() => decodeMessage(bytes)), 'msg/s');
  reportMeasurement('ln-wire', `encode ${m.type}`, measure(() => encodeMessage(m)), 'msg/s');
}
