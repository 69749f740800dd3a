// Version 2 node entries: a node id whose prefix byte also carries flags,
// then the node's addresses, features and any additional data.
import { toHex } from 'ln-types';
import { readAddresses, Reader, WireError, Writer, writeAddresses, type NodeAddress } from 'ln-wire';
import { RgsError } from './errors.js';
import type { RgsNodeUpdate } from './snapshot.js';

/** Flags in the node id's prefix byte (the low two bits keep the key parity, 0x02 or 0x03). */
const HAS_ADDRESSES = 0x04;
const FEATURE_SHIFT = 3;
const FEATURE_MASK = 0x07;
/** Feature marker 7: features follow inline; 1 to 6 pick a default. */
const INLINE_FEATURES = 7;
const REMINDER = 0x40;
const HAS_ADDITIONAL_DATA = 0x80;

/** rust-lightning's server sends at most six default feature sets (markers 1 to 6). */
export const MAX_NODE_FEATURE_DEFAULTS = 6;

/** Bytes of each known address type after the type byte, hostnames aside. */
const FIXED_ADDRESS_LENGTH: Record<number, number> = { 1: 6, 2: 18, 3: 12, 4: 37 };

/**
 * Reads a length-prefixed byte string in rust-lightning's collection-length
 * form (u16, or 0xffff then a u64 added to it), used for additional data.
 */
export function readAdditionalData(r: Reader, what: string): Uint8Array {
  let length = r.u16(`${what} length`);
  if (length === 0xffff) {
    const long = r.u64(`${what} length`) + 0xffffn;
    if (long > BigInt(r.remaining)) throw new RgsError('truncated', `RGS: ${what} of ${long} bytes does not fit`);
    length = Number(long);
  }
  return r.bytes(length, what);
}

/** Writes additional data in the collection-length form. */
export function writeAdditionalData(w: Writer, data: Uint8Array): void {
  if (data.length < 0xffff) w.u16(data.length);
  else w.u16(0xffff).u64(BigInt(data.length - 0xffff));
  w.bytes(data);
}

/** One node entry: the node id, and its update when the flags announce one. */
export function readNodeEntry(r: Reader, index: number, defaults: readonly Uint8Array[]): { id: Uint8Array; update?: RgsNodeUpdate } {
  const flags = r.u8('node_id');
  const parity = flags & 0x03;
  if (parity !== 2 && parity !== 3) throw new RgsError('invalid_value', `RGS: node id ${index} is not a compressed point`);
  const id = new Uint8Array(33);
  id[0] = parity;
  id.set(r.bytes(32, 'node_id'), 1);

  const featureMarker = (flags >> FEATURE_SHIFT) & FEATURE_MASK;
  let update: { node: number; addresses?: NodeAddress[]; features?: Uint8Array } | undefined;
  if (flags & (HAS_ADDRESSES | REMINDER) || featureMarker !== 0) update = { node: index };
  if (flags & HAS_ADDRESSES) {
    const count = r.u8('address_count');
    const addresses: NodeAddress[] = [];
    for (let i = 0; i < count; i++) {
      const address = readAddressSlot(r.sub(r.u8('address length'), 'address'), index);
      if (address !== undefined) addresses.push(address);
    }
    update!.addresses = addresses;
  }
  if (featureMarker === INLINE_FEATURES) update!.features = r.u16Bytes('node_features').slice();
  else if (featureMarker !== 0) {
    const features = defaults[featureMarker - 1];
    if (features === undefined) throw new RgsError('invalid_value', `RGS: node ${index} refers to default features ${featureMarker} of ${defaults.length}`);
    update!.features = features.slice();
  }
  // Room the format keeps for later additions: skipped, as rust-lightning does.
  if (flags & HAS_ADDITIONAL_DATA) readAdditionalData(r, 'node additional data');
  return update === undefined ? { id } : { id, update };
}

/**
 * One address in its own length-prefixed slot. As rust-lightning does, a slot
 * too short for its known type (or empty, or a hostname that is not ASCII) is
 * skipped, and bytes past a known address are an error. An unknown type is
 * kept as an `opaque` entry (rust-lightning skips it).
 */
function readAddressSlot(slot: Reader, node: number): NodeAddress | undefined {
  if (slot.atEnd) return undefined;
  const bytes = slot.rest();
  const type = bytes[0]!;
  let length: number;
  if (type === 5) {
    if (bytes.length < 2) return undefined;
    length = 2 + bytes[1]! + 2;
  } else if (FIXED_ADDRESS_LENGTH[type] !== undefined) length = 1 + FIXED_ADDRESS_LENGTH[type];
  else return { kind: 'opaque', bytes: bytes.slice() };
  if (bytes.length < length) return undefined;
  if (bytes.length > length) throw new RgsError('invalid_value', `RGS: ${bytes.length - length} bytes after an address of node ${node}`);
  const address = readAddresses(new Reader(bytes.slice()))[0]!;
  if (address.kind === 'dns' && !isAscii(address.hostname)) return undefined;
  return address;
}

function isAscii(bytes: Uint8Array): boolean {
  return bytes.every((b) => b < 0x80);
}

/**
 * Whether the RGS format can carry an address: it must fit a one-byte slot
 * length (a hostname up to 251 bytes) and a hostname must be ASCII.
 */
export function rgsCanCarryAddress(address: NodeAddress): boolean {
  if (address.kind === 'dns') return address.hostname.length <= 251 && isAscii(address.hostname);
  if (address.kind === 'opaque') return address.bytes.length >= 1 && address.bytes.length <= 255;
  return true;
}

/** Writes one node entry; `update` must be for this node. */
export function writeNodeEntry(w: Writer, id: Uint8Array, update: RgsNodeUpdate | undefined, defaults: ReadonlyMap<string, number>): void {
  if (update === undefined) {
    w.fixed(id, 33, 'node_id');
    return;
  }
  let flags = id[0]!;
  const tail = new Writer(64);
  if (update.addresses !== undefined) {
    if (update.addresses.length > 255) throw new RgsError('invalid_value', `RGS: node ${update.node} has ${update.addresses.length} addresses (at most 255)`);
    flags |= HAS_ADDRESSES;
    tail.u8(update.addresses.length);
    for (const address of update.addresses) {
      if (!rgsCanCarryAddress(address)) throw new RgsError('invalid_value', `RGS: an address of node ${update.node} cannot be carried (hostname too long or not ASCII)`);
      const bytes = addressBytes(address, update.node);
      tail.u8(bytes.length).bytes(bytes);
    }
  }
  if (update.features !== undefined) {
    const marker = defaults.get(toHex(update.features));
    if (marker !== undefined) flags |= marker << FEATURE_SHIFT;
    else {
      flags |= INLINE_FEATURES << FEATURE_SHIFT;
      tail.u16Bytes(update.features, 'node_features');
    }
  }
  if (update.addresses === undefined && update.features === undefined) flags |= REMINDER;
  w.u8(flags).fixed(id.subarray(1), 32, 'node_id').bytes(tail.finish());
}

function addressBytes(address: NodeAddress, node: number): Uint8Array {
  const slot = new Writer(64);
  try {
    writeAddresses(slot, [address]);
  } catch (e) {
    if (e instanceof WireError) throw new RgsError('invalid_value', `RGS: an address of node ${node}: ${e.message}`, { cause: e });
    throw e;
  }
  return slot.finish();
}
