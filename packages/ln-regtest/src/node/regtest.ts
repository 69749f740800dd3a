import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Block, decodeBlock } from 'ln-tx';
import { fromHex, reverseBytes, toHex, txid as brandTxid } from 'ln-types';
import type { BlockEntry } from '../chain/block-entry.js';
import { type ChainChange, ChainState } from '../chain/chain-state.js';
import type { TxLocation } from '../chain/chain-indexes.js';
import { type Coin, coinKey } from '../chain/coin.js';
import { type TxInfo, describeTx } from '../chain/tx-info.js';
import { REGTEST_GENESIS_BLOCK } from '../consensus/genesis.js';
import { blockSubsidy } from '../consensus/params.js';
import { RegtestError } from '../errors.js';
import { type AcceptContext, acceptToMempool } from '../mempool/accept.js';
import { Mempool, type MempoolEntry, txidHexOf } from '../mempool/mempool.js';
import { type PackageResult, type PackageTxResult, acceptPackage, isChildWithParents, testPackage } from '../mempool/package.js';
import { DEFAULT_RELAY_POLICY, type RelayPolicy, feeAt, feeRateOf } from '../mempool/policy.js';
import { selectTransactions } from '../mining/block-template.js';
import { mineBlock } from '../mining/miner.js';
import { isUnspendable } from '../script/classify.js';
import { BlockFile } from '../storage/block-file.js';
import { type ChainSettings, SettingsFile, emptySettings } from '../storage/chain-settings.js';
import { readJsonFile, writeFileAtomic } from '../storage/json-file.js';
import { type Rejection, rejectionText } from '../validation/rejection.js';
import { Faucet, type FaucetCoin } from './faucet.js';
import { FeeEstimates } from './fee-estimates.js';
import { syncMempool } from './mempool-sync.js';

/** How to open a chain. */
export interface RegtestOptions {
  /** Directory for blocks and settings; absent: everything stays in memory. */
  readonly dataDir?: string;
  /** The clock in seconds since the epoch (default: the system clock); `setMockTime` overrides it. */
  readonly clock?: () => number;
  /** Relay policy overrides (bitcoind 28's defaults otherwise). */
  readonly policy?: Partial<RelayPolicy>;
  /** Seed of the faucet key (default: a fixed seed, so data directories stay usable). */
  readonly faucetSeed?: Uint8Array;
}

/** bitcoind's default maxfeerate for sendrawtransaction and friends: 0.10 BTC/kvB. */
export const DEFAULT_MAX_FEE_RATE = 10_000_000n;

/** Where a transaction was found. */
export interface FoundTx {
  readonly info: TxInfo;
  /** Set when confirmed on the active chain. */
  readonly location?: TxLocation;
  /** Set when waiting in the mempool. */
  readonly mempool?: MempoolEntry;
}

/** A transaction's verdict for testmempoolaccept. */
export interface TestAcceptVerdict {
  readonly info: TxInfo;
  readonly packageError?: string;
  /** Undefined when validation stopped before this transaction. */
  readonly allowed?: boolean;
  readonly rejectReason?: string;
  readonly fee?: bigint;
  readonly vsize?: number;
  readonly effectiveFeeRate?: bigint;
  readonly effectiveIncludes?: readonly string[];
}

/** Options of {@link Regtest.reorg}. */
export interface ReorgOptions {
  /** Blocks of the replacement branch (default: `depth`, the same height as before). */
  readonly blocks?: number;
  /** Mine the mempool (including the transactions of the replaced blocks) into the new branch (default true). */
  readonly includeMempool?: boolean;
  /** Output script the new blocks pay (default: the faucet). */
  readonly payout?: Uint8Array;
}

/** A test-only coin: an output placed in the UTXO set without a transaction that creates it. */
export interface LooseCoin {
  /** Display txid of the outpoint. */
  readonly txid: string;
  readonly vout: number;
  readonly script: Uint8Array;
  readonly amount: bigint;
  /** Height it counts as confirmed at (default: the tip). */
  readonly height?: number;
  readonly coinbase?: boolean;
}

