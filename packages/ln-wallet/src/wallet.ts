import { type Secp256k1Backend, defaultSecp256k1 } from 'ln-crypto';
import { type KVStore, type Network, type Txid, equalBytes, outPointKey, toHex } from 'ln-types';
import {
  type BestBlock,
  type BroadcasterInterface,
  type Confirm,
  type Filter,
  FEERATE_FLOOR_SAT_PER_KW,
  type Listen,
  type RelevantTxid,
  type Utxo,
  type WalletSource,
} from 'ln-chain-api';
import { type Block, type BlockHeader, type BlockTransaction, type Tx, blockHeaderHash, txWeight, txidOf } from 'ln-tx';
import { addressToScript, scriptToAddress } from './address.js';
import { WalletError } from './errors.js';
import { P2WPKH_SATISFACTION_WEIGHT } from './fees.js';
import { AccountKeys, type KeyChain, type WalletSeed } from './keys.js';
import { type PaymentOutput, type SpendPlan, checkPaymentOutputs, planBump, planDrain, planPayment } from './spend.js';
import { decodeTipRecord, decodeWalletState, encodeTipRecord, encodeWalletState } from './state-codec.js';
import { buildUnsignedTx, signWalletInputs } from './tx-builder.js';
import type { OwnedOutput, TxOrigin, TxRecord } from './tx-graph.js';
import { type WalletBalances, WalletCore, type WalletUtxo } from './wallet-core.js';

/** How to make or open a wallet. */
export interface WalletConfig {
  readonly seed: WalletSeed;
  readonly network: Network;
  /** Where the wallet keeps its state (namespace "wallet"). */
  readonly store: KVStore;
  /** BIP 84 account index (default 0). */
  readonly account?: number;
  /** Scripts watched past the highest used or handed-out index on each chain (default 20, BIP 44's gap limit). */
  readonly lookahead?: number;
  /** Where `send`, `sendAll` and `bumpFee` put their transactions (and rebroadcast them each block until they confirm). */
  readonly broadcaster?: BroadcasterInterface;
  /** A light client's Filter: the wallet registers its scripts, outputs and pending transactions with it. */
  readonly filter?: Filter;
  /** secp256k1 for signing (default: noble through ln-crypto). */
  readonly backend?: Secp256k1Backend;
  /** Where a new wallet starts following the chain: its best block until the first block arrives. */
  readonly birthday?: BestBlock;
  /** Blocks a WalletSource reservation lasts without being signed again or confirmed (default 144). */
  readonly reservationBlocks?: number;
  /** The rate the wallet expects to pay to spend change later, sat/kw (default 2500, 10 sat/vbyte): weighs change against dropping excess. */
  readonly longTermFeeratePerKw?: number;
}

/** Options of the spending calls. */
export interface SpendOptions {
  /**
   * Whether the wallet's own unconfirmed change may be spent when confirmed coins
   * do not suffice (default: true for payments, false for funding transactions,
   * whose confirmation should not wait on a parent).
   */
  readonly allowUnconfirmedChange?: boolean;
}

/** A signed transaction the wallet built. */
export interface WalletTransactionResult {
  readonly tx: Tx;
  readonly txid: Txid;
  readonly feeSat: bigint;
  /** Weight as signed. */
  readonly weight: number;
  /** Index of the change output, when there is one. */
  readonly changeIndex: number | undefined;
}

/** A funding transaction: where each requested output landed. */
export interface FundingTransactionResult extends WalletTransactionResult {
  /** For each requested output, in request order, its index in the transaction. */
  readonly outputIndexes: readonly number[];
}

/** A transaction as the wallet sees it. */
export interface WalletTransaction {
  readonly txid: Txid;
  readonly tx: Tx;
  readonly origin: TxOrigin;
  readonly confirmed: boolean;
  /** Height of the block that confirmed it. */
  readonly height: number | undefined;
  readonly confirmations: number;
  /** Sum of its outputs paying the wallet. */
  readonly receivedSat: bigint;
  /** Sum of the wallet outputs it spends. */
  readonly sentSat: bigint;
  /** Its fee, when every input is the wallet's (otherwise unknown to the wallet). */
  readonly feeSat: bigint | undefined;
}

const NAMESPACE = 'wallet';
const STATE_KEY = 'state';
const TIP_KEY = 'tip';

