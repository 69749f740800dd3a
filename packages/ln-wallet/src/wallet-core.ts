import { type BlockHash, type OutPoint, type Txid, equalBytes, outPointKey, toHex } from 'ln-types';
import type { BestBlock } from 'ln-chain-api';
import { type BlockTransaction, type Tx, encodeTx, txidOf } from 'ln-tx';
import { WalletError } from './errors.js';
import { Keychain } from './keychain.js';
import type { AccountKeys, KeyChain } from './keys.js';
import type { StoredReservation, WalletState } from './state-codec.js';
import { type OwnedOutput, type TxOrigin, type TxRecord, type TxStatus, TxGraph } from './tx-graph.js';

/** Confirmations a coinbase output needs before the wallet spends it (bitcoind's wallet: COINBASE_MATURITY + 1). */
export const COINBASE_MATURITY_CONFIRMATIONS = 101;

/**
 * What an unspent wallet output is worth now:
 * - `confirmed`: in the best chain (and mature, for a coinbase);
 * - `immature`: a coinbase output younger than 101 confirmations;
 * - `trusted_pending`: unconfirmed, from a transaction the wallet built (its own change);
 * - `untrusted_pending`: unconfirmed from someone else (a payment reorganized out of the chain).
 */
export type UtxoStatus = 'confirmed' | 'immature' | 'trusted_pending' | 'untrusted_pending';

/** An unspent output of the wallet. */
export interface WalletUtxo {
  readonly outpoint: OutPoint;
  readonly valueSat: bigint;
  readonly script: Uint8Array;
  readonly chain: KeyChain;
  readonly index: number;
  readonly status: UtxoStatus;
  /** Depth in the best chain (0 when unconfirmed). */
  readonly confirmations: number;
  /** Promised to a transaction signed through WalletSource (the wallet's own spends avoid it). */
  readonly reserved: boolean;
}

/** The wallet's balances in satoshis. */
export interface WalletBalances {
  readonly confirmedSat: bigint;
  readonly immatureSat: bigint;
  readonly trustedPendingSat: bigint;
  readonly untrustedPendingSat: bigint;
  /** What the wallet's own spends may use now: confirmed plus trusted pending, less reserved outputs. */
  readonly spendableSat: bigint;
  readonly totalSat: bigint;
}

/**
 * The wallet's state and its rules, without I/O: the keychain, the transaction
 * graph, the tip, and the reservations made for transactions signed through
 * WalletSource. {@link Wallet} adds persistence, broadcasting and the contracts.
 */
export class WalletCore {
  readonly keys: AccountKeys;
  readonly keychain: Keychain;
  readonly graph: TxGraph;
  tip: BestBlock | undefined;
  nextSeq = 0;
  readonly reservations = new Map<string, StoredReservation>();

  constructor(keys: AccountKeys, lookahead: number) {
    this.keys = keys;
    this.keychain = new Keychain(keys, lookahead);
    this.keychain.extend();
    this.graph = new TxGraph(this.keychain);
  }

  /** Rebuilds the state from its stored form (transactions in chain order, then pending ones in arrival order). */
  static fromState(keys: AccountKeys, lookahead: number, state: WalletState): WalletCore {
    if (state.network !== keys.network || state.account !== keys.account || !equalBytes(state.fingerprint, keys.fingerprint)) {
      throw new WalletError('chain_mismatch', 'the stored wallet belongs to another seed, account or network');
    }
    const core = new WalletCore(keys, lookahead);
    core.tip = state.tip;
    core.nextSeq = state.nextSeq;
    core.keychain.revealed[0] = state.revealed[0];
    core.keychain.revealed[1] = state.revealed[1];
    core.keychain.extend();
    const order = (s: TxStatus) => (s.kind === 'confirmed' ? [0, s.height, s.position] : [1, s.seq, 0]);
    const sorted = [...state.txs].sort((a, b) => {
      const x = order(a.status);
      const y = order(b.status);
      return x[0]! - y[0]! || x[1]! - y[1]! || x[2]! - y[2]!;
    });
    for (const t of sorted) core.graph.upsert(t.txid, t.tx, t.raw, t.status, t.origin);
    core.#reindexUntilStable(0);
    for (const r of state.reservations) core.reservations.set(outPointKey(r.outpoint), r);
    return core;
  }

