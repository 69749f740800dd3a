import type { ChannelBasepoints, HtlcTransaction, Tx } from 'ln-tx';
import type { ChannelParameters, CommitmentData } from './channel-parameters.js';

/** The signatures a commitment_signed carries for the counterparty's commitment. */
export interface CounterpartyCommitmentSignatures {
  /** Compact signature of the commitment transaction. */
  readonly commitmentSignature: Uint8Array;
  /** Compact signatures of its HTLC transactions, in commitment output order. */
  readonly htlcSignatures: readonly Uint8Array[];
}

/** An input of a transaction the signer is asked to sign, with what it spends. */
export interface InputToSign {
  readonly tx: Tx;
  readonly inputIndex: number;
  readonly amountSat: bigint;
  readonly witnessScript: Uint8Array;
}

/**
 * The keys of one channel (LDK's ChannelSigner + EcdsaChannelSigner). Every call
 * that uses a secret returns a Promise, so an implementation may answer later
 * (a remote signer, an HSM, a user confirmation); see docs/signer-async.md.
 * Commitment numbers follow BOLT 2: 0 is the first commitment, counting up.
 * Refusals reject with a `SignerError` (`policy` for the checks a signer owes its user).
 */
export interface ChannelSigner {
  /** The id this signer was derived from (SignerProvider.deriveChannelSigner). */
  readonly channelKeysId: Uint8Array;
  /** The holder's basepoints, to announce in open_channel / accept_channel. */
  readonly pubkeys: ChannelBasepoints;

  /** Called once, when the channel's parameters are known (before any commitment is signed). */
  provideChannelParameters(params: ChannelParameters): void;

  /** The holder's per-commitment point for commitment `n`. */
  getPerCommitmentPoint(n: bigint): Promise<Uint8Array>;
  /**
   * The holder's per-commitment secret for commitment `n`, revoking it. Refused
   * unless a newer holder commitment has been validated (never releases the
   * secret of the current commitment).
   */
  releaseCommitmentSecret(n: bigint): Promise<Uint8Array>;

  /**
   * Checks the counterparty's signatures on a new holder commitment (commitment_signed)
   * and records it as the current one. Rejects on a bad signature or numbering.
   */
  validateHolderCommitment(data: CommitmentData, counterpartySignature: Uint8Array, htlcSignatures: readonly Uint8Array[]): Promise<void>;
  /** Checks a revealed counterparty secret against the point of the commitment it revokes. */
  validateCounterpartyRevocation(n: bigint, secret: Uint8Array): Promise<void>;

  /**
   * Signs the counterparty's commitment `data.commitmentNumber` and its HTLC
   * transactions. Refused if the number skips ahead or goes back.
   */
  signCounterpartyCommitment(data: CommitmentData): Promise<CounterpartyCommitmentSignatures>;

  /** Signs the current holder commitment for a force close. Refused for a revoked one. */
  signHolderCommitment(data: CommitmentData): Promise<Uint8Array>;
  /**
   * Signs an HTLC transaction of a holder commitment (force close), SIGHASH_ALL. Refused for a
   * revoked commitment. `htlc.tx` may carry more inputs and outputs than the HTLC's own (anchors:
   * zero-fee HTLC transactions aggregated and paid for with wallet inputs); `inputIndex` (default 0)
   * says which input spends the HTLC output.
   */
  signHolderHtlcTransaction(htlc: HtlcTransaction, commitmentNumber: bigint, inputIndex?: number): Promise<Uint8Array>;
  /** Signs the spend of a delayed holder output (to_local or an HTLC transaction's output) after its CSV. */
  signHolderDelayedOutput(input: InputToSign, commitmentNumber: bigint): Promise<Uint8Array>;

  /** Justice: signs a revoked counterparty to_local (or second-stage) output with the revocation key. */
  signJusticeRevokedOutput(input: InputToSign, perCommitmentSecret: Uint8Array): Promise<Uint8Array>;
  /** Justice: signs a revoked counterparty HTLC output with the revocation key. */
  signJusticeRevokedHtlc(input: InputToSign, perCommitmentSecret: Uint8Array): Promise<Uint8Array>;
  /** Claims an HTLC output of a counterparty commitment (preimage or timeout path) with the holder's HTLC key. */
  signCounterpartyHtlcClaim(input: InputToSign, perCommitmentPoint: Uint8Array): Promise<Uint8Array>;
  /** Sweeps the holder's to_remote output of a counterparty commitment (payment basepoint key). */
  signCounterpartyPaymentOutput(input: InputToSign): Promise<Uint8Array>;

  /** Signs a mutual closing transaction (its funding input). */
  signClosingTransaction(tx: Tx): Promise<Uint8Array>;
  /** Signs an input spending the holder's anchor output (funding key, for CPFP). */
  signHolderAnchorInput(tx: Tx, inputIndex: number): Promise<Uint8Array>;
  /** Signs the channel_announcement's signed part with the funding key (over its double SHA-256). */
  signChannelAnnouncementWithFundingKey(signedPart: Uint8Array): Promise<Uint8Array>;
}
