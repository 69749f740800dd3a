import { STANDARD_SCRIPT_FLAGS } from 'ln-script-verify';
import type { ChainState } from '../chain/chain-state.js';
import { type Coin, coinKey, outPointCoinKey } from '../chain/coin.js';
import type { TxInfo } from '../chain/tx-info.js';
import { checkTransaction } from '../validation/check-transaction.js';
import { checkTxInputs } from '../validation/check-inputs.js';
import { calculateSequenceLocks, isFinalTx, sequenceLocksSatisfied } from '../validation/locktime.js';
import { type Rejection, rejection } from '../validation/rejection.js';
import { type ScriptCache, checkInputScripts } from '../validation/scripts.js';
import { checkPackageLimits } from './limits.js';
import { type Mempool, type MempoolEntry, txidHexOf } from './mempool.js';
import { type RelayPolicy, checkStandardTx, feeAt, inputsAreStandard, witnessIsStandard } from './policy.js';
import { checkReplacement } from './rbf.js';
import { packageTrucChecks, singleTrucChecks } from './truc.js';

/** What mempool acceptance reads. */
export interface AcceptContext {
  readonly chain: ChainState;
  readonly mempool: Mempool;
  readonly policy: RelayPolicy;
  /** The chain's clock (seconds). */
  readonly now: number;
}

/** How a transaction is being considered. */
export interface AcceptOptions {
  /** Check only (testmempoolaccept): nothing changes. */
  readonly testAccept?: boolean;
  /** Skip the fee floors (transactions of disconnected blocks going back to the mempool). */
  readonly bypassLimits?: boolean;
  /** May it replace mempool transactions? (Not inside a multi-transaction package.) */
  readonly allowReplacement?: boolean;
  /** Fees are judged for the whole package by the caller, not here. */
  readonly packageFeerates?: boolean;
  /** Outputs of earlier transactions of the same package, not yet in the mempool. */
  readonly packageCoins?: ReadonlyMap<string, Coin>;
  /** The whole package this transaction is judged with (for the TRUC rules). */
  readonly package?: readonly TxInfo[];
}

/** A transaction that passed the checks before its scripts. */
export interface Workspace {
  readonly info: TxInfo;
  readonly coins: readonly Coin[];
  readonly fee: bigint;
  readonly ancestors: ReadonlySet<MempoolEntry>;
  readonly evicted: ReadonlySet<MempoolEntry>;
  readonly spendsCoinbase: boolean;
}

