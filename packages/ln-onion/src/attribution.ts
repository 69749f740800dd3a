import { concatBytes } from 'ln-types';
import { hmacSha256 } from 'ln-crypto';
import { OnionError } from './errors.js';
import { cipherStream, generateKey, xorInto } from './keys.js';

// Attribution data (BOLT 4 "attributable failures", carried in update_fail_htlc
// and update_fulfill_htlc): 20 u32 hold times, then 210 truncated HMACs. Node x
// (0 = the node handling the data) owns 20 - x HMACs, hmac_x_{19-x} .. hmac_x_0,
// where hmac_x_y is computed assuming node x is y hops from the erring node.

/** The maximum route length attribution data covers. */
export const ATTRIBUTION_MAX_HOPS = 20;
const HOLD_TIMES_LENGTH = ATTRIBUTION_MAX_HOPS * 4;
const HMAC_COUNT = (ATTRIBUTION_MAX_HOPS * (ATTRIBUTION_MAX_HOPS + 1)) / 2;
/** Size of `attribution_data`: 80 bytes of hold times and 840 of truncated HMACs. */
export const ATTRIBUTION_DATA_LENGTH = HOLD_TIMES_LENGTH + HMAC_COUNT * 4;

function blockStart(x: number): number {
  return x * ATTRIBUTION_MAX_HOPS - (x * (x - 1)) / 2;
}

/** Byte offset of hmac_x_y within the attribution data. */
function hmacOffset(x: number, y: number): number {
  return HOLD_TIMES_LENGTH + 4 * (blockStart(x) + (ATTRIBUTION_MAX_HOPS - 1 - x - y));
}

/** hmac_0_y over the packet, the first y + 1 hold times and the y downstream HMACs hmac_1_{y-1} .. hmac_y_0. */
function positionHmac(umKey: Uint8Array, packet: Uint8Array, data: Uint8Array, y: number): Uint8Array {
  const parts = [packet, data.subarray(0, 4 * (y + 1))];
  for (let x = 1; x <= y; x++) {
    const o = hmacOffset(x, y - x);
    parts.push(data.subarray(o, o + 4));
  }
  return hmacSha256(umKey, concatBytes(...parts)).subarray(0, 4);
}

function checkHoldTime(holdTime: number): void {
  if (!Number.isInteger(holdTime) || holdTime < 0 || holdTime > 0xffffffff) throw new OnionError('invalid_length', 'hold time is a u32 (units of 100 ms)');
}

/**
 * The attribution data a node returns: `downstream` (undefined at the erring or
 * fulfilling node, which starts from zeros) shifted one position, this node's
 * hold time and 20 HMACs added, then obfuscated with its `ammagext` stream.
 * `packet` is the return packet before this node's `ammag` obfuscation (the
 * erring node's raw packet, or the packet received from downstream); empty for
 * a fulfilled HTLC.
 */
export function addAttributionData(sharedSecret: Uint8Array, packet: Uint8Array, holdTime: number, downstream?: Uint8Array): Uint8Array {
  checkHoldTime(holdTime);
  const data = new Uint8Array(ATTRIBUTION_DATA_LENGTH);
  if (downstream !== undefined) {
    if (downstream.length !== ATTRIBUTION_DATA_LENGTH) throw new OnionError('invalid_length', `attribution data must be ${ATTRIBUTION_DATA_LENGTH} bytes`);
    data.set(downstream.subarray(0, HOLD_TIMES_LENGTH - 4), 4);
    // Old node x becomes node x + 1 and loses its left-most HMAC (position 20 would be out of range).
    for (let x = 0; x < ATTRIBUTION_MAX_HOPS - 1; x++) {
      const from = HOLD_TIMES_LENGTH + 4 * (blockStart(x) + 1);
      const to = HOLD_TIMES_LENGTH + 4 * blockStart(x + 1);
      data.set(downstream.subarray(from, from + 4 * (ATTRIBUTION_MAX_HOPS - 1 - x)), to);
    }
  }
  new DataView(data.buffer).setUint32(0, holdTime);
  const um = generateKey('um', sharedSecret);
  for (let y = 0; y < ATTRIBUTION_MAX_HOPS; y++) data.set(positionHmac(um, packet, data, y), hmacOffset(0, y));
  return xorInto(data, cipherStream(generateKey('ammagext', sharedSecret), ATTRIBUTION_DATA_LENGTH));
}

/** What the origin learns from attribution data. */
export interface AttributionResult {
  /** Hold times (units of 100 ms) reported by the hops whose HMAC verified, in route order. */
  readonly holdTimes: number[];
  /**
   * Index of the first hop whose HMAC does not verify: the failure is blamed on
   * it or its predecessor. Undefined when every hop up to the end verified.
   */
  readonly firstInvalidHop?: number;
}

/**
 * At the origin: removes each hop's `ammag` and `ammagext` streams in route order
 * and checks hop i's HMAC for position `endHop - i` (`endHop` is the erring hop,
 * or the last hop for a fulfilled HTLC). `packet` is the returned failure packet
 * (empty for a fulfilled HTLC).
 */
export function verifyAttributionData(sharedSecrets: readonly Uint8Array[], packet: Uint8Array, attributionData: Uint8Array, endHop: number): AttributionResult {
  if (attributionData.length !== ATTRIBUTION_DATA_LENGTH) throw new OnionError('invalid_length', `attribution data must be ${ATTRIBUTION_DATA_LENGTH} bytes`);
  if (!Number.isInteger(endHop) || endHop < 0 || endHop >= sharedSecrets.length) throw new OnionError('invalid_route', 'endHop must be a hop of the route');
  const holdTimes: number[] = [];
  let data: Uint8Array = attributionData.slice();
  let current: Uint8Array = packet.slice();
  const last = Math.min(endHop, ATTRIBUTION_MAX_HOPS - 1);
  for (let i = 0; i <= last; i++) {
    const ss = sharedSecrets[i]!;
    data = xorInto(data, cipherStream(generateKey('ammagext', ss), ATTRIBUTION_DATA_LENGTH));
    if (current.length > 0) current = xorInto(current, cipherStream(generateKey('ammag', ss), current.length));
    const y = endHop - i;
    if (y >= ATTRIBUTION_MAX_HOPS) continue;
    const expected = positionHmac(generateKey('um', ss), current, data, y);
    const o = hmacOffset(0, y);
    let ok = true;
    for (let k = 0; k < 4; k++) if (expected[k] !== data[o + k]) ok = false;
    if (!ok) return { holdTimes, firstInvalidHop: i };
    holdTimes.push(new DataView(data.buffer, data.byteOffset).getUint32(0));
    // Shift to what the next hop saw: its hold time and HMACs come first.
    const next = new Uint8Array(ATTRIBUTION_DATA_LENGTH);
    next.set(data.subarray(4, HOLD_TIMES_LENGTH), 0);
    for (let x = 1; x < ATTRIBUTION_MAX_HOPS; x++) {
      const from = HOLD_TIMES_LENGTH + 4 * blockStart(x);
      const to = HOLD_TIMES_LENGTH + 4 * (blockStart(x - 1) + 1);
      next.set(data.subarray(from, from + 4 * (ATTRIBUTION_MAX_HOPS - x)), to);
    }
    data = next;
  }
  return { holdTimes };
}
