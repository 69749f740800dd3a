import { type BlockHash, type OutPoint, type Txid, equalBytes, outPoint, outPointKey, toHex } from 'ln-types';
import type { Tx } from 'ln-tx';
import type { Keychain, ScriptPosition } from './keychain.js';

/**
 * Who made a transaction: `external` (seen on chain: a payment to the wallet, or a
 * spend the wallet signed through WalletSource), or the wallet itself: `send` (a
 * payment with change), `drain` (sendAll: one output, no change) and `funding` (a
 * channel funding transaction, which ChannelManager broadcasts).
 */
export type TxOrigin = 'external' | 'send' | 'drain' | 'funding';

/** Where a transaction stands: in a block of the best chain, or not (built, or reorganized out). */
export type TxStatus =
  | { readonly kind: 'confirmed'; readonly height: number; readonly blockHash: BlockHash; readonly position: number }
  | { readonly kind: 'pending'; readonly seq: number };

/** A transaction the wallet keeps: it pays the wallet or spends a wallet output. */
export interface TxRecord {
  readonly txid: Txid;
  /** outPointKey-style key of the txid (internal-order hex). */
  readonly key: string;
  readonly tx: Tx;
  /** Serialized with witnesses, for rebroadcasting and for the store. */
  readonly raw: Uint8Array;
  status: TxStatus;
  readonly origin: TxOrigin;
  readonly coinbase: boolean;
}

/** An output paying a wallet script. */
export interface OwnedOutput {
  readonly outpoint: OutPoint;
  readonly key: string;
  readonly value: bigint;
  readonly script: Uint8Array;
  readonly position: ScriptPosition;
  readonly txKey: string;
}

const COINBASE_TXID = new Uint8Array(32);

/** True for a coinbase transaction (one input spending the null outpoint). */
export function isCoinbase(tx: Tx): boolean {
  const input = tx.inputs[0];
  return tx.inputs.length === 1 && input!.previousOutput.index === 0xffffffff && equalBytes(input!.previousOutput.txid, COINBASE_TXID);
}

/** A cheap 32-bit fingerprint of an outpoint (first txid bytes mixed with the index) for block scanning. */
export function outpointFingerprint(txid: Uint8Array, index: number): number {
  return ((txid[0]! | (txid[1]! << 8) | (txid[2]! << 16) | (txid[3]! << 24)) ^ Math.imul(index, 0x9e3779b1)) >>> 0;
}

/**
 * The wallet's transactions and what follows from them: the outputs it owns and
 * which transaction spends each outpoint. Every transaction kept is canonical: a
 * transaction that conflicts with a newer one (a replacement, or one confirmed in
 * a block) is removed with everything that spends its outputs, so an output is a
 * UTXO exactly when no kept transaction spends it.
 */
export class TxGraph {
  readonly txs = new Map<string, TxRecord>();
  readonly outputs = new Map<string, OwnedOutput>();
  /** outpoint key -> key of the kept transaction spending it. */
  readonly spends = new Map<string, string>();
  readonly #keychain: Keychain;
  /** Fingerprints of owned outputs and of outpoints spent by pending transactions (may hold stale entries: only a filter). */
  #watchedOutpoints = new Set<number>();
  /** Called with each owned output when it is first indexed (to register it with a Filter). */
  onOwnedOutput: ((output: OwnedOutput) => void) | undefined;

  constructor(keychain: Keychain) {
    this.#keychain = keychain;
  }

