import type { CommitmentFormat } from './channel-type.js';

/** Commitment transaction weight without HTLC outputs (BOLT 3 "Fees"). */
export function commitmentBaseWeight(format: CommitmentFormat): number {
  return format === 'anchors' ? 1124 : 724;
}

/** Weight one untrimmed HTLC output adds to a commitment transaction. */
export const COMMITMENT_WEIGHT_PER_HTLC = 172;

/** HTLC-timeout transaction weight. */
export function htlcTimeoutWeight(format: CommitmentFormat): number {
  return format === 'anchors' ? 666 : 663;
}

/** HTLC-success transaction weight. */
export function htlcSuccessWeight(format: CommitmentFormat): number {
  return format === 'anchors' ? 706 : 703;
}

/** Value of each anchor output (satoshis). */
export const ANCHOR_OUTPUT_VALUE_SAT = 330n;

/** `feerate_per_kw · weight / 1000`, rounded down, as BOLT 3 computes every fee. */
export function feeForWeight(feeratePerKw: number, weight: number): bigint {
  return (BigInt(feeratePerKw) * BigInt(weight)) / 1000n;
}

/** The base commitment fee for `untrimmedHtlcs` HTLC outputs. */
export function commitmentFee(format: CommitmentFormat, feeratePerKw: number, untrimmedHtlcs: number): bigint {
  return feeForWeight(feeratePerKw, commitmentBaseWeight(format) + COMMITMENT_WEIGHT_PER_HTLC * untrimmedHtlcs);
}

/** HTLC-timeout fee (zero with anchors: the zero-fee HTLC variant is fee-bumped by its broadcaster). */
export function htlcTimeoutFee(format: CommitmentFormat, feeratePerKw: number): bigint {
  return format === 'anchors' ? 0n : feeForWeight(feeratePerKw, htlcTimeoutWeight(format));
}

/** HTLC-success fee (zero with anchors). */
export function htlcSuccessFee(format: CommitmentFormat, feeratePerKw: number): bigint {
  return format === 'anchors' ? 0n : feeForWeight(feeratePerKw, htlcSuccessWeight(format));
}

/** Weight of a witness with items of the given lengths (item count + each item's length prefix and bytes). */
export function witnessWeight(itemLengths: readonly number[]): number {
  const varint = (n: number) => (n < 0xfd ? 1 : n <= 0xffff ? 3 : 5);
  return itemLengths.reduce((w, len) => w + varint(len) + len, varint(itemLengths.length));
}

/** Non-witness part of a segwit input: outpoint (36) + empty scriptSig (1) + sequence (4), times 4. */
export const SEGWIT_INPUT_BASE_WEIGHT = 41 * 4;

/** Largest DER signature plus sighash byte. */
export const MAX_SIGNATURE_ITEM = 73;

/** Upper bounds of the HTLC witness scripts (BOLT 3 Appendix A: 4-byte cltv for received HTLCs). */
export function offeredHtlcScriptMaxLength(format: CommitmentFormat): number {
  return format === 'anchors' ? 136 : 133;
}
/** See {@link offeredHtlcScriptMaxLength}. */
export function receivedHtlcScriptMaxLength(format: CommitmentFormat): number {
  return format === 'anchors' ? 143 : 140;
}
/** to_local script length (2-byte to_self_delay). */
export const TO_LOCAL_SCRIPT_MAX_LENGTH = 83;

/** BOLT 5 to_local penalty witness: `<revocation_sig> 1 <script>`. */
export const TO_LOCAL_PENALTY_WITNESS_WEIGHT = witnessWeight([MAX_SIGNATURE_ITEM, 1, TO_LOCAL_SCRIPT_MAX_LENGTH]);

/** BOLT 5 offered-HTLC penalty witness: `<revocation_sig> <revocationpubkey> <script>`. */
export function offeredHtlcPenaltyWitnessWeight(format: CommitmentFormat = 'static_remotekey'): number {
  return witnessWeight([MAX_SIGNATURE_ITEM, 33, offeredHtlcScriptMaxLength(format)]);
}

/** BOLT 5 accepted (received) HTLC penalty witness. */
export function acceptedHtlcPenaltyWitnessWeight(format: CommitmentFormat = 'static_remotekey'): number {
  return witnessWeight([MAX_SIGNATURE_ITEM, 33, receivedHtlcScriptMaxLength(format)]);
}

/** Claiming an HTLC we received, on the counterparty's commitment (there it is offered), with the preimage: `<sig> <preimage> <script>`. */
export function offeredHtlcClaimWitnessWeight(format: CommitmentFormat = 'static_remotekey'): number {
  return witnessWeight([MAX_SIGNATURE_ITEM, 32, offeredHtlcScriptMaxLength(format)]);
}

/** Claiming an HTLC we offered, on the counterparty's commitment (there it is received), after its timeout: `<sig> <> <script>`. */
export function receivedHtlcTimeoutWitnessWeight(format: CommitmentFormat = 'static_remotekey'): number {
  return witnessWeight([MAX_SIGNATURE_ITEM, 0, receivedHtlcScriptMaxLength(format)]);
}

/** Spending our delayed to_local (or an HTLC tx output) after the CSV: `<sig> <> <script>`. */
export const DELAYED_OUTPUT_WITNESS_WEIGHT = witnessWeight([MAX_SIGNATURE_ITEM, 0, TO_LOCAL_SCRIPT_MAX_LENGTH]);

/** Spending a P2WPKH to_remote: `<sig> <pubkey>`. */
export const P2WPKH_WITNESS_WEIGHT = witnessWeight([MAX_SIGNATURE_ITEM, 33]);

/** Spending an anchors to_remote (`<sig> <script>`; script is 37 bytes). */
export const ANCHORS_TO_REMOTE_WITNESS_WEIGHT = witnessWeight([MAX_SIGNATURE_ITEM, 37]);

/** Spending an anchor output with the funding key (`<sig> <script>`; script is 40 bytes). */
export const ANCHOR_WITNESS_WEIGHT = witnessWeight([MAX_SIGNATURE_ITEM, 40]);

/** Full input weight (non-witness part plus witness) for a witness weight. */
export function inputWeight(witness: number): number {
  return SEGWIT_INPUT_BASE_WEIGHT + witness;
}

/**
 * Weight of a sweep transaction (version, locktime, segwit marker, counts) with the
 * given input witness weights and output script lengths.
 */
export function sweepTransactionWeight(inputWitnessWeights: readonly number[], outputScriptLengths: readonly number[]): number {
  const varint = (n: number) => (n < 0xfd ? 1 : n <= 0xffff ? 3 : 5);
  const base = 4 + 4 + varint(inputWitnessWeights.length) + 41 * inputWitnessWeights.length + varint(outputScriptLengths.length) +
    outputScriptLengths.reduce((s, l) => s + 8 + varint(l) + l, 0);
  return base * 4 + 2 + inputWitnessWeights.reduce((s, w) => s + w, 0);
}

/**
 * BOLT 5's published penalty figures, verbatim. They count the to_local witness's
 * `1` item as one byte (it takes two: length and value) and take a 139-byte
 * accepted-HTLC script (BOLT 3 Appendix A says 140), so they sit 1 below the
 * witness-computed values above; fee estimates should use the computed ones.
 */
export const BOLT5_PENALTY_WEIGHTS = {
  toLocalPenaltyWitness: 160,
  offeredHtlcPenaltyWitness: 243,
  acceptedHtlcPenaltyWitness: 249,
  toLocalPenaltyInputWeight: 324,
  offeredHtlcPenaltyInputWeight: 407,
  acceptedHtlcPenaltyInputWeight: 413,
} as const;
