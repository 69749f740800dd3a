import { type Coin, coinKey, outPointCoinKey } from '../chain/coin.js';
import type { TxInfo } from '../chain/tx-info.js';
import { type Rejection, rejection } from '../validation/rejection.js';
import { type AcceptContext, type Workspace, acceptToMempool, commit, policyScriptChecks, preChecks } from './accept.js';
import { type MempoolEntry, txidHexOf } from './mempool.js';
import { feeAt, feeRateOf } from './policy.js';

/** Core's MAX_PACKAGE_COUNT. */
export const MAX_PACKAGE_COUNT = 25;
/** Core's MAX_PACKAGE_WEIGHT. */
export const MAX_PACKAGE_WEIGHT = 404_000;

/** One transaction's outcome in a package. */
export interface PackageTxResult {
  readonly info: TxInfo;
  readonly status: 'accepted' | 'in-mempool' | 'different-witness' | 'rejected' | 'unevaluated';
  readonly rejection?: Rejection;
  readonly fee?: bigint;
  readonly vsize?: number;
  /** Feerate it was judged at (sat/kvB): its own, or the package's. */
  readonly effectiveFeeRate?: bigint;
  /** Display wtxids whose fees and sizes made the effective feerate. */
  readonly effectiveIncludes?: readonly string[];
  /** The wtxid of the mempool transaction with the same txid (different witness). */
  readonly otherWtxid?: string;
}

/** A package's outcome. */
export interface PackageResult {
  /** The package-wide failure (bitcoind's package_msg when not "success"). */
  readonly packageError?: Rejection;
  readonly results: readonly PackageTxResult[];
  readonly replaced: readonly MempoolEntry[];
}

/** Core's IsWellFormedPackage: size, weight, duplicates, order, no conflicts inside. */
export function checkPackageShape(infos: readonly TxInfo[]): Rejection | undefined {
  if (infos.length > MAX_PACKAGE_COUNT) return rejection('mempool-policy', 'package-too-many-transactions');
  if (infos.reduce((s, i) => s + i.weight, 0) > MAX_PACKAGE_WEIGHT && infos.length > 1) return rejection('mempool-policy', 'package-too-large');
  const txids = new Set(infos.map((i) => i.txidHex));
  if (txids.size !== infos.length) return rejection('mempool-policy', 'package-contains-duplicates');
  const later = new Set(txids);
  for (const info of infos) {
    later.delete(info.txidHex);
    if (info.tx.inputs.some((i) => later.has(txidHexOf(i.previousOutput.txid)))) return rejection('mempool-policy', 'package-not-sorted');
  }
  const spent = new Set<string>();
  for (const info of infos) {
    for (const input of info.tx.inputs) {
      const key = outPointCoinKey(input.previousOutput);
      if (spent.has(key)) return rejection('mempool-policy', 'conflict-in-package');
      spent.add(key);
    }
  }
  return undefined;
}

/** Core's IsChildWithParentsTree: the last transaction spends every other, which spend none of each other. */
export function isChildWithParents(infos: readonly TxInfo[]): boolean {
  if (infos.length <= 1) return true;
  const child = infos[infos.length - 1]!;
  const parents = infos.slice(0, -1);
  const childInputs = new Set(child.tx.inputs.map((i) => txidHexOf(i.previousOutput.txid)));
  if (!parents.every((p) => childInputs.has(p.txidHex))) return false;
  const parentIds = new Set(parents.map((p) => p.txidHex));
  return parents.every((p) => p.tx.inputs.every((i) => !parentIds.has(txidHexOf(i.previousOutput.txid))));
}

function outputsOf(infos: readonly TxInfo[], nextHeight: number): Map<string, Coin> {
  const coins = new Map<string, Coin>();
  for (const info of infos) {
    info.tx.outputs.forEach((o, vout) => coins.set(coinKey(info.txid, vout), { amount: o.amount, script: o.script, height: nextHeight, coinbase: false }));
  }
  return coins;
}

/**
 * bitcoind 28's submitpackage: each transaction is first tried alone; those
 * refused only for their fee (or for a parent that was) are then judged
 * together at the package feerate, which is how a zero-fee commitment enters
 * with its anchor child (CPFP). Package RBF is not supported: a transaction
 * judged with others may not replace mempool transactions.
 */