  /** The stored form. */
  toState(generation: number): WalletState {
    return {
      network: this.keys.network,
      account: this.keys.account,
      fingerprint: this.keys.fingerprint,
      generation,
      tip: this.tip,
      revealed: [this.keychain.revealed[0], this.keychain.revealed[1]],
      nextSeq: this.nextSeq,
      txs: [...this.graph.txs.values()].map((r) => ({ txid: r.txid, tx: r.tx, raw: r.raw, status: r.status, origin: r.origin })),
      reservations: [...this.reservations.values()],
    };
  }

  /**
   * Applies the transactions of one block (all of them, or the relevant ones a
   * Confirm client passes) confirmed at `height` in `blockHash`. Payments to
   * scripts that enter the watched window part way (a payment to a high index
   * moves it) are found by passing over the block again. True when anything changed.
   */
  applyBlockTransactions(transactions: readonly BlockTransaction[], height: number, blockHash: BlockHash): boolean {
    let changed = false;
    const applied = new Set<number>();
    for (;;) {
      const watched = this.keychain.watched(0) + this.keychain.watched(1);
      for (let n = 0; n < transactions.length; n++) {
        if (applied.has(n)) continue;
        const t = transactions[n]!;
        // Every kept transaction pays the wallet or spends what it owns or what a pending one spends, so this also finds them.
        if (!this.graph.isRelevant(t.tx)) continue;
        applied.add(n);
        const known = this.graph.txs.get(toHex(t.txid));
        const status: TxStatus = { kind: 'confirmed', height, blockHash, position: t.index };
        if (known !== undefined && sameStatus(known.status, status)) continue;
        // The block's buffer may be large and reused: keep a copy of just this transaction.
        this.graph.upsert(t.txid, t.tx, t.raw.slice(), status, 'external');
        // One that only conflicted with a pending transaction (a double spend of a payment to us) is not kept.
        if (!this.graph.touchesWallet(t.tx, known?.key ?? toHex(t.txid))) this.graph.remove(toHex(t.txid));
        for (const i of t.tx.inputs) this.reservations.delete(outPointKey(i.previousOutput));
        changed = true;
      }
      if (this.keychain.watched(0) + this.keychain.watched(1) === watched) break;
      this.graph.reindex();
    }
    return changed;
  }

  /** A block at `height` left the best chain: what it confirmed is pending again; the tip moves to its parent. */
  disconnectBlock(blockHash: BlockHash, height: number, prevBlockHash: BlockHash): boolean {
    let changed = false;
    for (const record of [...this.graph.txs.values()]) {
      const s = record.status;
      if (s.kind === 'confirmed' && (s.height >= height || equalBytes(s.blockHash, blockHash))) {
        this.graph.unconfirm(record.key, this.nextSeq++);
        changed = true;
      }
    }
    this.tip = height > 0 ? { blockHash: prevBlockHash, height: height - 1 } : undefined;
    return changed;
  }

  /** A Confirm client says a transaction left the best chain. */
  unconfirmTransaction(txid: Txid): boolean {
    const record = this.graph.txs.get(toHex(txid));
    if (record === undefined || record.status.kind !== 'confirmed') return false;
    this.graph.unconfirm(record.key, this.nextSeq++);
    return true;
  }

  /** Moves the tip; reservations past their expiry lapse. True when a reservation lapsed. */
  setTip(tip: BestBlock): boolean {
    this.tip = tip;
    let changed = false;
    for (const [key, r] of this.reservations) {
      if (r.expiresAt < tip.height) {
        this.reservations.delete(key);
        changed = true;
      }
    }
    return changed;
  }

