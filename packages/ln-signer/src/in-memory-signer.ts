import { type Secp256k1Backend, defaultSecp256k1, sha256d } from 'ln-crypto';
import { equalBytes } from 'ln-types';
import {
  type ChannelBasepoints,
  type HtlcTransaction,
  type Tx,
  anchorScript,
  buildCommitment,
  buildHtlcTransactions,
  countersignatoryHtlcSighash,
  derivePrivateKey,
  deriveRevocationPrivateKey,
  fundingScript,
  perCommitmentPoint,
  perCommitmentSecret,
  segwitSighash,
  signCommitment,
  signSegwitInput,
  ANCHOR_OUTPUT_VALUE_SAT,
  SIGHASH_ALL,
} from 'ln-tx';
import {
  type ChannelParameters,
  type ChannelSigner,
  type CommitmentData,
  type CounterpartyCommitmentSignatures,
  type InputToSign,
  SignerError,
  describeCommitment,
} from 'ln-signer-api';
import type { ChannelSecrets } from './derive.js';

/**
 * The default ChannelSigner: keys in memory, with the policy checks a signer owes
 * its user. The state behind the checks (which commitments are current, signed
 * or revoked) lives in this instance only. A new instance for the same keys (after
 * a restart, or the ChannelMonitor's own instance next to ChannelManager's) takes
 * up from the first state it is shown: the first holder commitment it validates
 * (the counterparty's signatures are still checked), the first counterparty
 * commitment it signs. From there it holds the line: no skipping, no going back,
 * no signing a holder commitment it has released the secret of.
 *
 * Restoring a channel after a restart therefore means, in this order:
 * `validateHolderCommitment` with the current holder commitment and its stored
 * signatures; `signCounterpartyCommitment` with the latest counterparty
 * commitment signed (the same signatures come back); `validateCounterpartyRevocation`
 * with the newest revocation secret received. Until then the instance assumes the
 * counterparty commitment before its first one is unrevoked.
 */
export class InMemorySigner implements ChannelSigner {
  readonly channelKeysId: Uint8Array;
  readonly pubkeys: ChannelBasepoints;
  private readonly secrets: ChannelSecrets;
  private readonly backend: Secp256k1Backend;
  private params: ChannelParameters | undefined;
  /** Latest holder commitment validated (the current one). */
  private holderCurrent: bigint | undefined;
  private holderCurrentData: CommitmentData | undefined;
  /** Holder commitments below this number have had their secret released. */
  private holderRevokedBelow = 0n;
  private counterpartyLastSigned: bigint | undefined;
  /** Counterparty commitments below this number are revoked (their secret received); set by the first signature. */
  private counterpartyRevokedBelow: bigint | undefined;
  /** The first counterparty commitment this instance signed: older ones it cannot check revocations of. */
  private counterpartyFirstSigned: bigint | undefined;
  private readonly counterpartyPoints = new Map<bigint, Uint8Array>();

  constructor(channelKeysId: Uint8Array, secrets: ChannelSecrets, backend: Secp256k1Backend = defaultSecp256k1) {
    this.channelKeysId = channelKeysId;
    this.secrets = secrets;
    this.backend = backend;
    this.pubkeys = {
      fundingPubkey: backend.publicKeyCreate(secrets.fundingKey),
      revocationBasepoint: backend.publicKeyCreate(secrets.revocationBaseKey),
      paymentBasepoint: backend.publicKeyCreate(secrets.paymentKey),
      delayedPaymentBasepoint: backend.publicKeyCreate(secrets.delayedPaymentBaseKey),
      htlcBasepoint: backend.publicKeyCreate(secrets.htlcBaseKey),
    };
  }

  provideChannelParameters(params: ChannelParameters): void {
    if (this.params !== undefined) throw new SignerError('policy', 'channel parameters were already provided');
    if (!equalBytes(params.holderPubkeys.fundingPubkey, this.pubkeys.fundingPubkey)) throw new SignerError('invalid_input', 'parameters name another holder');
    this.params = params;
  }

  private channel(): ChannelParameters {
    if (this.params === undefined) throw new SignerError('invalid_input', 'channel parameters not provided yet');
    return this.params;
  }

  /** The last few holder points: a commitment's point is asked for several times (signing, checks, the next point). */
  private readonly holderPoints = new Map<bigint, Uint8Array>();

  private holderPoint(n: bigint): Uint8Array {
    let p = this.holderPoints.get(n);
    if (p === undefined) {
      p = perCommitmentPoint(perCommitmentSecret(this.secrets.commitmentSeed, n), this.backend);
      if (this.holderPoints.size >= 8) this.holderPoints.delete(this.holderPoints.keys().next().value!);
      this.holderPoints.set(n, p);
    }
    return p.slice();
  }

