import type { Coin } from '../chain/coin.js';
import type { TxInfo } from '../chain/tx-info.js';
import { MIN_TRANSACTION_SIZE_NO_WITNESS } from '../consensus/params.js';
import { classifyScript, isPayToAnchor, isPayToScriptHash, isUnspendable, witnessProgram } from '../script/classify.js';
import { isPushOnly, parseScript } from '../script/parse.js';
import { type Rejection, rejection } from '../validation/rejection.js';

/** The relay policy knobs, with bitcoind 28's defaults. */
export interface RelayPolicy {
  /** -minrelaytxfee, sat per 1000 vbytes. */
  readonly minRelayFeeRate: bigint;
  /** -incrementalrelayfee, sat per 1000 vbytes. */
  readonly incrementalRelayFeeRate: bigint;
  /** -dustrelayfee, sat per 1000 vbytes. */
  readonly dustRelayFeeRate: bigint;
  /** -blockmintxfee, sat per 1000 vbytes: packages below it are not mined. */
  readonly blockMinFeeRate: bigint;
  readonly maxStandardWeight: number;
  readonly ancestorCount: number;
  readonly ancestorSizeVbytes: number;
  readonly descendantCount: number;
  readonly descendantSizeVbytes: number;
  /** -datacarriersize. */
  readonly maxDataCarrierBytes: number;
}

export const DEFAULT_RELAY_POLICY: RelayPolicy = {
  minRelayFeeRate: 1000n,
  incrementalRelayFeeRate: 1000n,
  dustRelayFeeRate: 3000n,
  blockMinFeeRate: 1000n,
  maxStandardWeight: 400_000,
  ancestorCount: 25,
  ancestorSizeVbytes: 101_000,
  descendantCount: 25,
  descendantSizeVbytes: 101_000,
  maxDataCarrierBytes: 83,
};

/** Core's CFeeRate::GetFee: the fee at `satPerKvB` for `vsize` vbytes, rounded up. */
export function feeAt(satPerKvB: bigint, vsize: number): bigint {
  if (vsize === 0) return 0n;
  const fee = (satPerKvB * BigInt(vsize) + 999n) / 1000n;
  return fee === 0n && satPerKvB > 0n ? 1n : fee;
}

/** Core's CFeeRate(fee, vsize): sat per 1000 vbytes, rounded down. */
export function feeRateOf(fee: bigint, vsize: number): bigint {
  return vsize > 0 ? (fee * 1000n) / BigInt(vsize) : 0n;
}

/** Core's GetDustThreshold: below this an output costs more to spend than it is worth. */
export function dustThreshold(script: Uint8Array, dustRelayFeeRate: bigint): bigint {
  if (isUnspendable(script)) return 0n;
  const outputSize = 8 + compactSizeLength(script.length) + script.length;
  const spendSize = witnessProgram(script) !== undefined ? 32 + 4 + 1 + Math.floor(107 / 4) + 4 : 32 + 4 + 1 + 107 + 4;
  return feeAt(dustRelayFeeRate, outputSize + spendSize);
}

function compactSizeLength(n: number): number {
  return n < 0xfd ? 1 : n <= 0xffff ? 3 : 5;
}

/** Core's IsStandardTx plus the tx-size-small rule. */
export function checkStandardTx(info: TxInfo, policy: RelayPolicy): Rejection | undefined {
  const { tx } = info;
  if (tx.version > 3 || tx.version < 1) return rejection('not-standard', 'version');
  if (info.weight > policy.maxStandardWeight) return rejection('not-standard', 'tx-size');
  for (const input of tx.inputs) {
    const scriptSig = input.scriptSig ?? new Uint8Array(0);
    if (scriptSig.length > 1650) return rejection('not-standard', 'scriptsig-size');
    if (!isPushOnly(scriptSig)) return rejection('not-standard', 'scriptsig-not-pushonly');
  }
  let dataOutputs = 0;
  for (const out of tx.outputs) {
    const kind = classifyScript(out.script);
    if (kind.type === 'nonstandard') return rejection('not-standard', 'scriptpubkey');
    if (kind.type === 'multisig' && (kind.keys! > 3 || kind.required! < 1)) return rejection('not-standard', 'scriptpubkey');
    if (kind.type === 'nulldata') {
      if (out.script.length > policy.maxDataCarrierBytes) return rejection('not-standard', 'scriptpubkey');
      dataOutputs++;
    } else if (out.amount < dustThreshold(out.script, policy.dustRelayFeeRate)) return rejection('not-standard', 'dust');
  }
  if (dataOutputs > 1) return rejection('not-standard', 'multi-op-return');
  if (info.strippedSize < MIN_TRANSACTION_SIZE_NO_WITNESS) return rejection('not-standard', 'tx-size-small');
  return undefined;
}

