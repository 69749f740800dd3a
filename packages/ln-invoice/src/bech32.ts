import { Bech32Error } from './errors.js';

// BIP 173 bech32, without the 90-character limit (invoices and offers are longer),
// with and without the 6-character checksum (BOLT 12 strings carry none). Kept apart
// from the invoice code so a BOLT 12 offers module can reuse it unchanged.

const CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
// Lowercase and uppercase characters both map to their 5-bit value; -1 elsewhere.
const CHAR_TO_WORD = new Int8Array(128).fill(-1);
for (let i = 0; i < CHARSET.length; i++) {
  CHAR_TO_WORD[CHARSET.charCodeAt(i)] = i;
  CHAR_TO_WORD[CHARSET.toUpperCase().charCodeAt(i)] = i;
}

/** Length of the bech32 checksum in characters. */
export const BECH32_CHECKSUM_LENGTH = 6;

/** A decoded bech32 string: the lowercase human-readable part and the 5-bit words of the data part. */
export interface Bech32Decoded {
  readonly hrp: string;
  /** 5-bit values (0..31), checksum excluded. */
  readonly words: Uint8Array;
}

/** Whether to expect and check (or write) the 6-character checksum. */
export interface Bech32Options {
  /** Default true; BOLT 12 strings set it to false. */
  readonly checksum?: boolean;
}

// The BCH checksum's generator XORs for each value of the 5 bits shifted out. The
// checksum stays below 2^30, so Int32Array entries keep every value a small integer.
const GENERATORS = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
const GEN_TABLE = new Int32Array(32);
for (let top = 0; top < 32; top++) {
  let x = 0;
  for (let i = 0; i < 5; i++) if ((top >>> i) & 1) x ^= GENERATORS[i]!;
  GEN_TABLE[top] = x;
}

function polymodStep(chk: number): number {
  return ((chk & 0x1ffffff) << 5) ^ GEN_TABLE[chk >>> 25]!;
}

// Two steps at once (the checksum is linear over GF(2)): the top 10 bits select what
// two steps XOR in, which halves the dependent operations per character in a decode.
const GEN_TABLE2 = new Int32Array(1024);
for (let top = 0; top < 1024; top++) GEN_TABLE2[top] = polymodStep(polymodStep(top << 20));

/** polymodStep(polymodStep(chk) ^ w1) ^ w2. */
function polymodStep2(chk: number, w1: number, w2: number): number {
  return ((chk & 0xfffff) << 10) ^ GEN_TABLE2[chk >>> 20]! ^ (w1 << 5) ^ w2;
}

function hrpPolymod(hrp: string): number {
  let chk = 1;
  for (let i = 0; i < hrp.length; i++) chk = polymodStep(chk) ^ (hrp.charCodeAt(i) >> 5);
  chk = polymodStep(chk);
  for (let i = 0; i < hrp.length; i++) chk = polymodStep(chk) ^ (hrp.charCodeAt(i) & 31);
  return chk;
}

function checkHrp(hrp: string): void {
  if (hrp.length === 0) throw new Bech32Error('invalid_hrp', 'empty human-readable part');
  for (let i = 0; i < hrp.length; i++) {
    const c = hrp.charCodeAt(i);
    if (c < 33 || c > 126) throw new Bech32Error('invalid_hrp', `invalid character in human-readable part at ${i}`);
  }
}

// Data characters in one lookup: the 5-bit word, plus a bit for a lowercase and one
// for an uppercase letter; every other code is INVALID. The decoder ORs these
// together, so the common (valid) case has no per-character branch.
const LOWER = 0x20;
const UPPER = 0x40;
const INVALID = 0x80;
const DATA_CHAR = new Uint8Array(128).fill(INVALID);
for (let i = 0; i < CHARSET.length; i++) {
  const c = CHARSET.charCodeAt(i);
  const letter = c >= 97;
  DATA_CHAR[c] = i | (letter ? LOWER : 0);
  if (letter) DATA_CHAR[c - 32] = i | UPPER;
}

/**
 * Decodes a bech32 string of any length. Accepts all-lowercase or all-uppercase
 * (BIP 173) and returns the human-readable part in lowercase.
 * @throws Bech32Error with a code naming the defect
 */
