// fast-check model test of the signer's policy state machine: random sequences of
// requests, each accepted exactly when a small model of the rules says so.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { SignerError, describeCommitment } from 'ln-signer-api';
import { buildCommitment, signCommitment } from 'ln-tx';
import { MessageChannel } from 'node:worker_threads';
import { type MessagePortLike, serveChannelSigner } from '../src/index.js';
import { commitmentOf, twoParties } from './channel.js';

const RUNS = process.env['LN_LONG_TESTS'] === '1' ? 200 : 15;

type Command =
  | { kind: 'signCounterparty'; n: number }
  | { kind: 'revokeCounterparty'; n: number }
  | { kind: 'advanceHolder' }
  | { kind: 'release'; n: number }
  | { kind: 'signHolder'; n: number };

const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({ kind: fc.constant('signCounterparty' as const), n: fc.nat(5) }),
  fc.record({ kind: fc.constant('revokeCounterparty' as const), n: fc.nat(5) }),
  fc.record({ kind: fc.constant('advanceHolder' as const) }),
  fc.record({ kind: fc.constant('release' as const), n: fc.nat(5) }),
  fc.record({ kind: fc.constant('signHolder' as const), n: fc.nat(5) }),
);

async function accepted(p: Promise<unknown>): Promise<boolean> {
  try {
    await p;
    return true;
  } catch (e) {
    expect(e).toBeInstanceOf(SignerError);
    return false;
  }
}

describe('InMemorySigner policy (model-based)', () => {
  it('accepts exactly what the rules allow', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { maxLength: 12 }), async (commands) => {
        // fresh signers for each run (same keys: the policy state is what matters)
        const fresh = await twoParties();
        const a = fresh.signerA;
        const b = fresh.signerB;
        a.provideChannelParameters(fresh.paramsA);
        b.provideChannelParameters(fresh.paramsB);
        // B's commitments 0..6: A signs them as the counterparty's, B validates them as its own
        const bCommit = await Promise.all([0, 1, 2, 3, 4, 5, 6].map((n) => commitmentOf(b, BigInt(n), false, 600_000_000n, 0)));
        // A fresh signer takes up at the first counterparty commitment it signs, assuming the one before unrevoked.
        const model = { lastSigned: -1, firstSigned: -1, cpRevokedBelow: -1, holderCurrent: -1, holderRevokedBelow: 0 };
        for (const c of commands) {
          if (c.kind === 'signCounterparty') {
            const revokedBelow = model.cpRevokedBelow === -1 ? Math.max(0, c.n - 1) : model.cpRevokedBelow;
            const allowed = (model.lastSigned === -1 || c.n === model.lastSigned || c.n === model.lastSigned + 1) && c.n <= revokedBelow + 1;
            expect(await accepted(a.signCounterpartyCommitment(bCommit[c.n]!))).toBe(allowed);
            if (allowed) {
              model.lastSigned = c.n;
              model.cpRevokedBelow = revokedBelow;
              if (model.firstSigned === -1) model.firstSigned = c.n;
            }
          } else if (c.kind === 'revokeCounterparty') {
            // B releases (if it may) and A checks; only secrets of commitments A signed validate
            const secret = await b.releaseCommitmentSecret(BigInt(c.n)).catch(() => undefined);
            const bMayRelease = c.n < model.holderCurrent;
            expect(secret !== undefined).toBe(bMayRelease);
            if (secret !== undefined) {
              model.holderRevokedBelow = Math.max(model.holderRevokedBelow, c.n + 1);
              const got = await accepted(a.validateCounterpartyRevocation(BigInt(c.n), secret));
              // A knows the points of what it signed from the oldest unrevoked one on
              // (and cannot check those signed before it existed: it takes them on the caller's word)
              if (c.n <= model.lastSigned && c.n >= model.cpRevokedBelow - 1) expect(got).toBe(true);
              if (model.firstSigned !== -1 && c.n < model.firstSigned) expect(got).toBe(true);
              if (c.n > model.lastSigned) expect(got).toBe(false);
              if (got) model.cpRevokedBelow = Math.max(model.cpRevokedBelow, c.n + 1);
            }
          } else if (c.kind === 'advanceHolder') {
            const next = model.holderCurrent + 1;
            if (next >= bCommit.length) continue;
            const sigs = signAsA(fresh, bCommit[next]!);
            expect(await accepted(b.validateHolderCommitment(bCommit[next]!, sigs.commitmentSignature, sigs.htlcSignatures))).toBe(true);
            model.holderCurrent = next;
          } else if (c.kind === 'release') {
            const allowed = c.n < model.holderCurrent;
            expect(await accepted(b.releaseCommitmentSecret(BigInt(c.n)))).toBe(allowed);
            if (allowed) model.holderRevokedBelow = Math.max(model.holderRevokedBelow, c.n + 1);
          } else {
            const allowed = c.n === model.holderCurrent && c.n >= model.holderRevokedBelow;
            expect(await accepted(b.signHolderCommitment(bCommit[c.n]!))).toBe(allowed);
          }
        }
      }),
      { numRuns: RUNS },
    );
  });
});

/**
 * A's signature on B's commitment, made outside A's signer so that B's holder side can
 * advance independently of A's counterparty-side state in the model. Reads A's funding
 * key from the signer's private field: test-only.
 */
function signAsA(fresh: Awaited<ReturnType<typeof twoParties>>, data: Awaited<ReturnType<typeof commitmentOf>>) {
  const built = buildCommitment(describeCommitment(fresh.paramsA, data, false));
  const key = (fresh.signerA as unknown as { secrets: { fundingKey: Uint8Array } }).secrets.fundingKey;
  return { commitmentSignature: signCommitment(built, key), htlcSignatures: [] as Uint8Array[] };
}

describe('remote server robustness', () => {
  it('ignores junk messages and answers unknown methods with a typed refusal', async () => {
    const { signerA } = await twoParties();
    const { port1, port2 } = new MessageChannel();
    serveChannelSigner(signerA, port2 as unknown as MessagePortLike);
    const answers: { id?: unknown }[] = [];
    // A last, valid request: ports are FIFO, so once it is answered everything before it was handled.
    const sentinel = new Promise<void>((resolve) =>
      port1.on('message', (m: { id?: unknown }) => {
        answers.push(m);
        if (m.id === 9) resolve();
      }),
    );
    try {
      for (const junk of [null, 1, 'x', { id: 'a' }, { id: 1 }, { id: 2, method: 'x' }, [1, 2]]) port1.postMessage(junk);
      port1.postMessage({ id: 7, method: 'signEverything', args: [] });
      port1.postMessage({ id: 8, method: 'releaseCommitmentSecret', args: [0n] });
      port1.postMessage({ id: 9, method: 'getPerCommitmentPoint', args: [0n] });
      await sentinel;
      expect(answers.filter((a) => a.id !== 9)).toEqual([
        { id: 7, ok: false, code: 'invalid_input', message: 'unknown method signEverything' },
        { id: 8, ok: false, code: 'policy', message: expect.any(String) },
      ]);
    } finally {
      port1.close();
      port2.close();
    }
  });
});
