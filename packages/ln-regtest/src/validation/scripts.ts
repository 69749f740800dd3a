import { ScriptVerifyError, TransactionScripts } from 'ln-script-verify';
import type { Coin } from '../chain/coin.js';
import type { TxInfo } from '../chain/tx-info.js';
import { type Rejection, rejection } from './rejection.js';

/**
 * Core's CheckInputScripts: every input's script run by an independent
 * interpreter (bitcore-lib, through ln-script-verify) with `flags`. A failure
 * that also fails with only the consensus flags is
 * "mandatory-script-verify-flag-failed (...)", else
 * "non-mandatory-script-verify-flag (...)", as bitcoind 28 words them.
 */
export function checkInputScripts(info: TxInfo, coins: readonly Coin[], flags: number, cache?: ScriptCache): Rejection | undefined {
  if (cache?.has(info.wtxidHex, flags)) return undefined;
  let scripts: TransactionScripts;
  try {
    scripts = new TransactionScripts(info.raw, coins.map((c) => ({ script: c.script, amount: c.amount })));
  } catch (cause) {
    if (cause instanceof ScriptVerifyError) return rejection('consensus', 'mandatory-script-verify-flag-failed (unknown error)', cause.message);
    throw cause;
  }
  const failure = scripts.verifyAll(flags);
  if (failure === undefined) {
    cache?.add(info.wtxidHex, flags);
    return undefined;
  }
  const { verdict } = failure;
  if (verdict.mandatory) return rejection('consensus', `mandatory-script-verify-flag-failed (${verdict.message})`);
  return rejection('not-standard', `non-mandatory-script-verify-flag (${verdict.message})`);
}

/**
 * Bitcoin Core's script execution cache: transactions (by wtxid, which fixes
 * every outpoint they spend) whose scripts passed with a set of flags, so a
 * block does not run again what the mempool already verified.
 */
export class ScriptCache {
  readonly #passed = new Map<string, number>();

  constructor(readonly limit = 100_000) {}

  /** True when the transaction passed with flags including all of `flags`. */
  has(wtxidHex: string, flags: number): boolean {
    const passed = this.#passed.get(wtxidHex);
    return passed !== undefined && (passed & flags) === flags;
  }

  /** Forgets everything (benchmarks measuring uncached validation use it). */
  clear(): void {
    this.#passed.clear();
  }

  add(wtxidHex: string, flags: number): void {
    if (this.#passed.size >= this.limit) this.#passed.clear();
    this.#passed.set(wtxidHex, (this.#passed.get(wtxidHex) ?? 0) | flags);
  }
}
