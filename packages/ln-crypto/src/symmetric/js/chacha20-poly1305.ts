// ChaCha20-Poly1305 (RFC 8439 §2.8) on the block function and MAC beside this
// file. It exists for speed on small messages: OpenSSL through node:crypto
// spends several microseconds per call creating cipher objects, and noble
// allocates per call; for a BOLT 8 length header (2 bytes) this is about 8x
// faster than either, for a 100-byte message about 4x (see bench/). Above a
// few hundred bytes OpenSSL's vector code wins, so callers pick by size
// (aead-key.ts). Checked byte for byte against node:crypto and noble in tests.
//
// Scratch buffers are module-level: every function here runs to completion
// synchronously, so no two calls share them at once (workers get their own).
import { chacha20Block, readWordLE } from './chacha20-block.js';
import { createPoly1305State, poly1305Block, poly1305Finish, poly1305Init, poly1305Words } from './poly1305.js';

const keystream = new Uint32Array(16);
const mac = createPoly1305State();
const lastBlock = new Uint8Array(16);
const expectedTag = new Uint8Array(16);

/** Seals `plaintext` into `out` at `offset`: ciphertext, then the 16-byte tag. Arguments are checked by the caller. */
export function sealIntoJs(key: Uint32Array, nonce: Uint8Array, plaintext: Uint8Array, aad: Uint8Array, out: Uint8Array, offset: number): void {
  const n0 = readWordLE(nonce, 0), n1 = readWordLE(nonce, 4), n2 = readWordLE(nonce, 8);
  xorKeystream(key, n0, n1, n2, plaintext, 0, out, offset, plaintext.length);
  tagInto(key, n0, n1, n2, aad, out, offset, plaintext.length, out, offset + plaintext.length);
}

/** The plaintext of `sealed` (ciphertext then tag), or `undefined` when the tag does not authenticate. */
export function openJs(key: Uint32Array, nonce: Uint8Array, sealed: Uint8Array, aad: Uint8Array): Uint8Array | undefined {
  const length = sealed.length - 16;
  if (length < 0) return undefined;
  const n0 = readWordLE(nonce, 0), n1 = readWordLE(nonce, 4), n2 = readWordLE(nonce, 8);
  tagInto(key, n0, n1, n2, aad, sealed, 0, length, expectedTag, 0);
  // Constant time: every byte compared whatever the first difference.
  let difference = 0;
  for (let i = 0; i < 16; i++) difference |= expectedTag[i]! ^ sealed[length + i]!;
  if (difference !== 0) return undefined;
  const plaintext = new Uint8Array(length);
  xorKeystream(key, n0, n1, n2, sealed, 0, plaintext, 0, length);
  return plaintext;
}

// dst[dstAt..] = src[srcAt..] XOR keystream from block counter 1 (block 0 keys the MAC).
function xorKeystream(key: Uint32Array, n0: number, n1: number, n2: number, src: Uint8Array, srcAt: number, dst: Uint8Array, dstAt: number, length: number): void {
  for (let done = 0, counter = 1; done < length; done += 64, counter++) {
    chacha20Block(key, counter, n0, n1, n2, keystream);
    const end = Math.min(64, length - done);
    const s = srcAt + done;
    const d = dstAt + done;
    let i = 0;
    for (; i + 4 <= end; i += 4) {
      const w = keystream[i >>> 2]!;
      dst[d + i] = src[s + i]! ^ (w & 0xff);
      dst[d + i + 1] = src[s + i + 1]! ^ ((w >>> 8) & 0xff);
      dst[d + i + 2] = src[s + i + 2]! ^ ((w >>> 16) & 0xff);
      dst[d + i + 3] = src[s + i + 3]! ^ (w >>> 24);
    }
    for (; i < end; i++) dst[d + i] = src[s + i]! ^ ((keystream[i >>> 2]! >>> ((i & 3) * 8)) & 0xff);
  }
}

// The RFC 8439 MAC input: aad, zero pad, ciphertext, zero pad, the two lengths as u64 LE.
function tagInto(
  key: Uint32Array,
  n0: number,
  n1: number,
  n2: number,
  aad: Uint8Array,
  ciphertext: Uint8Array,
  at: number,
  length: number,
  out: Uint8Array,
  outAt: number,
): void {
  chacha20Block(key, 0, n0, n1, n2, keystream);
  poly1305Init(mac, keystream);
  absorbPadded(aad, 0, aad.length);
  absorbPadded(ciphertext, at, length);
  // Lengths below 2^32: the high words of both u64s are zero.
  poly1305Words(mac, aad.length & 0xffff, aad.length >>> 16, 0, 0, length & 0xffff, length >>> 16, 0, 0);
  poly1305Finish(mac, out, outAt);
}

function absorbPadded(bytes: Uint8Array, at: number, length: number): void {
  let i = 0;
  for (; i + 16 <= length; i += 16) poly1305Block(mac, bytes, at + i);
  if (i < length) {
    lastBlock.fill(0);
    lastBlock.set(bytes.subarray(at + i, at + length));
    poly1305Block(mac, lastBlock, 0);
  }
}
