// BOLT 4 test vectors, copied from the project's vector set with their provenance
// (each file's `source` field names the spec commit and lines).
import { readFileSync } from 'node:fs';
import { fromHex } from 'ln-types';
import { ecdh, publicKeyFromPrivate } from 'ln-crypto';
import type { EcdhFunction } from '../src/index.js';

/** Parses a fixture file. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- vector files are loosely typed JSON
export function fixture<T = any>(name: string): T {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')) as T;
}

/** A node's ECDH from its private key, as a signer would offer it. */
export function nodeEcdh(privateKeyHex: string | Uint8Array): EcdhFunction {
  const k = typeof privateKeyHex === 'string' ? fromHex(privateKeyHex) : privateKeyHex;
  return (point) => ecdh(k, point);
}

/** A deterministic private key from a small integer (never zero). */
export function keyOf(n: number): Uint8Array {
  const k = new Uint8Array(32);
  k[0] = 0x11;
  new DataView(k.buffer).setUint32(28, n + 1);
  return k;
}

export const pubOf = (n: number) => publicKeyFromPrivate(keyOf(n));

/** Strips a BigSize length prefix (the onion vectors list payloads with it). */
export function stripLength(hex: string): Uint8Array {
  const b = fromHex(hex);
  return b.subarray(b[0]! < 0xfd ? 1 : b[0] === 0xfd ? 3 : 5);
}
