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

// The BCH checksum's generator XORs for each value of the 5 bits shifted out.
const GENERATORS = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
const GEN_TABLE = new Uint32Array(32);
for (let top = 0; top < 32; top++) {
  let x = 0;
  for (let i = 0; i < 5; i++) if ((top >>> i) & 1) x ^= GENERATORS[i]!;
  GEN_TABLE[top] = x >>> 0;
}

function polymodStep(chk: number): number {
  return (((chk & 0x1ffffff) << 5) ^ GEN_TABLE[chk >>> 25]!) >>> 0;
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

/**
 * Decodes a bech32 string of any length. Accepts all-lowercase or all-uppercase
 * (BIP 173) and returns the human-readable part in lowercase.
 * @throws Bech32Error with a code naming the defect
 */
export function bech32Decode(text: string, options: Bech32Options = {}): Bech32Decoded {
  const checksum = options.checksum ?? true;
  const sep = text.lastIndexOf('1');
  let hasLower = false;
  let hasUpper = false;
  // The human-readable part: printable ASCII and case.
  const hrpEnd = sep < 0 ? text.length : sep;
  for (let i = 0; i < hrpEnd; i++) {
    const c = text.charCodeAt(i);
    if (c < 33 || c > 126) throw new Bech32Error('invalid_character', `invalid character at offset ${i}`);
    if (c >= 97 && c <= 122) hasLower = true;
    else if (c >= 65 && c <= 90) hasUpper = true;
  }
  if (sep < 0) throw new Bech32Error('no_separator', 'bech32 string has no separator "1"');
  const hrp = text.slice(0, sep).toLowerCase();
  checkHrp(hrp);
  const dataLength = text.length - sep - 1;
  const tail = checksum ? BECH32_CHECKSUM_LENGTH : 0;
  if (dataLength < tail) throw new Bech32Error('too_short', 'data part shorter than the checksum');
  // The data part in one pass: character, case, word and checksum.
  const words = new Uint8Array(dataLength - tail);
  let chk = hrpPolymod(hrp);
  for (let i = 0; i < dataLength; i++) {
    const c = text.charCodeAt(sep + 1 + i);
    const w = c < 128 ? CHAR_TO_WORD[c]! : -1;
    if (w < 0) {
      if (c < 33 || c > 126) throw new Bech32Error('invalid_character', `invalid character at offset ${sep + 1 + i}`);
      if (c >= 65 && c <= 90) hasUpper = true;
      else if (c >= 97 && c <= 122) hasLower = true;
      if (hasLower && hasUpper) break;
      throw new Bech32Error('invalid_character', `invalid data character at offset ${sep + 1 + i}`);
    }
    // Every data character is a digit or a letter of the charset; letters tell the case.
    if (c >= 97) hasLower = true;
    else if (c >= 65) hasUpper = true;
    chk = polymodStep(chk) ^ w;
    if (i < words.length) words[i] = w;
  }
  if (hasLower && hasUpper) throw new Bech32Error('mixed_case', 'bech32 string mixes upper and lower case');
  if (checksum && chk !== 1) throw new Bech32Error('bad_checksum', 'bech32 checksum is invalid');
  return { hrp, words };
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
 * 5-bit words to bytes, dropping the trailing bits that do not fill a byte.
 * With `strict`, those dropped bits must be fewer than 5 and all zero (BIP 173
 * padding, which BOLT 12 requires); BOLT 11 fields are read without it.
 * @throws Bech32Error `invalid_padding` (strict only)
 */
export function wordsToBytes(words: Uint8Array, strict = false): Uint8Array {
  const out = new Uint8Array((words.length * 5) >>> 3);
  let acc = 0;
  let bits = 0;
  let j = 0;
  for (let i = 0; i < words.length; i++) {
    acc = ((acc & 0xff) << 5) | words[i]!;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out[j++] = (acc >>> bits) & 0xff;
    }
  }
  if (strict && (bits >= 5 || (acc & ((1 << bits) - 1)) !== 0)) {
    throw new Bech32Error('invalid_padding', 'non-zero or excess padding bits');
  }
  return out;
}