/**
 * The regtest chain: blocks from the real regtest genesis with proof of work,
 * BIP 34 heights, BIP 141 commitments and merkle roots; every transaction
 * validated (consensus, bitcoind 28's relay policy, every input's script by
 * bitcore-lib's interpreter); a mempool with replacement and packages; mining
 * on demand; a faucet; settable fee estimates and clock; reorgs on command.
 * Plain synchronous methods, no I/O but its own data directory: the HTTP layer
 * (http/) and the in-process API both call these.
 */
export class Regtest {
  readonly chain: ChainState;
  readonly mempool = new Mempool();
  readonly policy: RelayPolicy;
  readonly faucet: Faucet;
  readonly feeEstimates: FeeEstimates;
  readonly dataDir: string | undefined;
  readonly #settings: ChainSettings;
  readonly #clock: () => number;
  readonly #blockFile: BlockFile | undefined;
  readonly #settingsFile: SettingsFile | undefined;
  #extraNonce: number;
  #closed = false;

  private constructor(options: RegtestOptions, settings: ChainSettings) {
    const genesis = decodeBlock(REGTEST_GENESIS_BLOCK);
    this.chain = new ChainState(genesis, REGTEST_GENESIS_BLOCK);
    this.policy = { ...DEFAULT_RELAY_POLICY, ...options.policy };
    this.faucet = new Faucet(options.faucetSeed);
    this.#settings = settings;
    this.feeEstimates = new FeeEstimates(settings.feeEstimates);
    this.#clock = options.clock ?? (() => Math.floor(Date.now() / 1000));
    this.dataDir = options.dataDir;
    if (options.dataDir !== undefined) {
      this.#blockFile = new BlockFile(options.dataDir);
      this.#settingsFile = new SettingsFile(options.dataDir);
    }
    this.#extraNonce = 0;
  }

  /**
   * Opens a chain: in memory, or from a data directory (created if missing),
   * replaying its blocks to rebuild the UTXO set and restoring its mempool.
   */
  static open(options: RegtestOptions = {}): Regtest {
    let settings = emptySettings();
    if (options.dataDir !== undefined) {
      mkdirSync(options.dataDir, { recursive: true });
      settings = new SettingsFile(options.dataDir).read();
    }
    const node = new Regtest(options, settings);
    node.#load();
    return node;
  }

