import { COINBASE_MATURITY, MAX_MONEY } from '../consensus/params.js';
import type { Coin } from '../chain/coin.js';
import type { TxInfo } from '../chain/tx-info.js';
import { formatMoney } from '../json/money.js';
import { type Rejection, rejection } from './rejection.js';

/**
 * Core's Consensus::CheckTxInputs: coinbase maturity and amounts, for a
 * transaction whose coins were all found, spent in a block at `spendHeight`.
 * Returns the fee, or why the inputs are refused.
 */
export function checkTxInputs(info: TxInfo, coins: readonly Coin[], spendHeight: number): { fee: bigint } | Rejection {
  let valueIn = 0n;
  for (const coin of coins) {
    if (coin.coinbase && spendHeight - coin.height < COINBASE_MATURITY) {
      return rejection('premature-spend', 'bad-txns-premature-spend-of-coinbase', `tried to spend coinbase at depth ${spendHeight - coin.height}`);
    }
    valueIn += coin.amount;
    if (coin.amount < 0n || coin.amount > MAX_MONEY || valueIn > MAX_MONEY) return rejection('consensus', 'bad-txns-inputvalues-outofrange');
  }
  const valueOut = info.tx.outputs.reduce((sum, o) => sum + o.amount, 0n);
  if (valueIn < valueOut) return rejection('consensus', 'bad-txns-in-belowout', `value in (${formatMoney(valueIn)}) < value out (${formatMoney(valueOut)})`);
  const fee = valueIn - valueOut;
  if (fee < 0n || fee > MAX_MONEY) return rejection('consensus', 'bad-txns-fee-outofrange');
  return { fee };
}
