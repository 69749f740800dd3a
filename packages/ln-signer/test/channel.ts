import { sha256 } from 'ln-crypto';
import { outPoint, txid } from 'ln-types';
import type { ChannelParameters, ChannelSigner, CommitmentData } from 'ln-signer-api';
import type { CommitmentHtlc } from 'ln-tx';
import { KeysManager } from '../src/index.js';

/** Two nodes and one channel between them: A opened it. */
export async function twoParties(format: 'static_remotekey' | 'anchors' = 'static_remotekey') {
  const a = new KeysManager(new Uint8Array(32).fill(1));
  const b = new KeysManager(new Uint8Array(32).fill(2));
  const signerA = a.deriveChannelSigner(1_000_000n, a.generateChannelKeysId(false, 1n));
  const signerB = b.deriveChannelSigner(1_000_000n, b.generateChannelKeysId(true, 1n));
  const common = {
    fundingOutpoint: outPoint(txid(sha256(new Uint8Array([9]))), 0),
    fundingAmountSat: 1_000_000n,
    format,
  } as const;
  const paramsA: ChannelParameters = {
    ...common,
    holderPubkeys: signerA.pubkeys,
    counterpartyPubkeys: signerB.pubkeys,
    holderIsOpener: true,
    holderSelectedContestDelay: 144,
    counterpartySelectedContestDelay: 720,
    holderDustLimitSat: 546n,
    counterpartyDustLimitSat: 354n,
  };
  const paramsB: ChannelParameters = {
    ...common,
    holderPubkeys: signerB.pubkeys,
    counterpartyPubkeys: signerA.pubkeys,
    holderIsOpener: false,
    holderSelectedContestDelay: 720,
    counterpartySelectedContestDelay: 144,
    holderDustLimitSat: 354n,
    counterpartyDustLimitSat: 546n,
  };
  return { a, b, signerA, signerB, paramsA, paramsB };
}

/** HTLCs offered by A (seen from A's side), `count` of them. */
export function htlcsFromA(count: number, amountMsat = 5_000_000n): { fromA: CommitmentHtlc[]; fromB: CommitmentHtlc[] } {
  const fromA = Array.from({ length: count }, (_, i) => ({ offered: true, amountMsat, cltvExpiry: 500 + i, paymentHash: sha256(new Uint8Array([i, 7])) }));
  return { fromA, fromB: fromA.map((h) => ({ ...h, offered: false })) };
}

/** Commitment data of `broadcaster`'s commitment n with A holding `aMsat` (HTLCs taken out). */
export async function commitmentOf(broadcaster: ChannelSigner, n: bigint, broadcasterIsA: boolean, aMsat: bigint, htlcCount: number): Promise<CommitmentData> {
  const { fromA, fromB } = htlcsFromA(htlcCount);
  const htlcTotal = fromA.reduce((s, h) => s + h.amountMsat, 0n);
  const bMsat = 1_000_000_000n - aMsat - htlcTotal;
  return {
    commitmentNumber: n,
    perCommitmentPoint: await broadcaster.getPerCommitmentPoint(n),
    feeratePerKw: 2500,
    toBroadcasterMsat: broadcasterIsA ? aMsat : bMsat,
    toCountersignatoryMsat: broadcasterIsA ? bMsat : aMsat,
    htlcs: broadcasterIsA ? fromA : fromB,
  };
}
