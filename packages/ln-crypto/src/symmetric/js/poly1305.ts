// Poly1305 (RFC 8439 §2.5) over ten 13-bit limbs held in doubles. A limb
// product is below 2^29 and a row of ten below 2^33, exact in a double; limbs
// are split with exact arithmetic (no 32-bit truncation of the wide sums). The
// state lives in one Float64Array so a message costs no allocation.
//
// Layout of the state: r limbs at 0..9, accumulator h limbs at 10..19, the
// 16-bit words of s at 20..27.

/** A Poly1305 state (see the layout above). */
export type Poly1305State = Float64Array;

export function createPoly1305State(): Poly1305State {
  return new Float64Array(28);
}

const LIMB = 8192; // 2^13

/** Starts a MAC with the one-time key given as eight little-endian words (r then s). */
export function poly1305Init(st: Poly1305State, key: Uint32Array): void {
  const t0 = key[0]! & 0xffff, t1 = key[0]! >>> 16, t2 = key[1]! & 0xffff, t3 = key[1]! >>> 16;
  const t4 = key[2]! & 0xffff, t5 = key[2]! >>> 16, t6 = key[3]! & 0xffff, t7 = key[3]! >>> 16;
  // r &= 0x0ffffffc0ffffffc0ffffffc0fffffff, on 16-bit words.
  const c1 = t1 & 0x0fff, c2 = t2 & 0xfffc, c3 = t3 & 0x0fff, c4 = t4 & 0xfffc, c5 = t5 & 0x0fff, c6 = t6 & 0xfffc, c7 = t7 & 0x0fff;
  st[0] = t0 & 0x1fff;
  st[1] = ((t0 >>> 13) | (c1 << 3)) & 0x1fff;
  st[2] = ((c1 >>> 10) | (c2 << 6)) & 0x1fff;
  st[3] = ((c2 >>> 7) | (c3 << 9)) & 0x1fff;
  st[4] = ((c3 >>> 4) | (c4 << 12)) & 0x1fff;
  st[5] = (c4 >>> 1) & 0x1fff;
  st[6] = ((c4 >>> 14) | (c5 << 2)) & 0x1fff;
  st[7] = ((c5 >>> 11) | (c6 << 5)) & 0x1fff;
  st[8] = ((c6 >>> 8) | (c7 << 8)) & 0x1fff;
  st[9] = (c7 >>> 5) & 0x1fff;
  st.fill(0, 10, 20);
  for (let i = 0; i < 4; i++) {
    st[20 + 2 * i] = key[4 + i]! & 0xffff;
    st[21 + 2 * i] = key[4 + i]! >>> 16;
  }
}

/** Absorbs the 16 bytes at `bytes[offset..]` as a full block (with the 2^128 bit). */
export function poly1305Block(st: Poly1305State, bytes: Uint8Array, offset: number): void {
  const o = offset;
  poly1305Words(
    st,
    bytes[o]! | (bytes[o + 1]! << 8),
    bytes[o + 2]! | (bytes[o + 3]! << 8),
    bytes[o + 4]! | (bytes[o + 5]! << 8),
    bytes[o + 6]! | (bytes[o + 7]! << 8),
    bytes[o + 8]! | (bytes[o + 9]! << 8),
    bytes[o + 10]! | (bytes[o + 11]! << 8),
    bytes[o + 12]! | (bytes[o + 13]! << 8),
    bytes[o + 14]! | (bytes[o + 15]! << 8),
  );
}

