import { MANDATORY_SCRIPT_FLAGS } from 'ln-script-verify';
import { blockSubsidy } from '../consensus/params.js';
import { checkTxInputs } from '../validation/check-inputs.js';
import { calculateSequenceLocks, sequenceLocksSatisfied } from '../validation/locktime.js';
import { type Rejection, rejection } from '../validation/rejection.js';
import { type ScriptCache, checkInputScripts } from '../validation/scripts.js';
import type { BlockEntry } from './block-entry.js';
import { type Coin, coinKey, outPointCoinKey } from './coin.js';
import type { SpentCoin, UtxoSet } from './utxo-set.js';

/** What connecting a block changed, to undo it exactly. */
export interface BlockUndo {
  /** Coins the block spent, in spending order. */
  readonly spent: readonly SpentCoin[];
  /** Keys of the coins it created. */
  readonly created: readonly string[];
  /** Fees of each transaction (index 0, the coinbase, is 0). */
  readonly fees: readonly bigint[];
}

/**
 * Core's ConnectBlock: spends every input from the UTXO set (or from outputs
 * created earlier in the block), checks maturity, amounts, BIP 68 locks and,
 * unless `verifyScripts` is false (replaying blocks this chain validated
 * before), every input script with the consensus flags (skipping transactions
 * the script cache already passed); adds the outputs; checks
 * the coinbase claims no more than subsidy plus fees. Leaves the set untouched
 * when it refuses the block.
 */
export function connectBlock(entry: BlockEntry, utxos: UtxoSet, medianTimePast: (height: number) => number, verifyScripts: boolean, cache?: ScriptCache): BlockUndo | Rejection {
  const spent: SpentCoin[] = [];
  const created: string[] = [];
  const fees: bigint[] = [0n];
  const undo = (): void => restoreCoins(spent, created, utxos);
  const fail = (r: Rejection): Rejection => {
    undo();
    return r;
  };
  let totalFees = 0n;
  for (const info of entry.txs) {
    if (!info.coinbase) {
      const coins: Coin[] = [];
      for (const input of info.tx.inputs) {
        const key = outPointCoinKey(input.previousOutput);
        const coin = utxos.get(key);
        if (coin === undefined) return fail(rejection('consensus', 'bad-txns-inputs-missingorspent', `CheckTxInputs: inputs missing/spent`));
        coins.push(coin);
        utxos.delete(key);
        spent.push({ key, coin });
      }
      const checked = checkTxInputs(info, coins, entry.height);
      if ('reason' in checked) return fail(rejection('consensus', checked.reason, `${checked.debug ?? ''}${checked.debug === undefined ? '' : ' '}(tx ${info.txidHex})`.trim()));
      const lock = calculateSequenceLocks(info.tx, coins.map((c) => c.height), medianTimePast);
      if (!sequenceLocksSatisfied(lock, entry.height, entry.prev?.medianTimePast ?? 0)) return fail(rejection('consensus', 'bad-txns-nonfinal', 'contains a non-BIP68-final transaction'));
      if (verifyScripts) {
        const r = checkInputScripts(info, coins, MANDATORY_SCRIPT_FLAGS, cache);
        if (r !== undefined) return fail(rejection('consensus', r.reason, `Failed to verify tx ${info.txidHex}`));
      }
      fees.push(checked.fee);
      totalFees += checked.fee;
    }
    for (let vout = 0; vout < info.tx.outputs.length; vout++) {
      const out = info.tx.outputs[vout]!;
      // Provably unspendable outputs never enter the set (Core's AddCoins).
      if (out.script.length > 0 && out.script[0] === 0x6a) continue;
      if (out.script.length > 10_000) continue;
      const key = coinKey(info.txid, vout);
      if (utxos.has(key)) return fail(rejection('consensus', 'bad-txns-BIP30', 'tried to overwrite transaction'));
      utxos.add(key, { amount: out.amount, script: out.script, height: entry.height, coinbase: info.coinbase });
      created.push(key);
    }
  }
  const claimed = entry.txs[0]!.tx.outputs.reduce((s, o) => s + o.amount, 0n);
  const allowed = blockSubsidy(entry.height) + totalFees;
  if (claimed > allowed) return fail(rejection('consensus', 'bad-cb-amount', `coinbase pays too much (actual=${claimed} vs limit=${allowed})`));
  return { spent, created, fees };
}

/** Reverses {@link connectBlock}. */
export function disconnectBlock(undo: BlockUndo, utxos: UtxoSet): void {
  restoreCoins(undo.spent, undo.created, utxos);
}

/**
 * The UTXO set as it was before the block: its outputs removed, the coins it
 * spent put back — except coins the block itself created and spent (a chain of
 * transactions within one block), which did not exist before it either.
 */
function restoreCoins(spent: readonly SpentCoin[], created: readonly string[], utxos: UtxoSet): void {
  const createdHere = new Set(created);
  for (const key of created) utxos.delete(key);
  for (let i = spent.length - 1; i >= 0; i--) if (!createdHere.has(spent[i]!.key)) utxos.add(spent[i]!.key, spent[i]!.coin);
}

