import { type Secp256k1Backend, defaultSecp256k1 } from 'ln-crypto';
import { type OutPoint, compareBytes } from 'ln-types';
import type { CommitmentFormat } from './channel-type.js';
import { TxError } from './errors.js';
import type { CommitmentKeys } from './keys.js';
import { encodeObscuredCommitmentNumber } from './obscure.js';
import { anchorScript } from './scripts/anchor.js';
import { fundingKeyIsFirst, fundingScript } from './scripts/funding.js';
import { offeredHtlcScript, receivedHtlcScript } from './scripts/htlc.js';
import { p2wsh } from './scripts/outputs.js';
import { toLocalScript } from './scripts/to-local.js';
import { toRemoteAnchorsScript, toRemoteOutputScript } from './scripts/to-remote.js';
import { signSegwitInput, witnessSignature } from './sign.js';
import { SIGHASH_ALL, type Tx, type TxOutput, withWitness } from './tx.js';
import { ANCHOR_OUTPUT_VALUE_SAT, commitmentFee, htlcSuccessFee, htlcTimeoutFee } from './weights.js';

/** An HTLC in flight, from the commitment broadcaster's point of view. */
export interface CommitmentHtlc {
  /** True if the broadcaster offered it (it pays out by HTLC-timeout on this commitment). */
  readonly offered: boolean;
  readonly amountMsat: bigint;
  readonly cltvExpiry: number;
  readonly paymentHash: Uint8Array;
}

/** Everything a commitment transaction is built from (one side's commitment). */
export interface CommitmentDescription {
  readonly format: CommitmentFormat;
  readonly fundingOutpoint: OutPoint;
  readonly fundingAmountSat: bigint;
  readonly broadcasterFundingPubkey: Uint8Array;
  readonly countersignatoryFundingPubkey: Uint8Array;
  readonly commitmentNumber: bigint;
  /** From {@link obscuringFactor} (opener's payment basepoint first). */
  readonly obscuringFactor: bigint;
  readonly feeratePerKw: number;
  /** The opener pays the commitment fee (and, with anchors, both anchors). */
  readonly broadcasterIsOpener: boolean;
  /** Balances in millisatoshis, HTLCs in flight already taken out. */
  readonly toBroadcasterMsat: bigint;
  readonly toCountersignatoryMsat: bigint;
  /** The broadcaster's dust limit. */
  readonly dustLimitSat: bigint;
  /** The delay on the broadcaster's outputs (the to_self_delay the countersignatory asked for). */
  readonly toSelfDelay: number;
  readonly keys: CommitmentKeys;
  readonly htlcs: readonly CommitmentHtlc[];
}

/** What one output of a built commitment transaction is. */
export type CommitmentOutputKind = 'to_local' | 'to_remote' | 'local_anchor' | 'remote_anchor' | 'htlc';

/** An output of a built commitment, in transaction order. */
export interface CommitmentOutput {
  readonly kind: CommitmentOutputKind;
  readonly amountSat: bigint;
  readonly script: Uint8Array;
  /** The script the output commits to (P2WSH) or the key (P2WPKH to_remote has none). */
  readonly witnessScript?: Uint8Array;
  /** Index into {@link CommitmentDescription.htlcs} for HTLC outputs. */
  readonly htlcIndex?: number;
}

/** A built, unsigned commitment transaction with what it is made of. */
export interface BuiltCommitment {
  readonly description: CommitmentDescription;
  readonly tx: Tx;
  readonly fundingWitnessScript: Uint8Array;
  readonly outputs: readonly CommitmentOutput[];
  /** The HTLC outputs in output order (the order HTLC signatures are exchanged in). */
  readonly htlcOutputs: readonly (CommitmentOutput & { readonly outputIndex: number; readonly htlcIndex: number })[];
  /** Indices of the HTLCs trimmed to fee. */
  readonly trimmedHtlcs: readonly number[];
  /** The base fee BOLT 3 computes from the weight. */
  readonly baseFeeSat: bigint;
  /** What the transaction actually leaves to miners: funding amount minus all outputs. */
  readonly actualFeeSat: bigint;
}