  #load(): void {
    for (const [key, coin] of this.#settings.looseCoins) this.chain.addLooseCoin(key, coin);
    if (this.#blockFile === undefined) return;
    for (const raw of this.#blockFile.readAll()) {
      const block = decodeBlock(raw);
      this.chain.acceptBlock(block, raw, Number.MAX_SAFE_INTEGER);
    }
    for (const hashHex of this.#settings.failedBlocks) {
      const entry = this.blockByHash(hashHex);
      if (entry !== undefined) entry.status = 'failed';
    }
    for (const entry of this.chain.entries()) {
      let e = entry.prev;
      while (e !== undefined && e.status !== 'failed') e = e.prev;
      if (e !== undefined && entry.status !== 'failed') entry.status = 'failed-child';
    }
    // Blocks on disk were validated when they arrived: replay without scripts.
    this.chain.activateBestChain(false);
    this.#extraNonce = this.chain.entries().length;
    const saved = readJsonFile(this.#mempoolPath()!) as string[] | undefined;
    for (const hex of saved ?? []) {
      try {
        acceptToMempool(this.#acceptContext(), describeTx(fromHex(hex)), { bypassLimits: true, allowReplacement: false });
      } catch {
        // A saved transaction that no longer decodes is dropped, as bitcoind drops mempool.dat entries it cannot load.
      }
    }
  }

  #mempoolPath(): string | undefined {
    return this.dataDir === undefined ? undefined : join(this.dataDir, 'mempool.json');
  }

  /** Saves the mempool and closes the block file. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    const path = this.#mempoolPath();
    if (path !== undefined) writeFileAtomic(path, JSON.stringify(this.mempool.entries().map((e) => toHex(e.info.raw))));
    this.#blockFile?.close();
  }

  // ---- clock ----

  /** The chain's clock: the mock time when set, else the real clock (seconds). */
  now(): number {
    return this.#settings.mockTime > 0 ? this.#settings.mockTime : this.#clock();
  }

  /** bitcoind's setmocktime: 0 returns to the real clock. */
  setMockTime(seconds: number): void {
    if (!Number.isInteger(seconds) || seconds < 0) throw new RegtestError('invalid_parameter', 'Mocktime cannot be negative: ' + seconds);
    this.#settings.mockTime = seconds;
    this.#saveSettings();
  }

  get mockTime(): number {
    return this.#settings.mockTime;
  }

  // ---- lookups ----

  get height(): number {
    return this.chain.height;
  }

  get tip(): BlockEntry {
    return this.chain.tip;
  }

  /** A known block (any branch) by display hash. */
  blockByHash(hashHex: string): BlockEntry | undefined {
    if (!/^[0-9a-fA-F]{64}$/.test(hashHex)) return undefined;
    return this.chain.get(toHex(reverseBytes(fromHex(hashHex.toLowerCase()))));
  }

  /** A transaction in the mempool or on the active chain, by display txid. */
  findTx(txidHex: string): FoundTx | undefined {
    const id = txidHex.toLowerCase();
    const pooled = this.mempool.get(id);
    if (pooled !== undefined) return { info: pooled.info, mempool: pooled };
    const location = this.chain.indexes.tx(id);
    if (location !== undefined) return { info: location.entry.txs[location.position]!, location };
    return undefined;
  }

  /** The output an input spends, wherever it is known (chain, mempool, history, test coins). */
  prevout(txidHex: string, vout: number): Coin | undefined {
    const key = coinKey(brandTxid(reverseBytes(fromHex(txidHex))), vout);
    const utxo = this.chain.utxos.get(key);
    if (utxo !== undefined) return utxo;
    const loose = this.chain.looseCoins.get(key);
    if (loose !== undefined) return loose;
    const found = this.findTx(txidHex);
    const out = found?.info.tx.outputs[vout];
    if (found === undefined || out === undefined) return undefined;
    return { amount: out.amount, script: out.script, height: found.location?.entry.height ?? this.height + 1, coinbase: found.info.coinbase };
  }

  /** The outputs a transaction spends (undefined entries for a coinbase or unknown coins). */
  prevouts(info: TxInfo): (Coin | undefined)[] {
    if (info.coinbase) return info.tx.inputs.map(() => undefined);
    return info.tx.inputs.map((i) => this.prevout(txidHexOf(i.previousOutput.txid), i.previousOutput.index));
  }

  /** The fee a transaction pays, when all its inputs are known. */
  feeOf(info: TxInfo): bigint | undefined {
    if (info.coinbase) return undefined;
    const coins = this.prevouts(info);
    if (coins.some((c) => c === undefined)) return undefined;
    return coins.reduce((s, c) => s + c!.amount, 0n) - info.tx.outputs.reduce((s, o) => s + o.amount, 0n);
  }

  /** Who spends an output: a confirmed transaction, a mempool one, or nobody. */
  outspend(txidHex: string, vout: number): { txidHex: string; vin: number; entry?: BlockEntry } | undefined {
    const key = coinKey(brandTxid(reverseBytes(fromHex(txidHex))), vout);
    const confirmed = this.chain.indexes.spend(key);
    if (confirmed !== undefined) return confirmed;
    const pooled = this.mempool.spender(key);
    if (pooled === undefined) return undefined;
    const vin = pooled.info.tx.inputs.findIndex((i) => coinKey(i.previousOutput.txid, i.previousOutput.index) === key);
    return { txidHex: pooled.info.txidHex, vin };
  }

  // ---- transactions ----

  #acceptContext(): AcceptContext {
    return { chain: this.chain, mempool: this.mempool, policy: this.policy, now: this.now() };
  }

  /**
   * bitcoind's sendrawtransaction: refuses a transaction whose outputs are
   * already in the UTXO set (-27), one over `maxFeeRate` (sat/kvB, 0: no limit)
   * or burning more than `maxBurnAmount` (-25), or one the mempool refuses
   * (-26, or -25 for missing inputs); returns the txid (also when it is already
   * in the mempool).
   * @throws RegtestError
   */
  sendRawTransaction(raw: Uint8Array, opts: { maxFeeRate?: bigint; maxBurnAmount?: bigint } = {}): string {
    const info = this.#decode(raw);
    this.#checkBurn(info, opts.maxBurnAmount ?? 0n);
    for (let vout = 0; vout < info.tx.outputs.length; vout++) {
      if (this.chain.utxos.has(coinKey(info.txid, vout))) throw new RegtestError('already_in_chain', 'Transaction outputs already in utxo set');
    }
    if (this.mempool.get(info.txidHex) !== undefined) return info.txidHex;
    const ctx = this.#acceptContext();
    const maxFeeRate = opts.maxFeeRate ?? DEFAULT_MAX_FEE_RATE;
    // As bitcoind: a full test acceptance, the fee limit, then the real acceptance (the script cache makes the second pass cheap).
    const test = acceptToMempool(ctx, info, { testAccept: true });
    if (!test.ok) throw this.#rejected(test.rejection);
    if (maxFeeRate > 0n && test.ws.fee > feeAt(maxFeeRate, info.vsize)) throw new RegtestError('max_fee_exceeded', 'Fee exceeds maximum configured by user (e.g. -maxtxfee, maxfeerate)');
    const result = acceptToMempool(ctx, info);
    if (!result.ok) throw this.#rejected(result.rejection);
    return info.txidHex;
  }

  /** bitcoind's testmempoolaccept for one transaction or a package (up to 25). */
  testMempoolAccept(raws: readonly Uint8Array[], maxFeeRate: bigint = DEFAULT_MAX_FEE_RATE): TestAcceptVerdict[] {
    if (raws.length < 1 || raws.length > 25) throw new RegtestError('invalid_parameter', 'Array must contain between 1 and 25 transactions.');
    const infos = raws.map((r) => this.#decode(r));
    const { packageError, results } = testPackage(this.#acceptContext(), infos);
    let exitEarly = false;
    return infos.map((info, i): TestAcceptVerdict => {
      const base = packageError === undefined ? { info } : { info, packageError: rejectionText(packageError) };
      const r = results[i];
      if (exitEarly || r === undefined) return base;
      if (r.status === 'accepted') {
        if (maxFeeRate > 0n && r.fee! > feeAt(maxFeeRate, r.vsize!)) {
          exitEarly = true;
          return { ...base, allowed: false, rejectReason: 'max-fee-exceeded' };
        }
        return { ...base, allowed: true, fee: r.fee!, vsize: r.vsize!, effectiveFeeRate: r.effectiveFeeRate!, effectiveIncludes: r.effectiveIncludes! };
      }
      const reason = r.rejection?.kind === 'missing-inputs' ? 'missing-inputs' : (r.rejection?.reason ?? 'unknown');
      return { ...base, allowed: false, rejectReason: reason };
    });
  }

  /**
   * bitcoind 28's submitpackage: a child with its unconfirmed parents (or one
   * transaction), each tried alone, the fee-short ones together at the package
   * feerate (CPFP).
   * @throws RegtestError for a malformed package (bitcoind throws the same)
   */
  submitPackage(raws: readonly Uint8Array[], opts: { maxFeeRate?: bigint; maxBurnAmount?: bigint } = {}): PackageResult {
    if (raws.length < 1 || raws.length > 25) throw new RegtestError('invalid_parameter', 'Array must contain between 1 and 25 transactions.');
    const infos = raws.map((r) => this.#decode(r));
    for (const info of infos) this.#checkBurn(info, opts.maxBurnAmount ?? 0n);
    if (!isChildWithParents(infos)) throw new RegtestError('invalid_package', 'package topology disallowed. not child-with-parents or parents depend on each other.');
    const maxFeeRate = opts.maxFeeRate ?? DEFAULT_MAX_FEE_RATE;
    if (maxFeeRate > 0n) {
      // bitcoind refuses the package before submitting anything when a transaction would exceed the limit.
      for (const info of infos) {
        const fee = this.#feeIfComputable(info, infos);
        if (fee !== undefined && fee > feeAt(maxFeeRate, info.vsize)) throw new RegtestError('max_fee_exceeded', 'Fee exceeds maximum configured by user (e.g. -maxtxfee, maxfeerate)');
      }
    }
    return acceptPackage(this.#acceptContext(), infos);
  }

  #feeIfComputable(info: TxInfo, siblings: readonly TxInfo[]): bigint | undefined {
    let valueIn = 0n;
    for (const input of info.tx.inputs) {
      const prevHex = txidHexOf(input.previousOutput.txid);
      const sibling = siblings.find((s) => s.txidHex === prevHex);
      const coin = sibling !== undefined ? sibling.tx.outputs[input.previousOutput.index] : this.prevout(prevHex, input.previousOutput.index);
      if (coin === undefined) return undefined;
      valueIn += coin.amount;
    }
    return valueIn - info.tx.outputs.reduce((s, o) => s + o.amount, 0n);
  }

  #checkBurn(info: TxInfo, maxBurnAmount: bigint): void {
    for (const out of info.tx.outputs) {
      if (isUnspendable(out.script) && out.amount > maxBurnAmount) throw new RegtestError('max_burn_exceeded', 'Unspendable output exceeds maximum configured by user (maxburnamount)');
    }
  }

  #decode(raw: Uint8Array): TxInfo {
    try {
      return describeTx(raw);
    } catch (cause) {
      throw new RegtestError('decode_failed', 'TX decode failed. Make sure the tx has at least one input.', { cause });
    }
  }

  #rejected(r: Rejection): RegtestError {
    return new RegtestError(r.kind === 'missing-inputs' ? 'missing_inputs' : 'rejected', rejectionText(r));
  }

  // ---- blocks ----

  /**
   * Mines `count` blocks on the tip paying `payout` (default: the faucet), each
   * filled from the mempool by ancestor feerate; returns their display hashes.
   */
  mine(count = 1, payout: Uint8Array = this.faucet.script): string[] {
    if (!Number.isInteger(count) || count < 0) throw new RegtestError('invalid_parameter', 'nblocks must be a non-negative integer');
    const hashes: string[] = [];
    for (let i = 0; i < count; i++) {
      const selected = selectTransactions(this.mempool, this.policy.blockMinFeeRate);
      hashes.push(this.#mineOn(this.tip, payout, selected.map((e) => e.info), selected.reduce((s, e) => s + e.fee, 0n)).hashHex);
    }
    return hashes;
  }

  #mineOn(prev: BlockEntry, payout: Uint8Array, txs: readonly TxInfo[], fees: bigint): BlockEntry {
    const height = prev.height + 1;
    const raw = mineBlock({
      prevHash: prev.hash,
      height,
      time: Math.max(prev.medianTimePast + 1, this.now()),
      extraNonce: this.#extraNonce++,
      payout,
      coinbaseValue: blockSubsidy(height) + fees,
      transactions: txs,
    });
    const result = this.processBlock(raw);
    if ('rejection' in result) throw new RegtestError('verify_error', `mined block refused: ${rejectionText(result.rejection)}`);
    return result.entry;
  }

  /**
   * bitcoind's generateblock: one block paying `payout` with exactly these
   * transactions (raw, or display txids of mempool transactions), in order.
   * @throws RegtestError when a txid is not in the mempool or the block is invalid
   */
  generateBlock(payout: Uint8Array, transactions: readonly (Uint8Array | string)[], submit = true): { hash: string; hex?: string } {
    const infos: TxInfo[] = [];
    for (const t of transactions) {
      if (typeof t === 'string') {
        const entry = this.mempool.get(t.toLowerCase());
        if (entry === undefined) throw new RegtestError('not_found', `Transaction ${t} not in mempool.`);
        infos.push(entry.info);
      } else {
        try {
          infos.push(describeTx(t));
        } catch (cause) {
          throw new RegtestError('decode_failed', `Transaction decode failed for ${toHex(t)}. Make sure the tx has at least one input.`, { cause });
        }
      }
    }
    let fees = 0n;
    for (const info of infos) fees += this.#feeIfComputable(info, infos) ?? 0n;
    const prev = this.tip;
    const height = prev.height + 1;
    const raw = mineBlock({
      prevHash: prev.hash,
      height,
      time: Math.max(prev.medianTimePast + 1, this.now()),
      extraNonce: this.#extraNonce++,
      payout,
      coinbaseValue: blockSubsidy(height) + (fees > 0n ? fees : 0n),
      transactions: infos,
    });
    const hash = toHex(reverseBytes(decodeBlock(raw).hash));
    const check = this.#testBlock(raw);
    if (check !== undefined) throw new RegtestError('verify_error', `TestBlockValidity failed: ${rejectionText(check)}`);
    if (!submit) return { hash, hex: toHex(raw) };
    const result = this.processBlock(raw);
    if ('rejection' in result) throw new RegtestError('verify_error', `TestBlockValidity failed: ${rejectionText(result.rejection)}`);
    return { hash };
  }

  // Validates a block on the tip without keeping it (Core's TestBlockValidity).
  #testBlock(raw: Uint8Array): Rejection | undefined {
    return this.chain.testBlockOnTip(decodeBlock(raw), raw, this.now());
  }