export function bech32Decode(text: string, options: Bech32Options = {}): Bech32Decoded {
  return decodeBech32To(text, options.checksum ?? true, allocate);
}

function allocate(length: number): Uint8Array {
  return new Uint8Array(length);
}

/**
 * {@link bech32Decode} writing the words into `wordsOf(length)` (the invoice
 * decoder passes a scratch buffer's view; the words do not outlive its call).
 * @throws Bech32Error with a code naming the defect
 */
export function decodeBech32To(text: string, checksum: boolean, wordsOf: (length: number) => Uint8Array): Bech32Decoded {
  const sep = text.lastIndexOf('1');
  let caseSeen = 0;
  // The human-readable part: printable ASCII and case.
  const hrpEnd = sep < 0 ? text.length : sep;
  for (let i = 0; i < hrpEnd; i++) {
    const c = text.charCodeAt(i);
    if (c < 33 || c > 126) throw new Bech32Error('invalid_character', `invalid character at offset ${i}`);
    if (c >= 97 && c <= 122) caseSeen |= LOWER;
    else if (c >= 65 && c <= 90) caseSeen |= UPPER;
  }
  if (sep < 0) throw new Bech32Error('no_separator', 'bech32 string has no separator "1"');
  const hrp = text.slice(0, sep).toLowerCase();
  checkHrp(hrp);
  const dataLength = text.length - sep - 1;
  const tail = checksum ? BECH32_CHECKSUM_LENGTH : 0;
  if (dataLength < tail) throw new Bech32Error('too_short', 'data part shorter than the checksum');
  // The data part in one pass: word, case and checksum; defects are only noted here.
  const words = wordsOf(dataLength - tail);
  const start = sep + 1;
  let chk = hrpPolymod(hrp);
  let seen = caseSeen;
  const n = words.length;
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const c1 = text.charCodeAt(start + i);
    const c2 = text.charCodeAt(start + i + 1);
    const v1 = c1 < 128 ? DATA_CHAR[c1]! : INVALID;
    const v2 = c2 < 128 ? DATA_CHAR[c2]! : INVALID;
    seen |= v1 | v2;
    const w1 = v1 & 31;
    const w2 = v2 & 31;
    chk = polymodStep2(chk, w1, w2);
    words[i] = w1;
    words[i + 1] = w2;
  }
  for (; i < n; i++) {
    const c = text.charCodeAt(start + i);
    const v = c < 128 ? DATA_CHAR[c]! : INVALID;
    seen |= v;
    const w = v & 31;
    chk = polymodStep(chk) ^ w;
    words[i] = w;
  }
  for (i = n; i < dataLength; i++) {
    const c = text.charCodeAt(start + i);
    const v = c < 128 ? DATA_CHAR[c]! : INVALID;
    seen |= v;
    chk = polymodStep(chk) ^ (v & 31);
  }
  if ((seen & INVALID) !== 0 || (seen & (LOWER | UPPER)) === (LOWER | UPPER)) failDataPart(text, start, caseSeen);
  if (checksum && chk !== 1) throw new Bech32Error('bad_checksum', 'bech32 checksum is invalid');
  return { hrp, words };
}

/**
 * Names the first defect of a data part the fast pass found invalid or of mixed
 * case: an invalid character (unless the case mix comes first), else mixed case.
 */
function failDataPart(text: string, start: number, caseSeen: number): never {
  let seen = caseSeen;
  for (let k = start; k < text.length; k++) {
    const c = text.charCodeAt(k);
    const v = c < 128 ? DATA_CHAR[c]! : INVALID;
    if (v === INVALID) {
      if (c < 33 || c > 126) throw new Bech32Error('invalid_character', `invalid character at offset ${k}`);
      if (c >= 65 && c <= 90) seen |= UPPER;
      else if (c >= 97 && c <= 122) seen |= LOWER;
      if ((seen & (LOWER | UPPER)) === (LOWER | UPPER)) break;
      throw new Bech32Error('invalid_character', `invalid data character at offset ${k}`);
    }
    seen |= v;
  }
  throw new Bech32Error('mixed_case', 'bech32 string mixes upper and lower case');
}

