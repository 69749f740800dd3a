import { type BlockHash, type Txid, blockHash, fromHex, reverseBytes, txid } from 'ln-types';
import { ChainSourceError } from '../errors.js';

// Small readers for JSON answers: each checks one field's type and throws a
// typed `bad_json` naming what is wrong, so a malformed answer never reaches
// the caller as `undefined` or a wrong type.

export type JsonObject = Readonly<Record<string, unknown>>;

function bad(what: string, expected: string): ChainSourceError {
  return new ChainSourceError('bad_json', `${what}: expected ${expected}`);
}

export function asObject(value: unknown, what: string): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw bad(what, 'an object');
  return value as JsonObject;
}

export function asArray(value: unknown, what: string): readonly unknown[] {
  if (!Array.isArray(value)) throw bad(what, 'an array');
  return value;
}

export function asString(value: unknown, what: string): string {
  if (typeof value !== 'string') throw bad(what, 'a string');
  return value;
}

export function asBoolean(value: unknown, what: string): boolean {
  if (typeof value !== 'boolean') throw bad(what, 'true or false');
  return value;
}

/** A finite number. */
export function asNumber(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw bad(what, 'a number');
  return value;
}

/** A whole number in [min, max]. */
export function asInteger(value: unknown, what: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) throw bad(what, `a whole number in [${min}, ${max}]`);
  return value;
}

/** A block height (u32 range, as bitcoind's). */
export function asHeight(value: unknown, what: string): number {
  return asInteger(value, what, 0, 0x7fffffff);
}

/** Bytes from hex text. @throws ChainSourceError `bad_json` on non-hex text */
export function asHex(value: unknown, what: string): Uint8Array {
  const text = asString(value, what);
  try {
    return fromHex(text);
  } catch (cause) {
    throw new ChainSourceError('bad_json', `${what}: not hex`, { cause });
  }
}

/** A 32-byte hash in display (reversed) hex. */
function displayHash(value: unknown, what: string): Uint8Array {
  const bytes = asHex(value, what);
  if (bytes.length !== 32) throw bad(what, 'a 32-byte hash in hex');
  return reverseBytes(bytes);
}

export function asBlockHash(value: unknown, what: string): BlockHash {
  return blockHash(displayHash(value, what));
}

export function asTxid(value: unknown, what: string): Txid {
  return txid(displayHash(value, what));
}

/** Hex text from a text body (trimmed), e.g. Esplora's `/blocks/tip/hash`. */
export function textHash(text: string, what: string): Uint8Array {
  return displayHash(text.trim(), what);
}
