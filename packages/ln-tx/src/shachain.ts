import { sha256 } from 'ln-crypto';
import { equalBytes } from 'ln-types';
import { TxError } from './errors.js';

/** Largest shachain index (2^48 - 1): the first commitment's secret. */
export const MAX_SHACHAIN_INDEX = (1n << 48n) - 1n;

function checkIndex(index: bigint): void {
  if (typeof index !== 'bigint' || index < 0n || index > MAX_SHACHAIN_INDEX) throw new TxError('invalid_index', 'shachain index must be in [0, 2^48)');
}

function checkSecret(secret: Uint8Array, what: string): void {
  if (!(secret instanceof Uint8Array) || secret.length !== 32) throw new TxError('invalid_secret', `${what} must be 32 bytes`);
}

// Flip bit b of the 256-bit value (bit 0 is the lowest bit of byte 0, as BOLT 3 defines it) and hash,
// for every set bit of `index` below `bits`, from the highest down.
function derive(base: Uint8Array, bits: number, index: bigint): Uint8Array {
  let p = base;
  for (let b = bits - 1; b >= 0; b--) {
    if (((index >> BigInt(b)) & 1n) === 1n) {
      p = p.slice();
      p[b >> 3]! ^= 1 << (b & 7);
      p = sha256(p);
    }
  }
  return p;
}

/** BOLT 3 `generate_from_seed(seed, I)`. */
export function shachainFromSeed(seed: Uint8Array, index: bigint): Uint8Array {
  checkSecret(seed, 'seed');
  checkIndex(index);
  return derive(seed, 48, index);
}

/** The shachain index of a commitment number (secrets count down from 2^48 - 1). */
export function commitmentNumberToIndex(commitmentNumber: bigint): bigint {
  checkIndex(commitmentNumber);
  return MAX_SHACHAIN_INDEX - commitmentNumber;
}

/** The per-commitment secret of commitment number `n` (0 = the first commitment). */
export function perCommitmentSecret(seed: Uint8Array, commitmentNumber: bigint): Uint8Array {
  return shachainFromSeed(seed, commitmentNumberToIndex(commitmentNumber));
}

function trailingZeros(index: bigint): number {
  for (let b = 0; b < 48; b++) if (((index >> BigInt(b)) & 1n) === 1n) return b;
  return 48;
}

interface Slot {
  readonly secret: Uint8Array;
  readonly index: bigint;
}

/** Size of {@link CounterpartySecrets.serialize}'s output: 49 slots of (index u64, secret). */
export const SHACHAIN_STORE_LENGTH = 49 * 40;

/**
 * The compact store of the counterparty's revealed per-commitment secrets
 * (BOLT 3 "Efficient Per-commitment Secret Storage"): at most 49 entries, from
 * which every older secret can be derived. Secrets must arrive in decreasing
 * index order (commitment numbers counting up).
 */
export class CounterpartySecrets {
  private readonly slots: (Slot | undefined)[] = new Array<Slot | undefined>(49).fill(undefined);

  /** The index the next secret must have (2^48 - 1 for an empty store). */
  get nextIndex(): bigint {
    let lowest: bigint | undefined;
    for (const s of this.slots) if (s !== undefined && (lowest === undefined || s.index < lowest)) lowest = s.index;
    return lowest === undefined ? MAX_SHACHAIN_INDEX : lowest - 1n;
  }

  /**
   * Stores the secret of `index`.
   * @throws TxError `invalid_secret` if it does not derive the secrets stored before (the peer lied),
   *   `invalid_index` if the index is out of range or not the next expected one
   */
  insert(secret: Uint8Array, index: bigint): void {
    checkSecret(secret, 'secret');
    checkIndex(index);
    if (index !== this.nextIndex) throw new TxError('invalid_index', `expected secret index ${this.nextIndex}, got ${index}`);
    const pos = trailingZeros(index);
    for (let b = 0; b < pos; b++) {
      const known = this.slots[b];
      if (known !== undefined && !equalBytes(derive(secret, pos, known.index), known.secret)) {
        throw new TxError('invalid_secret', `secret ${index} does not derive the secret ${known.index} received before`);
      }
    }
    this.slots[pos] = { secret: secret.slice(), index };
  }

  /** The secret of `index` if it was received (directly or derivable), else undefined. */
  get(index: bigint): Uint8Array | undefined {
    checkIndex(index);
    for (let b = 0; b < 49; b++) {
      const s = this.slots[b];
      if (s === undefined) continue;
      const mask = ~((1n << BigInt(b)) - 1n) & MAX_SHACHAIN_INDEX;
      if ((index & mask) === s.index) return derive(s.secret, b, index);
    }
    return undefined;
  }

  /** Fixed-size serialization (an absent slot has index 2^64 - 1 and a zero secret). */
  serialize(): Uint8Array {
    const out = new Uint8Array(SHACHAIN_STORE_LENGTH);
    const view = new DataView(out.buffer);
    this.slots.forEach((s, b) => {
      view.setBigUint64(b * 40, s === undefined ? 0xffffffffffffffffn : s.index);
      if (s !== undefined) out.set(s.secret, b * 40 + 8);
    });
    return out;
  }

  /**
   * Restores a store from {@link serialize}'s output.
   * @throws TxError `invalid_secret` on a wrong length or an entry in the wrong slot
   */
  static deserialize(bytes: Uint8Array): CounterpartySecrets {
    if (!(bytes instanceof Uint8Array) || bytes.length !== SHACHAIN_STORE_LENGTH) throw new TxError('invalid_secret', 'bad shachain store length');
    const store = new CounterpartySecrets();
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let b = 0; b < 49; b++) {
      const index = view.getBigUint64(b * 40);
      if (index === 0xffffffffffffffffn) continue;
      if (index > MAX_SHACHAIN_INDEX || trailingZeros(index) !== b) throw new TxError('invalid_secret', `slot ${b} holds index ${index}`);
      store.slots[b] = { index, secret: bytes.slice(b * 40 + 8, b * 40 + 40) };
    }
    return store;
  }
}
