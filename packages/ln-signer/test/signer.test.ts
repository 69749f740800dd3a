import { describe, expect, it } from '@jest/globals';
import { ecdh, ecdsaRecover, ecdsaVerify, publicKeyFromPrivate, sha256, sha256d } from 'ln-crypto';
import { concatBytes, toHex, utf8ToBytes } from 'ln-types';
import { SignerError, describeCommitment } from 'ln-signer-api';
import {
  buildCommitment,
  buildHtlcTransactions,
  deriveRevocationPublicKey,
  finalizeClosingTx,
  fundingScript,
  isValidShutdownScript,
  p2wpkh,
  p2wsh,
  segwitSighash,
  toLocalRevocationWitness,
} from 'ln-tx';
import { KeysManager, cryptoEntropySource } from '../src/index.js';
import { commitmentOf, twoParties } from './channel.js';
import { verifySpend } from './interpreter.js';

const policy = expect.objectContaining({ code: 'policy' });

describe('KeysManager', () => {
  it('is deterministic from the seed and separates channels', () => {
    const seed = new Uint8Array(32).fill(3);
    const k1 = new KeysManager(seed);
    const k2 = new KeysManager(seed);
    expect(toHex(k1.getNodeId())).toBe(toHex(k2.getNodeId()));
    const id = new Uint8Array(32).fill(4);
    expect(k1.deriveChannelSigner(1n, id).pubkeys).toEqual(k2.deriveChannelSigner(1n, id).pubkeys);
    const other = k1.deriveChannelSigner(1n, new Uint8Array(32).fill(5)).pubkeys;
    expect(toHex(other.fundingPubkey)).not.toBe(toHex(k1.deriveChannelSigner(1n, id).pubkeys.fundingPubkey));
    const keys = Object.values(k1.deriveChannelSigner(1n, id).pubkeys).map((k) => toHex(k));
    expect(new Set(keys).size).toBe(5);
    expect(toHex(new KeysManager(new Uint8Array(32).fill(6)).getNodeId())).not.toBe(toHex(k1.getNodeId()));
    expect(toHex(k1.generateChannelKeysId(false, 1n))).not.toBe(toHex(k1.generateChannelKeysId(false, 1n)));
    expect(() => new KeysManager(new Uint8Array(31))).toThrow(SignerError);
  });
  it('gives valid destination and shutdown scripts', async () => {
    const k = new KeysManager(new Uint8Array(32).fill(3));
    const features = { anySegwit: false, opReturn: false };
    expect(isValidShutdownScript(await k.getDestinationScript(new Uint8Array(32)), features)).toBe(true);
    expect(isValidShutdownScript(await k.getShutdownScript(), features)).toBe(true);
    expect(toHex(await k.getShutdownScript())).not.toBe(toHex(await k.getDestinationScript(new Uint8Array(32))));
  });
  it('node signer: ECDH, invoices, gossip, inbound key material, entropy', async () => {
    const a = new KeysManager(new Uint8Array(32).fill(7));
    const other = new Uint8Array(32).fill(8);
    const otherPub = publicKeyFromPrivate(other);
    // both sides of BOLT 8 ECDH agree; the node key never leaves the signer
    const shared = await a.ecdh('node', otherPub);
    expect(toHex(shared)).toBe(toHex(ecdh(other, a.getNodeId())));
    const tweak = sha256(utf8ToBytes('blinding'));
    expect(toHex(await a.ecdh('node', otherPub, tweak))).not.toBe(toHex(shared));
    const words = Uint8Array.from({ length: 52 }, (_, i) => i % 32);
    const sig = await a.signInvoice({ hrp: 'lnbc', dataWords: words });
    const hash = sha256(concatBytes(utf8ToBytes('lnbc'), (() => {
      const bytes: number[] = [];
      let acc = 0;
      let bits = 0;
      for (const w of words) {
        acc = (acc << 5) | w;
        bits += 5;
        while (bits >= 8) {
          bits -= 8;
          bytes.push((acc >> bits) & 0xff);
        }
      }
      if (bits > 0) bytes.push((acc << (8 - bits)) & 0xff);
      return Uint8Array.from(bytes);
    })()));
    expect(toHex(ecdsaRecover(sig.signature, sig.recoveryId, hash))).toBe(toHex(a.getNodeId()));
    await expect(a.signInvoice({ hrp: 'lnbc', dataWords: Uint8Array.of(32) })).rejects.toThrow(SignerError);
    const msg = utf8ToBytes('node_announcement signed part');
    expect(ecdsaVerify(await a.signGossipMessage({ type: 'node_announcement', signedPart: msg }), sha256d(msg), a.getNodeId())).toBe(true);
    expect(a.getInboundPaymentKeyMaterial().length).toBe(32);
    expect(toHex(a.getInboundPaymentKeyMaterial())).toBe(toHex(new KeysManager(new Uint8Array(32).fill(7)).getInboundPaymentKeyMaterial()));
    expect(() => a.getNodeId('phantom_node')).toThrow(SignerError);
    const r1 = cryptoEntropySource.getSecureRandomBytes();
    expect(r1.length).toBe(32);
    expect(toHex(r1)).not.toBe(toHex(a.getSecureRandomBytes()));
  });
});

