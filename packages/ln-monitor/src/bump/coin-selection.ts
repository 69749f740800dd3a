import type { Utxo } from 'ln-chain-api';
import { feeForWeight } from 'ln-tx';
import { MonitorError } from '../errors.js';

// Choosing wallet outputs to pay for a fee bump: the outputs the same claim used
// before first (a replacement must conflict with what it replaces), then the
// largest, until the fee for the grown transaction and a change output are covered.

/** Weight of one wallet input: outpoint, empty scriptSig length, sequence (times 4), plus what spends it. */
export function walletInputWeight(u: Utxo): number {
  return (32 + 4 + 4) * 4 + u.satisfactionWeight;
}

/** Weight of an output paying `scriptLength` bytes of script. */
export function outputWeight(scriptLength: number): number {
  return (8 + 1 + scriptLength) * 4;
}

/** Change below this is not created (the P2WSH dust limit, above P2WPKH's 294). */
export const CHANGE_DUST_SAT = 330n;

export interface Selection {
  readonly utxos: Utxo[];
  /** Weight of the whole transaction with these inputs and a change output. */
  readonly weight: number;
  readonly fee: bigint;
  readonly change: bigint;
}

/**
 * Picks UTXOs so that `available` (value the transaction already brings beyond what
 * it must pay out) plus the picked outputs pays `fee(weight)` and leaves change of
 * at least {@link CHANGE_DUST_SAT}.
 * @throws MonitorError `wallet` when the wallet cannot pay
 */
export function selectUtxos(
  candidates: readonly Utxo[],
  preferred: readonly Utxo[],
  baseWeight: number,
  changeScriptLength: number,
  available: bigint,
  fee: (weight: number) => bigint,
): Selection {
  const key = (u: Utxo) => `${u.outpoint.index}:${[...u.outpoint.txid].join(',')}`;
  const preferredKeys = new Set(preferred.map(key));
  const ordered = [
    ...candidates.filter((u) => preferredKeys.has(key(u))),
    ...candidates.filter((u) => !preferredKeys.has(key(u))).sort((a, b) => (a.output.valueSat < b.output.valueSat ? 1 : a.output.valueSat > b.output.valueSat ? -1 : 0)),
  ];
  const picked: Utxo[] = [];
  let weight = baseWeight + outputWeight(changeScriptLength);
  let value = available;
  for (const u of ordered) {
    const need = fee(weight);
    if (picked.length > 0 && value - need >= CHANGE_DUST_SAT) break;
    picked.push(u);
    weight += walletInputWeight(u);
    value += u.output.valueSat;
  }
  const total = fee(weight);
  if (picked.length === 0 || value - total < CHANGE_DUST_SAT) throw new MonitorError('wallet', `the wallet cannot pay ${total} sat of fees`);
  return { utxos: picked, weight, fee: total, change: value - total };
}

/** `feerate · weight / 1000`, rounded up (a fee bump never pays a hair under its rate). */
export function feeRoundedUp(feeratePerKw: number, weight: number): bigint {
  const fee = feeForWeight(feeratePerKw, weight);
  return (BigInt(feeratePerKw) * BigInt(weight)) % 1000n === 0n ? fee : fee + 1n;
}