  /**
   * Offers a serialized block (bitcoind's submitblock): checked, filed, and
   * connected if it makes the best chain; the mempool follows.
   */
  processBlock(raw: Uint8Array): { entry: BlockEntry; isNew: boolean } | { rejection: Rejection } {
    let block: Block;
    try {
      block = decodeBlock(raw);
    } catch (cause) {
      throw new RegtestError('decode_failed', 'Block decode failed', { cause });
    }
    const accepted = this.chain.acceptBlock(block, raw, this.now());
    if ('rejection' in accepted) return accepted;
    if (!accepted.isNew) return accepted;
    this.#blockFile?.append(raw);
    this.#afterChange(this.chain.activateBestChain());
    if (accepted.entry.status === 'failed') {
      const failure = this.#lastFailure;
      return { rejection: failure ?? { kind: 'consensus', reason: 'block-validation-failed' } };
    }
    return accepted;
  }

  #lastFailure: Rejection | undefined;

  #afterChange(change: ChainChange): void {
    if (change.failure !== undefined) {
      this.#lastFailure = change.failure.rejection;
      this.#settings.failedBlocks.add(change.failure.entry.hashHex);
      this.#saveSettings();
    }
    syncMempool(change, this.chain, this.mempool, this.#acceptContext());
  }

  /** bitcoind's invalidateblock. @throws RegtestError for an unknown block or genesis */
  invalidateBlock(hashHex: string): void {
    const entry = this.blockByHash(hashHex);
    if (entry === undefined) throw new RegtestError('not_found', 'Block not found');
    if (entry.height === 0) throw new RegtestError('misc', 'Genesis block cannot be invalidated');
    this.#settings.failedBlocks.add(entry.hashHex);
    this.#saveSettings();
    this.#afterChange(this.chain.invalidate(entry));
  }