  /** True when `tx` pays a wallet script or spends an outpoint the wallet owns or one of its pending transactions spends. */
  isRelevant(tx: Tx): boolean {
    for (const o of tx.outputs) if (this.#keychain.lookup(o.script) !== undefined) return true;
    for (const i of tx.inputs) {
      const p = i.previousOutput;
      if (!this.#watchedOutpoints.has(outpointFingerprint(p.txid, p.index))) continue;
      const key = outPointKey(p);
      if (this.outputs.has(key)) return true;
      const spender = this.spends.get(key);
      if (spender !== undefined && this.txs.get(spender)?.status.kind === 'pending') return true;
    }
    return false;
  }

  /**
   * Adds a transaction, or updates the status of a kept one. Kept transactions that
   * conflict with it (spend one of its inputs) are removed with their descendants;
   * the keys removed are returned.
   */
  upsert(txid: Txid, tx: Tx, raw: Uint8Array, status: TxStatus, origin: TxOrigin): string[] {
    const key = toHex(txid);
    const existing = this.txs.get(key);
    if (existing !== undefined) {
      existing.status = status;
      return [];
    }
    const evicted: string[] = [];
    for (const i of tx.inputs) {
      const spender = this.spends.get(outPointKey(i.previousOutput));
      if (spender !== undefined && spender !== key) evicted.push(...this.remove(spender));
    }
    const record: TxRecord = { txid, key, tx, raw, status, origin, coinbase: isCoinbase(tx) };
    this.txs.set(key, record);
    for (const i of tx.inputs) {
      const p = i.previousOutput;
      this.spends.set(outPointKey(p), key);
      if (status.kind === 'pending') this.#watchedOutpoints.add(outpointFingerprint(p.txid, p.index));
    }
    this.#indexOutputs(record);
    return evicted;
  }

  /** Marks a transaction pending again; a coinbase, which can never be mined again, is removed (keys removed returned). */
  unconfirm(key: string, seq: number): string[] {
    const record = this.txs.get(key);
    if (record === undefined || record.status.kind !== 'confirmed') return [];
    if (record.coinbase) return this.remove(key);
    record.status = { kind: 'pending', seq };
    for (const i of record.tx.inputs) this.#watchedOutpoints.add(outpointFingerprint(i.previousOutput.txid, i.previousOutput.index));
    return [];
  }

  /** Removes a transaction and, first, every kept transaction spending its outputs. Returns the keys removed. */
  remove(key: string): string[] {
    const record = this.txs.get(key);
    if (record === undefined) return [];
    const removed: string[] = [];
    for (let index = 0; index < record.tx.outputs.length; index++) {
      const child = this.spends.get(`${key}:${index}`);
      if (child !== undefined && child !== key) removed.push(...this.remove(child));
    }
    this.txs.delete(key);
    for (const i of record.tx.inputs) {
      const k = outPointKey(i.previousOutput);
      if (this.spends.get(k) === key) this.spends.delete(k);
    }
    for (let index = 0; index < record.tx.outputs.length; index++) this.outputs.delete(`${key}:${index}`);
    removed.push(key);
    return removed;
  }

  /** True when the kept transaction `key` pays the wallet or spends a wallet output. */
  touchesWallet(tx: Tx, key: string): boolean {
    for (let index = 0; index < tx.outputs.length; index++) if (this.outputs.has(`${key}:${index}`)) return true;
    for (const i of tx.inputs) if (this.outputs.has(outPointKey(i.previousOutput))) return true;
    return false;
  }

  /** Indexes outputs of kept transactions that pay scripts added to the keychain since they were kept. */
  reindex(): void {
    for (const record of this.txs.values()) this.#indexOutputs(record);
  }

  /** The transactions kept that spend outputs of `key`. */
  children(key: string): string[] {
    const record = this.txs.get(key);
    if (record === undefined) return [];
    const out: string[] = [];
    for (let index = 0; index < record.tx.outputs.length; index++) {
      const child = this.spends.get(`${key}:${index}`);
      if (child !== undefined) out.push(child);
    }
    return out;
  }

  /** Owned outputs no kept transaction spends. */
  *unspent(): Iterable<OwnedOutput> {
    for (const o of this.outputs.values()) if (!this.spends.has(o.key)) yield o;
  }

  #indexOutputs(record: TxRecord): void {
    const outputs = record.tx.outputs;
    for (let index = 0; index < outputs.length; index++) {
      const o = outputs[index]!;
      const position = this.#keychain.lookup(o.script);
      if (position === undefined) continue;
      const key = `${record.key}:${index}`;
      if (this.outputs.has(key)) continue;
      const owned: OwnedOutput = { outpoint: outPoint(record.txid, index), key, value: o.amount, script: o.script, position, txKey: record.key };
      this.outputs.set(key, owned);
      this.#watchedOutpoints.add(outpointFingerprint(record.txid, index));
      this.#keychain.markUsed(position);
      this.onOwnedOutput?.(owned);
    }
  }
}