describe('InMemorySigner: a second instance for the same keys (restart, or the monitor\'s own)', () => {
  it('takes up from the first state it is shown and holds the line from there', async () => {
    const { a, b, signerA, signerB, paramsA, paramsB } = await twoParties('anchors');
    signerA.provideChannelParameters(paramsA);
    signerB.provideChannelParameters(paramsB);
    // B's commitments 0..3 signed by A, validated by B; B revokes 0..2
    const bData = await Promise.all([0n, 1n, 2n, 3n].map((n) => commitmentOf(signerB, n, false, 600_000_000n, 2)));
    const sigs = [];
    for (const [i, d] of bData.entries()) {
      sigs.push(await signerA.signCounterpartyCommitment(d));
      await signerB.validateHolderCommitment(d, sigs[i]!.commitmentSignature, sigs[i]!.htlcSignatures);
      if (i > 0) await signerA.validateCounterpartyRevocation(BigInt(i - 1), await signerB.releaseCommitmentSecret(BigInt(i - 1)));
    }
    // B restarts: a fresh instance from the same keys id
    const againB = b.deriveChannelSigner(1_000_000n, signerB.channelKeysId);
    againB.provideChannelParameters(paramsB);
    // nothing is current yet: no secret, no holder signature
    await expect(againB.releaseCommitmentSecret(2n)).rejects.toEqual(policy);
    await expect(againB.signHolderCommitment(bData[3]!)).rejects.toEqual(expect.objectContaining({ code: 'unknown_commitment' }));
    // a forged signature is still refused when taking up
    const forged = sigs[3]!.commitmentSignature.slice();
    forged[5] = forged[5]! ^ 1;
    await expect(againB.validateHolderCommitment(bData[3]!, forged, sigs[3]!.htlcSignatures)).rejects.toEqual(expect.objectContaining({ code: 'invalid_signature' }));
    await againB.validateHolderCommitment(bData[3]!, sigs[3]!.commitmentSignature, sigs[3]!.htlcSignatures);
    // the same one again is fine (a monitor replaying), going back is not
    await againB.validateHolderCommitment(bData[3]!, sigs[3]!.commitmentSignature, sigs[3]!.htlcSignatures);
    await expect(againB.validateHolderCommitment(bData[2]!, sigs[2]!.commitmentSignature, sigs[2]!.htlcSignatures)).rejects.toEqual(policy);
    expect(await againB.releaseCommitmentSecret(2n)).toEqual(await signerB.releaseCommitmentSecret(2n));
    await againB.signHolderCommitment(bData[3]!);

    // A restarts while B's commitment 3 is the latest it signed (2 revoked). Restoring, it re-signs 3
    // (same signatures), then is told the revocation of 2 it already holds; only then may it sign 4.
    const againA = a.deriveChannelSigner(1_000_000n, signerA.channelKeysId);
    againA.provideChannelParameters(paramsA);
    expect(await againA.signCounterpartyCommitment(bData[3]!)).toEqual(sigs[3]);
    const b4 = await commitmentOf(signerB, 4n, false, 600_000_000n, 2);
    const b5 = await commitmentOf(signerB, 5n, false, 600_000_000n, 2);
    await expect(againA.signCounterpartyCommitment(b4)).rejects.toEqual(policy);
    // a revocation of a commitment signed before the restart is taken on the caller's word
    await againA.validateCounterpartyRevocation(2n, await signerB.releaseCommitmentSecret(2n));
    const sigs4 = await againA.signCounterpartyCommitment(b4);
    await expect(againA.signCounterpartyCommitment(b5)).rejects.toEqual(policy);
    await signerB.validateHolderCommitment(b4, sigs4.commitmentSignature, sigs4.htlcSignatures);
    // a wrong secret for a commitment this instance signed is still refused
    await expect(againA.validateCounterpartyRevocation(3n, await signerB.releaseCommitmentSecret(2n))).rejects.toEqual(expect.objectContaining({ code: 'invalid_signature' }));
    await againA.validateCounterpartyRevocation(3n, await signerB.releaseCommitmentSecret(3n));
    await againA.signCounterpartyCommitment(b5);
  });
});