  async getPerCommitmentPoint(n: bigint): Promise<Uint8Array> {
    return this.holderPoint(n);
  }

  async releaseCommitmentSecret(n: bigint): Promise<Uint8Array> {
    if (this.holderCurrent === undefined || n >= this.holderCurrent) {
      throw new SignerError('policy', `commitment ${n} is still current: its secret is not released`);
    }
    if (n + 1n > this.holderRevokedBelow) this.holderRevokedBelow = n + 1n;
    return perCommitmentSecret(this.secrets.commitmentSeed, n);
  }

  async validateHolderCommitment(data: CommitmentData, counterpartySignature: Uint8Array, htlcSignatures: readonly Uint8Array[]): Promise<void> {
    const params = this.channel();
    const n = data.commitmentNumber;
    // A fresh instance takes up at any number (see the class comment); then only the
    // next one, or the current one again (a monitor replaying what it holds).
    const current = this.holderCurrent;
    if (current !== undefined && n !== current && n !== current + 1n) throw new SignerError('policy', `holder commitment ${n} out of order (expected ${current + 1n})`);
    if (n < this.holderRevokedBelow) throw new SignerError('policy', `holder commitment ${n} is revoked`);
    if (!equalBytes(data.perCommitmentPoint, this.holderPoint(n))) throw new SignerError('invalid_input', 'wrong per-commitment point for the holder commitment');
    const built = buildCommitment(describeCommitment(params, data, true, this.backend));
    const hash = segwitSighash(built.tx, 0, built.fundingWitnessScript, params.fundingAmountSat, SIGHASH_ALL);
    if (!this.backend.ecdsaVerify(counterpartySignature, hash, params.counterpartyPubkeys.fundingPubkey)) {
      throw new SignerError('invalid_signature', 'bad counterparty commitment signature');
    }
    const htlcs = buildHtlcTransactions(built);
    if (htlcs.length !== htlcSignatures.length) throw new SignerError('invalid_signature', `expected ${htlcs.length} HTLC signatures`);
    const theirHtlcKey = built.description.keys.countersignatoryHtlcPubkey;
    htlcs.forEach((h, i) => {
      const hh = segwitSighash(h.tx, 0, h.witnessScript, h.amountSat, countersignatoryHtlcSighash(h.format));
      if (!this.backend.ecdsaVerify(htlcSignatures[i]!, hh, theirHtlcKey)) throw new SignerError('invalid_signature', `bad HTLC signature ${i}`);
    });
    this.holderCurrent = n;
    this.holderCurrentData = data;
  }

  async validateCounterpartyRevocation(n: bigint, secret: Uint8Array): Promise<void> {
    const point = this.counterpartyPoints.get(n);
    // A commitment signed before this instance existed cannot be checked here (its
    // point is the caller's to check, as BOLT 2 requires of it anyway).
    const signedBefore = this.counterpartyFirstSigned !== undefined && n < this.counterpartyFirstSigned;
    if (point === undefined && !signedBefore) throw new SignerError('unknown_commitment', `no counterparty commitment ${n} was signed`);
    let derived: Uint8Array;
    try {
      derived = perCommitmentPoint(secret, this.backend);
    } catch (cause) {
      throw new SignerError('invalid_input', 'not a valid secret', { cause });
    }
    if (point !== undefined && !equalBytes(derived, point)) throw new SignerError('invalid_signature', `secret does not match counterparty commitment ${n}`);
    if (this.counterpartyRevokedBelow === undefined || n + 1n > this.counterpartyRevokedBelow) this.counterpartyRevokedBelow = n + 1n;
    for (const k of this.counterpartyPoints.keys()) if (k < n) this.counterpartyPoints.delete(k);
  }

  async signCounterpartyCommitment(data: CommitmentData): Promise<CounterpartyCommitmentSignatures> {
    const params = this.channel();
    const n = data.commitmentNumber;
    const last = this.counterpartyLastSigned;
    // Re-signing the latest (retransmission) or the next one only; never skip or go back,
    // and never run more than one unrevoked commitment ahead.
    // A fresh instance takes up at any number, assuming at most the previous one unrevoked.
    const ok = last === undefined || n === last || n === last + 1n;
    if (!ok) throw new SignerError('policy', `counterparty commitment ${n} skips or goes back (last signed ${last})`);
    const revokedBelow = this.counterpartyRevokedBelow ?? (n > 0n ? n - 1n : 0n);
    if (n > revokedBelow + 1n) throw new SignerError('policy', `counterparty commitment ${n - 2n} is not revoked yet`);
    const known = this.counterpartyPoints.get(n);
    if (known !== undefined && !equalBytes(known, data.perCommitmentPoint)) throw new SignerError('policy', `commitment ${n} re-signed with another point`);
    const built = buildCommitment(describeCommitment(params, data, false, this.backend));
    const commitmentSignature = signCommitment(built, this.secrets.fundingKey, this.backend);
    const htlcKey = derivePrivateKey(this.secrets.htlcBaseKey, data.perCommitmentPoint, this.backend);
    const htlcSignatures = buildHtlcTransactions(built).map((h) =>
      signSegwitInput(h.tx, 0, h.witnessScript, h.amountSat, htlcKey, countersignatoryHtlcSighash(h.format), this.backend),
    );
    this.counterpartyLastSigned = n;
    this.counterpartyRevokedBelow = revokedBelow;
    this.counterpartyFirstSigned ??= n;
    this.counterpartyPoints.set(n, data.perCommitmentPoint);
    return { commitmentSignature, htlcSignatures };
  }