/**
 * A BIP 84 (native segwit, P2WPKH) on-chain wallet for a Lightning node, after
 * LDK Node's wallet: it follows the chain as a `Listen` (whole blocks) or a
 * `Confirm` (a transaction-level client that it registers its scripts with),
 * survives reorganizations, pays and funds channels with coin selection, bumps its
 * own transactions by RBF, and is the `WalletSource` the anchor fee-bumping
 * handler draws inputs from. Every change is written to the store before a call
 * that made it returns, and before anything it built is broadcast.
 *
 * The library reads no clock and starts no timer: the wallet acts only when called.
 */
export class Wallet implements Listen, Confirm, WalletSource {
  readonly network: Network;
  readonly #core: WalletCore;
  readonly #store: KVStore;
  readonly #storeNamespace: string;
  readonly #broadcaster: BroadcasterInterface | undefined;
  readonly #filter: Filter | undefined;
  readonly #backend: Secp256k1Backend;
  readonly #reservationBlocks: number;
  readonly #longTermFeerate: number;
  #generation: number;
  #writes: Promise<void> = Promise.resolve();

  private constructor(config: WalletConfig, core: WalletCore, generation: number) {
    this.network = config.network;
    this.#core = core;
    this.#store = config.store;
    this.#storeNamespace = `bip84_${core.keys.account}`;
    this.#broadcaster = config.broadcaster;
    this.#filter = config.filter;
    this.#backend = config.backend ?? defaultSecp256k1;
    this.#reservationBlocks = config.reservationBlocks ?? 144;
    this.#longTermFeerate = config.longTermFeeratePerKw ?? 2500;
    this.#generation = generation;
  }

  /**
   * Opens the wallet kept in `config.store`, or makes a new one there (starting at
   * `config.birthday`). Store keys: "wallet" / "bip84_<account>" / "state" and "tip".
   * @throws WalletError `chain_mismatch` when the store holds another seed's wallet; `malformed` / `unsupported_version` for unreadable state
   */
  static async load(config: WalletConfig): Promise<Wallet> {
    const lookahead = config.lookahead ?? 20;
    if (!Number.isInteger(lookahead) || lookahead < 1 || lookahead > 10_000) throw new WalletError('invalid_seed', 'lookahead must be 1 to 10000');
    const keys = new AccountKeys(config.seed, config.network, config.account ?? 0);
    const namespace = `bip84_${keys.account}`;
    const stored = await config.store.read(NAMESPACE, namespace, STATE_KEY);
    let wallet: Wallet;
    if (stored === undefined) {
      const core = new WalletCore(keys, lookahead);
      core.tip = config.birthday;
      wallet = new Wallet(config, core, 0);
      await wallet.#saveState();
    } else {
      const state = decodeWalletState(stored);
      const core = WalletCore.fromState(keys, lookahead, state);
      const tipBytes = await config.store.read(NAMESPACE, namespace, TIP_KEY);
      if (tipBytes !== undefined) {
        const tip = decodeTipRecord(tipBytes);
        // A tip record written after the last state write is newer; an older one is stale.
        if (tip.generation === state.generation) core.tip = tip.tip;
      }
      wallet = new Wallet(config, core, state.generation);
    }
    wallet.#registerEverything();
    return wallet;
  }

  /** The best block the wallet has seen: a sync driver resumes from here. */
  get bestBlock(): BestBlock | undefined {
    return this.#core.tip;
  }

  /** The account's extended public key (xpub or tpub). */
  get accountXpub(): string {
    return this.#core.keys.accountXpub;
  }

  // ---- addresses -------------------------------------------------------------