describe('InMemorySigner: a channel lifecycle with policy checks', () => {
  for (const format of ['static_remotekey', 'anchors'] as const) {
    it(`signs, validates, revokes and refuses (${format})`, async () => {
      const { signerA, signerB, paramsA, paramsB } = await twoParties(format);
      signerA.provideChannelParameters(paramsA);
      signerB.provideChannelParameters(paramsB);
      expect(() => signerA.provideChannelParameters(paramsA)).toThrow(SignerError);

      // commitment 0 both ways
      const b0 = await commitmentOf(signerB, 0n, false, 600_000_000n, 0);
      const sigsForB0 = await signerA.signCounterpartyCommitment(b0);
      await signerB.validateHolderCommitment(b0, sigsForB0.commitmentSignature, sigsForB0.htlcSignatures);
      const a0 = await commitmentOf(signerA, 0n, true, 600_000_000n, 0);
      const sigsForA0 = await signerB.signCounterpartyCommitment(a0);
      await signerA.validateHolderCommitment(a0, sigsForA0.commitmentSignature, sigsForA0.htlcSignatures);

      // B may not release the secret of its current commitment
      await expect(signerB.releaseCommitmentSecret(0n)).rejects.toEqual(policy);

      // A adds three HTLCs: B's commitment 1
      const b1 = await commitmentOf(signerB, 1n, false, 900_000_000n, 3);
      // skipping ahead or going back is refused
      await expect(signerA.signCounterpartyCommitment({ ...b1, commitmentNumber: 2n })).rejects.toEqual(policy);
      const sigsForB1 = await signerA.signCounterpartyCommitment(b1);
      expect(sigsForB1.htlcSignatures.length).toBe(3);
      await expect(signerA.signCounterpartyCommitment(await commitmentOf(signerB, 0n, false, 600_000_000n, 0))).rejects.toEqual(policy);
      // a bad signature is refused, and the good one accepted
      const bad = sigsForB1.commitmentSignature.slice();
      bad[10] = bad[10]! ^ 1;
      await expect(signerB.validateHolderCommitment(b1, bad, sigsForB1.htlcSignatures)).rejects.toEqual(expect.objectContaining({ code: 'invalid_signature' }));
      await expect(signerB.validateHolderCommitment(b1, sigsForB1.commitmentSignature, sigsForB1.htlcSignatures.slice(1))).rejects.toEqual(
        expect.objectContaining({ code: 'invalid_signature' }),
      );
      await signerB.validateHolderCommitment(b1, sigsForB1.commitmentSignature, sigsForB1.htlcSignatures);
      // A cannot sign B's commitment 2 before B revoked 0
      await expect(signerA.signCounterpartyCommitment(await commitmentOf(signerB, 2n, false, 900_000_000n, 3))).rejects.toEqual(policy);

      // B revokes 0; A checks the secret
      const secret0 = await signerB.releaseCommitmentSecret(0n);
      await expect(signerA.validateCounterpartyRevocation(0n, sha256(secret0))).rejects.toEqual(expect.objectContaining({ code: 'invalid_signature' }));
      await signerA.validateCounterpartyRevocation(0n, secret0);
      await expect(signerB.releaseCommitmentSecret(1n)).rejects.toEqual(policy);

      // B never signs its revoked commitment 0; it signs the current one for a force close
      await expect(signerB.signHolderCommitment(b0)).rejects.toEqual(policy);
      const holderSig = await signerB.signHolderCommitment(b1);
      const builtB1 = buildCommitment(describeCommitment(paramsB, b1, true));
      const hash = segwitSighash(builtB1.tx, 0, builtB1.fundingWitnessScript, paramsB.fundingAmountSat);
      expect(ecdsaVerify(holderSig, hash, signerB.pubkeys.fundingPubkey)).toBe(true);
      expect(ecdsaVerify(sigsForB1.commitmentSignature, hash, signerA.pubkeys.fundingPubkey)).toBe(true);
      for (const h of buildHtlcTransactions(builtB1)) {
        const s = await signerB.signHolderHtlcTransaction(h, 1n);
        expect(ecdsaVerify(s, segwitSighash(h.tx, 0, h.witnessScript, h.amountSat), builtB1.description.keys.broadcasterHtlcPubkey)).toBe(true);
        await expect(signerB.signHolderHtlcTransaction(h, 0n)).rejects.toEqual(policy);
      }

      // justice: had B broadcast commitment 0, A signs its to_local with the revocation key
      const builtB0 = buildCommitment(describeCommitment(paramsA, b0, false));
      const toLocal = builtB0.outputs.findIndex((o) => o.kind === 'to_local');
      expect(toLocal).toBeGreaterThanOrEqual(0);
      const o = builtB0.outputs[toLocal]!;
      const justiceTx = { version: 2, locktime: 0, inputs: [{ previousOutput: { txid: builtB0.tx.inputs[0]!.previousOutput.txid, index: toLocal }, sequence: 0xffffffff }], outputs: [{ script: p2wpkh(signerA.pubkeys.fundingPubkey), amount: o.amountSat - 1000n }] };
      const input = { tx: justiceTx, inputIndex: 0, amountSat: o.amountSat, witnessScript: o.witnessScript! };
      const js = await signerA.signJusticeRevokedOutput(input, secret0);
      const revocationPubkey = deriveRevocationPublicKey(signerA.pubkeys.revocationBasepoint, publicKeyFromPrivate(secret0));
      expect(ecdsaVerify(js, segwitSighash(justiceTx, 0, o.witnessScript!, o.amountSat), revocationPubkey)).toBe(true);
      expect(toLocalRevocationWitness(js, o.witnessScript!).length).toBe(3);

      // closing: only the funding outpoint
      const closing = { version: 2, locktime: 0, inputs: [{ previousOutput: paramsA.fundingOutpoint, sequence: 0xffffffff }], outputs: [{ script: p2wpkh(signerA.pubkeys.fundingPubkey), amount: 1n }] };
      // both sides sign; each signature is checked against the BIP 143 sighash with its funding
      // key, and the finished transaction spends the funding output in bitcore's interpreter
      const fundingWs = fundingScript(signerA.pubkeys.fundingPubkey, signerB.pubkeys.fundingPubkey);
      const closingHash = segwitSighash(closing, 0, fundingWs, paramsA.fundingAmountSat);
      const closeA = await signerA.signClosingTransaction(closing);
      const closeB = await signerB.signClosingTransaction(closing);
      expect(ecdsaVerify(closeA, closingHash, signerA.pubkeys.fundingPubkey)).toBe(true);
      expect(ecdsaVerify(closeB, closingHash, signerB.pubkeys.fundingPubkey)).toBe(true);
      expect(ecdsaVerify(closeA, closingHash, signerB.pubkeys.fundingPubkey)).toBe(false);
      const closed = finalizeClosingTx(closing, signerA.pubkeys.fundingPubkey, signerB.pubkeys.fundingPubkey, closeA, closeB);
      expect(verifySpend(closed, 0, p2wsh(fundingWs), paramsA.fundingAmountSat)).toEqual({ ok: true, error: '' });
      // another transaction (other amount) is not covered by these signatures
      const other = { ...closing, outputs: [{ ...closing.outputs[0]!, amount: 2n }] };
      const forged = finalizeClosingTx(other, signerA.pubkeys.fundingPubkey, signerB.pubkeys.fundingPubkey, closeA, closeB);
      expect(verifySpend(forged, 0, p2wsh(fundingWs), paramsA.fundingAmountSat).ok).toBe(false);
      await expect(signerA.signClosingTransaction({ ...closing, inputs: [{ ...closing.inputs[0]!, previousOutput: { ...paramsA.fundingOutpoint, index: 1 } }] })).rejects.toEqual(policy);
      const annSig = await signerA.signChannelAnnouncementWithFundingKey(utf8ToBytes('ann'));
      expect(ecdsaVerify(annSig, sha256d(utf8ToBytes('ann')), signerA.pubkeys.fundingPubkey)).toBe(true);
    });
  }
  it('refuses to work before parameters are known, and a wrong holder', async () => {
    const { signerA, paramsB } = await twoParties();
    await expect(signerA.signCounterpartyCommitment(await commitmentOf(signerA, 0n, false, 1n, 0))).rejects.toBeInstanceOf(SignerError);
    expect(() => signerA.provideChannelParameters(paramsB)).toThrow(SignerError);
  });
});

