// Hex is on the logging, JSON and test paths of every package: ours against Node's Buffer.
import { measure, reportMeasurement } from 'ln-bench';
import { fromHex, toHex } from '../src/index.js';

const bytes = new Uint8Array(32).map((_, i) => i * 7);
const hex = toHex(bytes);
const NodeBuffer = globalThis.Buffer;
reportMeasurement('ln-types', 'toHex 32 B', measure(() => toHex(bytes)), 'ops/s', {
  name: 'Buffer.toString(hex)',
  measurement: measure(() => NodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex')),
});
reportMeasurement('ln-types', 'fromHex 32 B', measure(() => fromHex(hex)), 'ops/s', {
  name: 'Buffer.from(hex)',
  measurement: measure(() => NodeBuffer.from(hex, 'hex')),
});
