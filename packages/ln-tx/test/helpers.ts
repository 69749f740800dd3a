import { readFileSync } from 'node:fs';
import { sha256 } from 'ln-crypto';
import { fromHex, outPoint, txidFromHex } from 'ln-types';
import {
  type CommitmentDescription,
  type CommitmentFormat,
  type CommitmentHtlc,
  deriveCommitmentKeys,
  derivePrivateKey,
  obscuringFactor,
} from '../src/index.js';

/** Reads a copied BOLT vector file (test/fixtures, provenance in its `source` field). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- vector JSON is loosely shaped; tests index it directly
export function fixture<T = any>(name: string): T {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')) as T;
}

/** A spec private key: 32 bytes, optionally followed by the 01 compressed-key marker. */
export function priv(hex: string): Uint8Array {
  return fromHex(hex.slice(0, 64));
}

const c = fixture('bolt03-commitment-txs.json').common;
const p = c.parameters;
const iv = c.internal_values;

/** The Appendix C channel: local is the opener and the broadcaster. */
export const appendixC = {
  fundingOutpoint: outPoint(txidFromHex(p.funding_tx_id), p.funding_output_index),
  fundingAmountSat: BigInt(p.funding_amount_satoshi),
  localFundingPriv: priv(p.local_funding_privkey),
  remoteFundingPriv: priv(iv.remote_funding_privkey),
  localFundingPubkey: fromHex(p.local_funding_pubkey),
  remoteFundingPubkey: fromHex(p.remote_funding_pubkey),
  perCommitmentPoint: fromHex(iv.local_per_commitment_point),
  perCommitmentSecret: priv(iv.x_local_per_commitment_secret),
  local: {
    fundingPubkey: fromHex(p.local_funding_pubkey),
    revocationBasepoint: fromHex(p.local_payment_basepoint), // unused: only the countersignatory's revocation basepoint enters
    paymentBasepoint: fromHex(p.local_payment_basepoint),
    delayedPaymentBasepoint: fromHex(iv.local_delayed_payment_basepoint),
    htlcBasepoint: fromHex(p.local_htlc_basepoint),
  },
  remote: {
    fundingPubkey: fromHex(p.remote_funding_pubkey),
    revocationBasepoint: fromHex(iv.remote_revocation_basepoint),
    paymentBasepoint: fromHex(p.remote_payment_basepoint),
    delayedPaymentBasepoint: fromHex(p.remote_payment_basepoint),
    htlcBasepoint: fromHex(p.remote_htlc_basepoint),
  },
  localPaymentBasepointSecret: priv(iv.local_payment_basepoint_secret),
  remotePaymentBasepointSecret: priv(iv.remote_payment_basepoint_secret),
  htlcs: (c.htlcs as { id: number; direction: string; amount_msat: number; expiry: number; payment_preimage: string }[]).map((h) => ({
    id: h.id,
    preimage: fromHex(h.payment_preimage),
    htlc: {
      offered: h.direction === 'local->remote',
      amountMsat: BigInt(h.amount_msat),
      cltvExpiry: h.expiry,
      paymentHash: sha256(fromHex(h.payment_preimage)),
    } satisfies CommitmentHtlc,
  })),
  commitmentNumber: BigInt(p.commitment_number),
  toSelfDelay: p.local_delay as number,
  raw: c,
};

export const localHtlcPriv = derivePrivateKey(appendixC.localPaymentBasepointSecret, appendixC.perCommitmentPoint);
export const remoteHtlcPriv = derivePrivateKey(appendixC.remotePaymentBasepointSecret, appendixC.perCommitmentPoint);

/** The HTLC ids in flight: the subset of test HTLCs whose amounts complete the balances to the funding amount. */
export function htlcIdsFor(toLocalMsat: bigint, toRemoteMsat: bigint): number[] {
  const missing = appendixC.fundingAmountSat * 1000n - toLocalMsat - toRemoteMsat;
  for (const ids of [[], [0, 1, 2, 3, 4], [1, 5, 6]]) {
    const sum = ids.reduce((s, id) => s + appendixC.htlcs[id]!.htlc.amountMsat, 0n);
    if (sum === missing) return ids;
  }
  throw new Error(`no HTLC set sums to ${missing}`);
}

/** The Appendix C/F commitment description for given balances, feerate and dust limit. */
export function appendixDescription(
  format: CommitmentFormat,
  toLocalMsat: bigint,
  toRemoteMsat: bigint,
  feeratePerKw: number,
  dustLimitSat: bigint,
): CommitmentDescription {
  const ids = htlcIdsFor(toLocalMsat, toRemoteMsat);
  return {
    format,
    fundingOutpoint: appendixC.fundingOutpoint,
    fundingAmountSat: appendixC.fundingAmountSat,
    broadcasterFundingPubkey: appendixC.localFundingPubkey,
    countersignatoryFundingPubkey: appendixC.remoteFundingPubkey,
    commitmentNumber: appendixC.commitmentNumber,
    obscuringFactor: obscuringFactor(appendixC.local.paymentBasepoint, appendixC.remote.paymentBasepoint),
    feeratePerKw,
    broadcasterIsOpener: true,
    toBroadcasterMsat: toLocalMsat,
    toCountersignatoryMsat: toRemoteMsat,
    dustLimitSat,
    toSelfDelay: appendixC.toSelfDelay,
    keys: deriveCommitmentKeys(appendixC.perCommitmentPoint, appendixC.local, appendixC.remote),
    htlcs: ids.map((id) => appendixC.htlcs[id]!.htlc),
  };
}

/** The preimage of an HTLC of a description (by payment hash). */
export function preimageFor(paymentHash: Uint8Array): Uint8Array {
  const found = appendixC.htlcs.find((h) => h.htlc.paymentHash.every((b, i) => b === paymentHash[i]));
  if (found === undefined) throw new Error('unknown payment hash');
  return found.preimage;
}
