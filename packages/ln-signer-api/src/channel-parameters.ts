import type { Secp256k1Backend } from 'ln-crypto';
import type { OutPoint } from 'ln-types';
import {
  type ChannelBasepoints,
  type CommitmentDescription,
  type CommitmentFormat,
  type CommitmentHtlc,
  deriveCommitmentKeys,
  obscuringFactor,
} from 'ln-tx';

/** A channel's fixed parameters, from the holder's point of view (LDK's ChannelTransactionParameters). */
export interface ChannelParameters {
  readonly holderPubkeys: ChannelBasepoints;
  readonly counterpartyPubkeys: ChannelBasepoints;
  readonly holderIsOpener: boolean;
  /** The to_self_delay the holder asked for: it delays the counterparty's outputs. */
  readonly holderSelectedContestDelay: number;
  /** The to_self_delay the counterparty asked for: it delays the holder's outputs. */
  readonly counterpartySelectedContestDelay: number;
  readonly holderDustLimitSat: bigint;
  readonly counterpartyDustLimitSat: bigint;
  readonly fundingOutpoint: OutPoint;
  readonly fundingAmountSat: bigint;
  readonly format: CommitmentFormat;
}

/**
 * What changes from one commitment to the next. Balances and HTLC directions are
 * from the broadcaster's point of view (the holder's for a holder commitment).
 */
export interface CommitmentData {
  /** BOLT 2 numbering: 0 for the first commitment, counting up. */
  readonly commitmentNumber: bigint;
  readonly perCommitmentPoint: Uint8Array;
  readonly feeratePerKw: number;
  readonly toBroadcasterMsat: bigint;
  readonly toCountersignatoryMsat: bigint;
  readonly htlcs: readonly CommitmentHtlc[];
}

/**
 * The full BOLT 3 description of a commitment: the holder's own (`holder = true`)
 * or the counterparty's. The signer rebuilds every transaction from this rather
 * than trusting one handed to it. `backend` derives the commitment keys (default:
 * ln-crypto's default backend; pass an accelerated one where signing is hot).
 */
export function describeCommitment(params: ChannelParameters, data: CommitmentData, holder: boolean, backend?: Secp256k1Backend): CommitmentDescription {
  const broadcaster = holder ? params.holderPubkeys : params.counterpartyPubkeys;
  const countersignatory = holder ? params.counterpartyPubkeys : params.holderPubkeys;
  const opener = params.holderIsOpener ? params.holderPubkeys : params.counterpartyPubkeys;
  const acceptor = params.holderIsOpener ? params.counterpartyPubkeys : params.holderPubkeys;
  return {
    format: params.format,
    fundingOutpoint: params.fundingOutpoint,
    fundingAmountSat: params.fundingAmountSat,
    broadcasterFundingPubkey: broadcaster.fundingPubkey,
    countersignatoryFundingPubkey: countersignatory.fundingPubkey,
    commitmentNumber: data.commitmentNumber,
    obscuringFactor: obscuringFactor(opener.paymentBasepoint, acceptor.paymentBasepoint),
    feeratePerKw: data.feeratePerKw,
    broadcasterIsOpener: holder === params.holderIsOpener,
    toBroadcasterMsat: data.toBroadcasterMsat,
    toCountersignatoryMsat: data.toCountersignatoryMsat,
    dustLimitSat: holder ? params.holderDustLimitSat : params.counterpartyDustLimitSat,
    toSelfDelay: holder ? params.counterpartySelectedContestDelay : params.holderSelectedContestDelay,
    keys: deriveCommitmentKeys(data.perCommitmentPoint, broadcaster, countersignatory, backend),
    htlcs: data.htlcs,
  };
}