/** Core's MemPoolAccept::PreChecks: everything but fees of packages and scripts. */
export function preChecks(ctx: AcceptContext, info: TxInfo, opts: AcceptOptions = {}): Workspace | Rejection {
  const { chain, mempool, policy } = ctx;
  const consensus = checkTransaction(info);
  if (consensus !== undefined) return consensus;
  if (info.coinbase) return rejection('consensus', 'coinbase');
  const standard = checkStandardTx(info, policy);
  if (standard !== undefined) return standard;
  const nextHeight = chain.height + 1;
  const tipMedianTime = chain.tip.medianTimePast;
  if (!isFinalTx(info.tx, nextHeight, tipMedianTime)) return rejection('premature-spend', 'non-final');
  if (mempool.getByWtxid(info.wtxidHex) !== undefined) return rejection('conflict', 'txn-already-in-mempool');
  if (mempool.get(info.txidHex) !== undefined) return rejection('conflict', 'txn-same-nonwitness-data-in-mempool');

  const directConflicts = new Set<MempoolEntry>();
  for (const input of info.tx.inputs) {
    const spender = mempool.spender(outPointCoinKey(input.previousOutput));
    if (spender === undefined) continue;
    if (opts.allowReplacement === false) return rejection('mempool-policy', 'txn-mempool-conflict');
    directConflicts.add(spender);
  }

  const coins: Coin[] = [];
  const coinHeights: number[] = [];
  let spendsCoinbase = false;
  for (const input of info.tx.inputs) {
    const key = outPointCoinKey(input.previousOutput);
    const coin = chain.utxos.get(key) ?? opts.packageCoins?.get(key) ?? mempool.output(txidHexOf(input.previousOutput.txid), input.previousOutput.index, nextHeight);
    if (coin === undefined) {
      for (let vout = 0; vout < info.tx.outputs.length; vout++) {
        if (chain.utxos.has(coinKey(info.txid, vout))) return rejection('conflict', 'txn-already-known');
      }
      return rejection('missing-inputs', 'bad-txns-inputs-missingorspent');
    }
    coins.push(coin);
    coinHeights.push(coin.height);
    if (coin.coinbase) spendsCoinbase = true;
  }

  const lock = calculateSequenceLocks(info.tx, coinHeights, (h) => chain.medianTimePast(h));
  if (!sequenceLocksSatisfied(lock, nextHeight, tipMedianTime)) return rejection('premature-spend', 'non-BIP68-final');

  const inputs = checkTxInputs(info, coins, nextHeight);
  if ('reason' in inputs) return inputs;
  const fee = inputs.fee;

  if (!inputsAreStandard(info, coins)) return rejection('inputs-not-standard', 'bad-txns-nonstandard-inputs');
  if (info.hasWitness && !witnessIsStandard(info, coins)) return rejection('witness-stripped', 'bad-witness-nonstandard');

  if (!opts.bypassLimits && !opts.packageFeerates) {
    const minFee = feeAt(policy.minRelayFeeRate, info.vsize);
    if (fee < minFee) return rejection('reconsiderable', 'min relay fee not met', `${fee} < ${minFee}`);
  }

  const ancestors = mempool.ancestors(info);
  const limits = checkPackageLimits(info, ancestors, mempool, policy);
  if (limits !== undefined) return limits;
  for (const a of ancestors) {
    if (directConflicts.has(a)) return rejection('consensus', 'bad-txns-spends-conflicting-tx', `${info.txidHex} spends conflicting transaction ${a.info.txidHex}`);
  }
  const truc = opts.package === undefined ? singleTrucChecks(info, mempool, directConflicts) : packageTrucChecks(info, opts.package, mempool);
  if (truc !== undefined) return rejection('mempool-policy', 'TRUC-violation', truc);

  let evicted: ReadonlySet<MempoolEntry> = new Set();
  if (directConflicts.size > 0) {
    const replacement = checkReplacement(
      { txidHex: info.txidHex, fee, vsize: info.vsize, inputTxids: info.tx.inputs.map((i) => txidHexOf(i.previousOutput.txid)), directConflicts },
      mempool,
      policy.incrementalRelayFeeRate,
    );
    if ('reason' in replacement) return replacement;
    evicted = replacement.evicted;
  }
  return { info, coins, fee, ancestors, evicted, spendsCoinbase };
}

/** Core's PolicyScriptChecks: every input with the standard flags. */
export function policyScriptChecks(ws: Workspace, cache?: ScriptCache): Rejection | undefined {
  return checkInputScripts(ws.info, ws.coins, STANDARD_SCRIPT_FLAGS, cache);
}

/** A mempool acceptance verdict. */
export type AcceptResult =
  | { readonly ok: true; readonly ws: Workspace; readonly entry?: MempoolEntry; readonly replaced: readonly MempoolEntry[] }
  | { readonly ok: false; readonly rejection: Rejection };

/** Core's AcceptSingleTransaction: checks, then (unless testing) evicts what it replaces and enters the mempool. */
export function acceptToMempool(ctx: AcceptContext, info: TxInfo, opts: AcceptOptions = {}): AcceptResult {
  const ws = preChecks(ctx, info, opts);
  if ('reason' in ws) return { ok: false, rejection: ws };
  const scripts = policyScriptChecks(ws, ctx.chain.scriptCache);
  if (scripts !== undefined) return { ok: false, rejection: scripts };
  if (opts.testAccept) return { ok: true, ws, replaced: [] };
  return commit(ctx, ws);
}

/** Enters a checked transaction, evicting the entries it replaces. */
export function commit(ctx: AcceptContext, ws: Workspace): AcceptResult & { ok: true } {
  const replaced = ws.evicted.size > 0 ? ctx.mempool.removeWithDescendants(ws.evicted) : [];
  const entry = ctx.mempool.add(ws.info, { fee: ws.fee, time: ctx.now, height: ctx.chain.height, spendsCoinbase: ws.spendsCoinbase });
  return { ok: true, ws, entry, replaced };
}