export function acceptPackage(ctx: AcceptContext, infos: readonly TxInfo[]): PackageResult {
  const shape = checkPackageShape(infos);
  if (shape !== undefined) return { packageError: shape, results: infos.map((info) => ({ info, status: 'unevaluated' })), replaced: [] };
  const results = new Map<TxInfo, PackageTxResult>();
  const individual = new Map<TxInfo, Rejection>();
  const replaced: MempoolEntry[] = [];
  const toEvaluate: TxInfo[] = [];
  let quitEarly = false;
  for (const info of infos) {
    const same = ctx.mempool.getByWtxid(info.wtxidHex);
    if (same !== undefined) {
      results.set(info, { info, status: 'in-mempool', fee: same.fee, vsize: same.info.vsize });
      continue;
    }
    const sameTxid = ctx.mempool.get(info.txidHex);
    if (sameTxid !== undefined) {
      results.set(info, { info, status: 'different-witness', otherWtxid: sameTxid.info.wtxidHex });
      continue;
    }
    if (quitEarly) continue;
    const single = acceptToMempool(ctx, info, { allowReplacement: true });
    if (single.ok) {
      replaced.push(...single.replaced);
      results.set(info, { info, status: 'accepted', fee: single.ws.fee, vsize: info.vsize, effectiveFeeRate: feeRateOf(single.ws.fee, info.vsize), effectiveIncludes: [info.wtxidHex] });
    } else if (single.rejection.kind === 'reconsiderable' || single.rejection.kind === 'missing-inputs') {
      individual.set(info, single.rejection);
      toEvaluate.push(info);
    } else {
      results.set(info, { info, status: 'rejected', rejection: single.rejection });
      quitEarly = true;
    }
  }
  let packageError: Rejection | undefined;
  if (quitEarly) packageError = rejection('mempool-policy', 'transaction failed');
  else if (toEvaluate.length > 0) {
    const multi = acceptTogether(ctx, toEvaluate);
    if ('failed' in multi) {
      packageError = rejection('mempool-policy', 'transaction failed');
      results.set(multi.failed, { info: multi.failed, status: 'rejected', rejection: multi.rejection });
    } else {
      for (const r of multi.results) results.set(r.info, r);
      replaced.push(...multi.replaced);
    }
  }
  const ordered = infos.map((info): PackageTxResult => {
    const r = results.get(info);
    if (r !== undefined) return r;
    const own = individual.get(info);
    return own !== undefined ? { info, status: 'rejected', rejection: own } : { info, status: 'unevaluated' };
  });
  return packageError === undefined ? { results: ordered, replaced } : { packageError, results: ordered, replaced };
}

// Core's AcceptMultipleTransactions with package feerates: every check but the
// fee floor per transaction, then the floor for the total, then scripts, then all enter.
function acceptTogether(ctx: AcceptContext, infos: readonly TxInfo[]): { results: PackageTxResult[]; replaced: MempoolEntry[] } | { failed: TxInfo; rejection: Rejection } {
  const coins = outputsOf(infos, ctx.chain.height + 1);
  const workspaces: Workspace[] = [];
  for (const info of infos) {
    const ws = preChecks(ctx, info, { allowReplacement: false, packageFeerates: true, packageCoins: coins, package: infos });
    if ('reason' in ws) return { failed: info, rejection: ws };
    workspaces.push(ws);
  }
  const totalFee = workspaces.reduce((s, w) => s + w.fee, 0n);
  const totalVsize = infos.reduce((s, i) => s + i.vsize, 0);
  const minFee = feeAt(ctx.policy.minRelayFeeRate, totalVsize);
  if (totalFee < minFee) return { failed: infos[infos.length - 1]!, rejection: rejection('reconsiderable', 'min relay fee not met', `${totalFee} < ${minFee}`) };
  for (const ws of workspaces) {
    const scripts = policyScriptChecks(ws, ctx.chain.scriptCache);
    if (scripts !== undefined) return { failed: ws.info, rejection: scripts };
  }
  const rate = feeRateOf(totalFee, totalVsize);
  const includes = infos.map((i) => i.wtxidHex);
  const replaced: MempoolEntry[] = [];
  const results = workspaces.map((ws): PackageTxResult => {
    replaced.push(...commit(ctx, ws).replaced);
    return { info: ws.info, status: 'accepted', fee: ws.fee, vsize: ws.info.vsize, effectiveFeeRate: rate, effectiveIncludes: includes };
  });
  return { results, replaced };
}

/**
 * bitcoind's testmempoolaccept for several transactions: judged in order as one
 * package without package feerates (each pays its own way); nothing changes.
 * Stops at the first refusal: later transactions get no verdict.
 */
export function testPackage(ctx: AcceptContext, infos: readonly TxInfo[]): { packageError?: Rejection; results: (PackageTxResult | undefined)[] } {
  if (infos.length === 1) {
    const r = acceptToMempool(ctx, infos[0]!, { testAccept: true });
    const info = infos[0]!;
    return { results: [r.ok ? { info, status: 'accepted', fee: r.ws.fee, vsize: info.vsize, effectiveFeeRate: feeRateOf(r.ws.fee, info.vsize), effectiveIncludes: [info.wtxidHex] } : { info, status: 'rejected', rejection: r.rejection }] };
  }
  const shape = checkPackageShape(infos);
  if (shape !== undefined) return { packageError: shape, results: infos.map(() => undefined) };
  const coins = outputsOf(infos, ctx.chain.height + 1);
  const results: (PackageTxResult | undefined)[] = infos.map(() => undefined);
  for (let i = 0; i < infos.length; i++) {
    const info = infos[i]!;
    const ws = preChecks(ctx, info, { allowReplacement: false, packageCoins: coins, package: infos });
    const refused = 'reason' in ws ? ws : policyScriptChecks(ws, ctx.chain.scriptCache);
    if (refused !== undefined) {
      results[i] = { info, status: 'rejected', rejection: refused };
      return { results };
    }
    const w = ws as Workspace;
    results[i] = { info, status: 'accepted', fee: w.fee, vsize: info.vsize, effectiveFeeRate: feeRateOf(w.fee, info.vsize), effectiveIncludes: [info.wtxidHex] };
  }
  return { results };
}
