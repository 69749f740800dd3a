import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { fromHex, outPoint, toHex, txidFromHex } from 'ln-types';
import { buildCommitment, encodeTx, finalizeCommitment, signCommitment } from 'ln-tx';
import { type ChannelParameters, SignerError, describeCommitment } from '../src/index.js';

// BOLT 3 Appendix C (copied from the spec's vectors, see the file's `source`): the holder's
// commitment described from channel parameters must be the spec's transaction.
const v = JSON.parse(readFileSync(new URL('./fixtures/bolt03-commitment-txs.json', import.meta.url), 'utf8'));
const p = v.common.parameters;
const iv = v.common.internal_values;

const local = {
  fundingPubkey: fromHex(p.local_funding_pubkey),
  revocationBasepoint: fromHex(p.local_payment_basepoint),
  paymentBasepoint: fromHex(p.local_payment_basepoint),
  delayedPaymentBasepoint: fromHex(iv.local_delayed_payment_basepoint),
  htlcBasepoint: fromHex(p.local_htlc_basepoint),
};
const remote = {
  fundingPubkey: fromHex(p.remote_funding_pubkey),
  revocationBasepoint: fromHex(iv.remote_revocation_basepoint),
  paymentBasepoint: fromHex(p.remote_payment_basepoint),
  delayedPaymentBasepoint: fromHex(p.remote_payment_basepoint),
  htlcBasepoint: fromHex(p.remote_htlc_basepoint),
};
const params: ChannelParameters = {
  holderPubkeys: local,
  counterpartyPubkeys: remote,
  holderIsOpener: true,
  holderSelectedContestDelay: 6,
  counterpartySelectedContestDelay: p.local_delay,
  holderDustLimitSat: BigInt(p.local_dust_limit_satoshi),
  counterpartyDustLimitSat: 354n,
  fundingOutpoint: outPoint(txidFromHex(p.funding_tx_id), p.funding_output_index),
  fundingAmountSat: BigInt(p.funding_amount_satoshi),
  format: 'static_remotekey',
};

describe('describeCommitment', () => {
  it('reproduces the Appendix C "simple commitment tx with no HTLCs"', () => {
    const vec = v.vectors[0];
    const d = describeCommitment(
      params,
      { commitmentNumber: 42n, perCommitmentPoint: fromHex(iv.local_per_commitment_point), feeratePerKw: vec.local_feerate_per_kw, toBroadcasterMsat: BigInt(vec.to_local_msat), toCountersignatoryMsat: BigInt(vec.to_remote_msat), htlcs: [] },
      true,
    );
    const built = buildCommitment(d);
    const tx = finalizeCommitment(built, signCommitment(built, fromHex(p.local_funding_privkey.slice(0, 64))), signCommitment(built, fromHex(iv.remote_funding_privkey.slice(0, 64))));
    expect(toHex(encodeTx(tx))).toBe(vec.commit_tx);
  });
  it('swaps roles for the counterparty commitment', () => {
    const data = { commitmentNumber: 1n, perCommitmentPoint: fromHex(iv.local_per_commitment_point), feeratePerKw: 253, toBroadcasterMsat: 1n, toCountersignatoryMsat: 9_999_999_999n, htlcs: [] };
    const d = describeCommitment(params, data, false);
    expect(d.broadcasterIsOpener).toBe(false);
    expect(d.toSelfDelay).toBe(6);
    expect(d.dustLimitSat).toBe(354n);
    expect(toHex(d.broadcasterFundingPubkey)).toBe(p.remote_funding_pubkey);
    expect(describeCommitment(params, data, true).obscuringFactor).toBe(d.obscuringFactor);
  });
  it('SignerError is a typed LnError', () => {
    const e = new SignerError('policy', 'no');
    expect(e.code).toBe('policy');
    expect(e.name).toBe('SignerError');
  });
});