/** True if BOLT 3 trims this HTLC from a commitment with these parameters. */
export function isHtlcTrimmed(htlc: CommitmentHtlc, format: CommitmentFormat, feeratePerKw: number, dustLimitSat: bigint): boolean {
  const fee = htlc.offered ? htlcTimeoutFee(format, feeratePerKw) : htlcSuccessFee(format, feeratePerKw);
  const sat = htlc.amountMsat / 1000n;
  // a zero-value output is never useful even with a zero dust limit
  return sat === 0n || sat < dustLimitSat + fee;
}

function checkDescription(d: CommitmentDescription): void {
  const bad = (why: string): never => {
    throw new TxError('invalid_parameters', why);
  };
  if (!Number.isInteger(d.feeratePerKw) || d.feeratePerKw < 0 || d.feeratePerKw > 0xffffffff) bad('feerate_per_kw must be a u32');
  if (d.fundingAmountSat <= 0n) bad('funding amount must be positive');
  if (d.toBroadcasterMsat < 0n || d.toCountersignatoryMsat < 0n || d.dustLimitSat < 0n) bad('negative amount');
  let total = d.toBroadcasterMsat + d.toCountersignatoryMsat;
  for (const h of d.htlcs) {
    if (h.amountMsat <= 0n) bad('HTLC amount must be positive');
    total += h.amountMsat;
  }
  if (total !== d.fundingAmountSat * 1000n) {
    throw new TxError('invalid_amount', `balances and HTLCs (${total} msat) do not add up to the funding amount (${d.fundingAmountSat} sat)`);
  }
}

/**
 * Builds the commitment transaction a description gives (BOLT 3 "Commitment
 * Transaction Construction"): trims dust HTLCs, takes the fee (and anchors) from
 * the opener, drops outputs below the dust limit, adds anchors per spec, orders
 * outputs by BIP 69 with the cltv_expiry tiebreak, and obscures the commitment number.
 * @throws TxError `invalid_parameters` / `invalid_amount` / `invalid_key`
 */
