import type { HolderCommitment, MonitorCommitmentData } from 'ln-chain-api';
import type { Secp256k1Backend } from 'ln-crypto';
import { type ChannelParameters, describeCommitment } from 'ln-signer-api';
import {
  type BuiltCommitment,
  type HtlcTransaction,
  TxError,
  buildCommitment,
  buildHtlcTransactions,
  countersignatoryHtlcSighash,
  segwitSighash,
  SIGHASH_ALL,
} from 'ln-tx';
import { MonitorError } from '../errors.js';

// Building the commitments a monitor is told about, with ln-tx, so every
// transaction the monitor acts on is one it built itself from plain data.

/** Most HTLCs one side may have in flight (BOLT 2). */
const MAX_HTLCS_PER_DIRECTION = 483;

/** Builds a commitment, turning ln-tx's refusals into `malformed`. */
export function buildOrRefuse(params: ChannelParameters, data: MonitorCommitmentData, holder: boolean, backend: Secp256k1Backend): BuiltCommitment {
  checkCommitmentData(data, backend);
  try {
    return buildCommitment(describeCommitment(params, data, holder, backend));
  } catch (cause) {
    if (cause instanceof TxError) throw new MonitorError('malformed', `${holder ? 'holder' : 'counterparty'} commitment ${data.commitmentNumber}: ${cause.message}`, { cause });
    throw cause;
  }
}

/** The checks ln-tx does not make on commitment data. */
export function checkCommitmentData(data: MonitorCommitmentData, backend: Secp256k1Backend): void {
  if (data.commitmentNumber < 0n || data.commitmentNumber >= 1n << 48n) throw new MonitorError('malformed', 'commitment number out of range');
  if (!backend.isValidPublicKey(data.perCommitmentPoint) || data.perCommitmentPoint.length !== 33) throw new MonitorError('malformed', 'per-commitment point is not a compressed point');
  let offered = 0;
  for (const h of data.htlcs) {
    if (h.paymentHash.length !== 32) throw new MonitorError('malformed', 'payment hash must be 32 bytes');
    if (!Number.isInteger(h.cltvExpiry) || h.cltvExpiry < 0 || h.cltvExpiry >= 500_000_000) throw new MonitorError('malformed', 'cltv_expiry must be a block height');
    if (h.amountMsat <= 0n) throw new MonitorError('malformed', 'HTLC amount must be positive');
    if (h.offered) offered++;
  }
  if (offered > MAX_HTLCS_PER_DIRECTION || data.htlcs.length - offered > MAX_HTLCS_PER_DIRECTION) throw new MonitorError('malformed', 'more HTLCs than BOLT 2 allows');
}

/**
 * Checks the counterparty's signatures of a holder commitment and its HTLC
 * transactions (BOLT 2 `commitment_signed`), as the signer will again.
 * @throws MonitorError `invalid_signature`
 */
export function verifyHolderSignatures(params: ChannelParameters, commitment: HolderCommitment, built: BuiltCommitment, backend: Secp256k1Backend): HtlcTransaction[] {
  const hash = segwitSighash(built.tx, 0, built.fundingWitnessScript, params.fundingAmountSat, SIGHASH_ALL);
  if (commitment.counterpartySignature.length !== 64 || !backend.ecdsaVerify(commitment.counterpartySignature, hash, params.counterpartyPubkeys.fundingPubkey)) {
    throw new MonitorError('invalid_signature', `bad counterparty signature on holder commitment ${commitment.data.commitmentNumber}`);
  }
  const htlcs = buildHtlcTransactions(built);
  if (htlcs.length !== commitment.htlcSignatures.length) {
    throw new MonitorError('invalid_signature', `holder commitment ${commitment.data.commitmentNumber} has ${htlcs.length} HTLC outputs but ${commitment.htlcSignatures.length} signatures`);
  }
  const key = built.description.keys.countersignatoryHtlcPubkey;
  htlcs.forEach((h, i) => {
    const sig = commitment.htlcSignatures[i]!;
    const hh = segwitSighash(h.tx, 0, h.witnessScript, h.amountSat, countersignatoryHtlcSighash(h.format));
    if (sig.length !== 64 || !backend.ecdsaVerify(sig, hh, key)) throw new MonitorError('invalid_signature', `bad HTLC signature ${i} on holder commitment ${commitment.data.commitmentNumber}`);
  });
  return htlcs;
}
