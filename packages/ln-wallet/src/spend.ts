import { outPointKey } from 'ln-types';
import { type TxOutput, txWeight } from 'ln-tx';
import { type CoinCandidate, type Selection, selectCoins } from './coin-selection.js';
import { WalletError } from './errors.js';
import { P2WPKH_INPUT_WEIGHT, feeForWeightCeil, transactionBaseWeight } from './fees.js';
import { classifyScript, dustLimit, outputWeight } from './scripts.js';
import type { OwnedOutput, TxRecord } from './tx-graph.js';
import type { WalletCore } from './wallet-core.js';

/** An output to pay: a script and an amount in satoshis. */
export interface PaymentOutput {
  readonly script: Uint8Array;
  readonly amountSat: bigint;
}

/** What a transaction will spend and pay, before signing. */
export interface SpendPlan {
  readonly inputs: readonly OwnedOutput[];
  /** Every output, change included. */
  readonly outputs: readonly TxOutput[];
  /** The change output, when one is made. */
  readonly change: TxOutput | undefined;
  readonly feeSat: bigint;
  /** Weight with the largest signatures (the signed transaction weighs at most this). */
  readonly weight: number;
}

/** Incremental relay fee rate (bitcoind's 1 sat/vbyte) a replacement must add for its own weight (BIP 125 rule 4). */
export const INCREMENTAL_RELAY_FEERATE_PER_KW = 250;

interface Coin extends CoinCandidate {
  readonly output: OwnedOutput;
}

const coin = (output: OwnedOutput): Coin => ({ value: output.value, weight: P2WPKH_INPUT_WEIGHT, output });

/** Checks payment outputs: standard scripts, amounts between their dust limit and 21 million BTC. */
export function checkPaymentOutputs(outputs: readonly PaymentOutput[]): void {
  if (outputs.length === 0) throw new WalletError('invalid_amount', 'nothing to pay');
  for (const o of outputs) {
    if (classifyScript(o.script) === undefined) throw new WalletError('invalid_script', 'not a standard output script');
    if (typeof o.amountSat !== 'bigint' || o.amountSat <= 0n || o.amountSat > 2_100_000_000_000_000n) throw new WalletError('invalid_amount', `${String(o.amountSat)} sat is not an amount to pay`);
    const dust = dustLimit(o.script);
    if (o.amountSat < dust) throw new WalletError('invalid_amount', `${o.amountSat} sat is below the ${dust} sat dust limit of its script`);
  }
}

/**
 * Coins for `payments` at `feeratePerKw`, with change to `changeScript` when it is
 * worth making. Confirmed coins first; the wallet's own unconfirmed change only if
 * they do not suffice and `allowTrustedPending`.
 */
export function planPayment(
  core: WalletCore,
  payments: readonly PaymentOutput[],
  feeratePerKw: number,
  changeScript: Uint8Array,
  options: { allowTrustedPending: boolean; longTermFeeratePerKw: number },
): SpendPlan {
  checkPaymentOutputs(payments);
  const target = payments.reduce((s, p) => s + p.amountSat, 0n);
  const request = (candidates: OwnedOutput[]) => ({
    candidates: candidates.map(coin),
    target,
    baseWeight: transactionBaseWeight([...payments.map((p) => p.script.length), changeScript.length]) - outputWeight(changeScript),
    feeratePerKw,
    longTermFeeratePerKw: options.longTermFeeratePerKw,
    changeWeight: outputWeight(changeScript),
    changeSpendWeight: P2WPKH_INPUT_WEIGHT,
    minChange: dustLimit(changeScript),
  });
  let selection: Selection<Coin>;
  try {
    selection = selectCoins(request(core.spendableOutputs(false)));
  } catch (error) {
    if (!options.allowTrustedPending || !(error instanceof WalletError) || error.code !== 'insufficient_funds') throw error;
    selection = selectCoins(request(core.spendableOutputs(true)));
  }
  return toPlan(selection, payments, changeScript);
}

/** Every spendable coin to one output, less the fee. */
export function planDrain(core: WalletCore, destination: Uint8Array, feeratePerKw: number, allowTrustedPending: boolean): SpendPlan {
  if (classifyScript(destination) === undefined) throw new WalletError('invalid_script', 'not a standard output script');
  const inputs = core.spendableOutputs(allowTrustedPending);
  if (inputs.length === 0) throw new WalletError('insufficient_funds', 'nothing to send');
  return drainPlan(inputs, destination, feeratePerKw, 0n);
}