  /** Records a transaction the wallet built and signed; it replaces any pending transaction it conflicts with. */
  recordOwn(tx: Tx, origin: TxOrigin): TxRecord {
    const id = txidOf(tx);
    this.graph.upsert(id, tx, encodeTx(tx), { kind: 'pending', seq: this.nextSeq++ }, origin);
    return this.graph.txs.get(toHex(id))!;
  }

  /** Depth of a status in the best chain. */
  confirmations(status: TxStatus): number {
    if (status.kind !== 'confirmed') return 0;
    return this.tip === undefined ? 1 : Math.max(0, this.tip.height - status.height + 1);
  }

  /** Status of an owned unspent output. */
  utxoStatus(output: OwnedOutput): UtxoStatus {
    const record = this.graph.txs.get(output.txKey)!;
    if (record.status.kind === 'confirmed') {
      return record.coinbase && this.confirmations(record.status) < COINBASE_MATURITY_CONFIRMATIONS ? 'immature' : 'confirmed';
    }
    return this.#trusted(record, 0) ? 'trusted_pending' : 'untrusted_pending';
  }

  /**
   * A pending transaction is trusted when the wallet built it and every pending
   * transaction it spends from is trusted too: its own change on top of a payment
   * reorganized out of the chain is only as good as that payment.
   */
  #trusted(record: TxRecord, depth: number): boolean {
    if (record.status.kind === 'confirmed') return true;
    if (record.origin === 'external' || depth > 100) return false;
    for (const i of record.tx.inputs) {
      const parent = this.graph.txs.get(toHex(i.previousOutput.txid));
      if (parent !== undefined && !this.#trusted(parent, depth + 1)) return false;
    }
    return true;
  }

  /** Every unspent wallet output. */
  listUtxos(): WalletUtxo[] {
    const out: WalletUtxo[] = [];
    for (const o of this.graph.unspent()) {
      const record = this.graph.txs.get(o.txKey)!;
      out.push({
        outpoint: o.outpoint,
        valueSat: o.value,
        script: o.script,
        chain: o.position.chain,
        index: o.position.index,
        status: this.utxoStatus(o),
        confirmations: this.confirmations(record.status),
        reserved: this.reservations.has(o.key),
      });
    }
    return out;
  }

  /**
   * Outputs the wallet's own transactions may spend: confirmed and mature, and
   * (with `includeTrustedPending`) its own unconfirmed change; never reserved ones.
   */
  spendableOutputs(includeTrustedPending: boolean): OwnedOutput[] {
    const out: OwnedOutput[] = [];
    for (const o of this.graph.unspent()) {
      if (this.reservations.has(o.key)) continue;
      const status = this.utxoStatus(o);
      if (status === 'confirmed' || (includeTrustedPending && status === 'trusted_pending')) out.push(o);
    }
    return out;
  }

  balances(): WalletBalances {
    let confirmed = 0n;
    let immature = 0n;
    let trusted = 0n;
    let untrusted = 0n;
    let reserved = 0n;
    for (const o of this.graph.unspent()) {
      const status = this.utxoStatus(o);
      if (status === 'confirmed') confirmed += o.value;
      else if (status === 'immature') immature += o.value;
      else if (status === 'trusted_pending') trusted += o.value;
      else untrusted += o.value;
      if (this.reservations.has(o.key) && (status === 'confirmed' || status === 'trusted_pending')) reserved += o.value;
    }
    return {
      confirmedSat: confirmed,
      immatureSat: immature,
      trustedPendingSat: trusted,
      untrustedPendingSat: untrusted,
      spendableSat: confirmed + trusted - reserved,
      totalSat: confirmed + immature + trusted + untrusted,
    };
  }

  #reindexUntilStable(watched: number): void {
    let before = watched;
    for (;;) {
      const now = this.keychain.watched(0) + this.keychain.watched(1);
      if (now === before) return;
      before = now;
      this.graph.reindex();
    }
  }
}

function sameStatus(a: TxStatus, b: TxStatus): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'pending' || b.kind === 'pending') return true;
  return a.height === b.height && a.position === b.position && equalBytes(a.blockHash, b.blockHash);
}
