import { Reader, WireError } from 'ln-wire';
import { MainnetGraphError } from './errors.js';

/** The 19-byte magic that starts a decompressed gossmap file. */
export const GOSSMAP_HEADER = 'GOSSMAP_COMPRESSv1\0';

/**
 * The content of a Core Lightning "compressed gossmap" file, as stored: channel
 * ends in file order (not yet in BOLT 7 node_id_1/node_id_2 order) and the
 * per-direction policies indexed `channel * 2 + direction`, where direction 0
 * is the policy of the node with the lexicographically smaller node id.
 * {@link orientGraph} combines it with the node map into {@link MainnetGraph}.
 */
export interface Gossmap {
  readonly channelCount: number;
  /** One more than the largest node index used by a channel end. */
  readonly nodeCount: number;
  /** The "start" node of each channel (file order). */
  readonly start: Uint32Array;
  /** The "end" node of each channel (file order). */
  readonly end: Uint32Array;
  /** Capacity of each channel in satoshis. */
  readonly capacitySat: readonly bigint[];
  /** Per direction (`channel * 2 + direction`): 1 if disabled (or never updated). */
  readonly disabled: Uint8Array;
  /** Per direction: htlc_minimum_msat. */
  readonly htlcMinimumMsat: readonly bigint[];
  /** Per direction: htlc_maximum_msat (the capacity templates 0 and 1 already resolved). */
  readonly htlcMaximumMsat: readonly bigint[];
  /** Per direction: fee_base_msat. */
  readonly feeBaseMsat: Uint32Array;
  /** Per direction: fee_proportional_millionths. */
  readonly feeProportionalMillionths: Uint32Array;
  /** Per direction: cltv_expiry_delta. */
  readonly cltvExpiryDelta: Uint16Array;
}

/**
 * Parses a decompressed gossmap file (format in data/PROVENANCE.md and the
 * shared data README). Every byte must be consumed.
 * @throws MainnetGraphError on any malformed, truncated or over-long input
 */
export function parseGossmap(bytes: Uint8Array): Gossmap {
  try {
    return parse(bytes);
  } catch (e) {
    if (!(e instanceof WireError)) throw e;
    const code = e.code === 'non_minimal' ? 'non_canonical_bigsize' : e.code === 'truncated' ? 'truncated' : 'out_of_range';
    throw new MainnetGraphError(code, e.message, { cause: e });
  }
}

function parse(bytes: Uint8Array): Gossmap {
  const header = new TextEncoder().encode(GOSSMAP_HEADER);
  if (bytes.length < header.length || header.some((b, i) => bytes[i] !== b)) {
    throw new MainnetGraphError('bad_header', 'not a GOSSMAP_COMPRESSv1 file');
  }
  const r = new Reader(bytes);
  r.bytes(header.length);

  const channelCount = r.bigSizeNumber();
  // Each channel needs at least 2 bytes of ends and 11 of template indexes:
  // refuse counts the input cannot hold before allocating for them.
  if (channelCount * 13 > r.remaining) throw new MainnetGraphError('truncated', `${channelCount} channels cannot fit`);
  const start = new Uint32Array(channelCount);
  const end = new Uint32Array(channelCount);
  let nodeCount = 0;
  for (let i = 0; i < channelCount; i++) nodeCount = Math.max(nodeCount, (start[i] = readIndex(r, 0xffffffff)) + 1);
  for (let i = 0; i < channelCount; i++) nodeCount = Math.max(nodeCount, (end[i] = readIndex(r, 0xffffffff)) + 1);

  const directions = channelCount * 2;
  const disabled = new Uint8Array(directions);
  for (;;) {
    const v = r.bigSizeNumber();
    if (v === directions) break;
    if (v > directions) throw new MainnetGraphError('out_of_range', `disabled direction ${v} beyond ${directions}`);
    disabled[v] = 1;
  }

  const capTemplates = readTemplates(r);
  const capacitySat = new Array<bigint>(channelCount);
  for (let i = 0; i < channelCount; i++) capacitySat[i] = capTemplates[readIndex(r, capTemplates.length - 1)]!;

  const htlcMinimumMsat = readPerDirection(r, directions);
  const maxRaw = readPerDirection(r, directions);
  const htlcMaximumMsat = maxRaw.map((v, d) => {
    const capMsat = capacitySat[d >> 1]! * 1000n;
    if (v === 0n) return capMsat;
    if (v === 1n) return (capMsat * 99n) / 100n;
    return v;
  });
  const feeBaseMsat = Uint32Array.from(readPerDirection(r, directions, 0xffffffffn), Number);
  const feeProportionalMillionths = Uint32Array.from(readPerDirection(r, directions, 0xffffffffn), Number);
  const cltvExpiryDelta = Uint16Array.from(readPerDirection(r, directions, 0xffffn), Number);

  if (r.remaining !== 0) throw new MainnetGraphError('trailing_bytes', `${r.remaining} bytes after the cltv deltas`);
  return {
    channelCount,
    nodeCount,
    start,
    end,
    capacitySat,
    disabled,
    htlcMinimumMsat,
    htlcMaximumMsat,
    feeBaseMsat,
    feeProportionalMillionths,
    cltvExpiryDelta,
  };
}

function readIndex(r: Reader, max: number): number {
  const at = r.position;
  const v = r.bigSizeNumber();
  if (v > max) throw new MainnetGraphError('out_of_range', `index ${v} at offset ${at} above ${max}`);
  return v;
}

function readTemplates(r: Reader): bigint[] {
  const count = r.bigSizeNumber();
  if (count === 0 || count > r.remaining) throw new MainnetGraphError('out_of_range', `bad template count ${count}`);
  const out = new Array<bigint>(count);
  for (let i = 0; i < count; i++) out[i] = r.bigSize();
  return out;
}

function readPerDirection(r: Reader, directions: number, max = 0xffffffffffffffffn): bigint[] {
  const templates = readTemplates(r);
  for (const t of templates) {
    if (t > max) throw new MainnetGraphError('out_of_range', `template value ${t} above ${max}`);
  }
  const out = new Array<bigint>(directions);
  for (let d = 0; d < directions; d++) out[d] = templates[readIndex(r, templates.length - 1)]!;
  return out;
}