  /** bitcoind's reconsiderblock. @throws RegtestError for an unknown block */
  reconsiderBlock(hashHex: string): void {
    const entry = this.blockByHash(hashHex);
    if (entry === undefined) throw new RegtestError('not_found', 'Block not found');
    for (const e of this.chain.entries()) {
      if (this.#settings.failedBlocks.has(e.hashHex) && (e === entry || isRelated(e, entry))) this.#settings.failedBlocks.delete(e.hashHex);
    }
    this.#saveSettings();
    this.#afterChange(this.chain.reconsider(entry));
  }

  /**
   * Test-only: replaces the last `depth` blocks with a new branch of
   * `opts.blocks` blocks (default `depth`) mined from the fork point. The old
   * branch is marked invalid (as invalidateblock does; reconsiderblock brings
   * it back) and its transactions return to the mempool.
   * @returns the display hashes of the new blocks
   */
  reorg(depth: number, opts: ReorgOptions = {}): string[] {
    if (!Number.isInteger(depth) || depth < 1 || depth > this.height) throw new RegtestError('invalid_parameter', `reorg depth must be between 1 and ${this.height}`);
    const first = this.chain.atHeight(this.height - depth + 1)!;
    this.invalidateBlock(first.hashHex);
    const count = opts.blocks ?? depth;
    const payout = opts.payout ?? this.faucet.script;
    if (opts.includeMempool === false) {
      const hashes: string[] = [];
      for (let i = 0; i < count; i++) hashes.push(this.#mineOn(this.tip, payout, [], 0n).hashHex);
      return hashes;
    }
    return this.mine(count, payout);
  }

  // ---- faucet ----

  /**
   * Pays `amount` satoshis to `script` from the faucet (a validated
   * transaction entering the mempool); mines blocks to the faucet first when
   * it lacks mature coins. Returns the display txid.
   */
  faucetPay(script: Uint8Array, amount: bigint, feeRate = 2000n): string {
    if (amount <= 0n) throw new RegtestError('invalid_parameter', 'Invalid amount for send');
    for (let attempt = 0; attempt < 10_000; attempt++) {
      const coins = this.#faucetCoins();
      const chosen: FaucetCoin[] = [];
      let total = 0n;
      for (const c of coins) {
        if (total >= amount + 100_000n) break;
        chosen.push(c);
        total += c.coin.amount;
      }
      const raw = total >= amount ? this.faucet.pay(chosen, script, amount, feeRate) : undefined;
      if (raw !== undefined) {
        const result = acceptToMempool(this.#acceptContext(), describeTx(raw));
        if (result.ok) return result.ws.info.txidHex;
        if (result.rejection.reason !== 'too-long-mempool-chain') throw this.#rejected(result.rejection);
      }
      // Not enough mature coins (or the chain of unconfirmed change is too long): mine one.
      this.mine(this.#faucetMatureCount() === 0 && this.height < 101 ? 101 - this.height : 1);
    }
    throw new RegtestError('insufficient_funds', 'Insufficient funds');
  }

  #faucetMatureCount(): number {
    return this.#faucetCoins().length;
  }

  // Spendable faucet coins: mature confirmed ones largest first, then unconfirmed change.
  #faucetCoins(): FaucetCoin[] {
    const scriptHex = toHex(this.faucet.script);
    const confirmed: FaucetCoin[] = [];
    for (const key of this.chain.indexes.utxoKeys(scriptHex)) {
      if (this.mempool.spender(key) !== undefined) continue;
      const coin = this.chain.utxos.get(key)!;
      if (coin.coinbase && this.height + 1 - coin.height < 100) continue;
      const [txidHex, index] = key.split(':') as [string, string];
      confirmed.push({ outPoint: { txid: brandTxid(fromHex(txidHex)), index: Number(index) }, coin });
    }
    confirmed.sort((a, b) => (a.coin.amount === b.coin.amount ? 0 : a.coin.amount > b.coin.amount ? -1 : 1));
    const pending: FaucetCoin[] = [];
    for (const entry of this.mempool.entries()) {
      entry.info.tx.outputs.forEach((o, index) => {
        if (toHex(o.script) !== scriptHex) return;
        if (this.mempool.spender(coinKey(entry.info.txid, index)) !== undefined) return;
        pending.push({ outPoint: { txid: entry.info.txid, index }, coin: { amount: o.amount, script: o.script, height: this.height + 1, coinbase: false } });
      });
    }
    return [...confirmed, ...pending];
  }

  // ---- fee estimates ----

  /** Sets the fee estimate (sat/vB) for a confirmation target; a negative rate removes it. */
  setFeeEstimate(target: number, satPerVbyte: number): void {
    if (!Number.isInteger(target) || target < 1 || target > 1008) throw new RegtestError('invalid_parameter', 'Invalid conf_target, must be between 1 and 1008');
    this.feeEstimates.set(target, satPerVbyte < 0 ? -1n : BigInt(Math.round(satPerVbyte * 1000)));
    this.#settings.feeEstimates = new Map(this.feeEstimates.entries);
    this.#saveSettings();
  }

  /** bitcoind's estimatesmartfee: feerate in sat/kvB (never below the relay floor), or undefined without data. */
  estimateSmartFee(target: number): { feeRate: bigint; blocks: number } | undefined {
    if (!Number.isInteger(target) || target < 1 || target > 1008) throw new RegtestError('invalid_parameter', 'Invalid conf_target, must be between 1 and 1008');
    const rate = this.feeEstimates.estimate(target);
    if (rate === undefined) return undefined;
    return { feeRate: rate > this.policy.minRelayFeeRate ? rate : this.policy.minRelayFeeRate, blocks: target };
  }

  /**
   * Test-only: empties the mempool (what restarting bitcoind with
   * -persistmempool=0 does), e.g. after a test invalidated a block whose
   * transactions it does not want back.
   */
  clearMempool(): void {
    this.mempool.clear();
  }

  // ---- test-only coins ----

  /**
   * Test-only: places an output in the UTXO set that no transaction created,
   * so test vectors spending made-up outpoints (BOLT 3's funding output) can be
   * broadcast. It survives reorgs and restarts; nothing else in the chain
   * refers to it.
   */
  addUtxo(coin: LooseCoin): void {
    if (!/^[0-9a-fA-F]{64}$/.test(coin.txid)) throw new RegtestError('invalid_parameter', 'txid must be 64 hex characters');
    if (!Number.isInteger(coin.vout) || coin.vout < 0 || coin.vout > 0xffffffff) throw new RegtestError('invalid_parameter', 'vout must be a u32');
    if (coin.amount < 0n || coin.amount > 2_100_000_000_000_000n) throw new RegtestError('invalid_parameter', 'amount out of range');
    const key = coinKey(brandTxid(reverseBytes(fromHex(coin.txid.toLowerCase()))), coin.vout);
    if (this.chain.utxos.has(key)) throw new RegtestError('invalid_parameter', 'that outpoint is already unspent');
    const entry: Coin = { amount: coin.amount, script: Uint8Array.from(coin.script), height: coin.height ?? this.height, coinbase: coin.coinbase ?? false };
    this.chain.addLooseCoin(key, entry);
    this.#settings.looseCoins.set(key, entry);
    this.#saveSettings();
  }

  #saveSettings(): void {
    this.#settingsFile?.write(this.#settings);
  }

  /** Reports whether a data directory holds a chain. */
  static hasData(dataDir: string): boolean {
    return existsSync(join(dataDir, 'blocks.dat'));
  }
}

function isRelated(a: BlockEntry, b: BlockEntry): boolean {
  const [low, high] = a.height <= b.height ? [a, b] : [b, a];
  let e: BlockEntry | undefined = high;
  while (e !== undefined && e.height > low.height) e = e.prev;
  return e === low;
}

export type { PackageTxResult, PackageResult };
export { feeRateOf };
