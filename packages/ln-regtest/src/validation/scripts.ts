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
export function checkInputScripts(info: TxInfo, coins: readonly Coin[], flags: number): Rejection | undefined {
  let scripts: TransactionScripts;
  try {
    scripts = new TransactionScripts(info.raw, coins.map((c) => ({ script: c.script, amount: c.amount })));
  } catch (cause) {
    if (cause instanceof ScriptVerifyError) return rejection('consensus', 'mandatory-script-verify-flag-failed (unknown error)', cause.message);
    throw cause;
  }
  const failure = scripts.verifyAll(flags);
  if (failure === undefined) return undefined;
  const { verdict } = failure;
  if (verdict.mandatory) return rejection('consensus', `mandatory-script-verify-flag-failed (${verdict.message})`);
  return rejection('not-standard', `non-mandatory-script-verify-flag (${verdict.message})`);
}
