import { type Coin, outPointCoinKey } from '../chain/coin.js';
import type { TxInfo } from '../chain/tx-info.js';

/** A transaction waiting in the mempool. */
export interface MempoolEntry {
  readonly info: TxInfo;
  /** Satoshis paid in fees. */
  readonly fee: bigint;
  /** When it entered (seconds, the chain's clock). */
  readonly time: number;
  /** Chain height when it entered. */
  readonly height: number;
  readonly spendsCoinbase: boolean;
  /** Insertion order (parents always come before their children). */
  readonly sequence: number;
  readonly parents: Set<MempoolEntry>;
  readonly children: Set<MempoolEntry>;
}

/**
 * The transactions waiting for a block, with the links between them: which
 * entry spends which outpoint, parents and children inside the mempool, and the
 * outputs mempool transactions create (spendable by later ones).
 */
export class Mempool {
  readonly #byTxid = new Map<string, MempoolEntry>();
  readonly #byWtxid = new Map<string, MempoolEntry>();
  readonly #spenders = new Map<string, MempoolEntry>();
  #sequence = 0;

  get size(): number {
    return this.#byTxid.size;
  }

  /** An entry by display txid. */
  get(txidHex: string): MempoolEntry | undefined {
    return this.#byTxid.get(txidHex);
  }

  /** An entry by display wtxid. */
  getByWtxid(wtxidHex: string): MempoolEntry | undefined {
    return this.#byWtxid.get(wtxidHex);
  }

  /** The entry spending an outpoint key, if any. */
  spender(key: string): MempoolEntry | undefined {
    return this.#spenders.get(key);
  }

  /** An output created by a mempool transaction, as a coin at `nextHeight`. */
  output(txidHex: string, index: number, nextHeight: number): Coin | undefined {
    const entry = this.#byTxid.get(txidHex);
    const out = entry?.info.tx.outputs[index];
    if (out === undefined) return undefined;
    return { amount: out.amount, script: out.script, height: nextHeight, coinbase: false };
  }

  /** Every entry in insertion order (a topological order). */
  entries(): MempoolEntry[] {
    return [...this.#byTxid.values()].sort((a, b) => a.sequence - b.sequence);
  }

  /** Adds an entry whose inputs are all unspent in the mempool; links it to its in-mempool parents. */
  add(info: TxInfo, fields: { fee: bigint; time: number; height: number; spendsCoinbase: boolean }): MempoolEntry {
    const entry: MempoolEntry = { info, ...fields, sequence: this.#sequence++, parents: new Set(), children: new Set() };
    for (const input of info.tx.inputs) {
      this.#spenders.set(outPointCoinKey(input.previousOutput), entry);
      const parent = this.#byTxid.get(txidHexOf(input.previousOutput.txid));
      if (parent !== undefined) {
        entry.parents.add(parent);
        parent.children.add(entry);
      }
    }
    this.#byTxid.set(info.txidHex, entry);
    this.#byWtxid.set(info.wtxidHex, entry);
    return entry;
  }

  /** Removes entries and every descendant of them; returns what was removed, parents first. */
  removeWithDescendants(roots: Iterable<MempoolEntry>): MempoolEntry[] {
    const all = new Set<MempoolEntry>();
    for (const r of roots) for (const d of this.descendants(r, true)) all.add(d);
    const ordered = [...all].sort((a, b) => a.sequence - b.sequence);
    for (const e of ordered) this.#remove(e);
    return ordered;
  }

  /** Removes an entry that a block confirmed; its children stay (their parent is now on chain). */
  removeConfirmed(entry: MempoolEntry): void {
    this.#remove(entry);
  }

  /** In-mempool ancestors of an entry (or of a transaction not yet added, through its inputs). */
  ancestors(of: MempoolEntry | TxInfo): Set<MempoolEntry> {
    const out = new Set<MempoolEntry>();
    const stack: MempoolEntry[] = [];
    if ('parents' in of) stack.push(...of.parents);
    else {
      for (const input of of.tx.inputs) {
        const p = this.#byTxid.get(txidHexOf(input.previousOutput.txid));
        if (p !== undefined) stack.push(p);
      }
    }
    while (stack.length > 0) {
      const e = stack.pop()!;
      if (out.has(e)) continue;
      out.add(e);
      stack.push(...e.parents);
    }
    return out;
  }

  /** In-mempool descendants of an entry (with the entry itself when `inclusive`). */
  descendants(of: MempoolEntry, inclusive = false): Set<MempoolEntry> {
    const out = new Set<MempoolEntry>();
    const stack = inclusive ? [of] : [...of.children];
    while (stack.length > 0) {
      const e = stack.pop()!;
      if (out.has(e)) continue;
      out.add(e);
      stack.push(...e.children);
    }
    return out;
  }

  /** Removes everything. */
  clear(): void {
    this.#byTxid.clear();
    this.#byWtxid.clear();
    this.#spenders.clear();
  }

  #remove(entry: MempoolEntry): void {
    this.#byTxid.delete(entry.info.txidHex);
    this.#byWtxid.delete(entry.info.wtxidHex);
    for (const input of entry.info.tx.inputs) {
      const key = outPointCoinKey(input.previousOutput);
      if (this.#spenders.get(key) === entry) this.#spenders.delete(key);
    }
    for (const p of entry.parents) p.children.delete(entry);
    for (const c of entry.children) c.parents.delete(entry);
  }
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Display hex of an internal-order txid. */
export function txidHexOf(txid: Uint8Array): string {
  let s = '';
  for (let i = txid.length - 1; i >= 0; i--) s += HEX[txid[i]!];
  return s;
}
