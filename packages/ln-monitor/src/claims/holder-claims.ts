import type { Secp256k1Backend } from 'ln-crypto';
import type { ChannelSigner } from 'ln-signer-api';
import { outPoint, toHex } from 'ln-types';
import { type BuiltCommitment, type HtlcTransaction, type Tx, buildHtlcTransactions, finalizeCommitment, finalizeHtlcTx, txidOf } from 'ln-tx';
import { MonitorError } from '../errors.js';
import type { AnchorDescriptor, HtlcDescriptor } from '../events.js';
import { buildOrRefuse } from '../monitor/commitments.js';
import type { HolderCommitmentRecord, MonitorState, TrackedOutput } from '../monitor/state.js';
import { MIN_CLTV_EXPIRY_DELTA } from './claim-input.js';

// Claims on our own commitment: the commitment itself (a force close) and its
// HTLC-success / HTLC-timeout transactions, pre-signed by the counterparty. Without
// anchors they carry their own fee and are broadcast as they are; with anchors they
// are zero-fee and a BumpTransaction event has the wallet pay for them.

type HolderHtlcOutput = Extract<TrackedOutput, { kind: 'holder_htlc' }>;

/** The holder commitment record with number `n` (current or previous). */
export function holderRecord(state: MonitorState, n: bigint): HolderCommitmentRecord {
  if (state.holderCurrent.commitment.data.commitmentNumber === n) return state.holderCurrent;
  if (state.holderPrevious?.commitment.data.commitmentNumber === n) return state.holderPrevious;
  throw new MonitorError('inconsistent', `holder commitment ${n} is not known`);
}

/** Our current commitment, built. */
export function builtHolderCommitment(state: MonitorState, backend: Secp256k1Backend): BuiltCommitment {
  return buildOrRefuse(state.parameters, state.holderCurrent.commitment.data, true, backend);
}

/** Our current commitment with both signatures: ready to broadcast. */
export async function signedHolderCommitment(state: MonitorState, signer: ChannelSigner, backend: Secp256k1Backend): Promise<{ tx: Tx; built: BuiltCommitment }> {
  const built = builtHolderCommitment(state, backend);
  const ours = await signer.signHolderCommitment(state.holderCurrent.commitment.data);
  return { tx: finalizeCommitment(built, ours, state.holderCurrent.commitment.counterpartySignature), built };
}

/** The anchor output of our commitment, for a CPFP child. */
export function holderAnchor(state: MonitorState, built: BuiltCommitment): AnchorDescriptor | undefined {
  const vout = built.outputs.findIndex((o) => o.kind === 'local_anchor');
  const o = built.outputs[vout];
  if (o === undefined) return undefined;
  return {
    channelKeysId: state.channelKeysId,
    channelValueSat: state.parameters.fundingAmountSat,
    parameters: state.parameters,
    outpoint: outPoint(txidOf(built.tx), vout),
    amountSat: o.amountSat,
    witnessScript: o.witnessScript!,
  };
}

/** True once our HTLC transaction for this output may be broadcast at `height`. */
export function holderHtlcClaimable(state: MonitorState, out: HolderHtlcOutput, height: number): boolean {
  return out.htlc.offered ? height >= out.htlc.cltvExpiry : state.preimages.has(toHex(out.htlc.paymentHash));
}

/** The height by which our HTLC transaction must confirm. */
export function holderHtlcDeadline(out: HolderHtlcOutput): number {
  return out.htlc.offered ? out.htlc.cltvExpiry + MIN_CLTV_EXPIRY_DELTA : out.htlc.cltvExpiry;
}

/** The unsigned HTLC transaction spending `out`, with the counterparty's signature of it. */
export function holderHtlcTransaction(state: MonitorState, out: HolderHtlcOutput, backend: Secp256k1Backend): { htlc: HtlcTransaction; counterpartySignature: Uint8Array } {
  const record = holderRecord(state, out.commitmentNumber);
  const built = buildOrRefuse(state.parameters, record.commitment.data, true, backend);
  const htlcs = buildHtlcTransactions(built);
  const i = htlcs.findIndex((h) => h.outputIndex === out.outpoint.index);
  if (i < 0) throw new MonitorError('inconsistent', `no HTLC transaction for output ${out.outpoint.index}`);
  return { htlc: htlcs[i]!, counterpartySignature: record.commitment.htlcSignatures[i]! };
}

/** Our signed HTLC transaction (no anchors: it pays its own fee). */
export async function signedHolderHtlcTx(state: MonitorState, signer: ChannelSigner, out: HolderHtlcOutput, backend: Secp256k1Backend): Promise<Tx> {
  const { htlc, counterpartySignature } = holderHtlcTransaction(state, out, backend);
  const ours = await signer.signHolderHtlcTransaction(htlc, out.commitmentNumber);
  const preimage = htlc.kind === 'success' ? state.preimages.get(toHex(out.htlc.paymentHash)) : undefined;
  return finalizeHtlcTx(htlc, ours, counterpartySignature, preimage);
}

/** The descriptor a BumpTransaction event carries for one of our zero-fee HTLC transactions. */
export function holderHtlcDescriptor(state: MonitorState, out: HolderHtlcOutput, backend: Secp256k1Backend): HtlcDescriptor {
  const { htlc, counterpartySignature } = holderHtlcTransaction(state, out, backend);
  const preimage = htlc.kind === 'success' ? state.preimages.get(toHex(out.htlc.paymentHash)) : undefined;
  return {
    channelKeysId: state.channelKeysId,
    channelValueSat: state.parameters.fundingAmountSat,
    parameters: state.parameters,
    commitmentTxid: out.outpoint.txid,
    commitmentNumber: out.commitmentNumber,
    htlc,
    counterpartySignature,
    ...(preimage === undefined ? {} : { preimage }),
  };
}
