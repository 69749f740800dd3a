import { MAX_BLOCK_WEIGHT, MAX_MONEY, WITNESS_SCALE_FACTOR } from '../consensus/params.js';
import type { TxInfo } from '../chain/tx-info.js';
import { type Rejection, rejection } from './rejection.js';

/** Core's CheckTransaction: the context-free consensus rules every transaction meets. */
export function checkTransaction(info: TxInfo): Rejection | undefined {
  const { tx } = info;
  if (tx.inputs.length === 0) return rejection('consensus', 'bad-txns-vin-empty');
  if (tx.outputs.length === 0) return rejection('consensus', 'bad-txns-vout-empty');
  if (info.strippedSize * WITNESS_SCALE_FACTOR > MAX_BLOCK_WEIGHT) return rejection('consensus', 'bad-txns-oversize');
  let total = 0n;
  for (const o of tx.outputs) {
    if (o.amount < 0n) return rejection('consensus', 'bad-txns-vout-negative');
    if (o.amount > MAX_MONEY) return rejection('consensus', 'bad-txns-vout-toolarge');
    total += o.amount;
    if (total > MAX_MONEY) return rejection('consensus', 'bad-txns-txouttotal-toolarge');
  }
  const seen = new Set<string>();
  for (const i of tx.inputs) {
    const key = `${i.previousOutput.index}:${i.previousOutput.txid.join(',')}`;
    if (seen.has(key)) return rejection('consensus', 'bad-txns-inputs-duplicate');
    seen.add(key);
  }
  if (info.coinbase) {
    const length = tx.inputs[0]!.scriptSig?.length ?? 0;
    if (length < 2 || length > 100) return rejection('consensus', 'bad-cb-length');
  } else {
    for (const i of tx.inputs) {
      if (i.previousOutput.index === 0xffffffff && i.previousOutput.txid.every((b) => b === 0)) return rejection('consensus', 'bad-txns-prevout-null');
    }
  }
  return undefined;
}