function drainPlan(inputs: readonly OwnedOutput[], destination: Uint8Array, feeratePerKw: number, minFee: bigint): SpendPlan {
  const weight = transactionBaseWeight([destination.length], inputs.length) + inputs.length * P2WPKH_INPUT_WEIGHT;
  let fee = BigInt(feeForWeightCeil(feeratePerKw, weight));
  if (fee < minFee) fee = minFee;
  const total = inputs.reduce((s, o) => s + o.value, 0n);
  const amount = total - fee;
  const dust = dustLimit(destination);
  if (amount < dust || amount <= 0n) throw new WalletError('insufficient_funds', `${total} sat less a ${fee} sat fee leaves less than the ${dust} sat dust limit`);
  const output = { script: destination, amount };
  return { inputs, outputs: [output], change: undefined, feeSat: fee, weight };
}

/**
 * A replacement for one of the wallet's own pending transactions (BIP 125): the same
 * inputs and payments, more confirmed coins if the change cannot pay, a fee rate of
 * at least `feeratePerKw` and a fee above the original's by the incremental relay
 * fee for the replacement's weight. A sendAll replacement lowers its one output.
 */
export function planBump(core: WalletCore, record: TxRecord, feeratePerKw: number, options: { longTermFeeratePerKw: number; changeScript: Uint8Array }): SpendPlan {
  if (record.status.kind !== 'pending') throw new WalletError('not_replaceable', 'the transaction is confirmed');
  if (record.origin === 'external') throw new WalletError('not_replaceable', 'the wallet did not build this transaction');
  if (record.origin === 'funding') throw new WalletError('not_replaceable', 'a funding transaction cannot change its txid: the channel refers to it');
  if (core.graph.children(record.key).length > 0) throw new WalletError('not_replaceable', 'other transactions spend its outputs');
  const inputs: OwnedOutput[] = [];
  for (const i of record.tx.inputs) {
    const owned = core.graph.outputs.get(outPointKey(i.previousOutput));
    if (owned === undefined) throw new WalletError('not_replaceable', 'an input is not the wallet’s');
    inputs.push(owned);
  }
  const inValue = inputs.reduce((s, o) => s + o.value, 0n);
  const oldFee = inValue - record.tx.outputs.reduce((s, o) => s + o.amount, 0n);
  const oldWeight = txWeight(record.tx);
  if (feeratePerKw * oldWeight <= Number(oldFee) * 1000) {
    throw new WalletError('fee_too_low', `the original pays ${Math.floor((Number(oldFee) * 1000) / oldWeight)} sat/kw; a replacement must pay more`);
  }
  const minFeeFor = (weight: number) => oldFee + BigInt(feeForWeightCeil(INCREMENTAL_RELAY_FEERATE_PER_KW, weight));
  if (record.origin === 'drain') {
    const destination = record.tx.outputs[0]!.script;
    const weight = transactionBaseWeight([destination.length], inputs.length) + inputs.length * P2WPKH_INPUT_WEIGHT;
    return drainPlan(inputs, destination, feeratePerKw, minFeeFor(weight));
  }
  const payments: PaymentOutput[] = [];
  let changeScript = options.changeScript;
  let sawChange = false;
  for (const o of record.tx.outputs) {
    const position = core.keychain.lookup(o.script);
    if (position?.chain === 1 && !sawChange) {
      changeScript = o.script;
      sawChange = true;
    } else payments.push({ script: o.script, amountSat: o.amount });
  }
  // BIP 125 rule 2: a replacement adds no unconfirmed inputs.
  const candidates = core.spendableOutputs(false).map(coin);
  let rate = feeratePerKw;
  for (let attempt = 0; attempt < 8; attempt++) {
    const selection = selectCoins({
      candidates,
      required: inputs.map(coin),
      target: payments.reduce((s, p) => s + p.amountSat, 0n),
      baseWeight: transactionBaseWeight([...payments.map((p) => p.script.length), changeScript.length]) - outputWeight(changeScript),
      feeratePerKw: rate,
      longTermFeeratePerKw: options.longTermFeeratePerKw,
      changeWeight: outputWeight(changeScript),
      changeSpendWeight: P2WPKH_INPUT_WEIGHT,
      minChange: dustLimit(changeScript),
    });
    const minFee = minFeeFor(selection.weight);
    if (selection.fee >= minFee) return toPlan(selection, payments, changeScript);
    rate = Math.ceil((Number(minFee) * 1000) / selection.weight) + 1;
  }
  throw new WalletError('insufficient_funds', 'no replacement pays the fee BIP 125 requires');
}

function toPlan(selection: Selection<Coin>, payments: readonly PaymentOutput[], changeScript: Uint8Array): SpendPlan {
  const outputs: TxOutput[] = payments.map((p) => ({ script: p.script, amount: p.amountSat }));
  const change = selection.change > 0n ? { script: changeScript, amount: selection.change } : undefined;
  if (change !== undefined) outputs.push(change);
  return { inputs: selection.selected.map((c) => c.output), outputs, change, feeSat: selection.fee, weight: selection.weight };
}