export function buildCommitment(d: CommitmentDescription): BuiltCommitment {
  checkDescription(d);
  const anchors = d.format === 'anchors';
  const trimmedHtlcs: number[] = [];
  const untrimmed: number[] = [];
  d.htlcs.forEach((h, i) => (isHtlcTrimmed(h, d.format, d.feeratePerKw, d.dustLimitSat) ? trimmedHtlcs : untrimmed).push(i));

  const baseFeeSat = commitmentFee(d.format, d.feeratePerKw, untrimmed.length);
  const openerCharge = (baseFeeSat + (anchors ? 2n * ANCHOR_OUTPUT_VALUE_SAT : 0n)) * 1000n;
  const pay = (msat: bigint, isOpener: boolean): bigint => {
    const left = isOpener ? msat - openerCharge : msat;
    return left > 0n ? left / 1000n : 0n;
  };
  const toLocalSat = pay(d.toBroadcasterMsat, d.broadcasterIsOpener);
  const toRemoteSat = pay(d.toCountersignatoryMsat, !d.broadcasterIsOpener);

  type Pending = CommitmentOutput & { readonly cltv: number };
  const outputs: Pending[] = [];
  const hasToLocal = toLocalSat >= d.dustLimitSat && toLocalSat > 0n;
  const hasToRemote = toRemoteSat >= d.dustLimitSat && toRemoteSat > 0n;
  if (hasToLocal) {
    const ws = toLocalScript(d.keys.revocationPubkey, d.toSelfDelay, d.keys.broadcasterDelayedPubkey);
    outputs.push({ kind: 'to_local', amountSat: toLocalSat, script: p2wsh(ws), witnessScript: ws, cltv: 0 });
  }
  if (hasToRemote) {
    const script = toRemoteOutputScript(d.keys.countersignatoryPaymentPubkey, anchors);
    outputs.push(
      anchors
        ? { kind: 'to_remote', amountSat: toRemoteSat, script, witnessScript: toRemoteAnchorsScript(d.keys.countersignatoryPaymentPubkey), cltv: 0 }
        : { kind: 'to_remote', amountSat: toRemoteSat, script, cltv: 0 },
    );
  }
  if (anchors) {
    if (hasToLocal || untrimmed.length > 0) {
      const ws = anchorScript(d.broadcasterFundingPubkey);
      outputs.push({ kind: 'local_anchor', amountSat: ANCHOR_OUTPUT_VALUE_SAT, script: p2wsh(ws), witnessScript: ws, cltv: 0 });
    }
    if (hasToRemote || untrimmed.length > 0) {
      const ws = anchorScript(d.countersignatoryFundingPubkey);
      outputs.push({ kind: 'remote_anchor', amountSat: ANCHOR_OUTPUT_VALUE_SAT, script: p2wsh(ws), witnessScript: ws, cltv: 0 });
    }
  }
  for (const i of untrimmed) {
    const h = d.htlcs[i]!;
    const ws = h.offered ? offeredHtlcScript(d.keys, h.paymentHash, anchors) : receivedHtlcScript(d.keys, h.paymentHash, h.cltvExpiry, anchors);
    outputs.push({ kind: 'htlc', amountSat: h.amountMsat / 1000n, script: p2wsh(ws), witnessScript: ws, htlcIndex: i, cltv: h.cltvExpiry });
  }
  // BIP 69 (amount, then scriptPubKey), then cltv_expiry for identical HTLC outputs; Array.prototype.sort is stable.
  outputs.sort((a, b) => (a.amountSat !== b.amountSat ? (a.amountSat < b.amountSat ? -1 : 1) : compareBytes(a.script, b.script) || a.cltv - b.cltv));

  const { locktime, sequence } = encodeObscuredCommitmentNumber(d.commitmentNumber, d.obscuringFactor);
  const txOutputs: TxOutput[] = outputs.map((o) => ({ script: o.script, amount: o.amountSat }));
  const tx: Tx = { version: 2, locktime, inputs: [{ previousOutput: d.fundingOutpoint, sequence }], outputs: txOutputs };
  const finalOutputs: CommitmentOutput[] = outputs.map(({ cltv: _cltv, ...o }) => o);
  const htlcOutputs = finalOutputs.flatMap((o, outputIndex) => (o.htlcIndex === undefined ? [] : [{ ...o, outputIndex, htlcIndex: o.htlcIndex }]));
  const outSum = txOutputs.reduce((s, o) => s + o.amount, 0n);
  // Only reachable with anchors when the opener cannot even pay the two anchors: BOLT 2
  // forbids that state, and an anchor must never be paid out of the other side's funds.
  if (outSum > d.fundingAmountSat) throw new TxError('insufficient_funds', 'the opener cannot pay for the anchors');
  return {
    description: d,
    tx,
    fundingWitnessScript: fundingScript(d.broadcasterFundingPubkey, d.countersignatoryFundingPubkey),
    outputs: finalOutputs,
    htlcOutputs,
    trimmedHtlcs,
    baseFeeSat,
    actualFeeSat: d.fundingAmountSat - outSum,
  };
}

/** Signs the commitment's funding input (SIGHASH_ALL) with one funding key; compact signature. */
export function signCommitment(built: BuiltCommitment, fundingPrivateKey: Uint8Array, backend: Secp256k1Backend = defaultSecp256k1): Uint8Array {
  return signSegwitInput(built.tx, 0, built.fundingWitnessScript, built.description.fundingAmountSat, fundingPrivateKey, SIGHASH_ALL, backend);
}

/** The fully signed commitment: witness `0 <sig1> <sig2> <funding script>` in funding-key order. */
export function finalizeCommitment(built: BuiltCommitment, broadcasterSignature: Uint8Array, countersignatorySignature: Uint8Array): Tx {
  const d = built.description;
  const mine = witnessSignature(broadcasterSignature);
  const theirs = witnessSignature(countersignatorySignature);
  const [first, second] = fundingKeyIsFirst(d.broadcasterFundingPubkey, d.countersignatoryFundingPubkey) ? [mine, theirs] : [theirs, mine];
  return withWitness(built.tx, 0, [new Uint8Array(0), first, second, built.fundingWitnessScript]);
}
