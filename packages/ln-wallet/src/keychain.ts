import { toHex } from 'ln-types';
import type { AccountKeys, KeyChain } from './keys.js';

/** Where a wallet script sits in the account. */
export interface ScriptPosition {
  readonly chain: KeyChain;
  readonly index: number;
}

/**
 * A cheap 32-bit fingerprint of an output script: its length mixed with its last
 * four bytes (for P2WPKH and P2WSH, bytes of the hash). Block scanning tests every
 * output against this first and only builds a string key on a hit.
 */
export function scriptFingerprint(script: Uint8Array): number {
  const n = script.length;
  if (n < 4) return n;
  return ((script[n - 4]! | (script[n - 3]! << 8) | (script[n - 2]! << 16) | (script[n - 1]! << 24)) ^ n) >>> 0;
}

/**
 * The scripts a wallet watches: on each chain every index up to the highest one
 * used or handed out, plus `lookahead` more, so payments to addresses handed out
 * by another copy of the wallet (or restored from the seed) are found; the window
 * moves up as payments arrive.
 */
export class Keychain {
  readonly keys: AccountKeys;
  readonly lookahead: number;
  /** Indexes handed out per chain (the next fresh index). */
  readonly revealed: [number, number] = [0, 0];
  /** Highest index with a payment seen per chain, or -1. */
  readonly lastUsed: [number, number] = [-1, -1];
  /** Scripts derived and watched per chain. */
  readonly #watched: [number, number] = [0, 0];
  readonly #byScript = new Map<string, ScriptPosition>();
  readonly #fingerprints = new Set<number>();
  /** Scripts added since the last {@link takeNewScripts} (for a Filter). */
  #fresh: Uint8Array[] = [];

  constructor(keys: AccountKeys, lookahead: number) {
    this.keys = keys;
    this.lookahead = lookahead;
  }

  /** The wallet position of a script, or `undefined` if it is not one the wallet watches. */
  lookup(script: Uint8Array): ScriptPosition | undefined {
    if (!this.#fingerprints.has(scriptFingerprint(script))) return undefined;
    return this.#byScript.get(toHex(script));
  }

  /** Number of scripts watched on a chain. */
  watched(chain: KeyChain): number {
    return this.#watched[chain];
  }

  /** Derives scripts until each chain covers its window; true when any was added. */
  extend(): boolean {
    let added = false;
    for (const chain of [0, 1] as const) {
      const want = Math.max(this.lastUsed[chain] + 1, this.revealed[chain]) + this.lookahead;
      while (this.#watched[chain] < want) {
        const index = this.#watched[chain]++;
        const script = this.keys.script(chain, index);
        this.#byScript.set(toHex(script), { chain, index });
        this.#fingerprints.add(scriptFingerprint(script));
        this.#fresh.push(script);
        added = true;
      }
    }
    return added;
  }

  /** Records a payment to a position; true when the watched window grew. */
  markUsed(position: ScriptPosition): boolean {
    if (position.index <= this.lastUsed[position.chain]) return false;
    this.lastUsed[position.chain] = position.index;
    return this.extend();
  }

  /** Hands out the next index of a chain (it is watched from now on). */
  reveal(chain: KeyChain): number {
    const index = this.revealed[chain]++;
    this.extend();
    return index;
  }

  /** Scripts added since the last call. */
  takeNewScripts(): Uint8Array[] {
    const fresh = this.#fresh;
    this.#fresh = [];
    return fresh;
  }

  /** Every watched script. */
  allScripts(): Uint8Array[] {
    const out: Uint8Array[] = [];
    for (const chain of [0, 1] as const) for (let i = 0; i < this.#watched[chain]; i++) out.push(this.keys.script(chain, i));
    return out;
  }
}
