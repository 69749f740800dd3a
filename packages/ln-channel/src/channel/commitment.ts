// From a commitment spec to what the signer, the monitor and the wire need:
// CommitmentData (ln-signer-api), the built transaction (ln-tx), its txid, and
// the check of the counterparty's signatures (BOLT 2 "Receiving commitment_signed").

import type { Secp256k1Backend } from 'ln-crypto';
import type { MonitorCommitmentData, MonitorHtlc } from 'ln-chain-api';
import { type ChannelParameters, type CommitmentData, describeCommitment } from 'ln-signer-api';
import { type BuiltCommitment, buildCommitment, buildHtlcTransactions, countersignatoryHtlcSighash, segwitSighash, txidOf, SIGHASH_ALL } from 'ln-tx';
import type { Txid } from 'ln-types';
import type { ChannelParams, CommitmentSpec } from './types.js';

/** The signer's view of a channel's fixed parameters. */
export function channelParameters(p: ChannelParams): ChannelParameters {
  return {
    holderPubkeys: p.holder.basepoints,
    counterpartyPubkeys: p.counterparty.basepoints,
    holderIsOpener: p.isOutbound,
    holderSelectedContestDelay: p.holder.toSelfDelay,
    counterpartySelectedContestDelay: p.counterparty.toSelfDelay,
    holderDustLimitSat: p.holder.dustLimitSat,
    counterpartyDustLimitSat: p.counterparty.dustLimitSat,
    fundingOutpoint: p.fundingOutpoint,
    fundingAmountSat: p.channelValueSat,
    format: p.format,
  };
}

/**
 * The CommitmentData of one side's commitment: balances and HTLC directions
 * from the broadcaster's point of view, with the HTLC ids and sources the monitor keeps.
 */
export function commitmentData(spec: CommitmentSpec, holder: boolean, number: bigint, point: Uint8Array): MonitorCommitmentData {
  const htlcs: MonitorHtlc[] = spec.htlcs.map((h) => {
    const offered = holder ? h.direction === 'out' : h.direction === 'in';
    const base = { offered, amountMsat: h.htlc.amountMsat, cltvExpiry: h.htlc.cltvExpiry, paymentHash: h.htlc.paymentHash, htlcId: h.htlc.id };
    return h.direction === 'out' && h.htlc.source !== undefined ? { ...base, source: h.htlc.source } : base;
  });
  return {
    commitmentNumber: number,
    perCommitmentPoint: point,
    feeratePerKw: spec.feeratePerKw,
    toBroadcasterMsat: holder ? spec.toLocalMsat : spec.toRemoteMsat,
    toCountersignatoryMsat: holder ? spec.toRemoteMsat : spec.toLocalMsat,
    htlcs,
  };
}

/** Builds a commitment transaction (holder's or counterparty's) from its data. */
export function buildSideCommitment(params: ChannelParameters, data: CommitmentData, holder: boolean, backend?: Secp256k1Backend): BuiltCommitment {
  return buildCommitment(describeCommitment(params, data, holder, backend));
}

/** The txid of the counterparty's commitment for `data`. */
export function counterpartyCommitmentTxid(params: ChannelParameters, data: CommitmentData, backend?: Secp256k1Backend): Txid {
  return txidOf(buildSideCommitment(params, data, false, backend).tx);
}

/** Which signature of a commitment_signed is bad, if any. */
export type SignatureCheck = { readonly ok: true; readonly built: BuiltCommitment } | { readonly ok: false; readonly reason: string };

/**
 * Checks the counterparty's signatures of our commitment (BOLT 2: a wrong
 * commitment signature, a wrong HTLC signature or the wrong number of HTLC
 * signatures fails the channel), with ln-tx's BIP 143 sighashes.
 */
export function checkHolderCommitmentSignatures(
  params: ChannelParameters,
  data: CommitmentData,
  signature: Uint8Array,
  htlcSignatures: readonly Uint8Array[],
  backend: Secp256k1Backend,
): SignatureCheck {
  const built = buildSideCommitment(params, data, true, backend);
  const hash = segwitSighash(built.tx, 0, built.fundingWitnessScript, params.fundingAmountSat, SIGHASH_ALL);
  if (!backend.ecdsaVerify(signature, hash, params.counterpartyPubkeys.fundingPubkey)) return { ok: false, reason: 'invalid commitment signature' };
  const htlcs = buildHtlcTransactions(built);
  if (htlcs.length !== htlcSignatures.length) return { ok: false, reason: `expected ${htlcs.length} HTLC signatures, got ${htlcSignatures.length}` };
  const key = built.description.keys.countersignatoryHtlcPubkey;
  for (let i = 0; i < htlcs.length; i++) {
    const h = htlcs[i]!;
    const hh = segwitSighash(h.tx, 0, h.witnessScript, h.amountSat, countersignatoryHtlcSighash(h.format));
    if (!backend.ecdsaVerify(htlcSignatures[i]!, hh, key)) return { ok: false, reason: `invalid HTLC signature ${i}` };
  }
  return { ok: true, built };
}
