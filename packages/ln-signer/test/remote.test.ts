// The same InMemorySigner served across a MessageChannel (the transport a worker thread
// uses): every call crosses the port and is answered asynchronously, and the channel
// flow runs unchanged through the ChannelSigner contract.
import { afterEach, describe, expect, it } from '@jest/globals';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { ecdsaVerify } from 'ln-crypto';
import { toHex } from 'ln-types';
import { type ChannelSigner, SignerError, describeCommitment } from 'ln-signer-api';
import { buildCommitment, segwitSighash } from 'ln-tx';
import { type MessagePortLike, RemoteChannelSigner, serveChannelSigner } from '../src/index.js';
import { commitmentOf, twoParties } from './channel.js';

const ports: MessagePort[] = [];
afterEach(() => {
  for (const p of ports.splice(0)) p.close();
});

/** Serves `signer` on one end of a fresh channel, with a delay on every answer (a slow remote). */
function remote(signer: ChannelSigner, delayMs: number): Promise<RemoteChannelSigner> {
  const { port1, port2 } = new MessageChannel();
  ports.push(port1, port2);
  const slow: MessagePortLike = {
    postMessage: (m) => setTimeout(() => port2.postMessage(m), delayMs),
    addEventListener: (t, l) => port2.addEventListener(t, l as unknown as (e: Event) => void),
    start: () => port2.start(),
  };
  serveChannelSigner(signer, slow);
  return RemoteChannelSigner.connect(port1 as unknown as MessagePortLike);
}

describe('remote signer over a message channel', () => {
  it('runs the commitment dance through the contract and carries refusals', async () => {
    const { signerA, signerB, paramsA, paramsB } = await twoParties('anchors');
    const remoteB = await remote(signerB, 5);
    expect(toHex(remoteB.pubkeys.fundingPubkey)).toBe(toHex(signerB.pubkeys.fundingPubkey));
    expect(toHex(remoteB.channelKeysId)).toBe(toHex(signerB.channelKeysId));
    signerA.provideChannelParameters(paramsA);
    remoteB.provideChannelParameters(paramsB);

    const b0 = await commitmentOf(remoteB, 0n, false, 600_000_000n, 0);
    const s0 = await signerA.signCounterpartyCommitment(b0);
    await remoteB.validateHolderCommitment(b0, s0.commitmentSignature, s0.htlcSignatures);
    const a0 = await commitmentOf(signerA, 0n, true, 600_000_000n, 0);
    const r0 = await remoteB.signCounterpartyCommitment(a0);
    await signerA.validateHolderCommitment(a0, r0.commitmentSignature, r0.htlcSignatures);

    // several calls in flight at once resolve to their own answers
    const points = await Promise.all([0n, 1n, 2n, 3n].map((n) => remoteB.getPerCommitmentPoint(n)));
    expect(new Set(points.map(toHex)).size).toBe(4);

    const a1 = await commitmentOf(signerA, 1n, true, 500_000_000n, 5);
    const r1 = await remoteB.signCounterpartyCommitment(a1);
    expect(r1.htlcSignatures.length).toBe(5);
    await signerA.validateHolderCommitment(a1, r1.commitmentSignature, r1.htlcSignatures);
    const built = buildCommitment(describeCommitment(paramsA, a1, true));
    expect(ecdsaVerify(r1.commitmentSignature, segwitSighash(built.tx, 0, built.fundingWitnessScript, paramsA.fundingAmountSat), signerB.pubkeys.fundingPubkey)).toBe(true);

    // policy refusals cross the port as SignerError with their code
    const refused = remoteB.releaseCommitmentSecret(0n);
    await expect(refused).rejects.toBeInstanceOf(SignerError);
    await expect(refused).rejects.toEqual(expect.objectContaining({ code: 'policy' }));
    await expect(remoteB.signCounterpartyCommitment({ ...a1, commitmentNumber: 3n })).rejects.toEqual(expect.objectContaining({ code: 'policy' }));
    // B moves to commitment 1, then revokes 0 remotely; A checks the secret locally
    const b1 = await commitmentOf(remoteB, 1n, false, 500_000_000n, 5);
    const s1 = await signerA.signCounterpartyCommitment(b1);
    await remoteB.validateHolderCommitment(b1, s1.commitmentSignature, s1.htlcSignatures);
    const secret0 = await remoteB.releaseCommitmentSecret(0n);
    await signerA.validateCounterpartyRevocation(0n, secret0);
    await expect(remoteB.signHolderCommitment(b0)).rejects.toEqual(expect.objectContaining({ code: 'policy' }));
    expect((await remoteB.signHolderCommitment(b1)).length).toBe(64);
  });
  it('a refused provideChannelParameters fails the calls after it', async () => {
    const { signerA, paramsB } = await twoParties();
    const remoteA = await remote(signerA, 1);
    remoteA.provideChannelParameters(paramsB); // names B as the holder: refused remotely
    await expect(remoteA.getPerCommitmentPoint(0n)).rejects.toEqual(expect.objectContaining({ code: 'invalid_input' }));
  });
});