/** Core's GetSigOpCount: legacy sigops of a script (`accurate` counts CHECKMULTISIG keys from a preceding OP_n). */
export function countSigOps(script: Uint8Array, accurate: boolean): number {
  const { ops } = parseScript(script);
  let count = 0;
  let last = 0xff;
  for (const { op } of ops) {
    if (op === 0xac || op === 0xad) count++;
    else if (op === 0xae || op === 0xaf) count += accurate && last >= 0x51 && last <= 0x60 ? last - 0x50 : 20;
    last = op;
  }
  return count;
}

function lastPush(scriptSig: Uint8Array): Uint8Array | undefined {
  const { ops, truncated } = parseScript(scriptSig);
  if (truncated || ops.length === 0) return undefined;
  const last = ops[ops.length - 1]!;
  if (last.data !== undefined) return last.data;
  // OP_1..OP_16 and OP_1NEGATE push one-byte numbers.
  if (last.op >= 0x51 && last.op <= 0x60) return Uint8Array.of(last.op - 0x50);
  if (last.op === 0x4f) return Uint8Array.of(0x81);
  return undefined;
}

/** Core's AreInputsStandard: no spends of nonstandard or unknown-witness outputs, P2SH redeem scripts within 15 sigops. */
export function inputsAreStandard(info: TxInfo, coins: readonly Coin[]): boolean {
  return info.tx.inputs.every((input, i) => {
    const prev = coins[i]!.script;
    const kind = classifyScript(prev).type;
    if (kind === 'nonstandard' || kind === 'witness_unknown') return false;
    if (kind === 'scripthash') {
      const redeem = lastPush(input.scriptSig ?? new Uint8Array(0));
      if (redeem === undefined) return false;
      if (countSigOps(redeem, true) > 15) return false;
    }
    return true;
  });
}

/** Core's IsWitnessStandard: P2WSH and tapscript stack limits, no annex, no witness where none is expected. */
export function witnessIsStandard(info: TxInfo, coins: readonly Coin[]): boolean {
  if (info.coinbase) return true;
  return info.tx.inputs.every((input, i) => {
    const witness = input.witness ?? [];
    if (witness.length === 0) return true;
    let prev = coins[i]!.script;
    let p2sh = false;
    if (isPayToScriptHash(prev)) {
      const redeem = lastPush(input.scriptSig ?? new Uint8Array(0));
      if (redeem === undefined) return false;
      prev = redeem;
      p2sh = true;
    }
    const wp = witnessProgram(prev);
    if (wp === undefined) return false;
    if (isPayToAnchor(prev)) return false;
    if (wp.version === 0 && wp.program.length === 32) {
      if (witness[witness.length - 1]!.length > 3600) return false;
      if (witness.length - 1 > 100) return false;
      for (let j = 0; j < witness.length - 1; j++) if (witness[j]!.length > 80) return false;
    }
    if (wp.version === 1 && wp.program.length === 32 && !p2sh) {
      let stack = witness.slice();
      if (stack.length >= 2 && stack[stack.length - 1]!.length > 0 && stack[stack.length - 1]![0] === 0x50) return false;
      if (stack.length >= 2) {
        const control = stack[stack.length - 1]!;
        stack = stack.slice(0, -2);
        if (control.length === 0) return false;
        if ((control[0]! & 0xfe) === 0xc0) for (const item of stack) if (item.length > 80) return false;
      } else if (stack.length === 0) return false;
    }
    return true;
  });
}