/** Absorbs a full block given as eight little-endian 16-bit words: h = (h + m) * r mod 2^130 - 5. */
export function poly1305Words(st: Poly1305State, t0: number, t1: number, t2: number, t3: number, t4: number, t5: number, t6: number, t7: number): void {
  const h0 = st[10]! + (t0 & 0x1fff);
  const h1 = st[11]! + (((t0 >>> 13) | (t1 << 3)) & 0x1fff);
  const h2 = st[12]! + (((t1 >>> 10) | (t2 << 6)) & 0x1fff);
  const h3 = st[13]! + (((t2 >>> 7) | (t3 << 9)) & 0x1fff);
  const h4 = st[14]! + (((t3 >>> 4) | (t4 << 12)) & 0x1fff);
  const h5 = st[15]! + ((t4 >>> 1) & 0x1fff);
  const h6 = st[16]! + (((t4 >>> 14) | (t5 << 2)) & 0x1fff);
  const h7 = st[17]! + (((t5 >>> 11) | (t6 << 5)) & 0x1fff);
  const h8 = st[18]! + (((t6 >>> 8) | (t7 << 8)) & 0x1fff);
  const h9 = st[19]! + ((t7 >>> 5) | 0x800); // 0x800 << 117 = 2^128
  const r0 = st[0]!, r1 = st[1]!, r2 = st[2]!, r3 = st[3]!, r4 = st[4]!, r5 = st[5]!, r6 = st[6]!, r7 = st[7]!, r8 = st[8]!, r9 = st[9]!;
  // 2^130 = 5 (mod p): the limbs that wrap past 2^130 come back times five.
  const s1 = 5 * r1, s2 = 5 * r2, s3 = 5 * r3, s4 = 5 * r4, s5 = 5 * r5, s6 = 5 * r6, s7 = 5 * r7, s8 = 5 * r8, s9 = 5 * r9;
  const d0 = h0 * r0 + h1 * s9 + h2 * s8 + h3 * s7 + h4 * s6 + h5 * s5 + h6 * s4 + h7 * s3 + h8 * s2 + h9 * s1;
  let d1 = h0 * r1 + h1 * r0 + h2 * s9 + h3 * s8 + h4 * s7 + h5 * s6 + h6 * s5 + h7 * s4 + h8 * s3 + h9 * s2;
  let d2 = h0 * r2 + h1 * r1 + h2 * r0 + h3 * s9 + h4 * s8 + h5 * s7 + h6 * s6 + h7 * s5 + h8 * s4 + h9 * s3;
  let d3 = h0 * r3 + h1 * r2 + h2 * r1 + h3 * r0 + h4 * s9 + h5 * s8 + h6 * s7 + h7 * s6 + h8 * s5 + h9 * s4;
  let d4 = h0 * r4 + h1 * r3 + h2 * r2 + h3 * r1 + h4 * r0 + h5 * s9 + h6 * s8 + h7 * s7 + h8 * s6 + h9 * s5;
  let d5 = h0 * r5 + h1 * r4 + h2 * r3 + h3 * r2 + h4 * r1 + h5 * r0 + h6 * s9 + h7 * s8 + h8 * s7 + h9 * s6;
  let d6 = h0 * r6 + h1 * r5 + h2 * r4 + h3 * r3 + h4 * r2 + h5 * r1 + h6 * r0 + h7 * s9 + h8 * s8 + h9 * s7;
  let d7 = h0 * r7 + h1 * r6 + h2 * r5 + h3 * r4 + h4 * r3 + h5 * r2 + h6 * r1 + h7 * r0 + h8 * s9 + h9 * s8;
  let d8 = h0 * r8 + h1 * r7 + h2 * r6 + h3 * r5 + h4 * r4 + h5 * r3 + h6 * r2 + h7 * r1 + h8 * r0 + h9 * s9;
  let d9 = h0 * r9 + h1 * r8 + h2 * r7 + h3 * r6 + h4 * r5 + h5 * r4 + h6 * r3 + h7 * r2 + h8 * r1 + h9 * r0;
  let c = Math.floor(d0 / LIMB);
  st[10] = d0 - c * LIMB;
  d1 += c; c = Math.floor(d1 / LIMB); st[11] = d1 - c * LIMB;
  d2 += c; c = Math.floor(d2 / LIMB); st[12] = d2 - c * LIMB;
  d3 += c; c = Math.floor(d3 / LIMB); st[13] = d3 - c * LIMB;
  d4 += c; c = Math.floor(d4 / LIMB); st[14] = d4 - c * LIMB;
  d5 += c; c = Math.floor(d5 / LIMB); st[15] = d5 - c * LIMB;
  d6 += c; c = Math.floor(d6 / LIMB); st[16] = d6 - c * LIMB;
  d7 += c; c = Math.floor(d7 / LIMB); st[17] = d7 - c * LIMB;
  d8 += c; c = Math.floor(d8 / LIMB); st[18] = d8 - c * LIMB;
  d9 += c; c = Math.floor(d9 / LIMB); st[19] = d9 - c * LIMB;
  const f = st[10]! + c * 5;
  c = Math.floor(f / LIMB);
  st[10] = f - c * LIMB;
  st[11] = st[11]! + c;
}

