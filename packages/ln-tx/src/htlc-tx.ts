import { type Secp256k1Backend, defaultSecp256k1 } from 'ln-crypto';
import { type Txid, outPoint } from 'ln-types';
import type { BuiltCommitment } from './commitment.js';
import type { CommitmentFormat } from './channel-type.js';
import { TxError } from './errors.js';
import { p2wsh } from './scripts/outputs.js';
import { toLocalScript } from './scripts/to-local.js';
import { signSegwitInput, witnessSignature } from './sign.js';
import { SIGHASH_ALL, SIGHASH_SINGLE_ANYONECANPAY, type Tx, txidOf, withWitness } from './tx.js';
import { htlcSuccessFee, htlcTimeoutFee } from './weights.js';

/** The second-stage transaction of one HTLC output, with what is needed to sign it. */
export interface HtlcTransaction {
  readonly tx: Tx;
  /** `timeout` for an HTLC the broadcaster offered, `success` for one it received. */
  readonly kind: 'timeout' | 'success';
  readonly htlcIndex: number;
  /** The commitment output it spends. */
  readonly outputIndex: number;
  /** The HTLC output's witness script and value (what the signatures commit to). */
  readonly witnessScript: Uint8Array;
  readonly amountSat: bigint;
  readonly format: CommitmentFormat;
}

/** Parameters of one HTLC-timeout / HTLC-success transaction. */
export interface HtlcTxParams {
  readonly commitmentTxid: Txid;
  readonly outputIndex: number;
  readonly amountSat: bigint;
  readonly offered: boolean;
  readonly cltvExpiry: number;
  readonly format: CommitmentFormat;
  readonly feeratePerKw: number;
  readonly toSelfDelay: number;
  readonly revocationPubkey: Uint8Array;
  readonly broadcasterDelayedPubkey: Uint8Array;
}

/**
 * An HTLC-timeout (offered: locktime = cltv_expiry) or HTLC-success (received:
 * locktime 0) transaction: version 2, sequence 0 (1 with anchors, the 1-block CSV),
 * one output paying the HTLC amount less its fee to the delayed to_local script.
 */
export function buildHtlcTx(p: HtlcTxParams): Tx {
  const fee = p.offered ? htlcTimeoutFee(p.format, p.feeratePerKw) : htlcSuccessFee(p.format, p.feeratePerKw);
  if (p.amountSat < fee) throw new TxError('insufficient_funds', 'HTLC amount below its second-stage fee (it should have been trimmed)');
  const ws = toLocalScript(p.revocationPubkey, p.toSelfDelay, p.broadcasterDelayedPubkey);
  return {
    version: 2,
    locktime: p.offered ? p.cltvExpiry : 0,
    inputs: [{ previousOutput: outPoint(p.commitmentTxid, p.outputIndex), sequence: p.format === 'anchors' ? 1 : 0 }],
    outputs: [{ script: p2wsh(ws), amount: p.amountSat - fee }],
  };
}

/** Every HTLC transaction of a built commitment, in commitment output order. */
export function buildHtlcTransactions(built: BuiltCommitment): HtlcTransaction[] {
  const d = built.description;
  const commitmentTxid = txidOf(built.tx);
  return built.htlcOutputs.map((o) => {
    const h = d.htlcs[o.htlcIndex]!;
    return {
      tx: buildHtlcTx({
        commitmentTxid,
        outputIndex: o.outputIndex,
        amountSat: o.amountSat,
        offered: h.offered,
        cltvExpiry: h.cltvExpiry,
        format: d.format,
        feeratePerKw: d.feeratePerKw,
        toSelfDelay: d.toSelfDelay,
        revocationPubkey: d.keys.revocationPubkey,
        broadcasterDelayedPubkey: d.keys.broadcasterDelayedPubkey,
      }),
      kind: h.offered ? 'timeout' : 'success',
      htlcIndex: o.htlcIndex,
      outputIndex: o.outputIndex,
      witnessScript: o.witnessScript!,
      amountSat: o.amountSat,
      format: d.format,
    };
  });
}

/** The sighash type of the countersignatory's HTLC signature (SINGLE|ANYONECANPAY with anchors, so the broadcaster can add fee inputs). */
export function countersignatoryHtlcSighash(format: CommitmentFormat): number {
  return format === 'anchors' ? SIGHASH_SINGLE_ANYONECANPAY : SIGHASH_ALL;
}

/** The countersignatory's signature on an HTLC transaction (sent in commitment_signed). */
export function signHtlcAsCountersignatory(h: HtlcTransaction, htlcPrivateKey: Uint8Array, backend: Secp256k1Backend = defaultSecp256k1): Uint8Array {
  return signSegwitInput(h.tx, 0, h.witnessScript, h.amountSat, htlcPrivateKey, countersignatoryHtlcSighash(h.format), backend);
}

/** The broadcaster's own signature on an HTLC transaction (SIGHASH_ALL). */
export function signHtlcAsBroadcaster(h: HtlcTransaction, htlcPrivateKey: Uint8Array, backend: Secp256k1Backend = defaultSecp256k1): Uint8Array {
  return signSegwitInput(h.tx, 0, h.witnessScript, h.amountSat, htlcPrivateKey, SIGHASH_ALL, backend);
}

/**
 * The signed HTLC transaction: witness `0 <remotehtlcsig> <localhtlcsig> <preimage or empty> <script>`.
 * @throws TxError `invalid_parameters` if an HTLC-success lacks a 32-byte preimage
 */
export function finalizeHtlcTx(h: HtlcTransaction, broadcasterSignature: Uint8Array, countersignatorySignature: Uint8Array, preimage?: Uint8Array): Tx {
  if (h.kind === 'success' && (preimage === undefined || preimage.length !== 32)) throw new TxError('invalid_parameters', 'HTLC-success needs the 32-byte preimage');
  return withWitness(h.tx, 0, [
    new Uint8Array(0),
    witnessSignature(countersignatorySignature, countersignatoryHtlcSighash(h.format)),
    witnessSignature(broadcasterSignature, SIGHASH_ALL),
    h.kind === 'success' ? preimage! : new Uint8Array(0),
    h.witnessScript,
  ]);
}
