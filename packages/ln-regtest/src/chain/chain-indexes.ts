import { sha256 } from 'ln-crypto';
import { fromHex, toHex } from 'ln-types';
import type { BlockEntry } from './block-entry.js';
import { type Coin, coinKey, outPointCoinKey } from './coin.js';
import type { BlockUndo } from './connect-block.js';
import type { TxInfo } from './tx-info.js';

/** Where a confirmed transaction sits. */
export interface TxLocation {
  readonly entry: BlockEntry;
  readonly position: number;
}

/** A confirmed spend of an output. */
export interface SpendLocation {
  readonly txidHex: string;
  readonly vin: number;
  readonly entry: BlockEntry;
}

/**
 * The active chain's lookups the HTTP APIs need (what bitcoind's txindex and
 * Esplora's indexes hold): transactions by txid, spends by outpoint, history
 * and unspent outputs by output script. Kept in step with block connects and
 * disconnects.
 */
export class ChainIndexes {
  readonly #txs = new Map<string, TxLocation>();
  readonly #spends = new Map<string, SpendLocation>();
  readonly #history = new Map<string, { txidHex: string; entry: BlockEntry }[]>();
  readonly #scriptUtxos = new Map<string, Set<string>>();
  readonly #scriptByHash = new Map<string, string>();

  /** A confirmed transaction by display txid. */
  tx(txidHex: string): TxLocation | undefined {
    return this.#txs.get(txidHex);
  }

  /** The confirmed spend of an outpoint key. */
  spend(key: string): SpendLocation | undefined {
    return this.#spends.get(key);
  }

  /** Confirmed transactions touching a script (hex), oldest first. */
  history(scriptHex: string): readonly { txidHex: string; entry: BlockEntry }[] {
    return this.#history.get(scriptHex) ?? [];
  }

  /** A script (hex) the chain has seen, by its Esplora script hash (SHA-256 of the script, hex). */
  scriptOfHash(scriptHashHex: string): string | undefined {
    return this.#scriptByHash.get(scriptHashHex);
  }

  /** Keys of unspent outputs paying a script (hex). */
  utxoKeys(scriptHex: string): ReadonlySet<string> {
    return this.#scriptUtxos.get(scriptHex) ?? new Set();
  }

  /** Records a coin that is not the output of any known transaction (a test-only injected coin). */
  addLooseCoin(key: string, coin: Coin): void {
    const script = toHex(coin.script);
    this.#scriptByHash.set(toHex(sha256(coin.script)), script);
    this.#addUtxo(script, key);
  }

  /** Forgets a loose coin. */
  removeLooseCoin(key: string, coin: Coin): void {
    this.#removeUtxo(toHex(coin.script), key);
  }

  connect(entry: BlockEntry, undo: BlockUndo): void {
    const spentByKey = new Map(undo.spent.map((s) => [s.key, s.coin]));
    const created = new Set(undo.created);
    entry.txs.forEach((info, position) => {
      this.#txs.set(info.txidHex, { entry, position });
      const scripts = new Set<string>();
      if (!info.coinbase) {
        info.tx.inputs.forEach((input, vin) => {
          const key = outPointCoinKey(input.previousOutput);
          this.#spends.set(key, { txidHex: info.txidHex, vin, entry });
          const coin = spentByKey.get(key);
          if (coin !== undefined) {
            const s = toHex(coin.script);
            scripts.add(s);
            this.#removeUtxo(s, key);
          }
        });
      }
      info.tx.outputs.forEach((out, vout) => {
        const s = toHex(out.script);
        scripts.add(s);
        if (created.has(coinKey(info.txid, vout))) this.#addUtxo(s, coinKey(info.txid, vout));
      });
      for (const s of scripts) {
        let list = this.#history.get(s);
        if (list === undefined) {
          this.#history.set(s, (list = []));
          this.#scriptByHash.set(toHex(sha256(fromHex(s))), s);
        }
        list.push({ txidHex: info.txidHex, entry });
      }
    });
  }

  disconnect(entry: BlockEntry, undo: BlockUndo): void {
    for (let position = entry.txs.length - 1; position >= 0; position--) {
      const info: TxInfo = entry.txs[position]!;
      this.#txs.delete(info.txidHex);
      info.tx.outputs.forEach((out, vout) => this.#removeUtxo(toHex(out.script), coinKey(info.txid, vout)));
      if (!info.coinbase) for (const input of info.tx.inputs) this.#spends.delete(outPointCoinKey(input.previousOutput));
    }
    const touched = new Set<string>();
    for (const info of entry.txs) for (const out of info.tx.outputs) touched.add(toHex(out.script));
    const createdHere = new Set(undo.created);
    for (const s of undo.spent) {
      const script = toHex(s.coin.script);
      touched.add(script);
      // A coin this block both created and spent did not exist before it.
      if (!createdHere.has(s.key)) this.#addUtxo(script, s.key);
    }
    for (const script of touched) {
      const list = this.#history.get(script);
      if (list === undefined) continue;
      while (list.length > 0 && list[list.length - 1]!.entry === entry) list.pop();
      if (list.length === 0) this.#history.delete(script);
    }
  }

  #addUtxo(script: string, key: string): void {
    let set = this.#scriptUtxos.get(script);
    if (set === undefined) this.#scriptUtxos.set(script, (set = new Set()));
    set.add(key);
  }

  #removeUtxo(script: string, key: string): void {
    const set = this.#scriptUtxos.get(script);
    if (set === undefined) return;
    set.delete(key);
    if (set.size === 0) this.#scriptUtxos.delete(script);
  }
}
