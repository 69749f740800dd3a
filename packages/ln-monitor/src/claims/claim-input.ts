import type { Secp256k1Backend } from 'ln-crypto';
import type { ChannelSigner } from 'ln-signer-api';
import { toHex } from 'ln-types';
import {
  type Tx,
  TO_LOCAL_PENALTY_WITNESS_WEIGHT,
  acceptedHtlcPenaltyWitnessWeight,
  commitmentNumberToIndex,
  deriveRevocationPublicKey,
  htlcRevocationWitness,
  offeredHtlcClaimWitnessWeight,
  offeredHtlcPenaltyWitnessWeight,
  offeredHtlcPreimageWitness,
  perCommitmentPoint,
  receivedHtlcTimeoutWitness,
  receivedHtlcTimeoutWitnessWeight,
  toLocalRevocationWitness,
} from 'ln-tx';
import { MonitorError } from '../errors.js';
import type { MonitorState, TrackedOutput } from '../monitor/state.js';

// One input of a claim transaction we build and sign ourselves (justice, and
// HTLC claims on the counterparty's commitment): when it may be spent, with what
// sequence, locktime and witness weight, by when it must confirm, what it may
// share a transaction with, and how its witness is signed.

/** Sequence of inputs that need neither CSV nor a final sequence: signals RBF, enables locktime. */
export const RBF_SEQUENCE = 0xfffffffd;

/** Blocks between an outbound HTLC's expiry and the upstream HTLC's (LDK's MIN_CLTV_EXPIRY_DELTA). */
export const MIN_CLTV_EXPIRY_DELTA = 72;

/** What a claim input needs for building and scheduling. */
export interface ClaimInputSpec {
  readonly key: string;
  readonly output: TrackedOutput;
  readonly witnessWeight: number;
  readonly sequence: number;
  /** The transaction's locktime must be at least this (an HTLC timeout). */
  readonly locktime: number;
  /** Inputs with the same class may share a transaction. */
  readonly aggregation: string;
  /** The height by which the claim must confirm before the counterparty can take the output. */
  readonly deadline: number;
}

const FAR = Number.MAX_SAFE_INTEGER;

/**
 * The claim input for a tracked output, if we can spend it now at `height` with a
 * transaction we build ourselves; undefined otherwise (not ours, or not yet).
 */
export function claimInputFor(state: MonitorState, key: string, out: TrackedOutput, height: number): ClaimInputSpec | undefined {
  const format = state.parameters.format;
  const csv = format === 'anchors' ? 1 : RBF_SEQUENCE;
  switch (out.kind) {
    case 'revoked_to_local':
      return {
        key,
        output: out,
        witnessWeight: TO_LOCAL_PENALTY_WITNESS_WEIGHT,
        sequence: RBF_SEQUENCE,
        locktime: 0,
        aggregation: 'revoked',
        deadline: out.confirmedAt + state.parameters.holderSelectedContestDelay,
      };
    case 'revoked_htlc':
      return {
        key,
        output: out,
        witnessWeight: out.htlc.offered ? offeredHtlcPenaltyWitnessWeight(format) : acceptedHtlcPenaltyWitnessWeight(format),
        sequence: RBF_SEQUENCE,
        locktime: 0,
        aggregation: 'revoked',
        // The counterparty takes an HTLC it offered back at its expiry; one it received
        // it can only take with its HTLC-success transaction, whose output we punish too.
        deadline: out.htlc.offered ? out.htlc.cltvExpiry : FAR,
      };
    case 'counterparty_htlc':
      if (out.htlc.offered) {
        if (!state.preimages.has(toHex(out.htlc.paymentHash))) return undefined;
        return { key, output: out, witnessWeight: offeredHtlcClaimWitnessWeight(format), sequence: csv, locktime: 0, aggregation: 'preimage', deadline: out.htlc.cltvExpiry };
      }
      if (height < out.htlc.cltvExpiry) return undefined;
      return {
        key,
        output: out,
        witnessWeight: receivedHtlcTimeoutWitnessWeight(format),
        sequence: csv,
        locktime: out.htlc.cltvExpiry,
        aggregation: `timeout:${out.htlc.cltvExpiry}`,
        deadline: out.htlc.cltvExpiry + MIN_CLTV_EXPIRY_DELTA,
      };
    default:
      return undefined;
  }
}

/** The secret of a revoked counterparty commitment (the monitor holds it, or the output would not be tracked as revoked). */
function revokedSecret(state: MonitorState, commitmentNumber: bigint): Uint8Array {
  const secret = state.secrets.get(commitmentNumberToIndex(commitmentNumber));
  if (secret === undefined) throw new MonitorError('inconsistent', `no secret for revoked commitment ${commitmentNumber}`);
  return secret;
}

/** Signs input `inputIndex` of a claim transaction and returns its witness. */
export async function signClaimInput(state: MonitorState, signer: ChannelSigner, spec: ClaimInputSpec, tx: Tx, inputIndex: number, backend: Secp256k1Backend): Promise<Uint8Array[]> {
  const out = spec.output;
  switch (out.kind) {
    case 'revoked_to_local': {
      const input = { tx, inputIndex, amountSat: out.amountSat, witnessScript: out.witnessScript };
      const sig = await signer.signJusticeRevokedOutput(input, revokedSecret(state, out.commitmentNumber));
      return toLocalRevocationWitness(sig, out.witnessScript);
    }
    case 'revoked_htlc': {
      const secret = revokedSecret(state, out.commitmentNumber);
      const input = { tx, inputIndex, amountSat: out.amountSat, witnessScript: out.witnessScript };
      const sig = await signer.signJusticeRevokedHtlc(input, secret);
      const revocationPubkey = deriveRevocationPublicKey(state.parameters.holderPubkeys.revocationBasepoint, perCommitmentPoint(secret, backend), backend);
      return htlcRevocationWitness(sig, revocationPubkey, out.witnessScript);
    }
    case 'counterparty_htlc': {
      const input = { tx, inputIndex, amountSat: out.amountSat, witnessScript: out.witnessScript };
      const sig = await signer.signCounterpartyHtlcClaim(input, out.perCommitmentPoint);
      if (!out.htlc.offered) return receivedHtlcTimeoutWitness(sig, out.witnessScript);
      const preimage = state.preimages.get(toHex(out.htlc.paymentHash));
      if (preimage === undefined) throw new MonitorError('inconsistent', 'preimage claim without a preimage');
      return offeredHtlcPreimageWitness(sig, preimage, out.witnessScript);
    }
    default:
      throw new MonitorError('inconsistent', `${out.kind} is not claimed with a transaction of our own`);
  }
}
