// A ChannelSigner over explicit keys (the BOLT 3 Appendix C keys) whose
// per-commitment points can be pinned (commitment 42's point is the spec's),
// built on ln-tx alone, for reproducing the spec's transactions through a
// real channel state.
import { type Secp256k1Backend, nobleSecp256k1, publicKeyFromPrivate } from 'ln-crypto';
import { type ChannelParameters, type ChannelSigner, type CommitmentData, type CounterpartyCommitmentSignatures, type InputToSign, SignerError, describeCommitment } from 'ln-signer-api';
import {
  type ChannelBasepoints,
  type HtlcTransaction,
  type Tx,
  buildCommitment,
  buildHtlcTransactions,
  countersignatoryHtlcSighash,
  derivePrivateKey,
  perCommitmentPoint,
  perCommitmentSecret,
  segwitSighash,
  signCommitment,
  signSegwitInput,
  SIGHASH_ALL,
} from 'ln-tx';
import { equalBytes } from 'ln-types';

export interface VectorKeys {
  readonly fundingKey: Uint8Array;
  readonly revocationBaseKey: Uint8Array;
  readonly paymentKey: Uint8Array;
  readonly delayedPaymentBaseKey: Uint8Array;
  readonly htlcBaseKey: Uint8Array;
  /** Seed of the per-commitment secrets not pinned. */
  readonly commitmentSeed: Uint8Array;
  /** Per-commitment secrets pinned by commitment number. */
  readonly pinned?: ReadonlyMap<bigint, Uint8Array>;
}

export class VectorSigner implements ChannelSigner {
  readonly pubkeys: ChannelBasepoints;
  #params: ChannelParameters | undefined;

  constructor(
    readonly channelKeysId: Uint8Array,
    private readonly keys: VectorKeys,
    private readonly backend: Secp256k1Backend = nobleSecp256k1,
  ) {
    this.pubkeys = {
      fundingPubkey: publicKeyFromPrivate(keys.fundingKey),
      revocationBasepoint: publicKeyFromPrivate(keys.revocationBaseKey),
      paymentBasepoint: publicKeyFromPrivate(keys.paymentKey),
      delayedPaymentBasepoint: publicKeyFromPrivate(keys.delayedPaymentBaseKey),
      htlcBasepoint: publicKeyFromPrivate(keys.htlcBaseKey),
    };
  }

  /** The per-commitment secret of commitment n. */
  secret(n: bigint): Uint8Array {
    return this.keys.pinned?.get(n) ?? perCommitmentSecret(this.keys.commitmentSeed, n);
  }

  provideChannelParameters(params: ChannelParameters): void {
    this.#params = params;
  }

  #p(): ChannelParameters {
    if (this.#params === undefined) throw new SignerError('invalid_input', 'no parameters');
    return this.#params;
  }

  async getPerCommitmentPoint(n: bigint): Promise<Uint8Array> {
    return perCommitmentPoint(this.secret(n), this.backend);
  }

  async releaseCommitmentSecret(n: bigint): Promise<Uint8Array> {
    return this.secret(n);
  }

  async validateHolderCommitment(data: CommitmentData, sig: Uint8Array, htlcSigs: readonly Uint8Array[]): Promise<void> {
    const p = this.#p();
    const built = buildCommitment(describeCommitment(p, data, true));
    const hash = segwitSighash(built.tx, 0, built.fundingWitnessScript, p.fundingAmountSat, SIGHASH_ALL);
    if (!this.backend.ecdsaVerify(sig, hash, p.counterpartyPubkeys.fundingPubkey)) throw new SignerError('invalid_signature', 'bad commitment signature');
    const htlcs = buildHtlcTransactions(built);
    if (htlcs.length !== htlcSigs.length) throw new SignerError('invalid_signature', 'wrong number of HTLC signatures');
    htlcs.forEach((h, i) => {
      const hh = segwitSighash(h.tx, 0, h.witnessScript, h.amountSat, countersignatoryHtlcSighash(h.format));
      if (!this.backend.ecdsaVerify(htlcSigs[i]!, hh, built.description.keys.countersignatoryHtlcPubkey)) throw new SignerError('invalid_signature', 'bad HTLC signature');
    });
  }

  async validateCounterpartyRevocation(): Promise<void> {}

  async signCounterpartyCommitment(data: CommitmentData): Promise<CounterpartyCommitmentSignatures> {
    const p = this.#p();
    const built = buildCommitment(describeCommitment(p, data, false));
    const htlcKey = derivePrivateKey(this.keys.htlcBaseKey, data.perCommitmentPoint, this.backend);
    return {
      commitmentSignature: signCommitment(built, this.keys.fundingKey, this.backend),
      htlcSignatures: buildHtlcTransactions(built).map((h) => signSegwitInput(h.tx, 0, h.witnessScript, h.amountSat, htlcKey, countersignatoryHtlcSighash(h.format), this.backend)),
    };
  }

  async signHolderCommitment(data: CommitmentData): Promise<Uint8Array> {
    return signCommitment(buildCommitment(describeCommitment(this.#p(), data, true)), this.keys.fundingKey, this.backend);
  }

  async signHolderHtlcTransaction(htlc: HtlcTransaction, commitmentNumber: bigint): Promise<Uint8Array> {
    const key = derivePrivateKey(this.keys.htlcBaseKey, await this.getPerCommitmentPoint(commitmentNumber), this.backend);
    return signSegwitInput(htlc.tx, 0, htlc.witnessScript, htlc.amountSat, key, SIGHASH_ALL, this.backend);
  }

  async signClosingTransaction(tx: Tx): Promise<Uint8Array> {
    const p = this.#p();
    const input = tx.inputs[0]!;
    if (!equalBytes(input.previousOutput.txid, p.fundingOutpoint.txid)) throw new SignerError('policy', 'not the funding output');
    const { fundingScript } = await import('ln-tx');
    return signSegwitInput(tx, 0, fundingScript(p.holderPubkeys.fundingPubkey, p.counterpartyPubkeys.fundingPubkey), p.fundingAmountSat, this.keys.fundingKey, SIGHASH_ALL, this.backend);
  }

  async signHolderDelayedOutput(_input: InputToSign): Promise<Uint8Array> {
    throw new SignerError('policy', 'not used');
  }
  async signJusticeRevokedOutput(): Promise<Uint8Array> {
    throw new SignerError('policy', 'not used');
  }
  async signJusticeRevokedHtlc(): Promise<Uint8Array> {
    throw new SignerError('policy', 'not used');
  }
  async signCounterpartyHtlcClaim(): Promise<Uint8Array> {
    throw new SignerError('policy', 'not used');
  }
  async signCounterpartyPaymentOutput(): Promise<Uint8Array> {
    throw new SignerError('policy', 'not used');
  }
  async signHolderAnchorInput(): Promise<Uint8Array> {
    throw new SignerError('policy', 'not used');
  }
  async signChannelAnnouncementWithFundingKey(): Promise<Uint8Array> {
    throw new SignerError('policy', 'not used');
  }
}
