// The signer in a real worker thread (its own event loop and memory): the channel flow
// runs through RemoteChannelSigner exactly as with the in-process signer.
import { describe, expect, it } from '@jest/globals';
import { MessageChannel, Worker } from 'node:worker_threads';
import { toHex } from 'ln-types';
import { KeysManager, type MessagePortLike, RemoteChannelSigner } from '../src/index.js';
import { commitmentOf, twoParties } from './channel.js';

describe('remote signer in a worker thread', () => {
  it('validates, signs and refuses across the thread boundary', async () => {
    // B's signer lives in the worker: the same seed and keys id as twoParties() used for B
    const { signerA, signerB: reference, paramsA, paramsB } = await twoParties('static_remotekey');
    const seedB = new Uint8Array(32).fill(2);
    const local = new KeysManager(seedB);
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(new URL('./worker/bootstrap.mjs', import.meta.url), {
      workerData: { seed: seedB, keysId: reference.channelKeysId, port: port2 },
      transferList: [port2],
      execArgv: ['--conditions=source'],
    });
    const failed = new Promise<never>((_, reject) => worker.on('error', reject));
    try {
      const remoteB = await Promise.race([RemoteChannelSigner.connect(port1 as unknown as MessagePortLike), failed]);
      expect(toHex(remoteB.pubkeys.fundingPubkey)).toBe(toHex(local.deriveChannelSigner(1n, reference.channelKeysId).pubkeys.fundingPubkey));
      signerA.provideChannelParameters(paramsA);
      remoteB.provideChannelParameters(paramsB);
      const b0 = await commitmentOf(remoteB, 0n, false, 600_000_000n, 2);
      const s0 = await signerA.signCounterpartyCommitment(b0);
      await remoteB.validateHolderCommitment(b0, s0.commitmentSignature, s0.htlcSignatures);
      const a0 = await commitmentOf(signerA, 0n, true, 600_000_000n, 2);
      const r0 = await remoteB.signCounterpartyCommitment(a0);
      await signerA.validateHolderCommitment(a0, r0.commitmentSignature, r0.htlcSignatures);
      await expect(remoteB.releaseCommitmentSecret(0n)).rejects.toEqual(expect.objectContaining({ code: 'policy' }));
    } finally {
      port1.close();
      await worker.terminate();
    }
  });
});
