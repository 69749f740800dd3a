// Shared setup of the spend tests: a channel whose commitments are on chain, and the
// sweeps a ChannelMonitor builds from them.
import { expect } from '@jest/globals';
import { publicKeyFromPrivate, sha256 } from 'ln-crypto';
import { outPoint, toHex } from 'ln-types';
import { type ChannelSigner, type CommitmentData, type InputToSign, describeCommitment } from 'ln-signer-api';
import { type CommitmentHtlc, type Tx, buildCommitment, buildSweepTx, p2wpkh, segwitSighash, txidOf, withWitness } from 'ln-tx';
import { verifySpend } from './interpreter.js';
import { twoParties } from './channel.js';

export const DEST = p2wpkh(publicKeyFromPrivate(new Uint8Array(32).fill(0x55)));
export const PREIMAGES = [new Uint8Array(32).fill(0xa1), new Uint8Array(32).fill(0xb2)];
/**
 * Two HTLCs as B's commitment carries them: the first offered by B (A may claim it with
 * the preimage), the second offered by A (A takes it back after its expiry).
 */
export const HTLCS_ON_B: CommitmentHtlc[] = [
  { offered: true, amountMsat: 7_000_000n, cltvExpiry: 600, paymentHash: sha256(PREIMAGES[0]!) },
  { offered: false, amountMsat: 9_000_000n, cltvExpiry: 610, paymentHash: sha256(PREIMAGES[1]!) },
];
export const HTLCS_ON_A = HTLCS_ON_B.map((h) => ({ ...h, offered: !h.offered }));
export const FORMATS = ['static_remotekey', 'anchors'] as const;

export function preimageOf(paymentHash: Uint8Array): Uint8Array {
  const p = PREIMAGES.find((x) => toHex(sha256(x)) === toHex(paymentHash));
  if (p === undefined) throw new Error('unknown payment hash');
  return p;
}

export async function commitment(broadcaster: ChannelSigner, n: bigint, broadcasterIsA: boolean): Promise<CommitmentData> {
  const aMsat = 400_000_000n - n * 1_000_000n;
  const bMsat = 1_000_000_000n - aMsat - 16_000_000n;
  return {
    commitmentNumber: n,
    perCommitmentPoint: await broadcaster.getPerCommitmentPoint(n),
    feeratePerKw: 2500,
    toBroadcasterMsat: broadcasterIsA ? aMsat : bMsat,
    toCountersignatoryMsat: broadcasterIsA ? bMsat : aMsat,
    htlcs: broadcasterIsA ? HTLCS_ON_A : HTLCS_ON_B,
  };
}

/** A channel where both sides hold commitments 0 and 1 (both with the two HTLCs) and B has revoked its 0. */
export async function channel(format: (typeof FORMATS)[number]) {
  const t = await twoParties(format);
  const { signerA, signerB, paramsA, paramsB } = t;
  signerA.provideChannelParameters(paramsA);
  signerB.provideChannelParameters(paramsB);
  const a: CommitmentData[] = [];
  const b: CommitmentData[] = [];
  const htlcSigsForA: (readonly Uint8Array[])[] = [];
  for (const n of [0n, 1n]) {
    const bn = await commitment(signerB, n, false);
    const forB = await signerA.signCounterpartyCommitment(bn);
    await signerB.validateHolderCommitment(bn, forB.commitmentSignature, forB.htlcSignatures);
    const an = await commitment(signerA, n, true);
    const forA = await signerB.signCounterpartyCommitment(an);
    await signerA.validateHolderCommitment(an, forA.commitmentSignature, forA.htlcSignatures);
    a.push(an);
    b.push(bn);
    htlcSigsForA.push(forA.htlcSignatures);
  }
  const bSecret0 = await signerB.releaseCommitmentSecret(0n);
  await signerA.validateCounterpartyRevocation(0n, bSecret0);
  // A's view of B's commitments is the same transaction B builds for itself
  const bOnA = b.map((d) => buildCommitment(describeCommitment(paramsA, d, false)));
  expect(bOnA.map((x) => toHex(txidOf(x.tx)))).toEqual(b.map((d) => toHex(txidOf(buildCommitment(describeCommitment(paramsB, d, true)).tx))));
  return { ...t, a, b, htlcSigsForA, bSecret0, aHolder: a.map((d) => buildCommitment(describeCommitment(paramsA, d, true))), bOnA };
}

/** A one-input sweep of output `vout` of `parent` to DEST (as a ChannelMonitor builds it). */
export function sweepOf(parent: Tx, vout: number, amountSat: bigint, witnessWeight: number, sequence = 0xffffffff, locktime = 0): Tx {
  return buildSweepTx([{ input: { previousOutput: outPoint(txidOf(parent), vout), sequence }, amountSat, witnessWeight }], DEST, 253, 330n, locktime);
}

export function spends(tx: Tx, index: number, witness: Uint8Array[], prevScript: Uint8Array, amountSat: bigint): boolean {
  const r = verifySpend(withWitness(tx, index, witness), index, prevScript, amountSat);
  return r.ok;
}

export function sighashOf(input: InputToSign): Uint8Array {
  return segwitSighash(input.tx, input.inputIndex, input.witnessScript, input.amountSat);
}