  private checkHolderNotRevoked(n: bigint): void {
    if (n < this.holderRevokedBelow) throw new SignerError('policy', `holder commitment ${n} is revoked`);
  }

  async signHolderCommitment(data: CommitmentData): Promise<Uint8Array> {
    const params = this.channel();
    this.checkHolderNotRevoked(data.commitmentNumber);
    if (this.holderCurrent !== data.commitmentNumber || this.holderCurrentData === undefined) {
      throw new SignerError('unknown_commitment', `holder commitment ${data.commitmentNumber} is not the current one`);
    }
    const built = buildCommitment(describeCommitment(params, data, true, this.backend));
    return signCommitment(built, this.secrets.fundingKey, this.backend);
  }

  async signHolderHtlcTransaction(htlc: HtlcTransaction, commitmentNumber: bigint, inputIndex = 0): Promise<Uint8Array> {
    this.checkHolderNotRevoked(commitmentNumber);
    const key = derivePrivateKey(this.secrets.htlcBaseKey, this.holderPoint(commitmentNumber), this.backend);
    return signSegwitInput(htlc.tx, inputIndex, htlc.witnessScript, htlc.amountSat, key, SIGHASH_ALL, this.backend);
  }

  async signHolderDelayedOutput(input: InputToSign, commitmentNumber: bigint): Promise<Uint8Array> {
    const key = derivePrivateKey(this.secrets.delayedPaymentBaseKey, this.holderPoint(commitmentNumber), this.backend);
    return this.signInput(input, key);
  }

  async signJusticeRevokedOutput(input: InputToSign, secret: Uint8Array): Promise<Uint8Array> {
    return this.signInput(input, this.revocationKey(secret));
  }

  async signJusticeRevokedHtlc(input: InputToSign, secret: Uint8Array): Promise<Uint8Array> {
    return this.signInput(input, this.revocationKey(secret));
  }

  async signCounterpartyHtlcClaim(input: InputToSign, point: Uint8Array): Promise<Uint8Array> {
    return this.signInput(input, derivePrivateKey(this.secrets.htlcBaseKey, point, this.backend));
  }

  async signCounterpartyPaymentOutput(input: InputToSign): Promise<Uint8Array> {
    return this.signInput(input, this.secrets.paymentKey);
  }

  async signClosingTransaction(tx: Tx): Promise<Uint8Array> {
    const params = this.channel();
    const input = tx.inputs[0];
    if (tx.inputs.length !== 1 || input === undefined || !equalBytes(input.previousOutput.txid, params.fundingOutpoint.txid) || input.previousOutput.index !== params.fundingOutpoint.index) {
      throw new SignerError('policy', 'a closing transaction spends exactly the funding output');
    }
    const script = fundingScript(params.holderPubkeys.fundingPubkey, params.counterpartyPubkeys.fundingPubkey);
    return signSegwitInput(tx, 0, script, params.fundingAmountSat, this.secrets.fundingKey, SIGHASH_ALL, this.backend);
  }

  async signHolderAnchorInput(tx: Tx, inputIndex: number): Promise<Uint8Array> {
    return signSegwitInput(tx, inputIndex, anchorScript(this.pubkeys.fundingPubkey), ANCHOR_OUTPUT_VALUE_SAT, this.secrets.fundingKey, SIGHASH_ALL, this.backend);
  }

  async signChannelAnnouncementWithFundingKey(signedPart: Uint8Array): Promise<Uint8Array> {
    return this.backend.ecdsaSign(sha256d(signedPart), this.secrets.fundingKey);
  }

  private revocationKey(secret: Uint8Array): Uint8Array {
    try {
      return deriveRevocationPrivateKey(this.secrets.revocationBaseKey, secret, this.backend);
    } catch (cause) {
      throw new SignerError('invalid_input', 'not a valid per-commitment secret', { cause });
    }
  }

  private signInput(input: InputToSign, key: Uint8Array): Uint8Array {
    return signSegwitInput(input.tx, input.inputIndex, input.witnessScript, input.amountSat, key, SIGHASH_ALL, this.backend);
  }
}