/** Writes the 16-byte tag (h mod p, plus s, mod 2^128) at `out[offset..]`. */
export function poly1305Finish(st: Poly1305State, out: Uint8Array, offset: number): void {
  let h0 = st[10]!, h1 = st[11]!, h2 = st[12]!, h3 = st[13]!, h4 = st[14]!;
  let h5 = st[15]!, h6 = st[16]!, h7 = st[17]!, h8 = st[18]!, h9 = st[19]!;
  let c: number;
  // Two full carry passes: every limb below 2^13, h below 2^130.
  for (let pass = 0; pass < 2; pass++) {
    c = h1 >>> 13; h1 &= 0x1fff; h2 += c;
    c = h2 >>> 13; h2 &= 0x1fff; h3 += c;
    c = h3 >>> 13; h3 &= 0x1fff; h4 += c;
    c = h4 >>> 13; h4 &= 0x1fff; h5 += c;
    c = h5 >>> 13; h5 &= 0x1fff; h6 += c;
    c = h6 >>> 13; h6 &= 0x1fff; h7 += c;
    c = h7 >>> 13; h7 &= 0x1fff; h8 += c;
    c = h8 >>> 13; h8 &= 0x1fff; h9 += c;
    c = h9 >>> 13; h9 &= 0x1fff; h0 += c * 5;
    c = h0 >>> 13; h0 &= 0x1fff; h1 += c;
  }
  // g = h + 5 - 2^130 replaces h when it does not borrow (h >= p); chosen by mask, not by branch.
  let g0 = h0 + 5; c = g0 >>> 13; g0 &= 0x1fff;
  let g1 = h1 + c; c = g1 >>> 13; g1 &= 0x1fff;
  let g2 = h2 + c; c = g2 >>> 13; g2 &= 0x1fff;
  let g3 = h3 + c; c = g3 >>> 13; g3 &= 0x1fff;
  let g4 = h4 + c; c = g4 >>> 13; g4 &= 0x1fff;
  let g5 = h5 + c; c = g5 >>> 13; g5 &= 0x1fff;
  let g6 = h6 + c; c = g6 >>> 13; g6 &= 0x1fff;
  let g7 = h7 + c; c = g7 >>> 13; g7 &= 0x1fff;
  let g8 = h8 + c; c = g8 >>> 13; g8 &= 0x1fff;
  let g9 = h9 + c - 0x2000;
  const useG = ~(g9 >> 31);
  const useH = ~useG;
  g9 &= 0x1fff;
  h0 = (h0 & useH) | (g0 & useG); h1 = (h1 & useH) | (g1 & useG); h2 = (h2 & useH) | (g2 & useG);
  h3 = (h3 & useH) | (g3 & useG); h4 = (h4 & useH) | (g4 & useG); h5 = (h5 & useH) | (g5 & useG);
  h6 = (h6 & useH) | (g6 & useG); h7 = (h7 & useH) | (g7 & useG); h8 = (h8 & useH) | (g8 & useG);
  h9 = (h9 & useH) | (g9 & useG);
  // Back to 16-bit words, add s with carries, drop the bits past 2^128.
  const w0 = (h0 | (h1 << 13)) & 0xffff;
  const w1 = ((h1 >>> 3) | (h2 << 10)) & 0xffff;
  const w2 = ((h2 >>> 6) | (h3 << 7)) & 0xffff;
  const w3 = ((h3 >>> 9) | (h4 << 4)) & 0xffff;
  const w4 = ((h4 >>> 12) | (h5 << 1) | (h6 << 14)) & 0xffff;
  const w5 = ((h6 >>> 2) | (h7 << 11)) & 0xffff;
  const w6 = ((h7 >>> 5) | (h8 << 8)) & 0xffff;
  const w7 = ((h8 >>> 8) | (h9 << 5)) & 0xffff;
  // Plus s, 16 bits at a time with the carry; no array on this per-message path.
  c = addWordLE(out, offset, w0 + st[20]!);
  c = addWordLE(out, offset + 2, w1 + st[21]! + c);
  c = addWordLE(out, offset + 4, w2 + st[22]! + c);
  c = addWordLE(out, offset + 6, w3 + st[23]! + c);
  c = addWordLE(out, offset + 8, w4 + st[24]! + c);
  c = addWordLE(out, offset + 10, w5 + st[25]! + c);
  c = addWordLE(out, offset + 12, w6 + st[26]! + c);
  addWordLE(out, offset + 14, w7 + st[27]! + c);
}

/** Writes the low 16 bits of `sum` little-endian at `out[at]`; returns the carry. */
function addWordLE(out: Uint8Array, at: number, sum: number): number {
  out[at] = sum & 0xff;
  out[at + 1] = (sum >>> 8) & 0xff;
  return sum >>> 16;
}
