// Values whose every byte is predictable from a seed, so a value made of two
// writes (torn), shifted, truncated or zero-filled is told apart from a whole one.

/** `length` pseudo-random bytes from `seed` (xorshift32; the same seed gives the same bytes). */
export function patternBytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  const words = new Uint32Array(out.buffer, 0, length >>> 2);
  let x = (seed ^ 0x9e3779b9) >>> 0 || 1;
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    words[i] = x >>> 0;
  }
  for (let i = words.length * 4; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

const MAGIC = 0x4c4e4b56; // "LNKV"
const HEADER = 16;

/** What a self-describing value says about itself. */
export interface TaggedValue {
  readonly keyIndex: number;
  readonly seq: number;
}

/**
 * A value naming its key and sequence number, followed by pattern bytes
 * seeded by both: {@link readTaggedValue} accepts only a whole one.
 */
export function taggedValue(keyIndex: number, seq: number, length: number): Uint8Array {
  if (length < HEADER) throw new RangeError(`a tagged value needs at least ${HEADER} bytes`);
  const out = patternBytes(length, seedOf(keyIndex, seq));
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  view.setUint32(0, MAGIC);
  view.setUint32(4, keyIndex);
  view.setUint32(8, seq);
  view.setUint32(12, length);
  return out;
}

/** The key index and sequence of a whole tagged value, or a reason it is not one. */
export function readTaggedValue(value: Uint8Array): TaggedValue | { readonly torn: string } {
  if (value.length < HEADER) return { torn: `only ${value.length} bytes` };
  const view = new DataView(value.buffer, value.byteOffset, value.byteLength);
  if (view.getUint32(0) !== MAGIC) return { torn: 'bad magic (the head is not a tagged value)' };
  const keyIndex = view.getUint32(4);
  const seq = view.getUint32(8);
  const length = view.getUint32(12);
  if (length !== value.length) return { torn: `header says ${length} bytes, value has ${value.length}` };
  const expected = patternBytes(length, seedOf(keyIndex, seq));
  for (let i = HEADER; i < length; i++) {
    if (value[i] !== expected[i]) return { torn: `key ${keyIndex} seq ${seq}: byte ${i} of ${length} differs from the value written` };
  }
  return { keyIndex, seq };
}

function seedOf(keyIndex: number, seq: number): number {
  return (Math.imul(keyIndex + 1, 0x85ebca6b) ^ Math.imul(seq + 1, 0xc2b2ae35)) >>> 0;
}