/**
 * Encodes a human-readable part and 5-bit words as a lowercase bech32 string
 * (no length limit).
 * @throws Bech32Error `invalid_hrp` or `invalid_character` (a word above 31)
 */
export function bech32Encode(hrp: string, words: Uint8Array, options: Bech32Options = {}): string {
  const checksum = options.checksum ?? true;
  const lower = hrp.toLowerCase();
  checkHrp(lower);
  const chars: string[] = new Array<string>(words.length + (checksum ? BECH32_CHECKSUM_LENGTH : 0));
  let chk = hrpPolymod(lower);
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w > 31) throw new Bech32Error('invalid_character', `word ${i} is not a 5-bit value`);
    chk = polymodStep(chk) ^ w;
    chars[i] = CHARSET[w]!;
  }
  if (checksum) {
    for (let i = 0; i < BECH32_CHECKSUM_LENGTH; i++) chk = polymodStep(chk);
    chk ^= 1;
    for (let i = 0; i < BECH32_CHECKSUM_LENGTH; i++) chars[words.length + i] = CHARSET[(chk >>> (5 * (5 - i))) & 31]!;
  }
  return `${lower}1${chars.join('')}`;
}

/** 8-bit bytes to 5-bit words, the last word zero-padded. */
export function bytesToWords(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.ceil((bytes.length * 8) / 5));
  let acc = 0;
  let bits = 0;
  let j = 0;
  for (let i = 0; i < bytes.length; i++) {
    acc = ((acc & 0xff) << 8) | bytes[i]!;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out[j++] = (acc >>> bits) & 31;
    }
  }
  if (bits > 0) out[j++] = (acc << (5 - bits)) & 31;
  return out;
}

/**
 * Packs 5-bit words into `out` from `offset`: every whole byte, then (with `pad`)
 * the remaining bits zero-padded into one more byte. Eight words make five bytes,
 * so whole groups of eight are packed without a bit accumulator.
 * @returns the offset after the last byte written
 */
export function packWords(words: Uint8Array, out: Uint8Array, offset: number, pad: boolean): number {
  const n = words.length;
  let i = 0;
  let j = offset;
  for (; i + 8 <= n; i += 8, j += 5) {
    const w1 = words[i + 1]!;
    const w3 = words[i + 3]!;
    const w4 = words[i + 4]!;
    const w6 = words[i + 6]!;
    // Uint8Array stores keep the low 8 bits.
    out[j] = (words[i]! << 3) | (w1 >>> 2);
    out[j + 1] = (w1 << 6) | (words[i + 2]! << 1) | (w3 >>> 4);
    out[j + 2] = (w3 << 4) | (w4 >>> 1);
    out[j + 3] = (w4 << 7) | (words[i + 5]! << 2) | (w6 >>> 3);
    out[j + 4] = (w6 << 5) | words[i + 7]!;
  }
  let acc = 0;
  let bits = 0;
  for (; i < n; i++) {
    acc = ((acc & 0xff) << 5) | words[i]!;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out[j++] = (acc >>> bits) & 0xff;
    }
  }
  if (pad && bits > 0) out[j++] = (acc << (8 - bits)) & 0xff;
  return j;
}

/**
 * 5-bit words to bytes, dropping the trailing bits that do not fill a byte.
 * With `strict`, those dropped bits must be fewer than 5 and all zero (BIP 173
 * padding, which BOLT 12 requires); BOLT 11 fields are read without it.
 * @throws Bech32Error `invalid_padding` (strict only)
 */
export function wordsToBytes(words: Uint8Array, strict = false): Uint8Array {
  const out = new Uint8Array((words.length * 5) >>> 3);
  packWords(words, out, 0, false);
  if (strict) {
    // The dropped bits are the low ones of the last word (there are fewer than 5 of them unless refused).
    const bits = (words.length * 5) & 7;
    if (bits >= 5 || (bits > 0 && (words[words.length - 1]! & ((1 << bits) - 1)) !== 0)) {
      throw new Bech32Error('invalid_padding', 'non-zero or excess padding bits');
    }
  }
  return out;
}