describe('accelerated backend', () => {
  it('KeysManager on tiny-secp256k1 gives the same keys and signatures as on noble', async () => {
    const { createTinySecp256k1Backend } = await import('ln-crypto');
    const tiny = createTinySecp256k1Backend(await import('tiny-secp256k1'));
    const seed = new Uint8Array(32).fill(11);
    const noble = new KeysManager(seed);
    const fast = new KeysManager(seed, { backend: tiny });
    expect(toHex(fast.getNodeId())).toBe(toHex(noble.getNodeId()));
    const id = new Uint8Array(32).fill(12);
    const msg = utf8ToBytes('channel_update');
    expect(toHex(await fast.signGossipMessage({ type: 'channel_update', signedPart: msg }))).toBe(toHex(await noble.signGossipMessage({ type: 'channel_update', signedPart: msg })));
    expect(fast.deriveChannelSigner(1n, id).pubkeys).toEqual(noble.deriveChannelSigner(1n, id).pubkeys);
  });
});

describe('holder per-commitment points', () => {
  it('are the points of the shachain secrets, the same when asked again, and callers get their own copies', async () => {
    const { perCommitmentPoint, perCommitmentSecret } = await import('ln-tx');
    const k = new KeysManager(new Uint8Array(32).fill(9));
    const id = new Uint8Array(32).fill(1);
    const signer = k.deriveChannelSigner(1_000_000n, id);
    const seed = (signer as unknown as { secrets: { commitmentSeed: Uint8Array } }).secrets.commitmentSeed;
    for (let round = 0; round < 2; round++) {
      for (let n = 0n; n < 12n; n++) {
        const p = await signer.getPerCommitmentPoint(n);
        expect(p).toEqual(perCommitmentPoint(perCommitmentSecret(seed, n)));
        p.fill(0);
        expect(await signer.getPerCommitmentPoint(n)).toEqual(perCommitmentPoint(perCommitmentSecret(seed, n)));
      }
    }
  });
});