  /** A fresh receive address (m/84'/coin'/account'/0/i), recorded as handed out before it is returned. */
  async newAddress(): Promise<string> {
    const index = this.#core.keychain.reveal(0);
    await this.#commit(true);
    return scriptToAddress(this.#core.keys.script(0, index), this.network)!;
  }

  /** The receive (chain 0) or change (chain 1) address at an index, without handing it out. */
  peekAddress(index: number, chain: KeyChain = 0): string {
    if (!Number.isInteger(index) || index < 0 || index >= 0x80000000) throw new WalletError('invalid_amount', 'index must be a 31-bit number');
    return scriptToAddress(this.#core.keys.script(chain, index), this.network)!;
  }

  /** A fresh change script (m/84'/coin'/account'/1/i), recorded as handed out. */
  async newChangeScript(): Promise<Uint8Array> {
    const index = this.#core.keychain.reveal(1);
    await this.#commit(true);
    return this.#core.keys.script(1, index);
  }

  /**
   * A fresh script of the wallet for funds coming back from Lightning: a
   * SignerProvider's destination and shutdown scripts (ChannelMonitor claims, the
   * output sweeper, cooperative closes). Payments to it are the wallet's.
   */
  getDestinationScript(): Promise<Uint8Array> {
    return this.newChangeScript();
  }

  /** True when `script` is one of the wallet's watched scripts. */
  isMine(script: Uint8Array): boolean {
    return this.#core.keychain.lookup(script) !== undefined;
  }

  /** The output script of an address on this wallet's network. */
  addressToScript(address: string): Uint8Array {
    return addressToScript(address, this.network);
  }

  // ---- state -------------------------------------------------------------------

  balances(): WalletBalances {
    return this.#core.balances();
  }

  /** Every unspent output, with its status. */
  listUtxos(): WalletUtxo[] {
    return this.#core.listUtxos();
  }

  /** Every transaction the wallet keeps: confirmed ones by height, then pending ones in order. */
  listTransactions(): WalletTransaction[] {
    const records = [...this.#core.graph.txs.values()];
    const rank = (r: TxRecord) => (r.status.kind === 'confirmed' ? r.status.height * 1e6 + r.status.position : Number.MAX_SAFE_INTEGER);
    records.sort((a, b) => rank(a) - rank(b) || (a.status.kind === 'pending' && b.status.kind === 'pending' ? a.status.seq - b.status.seq : 0));
    return records.map((r) => this.#describe(r));
  }

  /** One transaction of the wallet, or `undefined`. */
  getTransaction(txid: Txid): WalletTransaction | undefined {
    const record = this.#core.graph.txs.get(toHex(txid));
    return record === undefined ? undefined : this.#describe(record);
  }

  // ---- spending ------------------------------------------------------------------

  /**
   * Pays `amountSat` to an address or output script at `feeratePerKw`, with change
   * back to the wallet; the transaction is stored as pending, then broadcast.
   * @throws WalletError `invalid_address`, `invalid_script`, `invalid_amount`, `invalid_feerate`, `insufficient_funds`
   */
  async send(destination: string | Uint8Array, amountSat: bigint, feeratePerKw: number, options: SpendOptions = {}): Promise<WalletTransactionResult> {
    checkFeerate(feeratePerKw);
    const script = this.#destination(destination);
    const change = this.#peekChange();
    const plan = planPayment(this.#core, [{ script, amountSat }], feeratePerKw, change, {
      allowTrustedPending: options.allowUnconfirmedChange ?? true,
      longTermFeeratePerKw: this.#longTermFeerate,
    });
    return this.#complete(plan, 'send', true);
  }

  /**
   * Sends everything the wallet may spend (confirmed coins, and its own unconfirmed
   * change unless `allowUnconfirmedChange` is false) to one destination, less the fee.
   */
  async sendAll(destination: string | Uint8Array, feeratePerKw: number, options: SpendOptions = {}): Promise<WalletTransactionResult> {
    checkFeerate(feeratePerKw);
    const plan = planDrain(this.#core, this.#destination(destination), feeratePerKw, options.allowUnconfirmedChange ?? true);
    return this.#complete(plan, 'drain', true);
  }

  /**
   * A signed transaction paying each output (a channel's funding script and value,
   * from ChannelManager's FundingGenerationReady; several for a batch), for
   * `fundingTransactionGenerated`. Not broadcast: ChannelManager does that once the
   * peer has signed the first commitment. Its inputs stay reserved until it
   * confirms or {@link abandonTransaction} releases them (on DiscardFunding).
   * Every input is P2WPKH, so its txid cannot be malleated.
   */
  async createFundingTransaction(outputs: PaymentOutput | readonly PaymentOutput[], feeratePerKw: number, options: SpendOptions = {}): Promise<FundingTransactionResult> {
    checkFeerate(feeratePerKw);
    const list: readonly PaymentOutput[] = Array.isArray(outputs) ? outputs : [outputs as PaymentOutput];
    checkPaymentOutputs(list);
    const plan = planPayment(this.#core, list, feeratePerKw, this.#peekChange(), {
      allowTrustedPending: options.allowUnconfirmedChange ?? false,
      longTermFeeratePerKw: this.#longTermFeerate,
    });
    const result = await this.#complete(plan, 'funding', false);
    // BIP 69 ordering moved the outputs: find each requested one (equal outputs take successive indexes).
    const taken = new Set<number>();
    const outputIndexes = list.map((o) => {
      const index = result.tx.outputs.findIndex((t, i) => !taken.has(i) && t.amount === o.amountSat && equalBytes(t.script, o.script));
      taken.add(index);
      return index;
    });
    return { ...result, outputIndexes };
  }

  /**
   * Replaces one of the wallet's pending payments with one paying at least
   * `feeratePerKw` (BIP 125): same inputs and payments, change lowered or more
   * inputs added; a sendAll lowers its output. Stored, then broadcast.
   * @throws WalletError `unknown_transaction`, `not_replaceable`, `fee_too_low`, `insufficient_funds`
   */
  async bumpFee(txid: Txid, feeratePerKw: number): Promise<WalletTransactionResult> {
    checkFeerate(feeratePerKw);
    const record = this.#core.graph.txs.get(toHex(txid));
    if (record === undefined) throw new WalletError('unknown_transaction', 'no such transaction in the wallet');
    const plan = planBump(this.#core, record, feeratePerKw, { longTermFeeratePerKw: this.#longTermFeerate, changeScript: this.#peekChange() });
    return this.#complete(plan, record.origin, true);
  }

  /**
   * Forgets a pending transaction (and any pending one spending its outputs), so its
   * inputs may be spent again: a funding transaction whose channel was discarded, or
   * a transaction that will never confirm. A confirmed one cannot be abandoned.
   */
  async abandonTransaction(txid: Txid): Promise<void> {
    const record = this.#core.graph.txs.get(toHex(txid));
    if (record === undefined) throw new WalletError('unknown_transaction', 'no such transaction in the wallet');
    if (record.status.kind !== 'pending') throw new WalletError('not_replaceable', 'a confirmed transaction cannot be abandoned');
    this.#core.graph.remove(record.key);
    await this.#commit(true);
  }

  /** Broadcasts again every pending payment the wallet made (done on each new block when a broadcaster is set). */
  rebroadcast(): void {
    if (this.#broadcaster === undefined) return;
    const pending = [...this.#core.graph.txs.values()].filter((r) => r.status.kind === 'pending' && (r.origin === 'send' || r.origin === 'drain'));
    pending.sort((a, b) => (a.status.kind === 'pending' && b.status.kind === 'pending' ? a.status.seq - b.status.seq : 0));
    for (const r of pending) this.#broadcast(r.tx);
  }

  // Fire and forget (the BroadcasterInterface contract): a broadcaster that throws
  // anyway must not undo a call whose result is already stored; the next block
  // broadcasts the transaction again.
  #broadcast(tx: Tx): void {
    try {
      this.#broadcaster?.broadcastTransactions([tx]);
    } catch {
      // Rebroadcast on the next block.
    }
  }

  // ---- Listen --------------------------------------------------------------------

  /**
   * A block connected on top of the wallet's tip.
   * @throws WalletError `chain_mismatch` when it does not build on the tip
   */
  async blockConnected(block: Block, height: number): Promise<void> {
    const tip = this.#core.tip;
    if (tip !== undefined && (height !== tip.height + 1 || !equalBytes(block.header.prevBlockHash, tip.blockHash))) {
      throw new WalletError('chain_mismatch', `block ${height} does not connect to the wallet's tip at ${tip.height}`);
    }
    const changed = this.#core.applyBlockTransactions(block.transactions, height, block.hash);
    const lapsed = this.#core.setTip({ blockHash: block.hash, height });
    await this.#commit(changed || lapsed);
    this.rebroadcast();
  }

  /** The tip block was disconnected: what it confirmed is pending again (its coinbase is gone). */
  async blockDisconnected(header: BlockHeader, height: number): Promise<void> {
    const changed = this.#core.disconnectBlock(blockHeaderHash(header), height, header.prevBlockHash);
    await this.#commit(changed);
  }

  // ---- Confirm -------------------------------------------------------------------

  async transactionsConfirmed(header: BlockHeader, transactions: readonly BlockTransaction[], height: number): Promise<void> {
    const changed = this.#core.applyBlockTransactions(transactions, height, blockHeaderHash(header));
    await this.#commit(changed);
  }

  async transactionUnconfirmed(txid: Txid): Promise<void> {
    await this.#commit(this.#core.unconfirmTransaction(txid));
  }

  async bestBlockUpdated(header: BlockHeader, height: number): Promise<void> {
    const lapsed = this.#core.setTip({ blockHash: blockHeaderHash(header), height });
    await this.#commit(lapsed);
    this.rebroadcast();
  }

  getRelevantTxids(): readonly RelevantTxid[] {
    const out: RelevantTxid[] = [];
    for (const r of this.#core.graph.txs.values()) {
      if (r.status.kind === 'confirmed') out.push({ txid: r.txid, height: r.status.height, blockHash: r.status.blockHash });
    }
    return out;
  }

  // ---- WalletSource --------------------------------------------------------------

  /**
   * Confirmed, mature wallet outputs no known transaction spends. Outputs reserved
   * by an earlier `signTransaction` are listed too: the fee-bumping handler keeps its
   * own per-claim locks (as LDK's does) and may spend them again in a replacement.
   */
  async listConfirmedUtxos(): Promise<readonly Utxo[]> {
    const out: Utxo[] = [];
    for (const o of this.#core.graph.unspent()) {
      if (this.#core.utxoStatus(o) !== 'confirmed') continue;
      out.push({ outpoint: o.outpoint, output: { script: o.script, valueSat: o.value }, satisfactionWeight: P2WPKH_SATISFACTION_WEIGHT });
    }
    return out;
  }

  getChangeScript(): Promise<Uint8Array> {
    return this.newChangeScript();
  }

  /**
   * Signs the inputs of `tx` that spend wallet outputs listed in `utxos` (P2WPKH,
   * SIGHASH_ALL) and leaves the others. The outputs signed for are reserved: the
   * wallet's own spends avoid them until that transaction confirms, a conflicting
   * one does, or `reservationBlocks` pass without a new signature.
   * @throws WalletError `utxo_mismatch` when a listed utxo is a wallet output with another value or script
   */
  async signTransaction(tx: Tx, utxos: readonly Utxo[]): Promise<Tx> {
    const listed = new Map<string, Utxo>();
    for (const u of utxos) listed.set(outPointKey(u.outpoint), u);
    const owned = new Map<number, OwnedOutput>();
    tx.inputs.forEach((input, index) => {
      const key = outPointKey(input.previousOutput);
      const utxo = listed.get(key);
      const output = utxo === undefined ? undefined : this.#core.graph.outputs.get(key);
      if (utxo === undefined || output === undefined) return;
      if (utxo.output.valueSat !== output.value || !equalBytes(utxo.output.script, output.script)) {
        throw new WalletError('utxo_mismatch', `the caller describes wallet output ${key} with another value or script`);
      }
      owned.set(index, output);
    });
    if (owned.size === 0) return tx;
    const signed = signWalletInputs(tx, owned, this.#core.keys, this.#backend);
    const spender = txidOf(tx);
    const expiresAt = (this.#core.tip?.height ?? 0) + this.#reservationBlocks;
    for (const output of owned.values()) this.#core.reservations.set(output.key, { outpoint: output.outpoint, spender, expiresAt });
    await this.#commit(true);
    return signed;
  }

  // ---- internals -----------------------------------------------------------------

  #destination(destination: string | Uint8Array): Uint8Array {
    return typeof destination === 'string' ? addressToScript(destination, this.network) : destination;
  }

  /** The next change script, not yet handed out (it is, if a transaction uses it). */
  #peekChange(): Uint8Array {
    return this.#core.keys.script(1, this.#core.keychain.revealed[1]);
  }

  async #complete(plan: SpendPlan, origin: TxOrigin, broadcast: boolean): Promise<WalletTransactionResult> {
    const unsigned = buildUnsignedTx(plan.inputs, plan.outputs, this.#core.tip?.height ?? 0);
    const owned = new Map<number, OwnedOutput>();
    const byKey = new Map(plan.inputs.map((o) => [o.key, o]));
    unsigned.inputs.forEach((input, index) => owned.set(index, byKey.get(outPointKey(input.previousOutput))!));
    const tx = signWalletInputs(unsigned, owned, this.#core.keys, this.#backend);
    if (plan.change !== undefined) {
      const position = this.#core.keychain.lookup(plan.change.script);
      if (position !== undefined && position.chain === 1 && position.index === this.#core.keychain.revealed[1]) this.#core.keychain.reveal(1);
    }
    const record = this.#core.recordOwn(tx, origin);
    await this.#commit(true);
    this.#filter?.registerTx(record.txid, tx.outputs[0]!.script);
    if (broadcast) this.#broadcast(tx);
    const changeIndex = plan.change === undefined ? undefined : tx.outputs.findIndex((o) => o === plan.change);
    return { tx, txid: record.txid, feeSat: plan.feeSat, weight: txWeight(tx), changeIndex };
  }

  #describe(r: TxRecord): WalletTransaction {
    const graph = this.#core.graph;
    let received = 0n;
    r.tx.outputs.forEach((_, index) => {
      const o = graph.outputs.get(`${r.key}:${index}`);
      if (o !== undefined) received += o.value;
    });
    let sent = 0n;
    let allOurs = true;
    for (const i of r.tx.inputs) {
      const o = graph.outputs.get(outPointKey(i.previousOutput));
      if (o === undefined) allOurs = false;
      else sent += o.value;
    }
    const fee = allOurs && !r.coinbase ? sent - r.tx.outputs.reduce((s, o) => s + o.amount, 0n) : undefined;
    return {
      txid: r.txid,
      tx: r.tx,
      origin: r.origin,
      confirmed: r.status.kind === 'confirmed',
      height: r.status.kind === 'confirmed' ? r.status.height : undefined,
      confirmations: this.#core.confirmations(r.status),
      receivedSat: received,
      sentSat: sent,
      feeSat: fee,
    };
  }

  /** Writes the state (when `changed`) or just the tip, then tells the Filter what is new. */
  async #commit(changed: boolean): Promise<void> {
    this.#registerNew();
    if (changed) await this.#saveState();
    else await this.#saveTip();
  }

  #saveState(): Promise<void> {
    this.#generation = (this.#generation + 1) >>> 0;
    return this.#write(STATE_KEY, encodeWalletState(this.#core.toState(this.#generation)));
  }

  #saveTip(): Promise<void> {
    const tip = this.#core.tip;
    if (tip === undefined) return this.#writes;
    return this.#write(TIP_KEY, encodeTipRecord({ generation: this.#generation, tip }));
  }

  // Writes are queued so they reach the store in the order the state changed.
  #write(key: string, bytes: Uint8Array): Promise<void> {
    const done = this.#writes.then(() => this.#store.write(NAMESPACE, this.#storeNamespace, key, bytes));
    this.#writes = done.catch(() => undefined);
    return done;
  }

  #registerEverything(): void {
    const filter = this.#filter;
    this.#core.graph.onOwnedOutput = (o) => filter?.registerOutput({ outpoint: o.outpoint, scriptPubkey: o.script });
    if (filter === undefined) return;
    this.#core.keychain.takeNewScripts();
    for (const script of this.#core.keychain.allScripts()) filter.registerScript?.(script);
    for (const o of this.#core.graph.unspent()) filter.registerOutput({ outpoint: o.outpoint, scriptPubkey: o.script });
    for (const r of this.#core.graph.txs.values()) if (r.status.kind === 'pending') filter.registerTx(r.txid, r.tx.outputs[0]!.script);
  }

  #registerNew(): void {
    const scripts = this.#core.keychain.takeNewScripts();
    if (this.#filter?.registerScript === undefined) return;
    for (const script of scripts) this.#filter.registerScript(script);
  }
}

function checkFeerate(feeratePerKw: number): void {
  if (!Number.isInteger(feeratePerKw) || feeratePerKw < FEERATE_FLOOR_SAT_PER_KW || feeratePerKw > 10_000_000) {
    throw new WalletError('invalid_feerate', `a fee rate is a whole number of sat/kw from ${FEERATE_FLOOR_SAT_PER_KW} (got ${feeratePerKw})`);
  }
}
