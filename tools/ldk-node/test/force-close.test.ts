// Force closes on the script-validating chain, through to SpendableOutputs and
// sweeps into the wallets:
// - an anchor channel A -> B force-closed by A with two HTLCs in flight: A's
//   commitment goes out with a CPFP child (BumpTransaction ChannelClose, funded
//   by A's wallet); B claims one HTLC on chain with its preimage (A learns it:
//   PaymentSent), the other times out (A's HTLC-timeout, fee-bumped by
//   BumpTransaction HTLCResolution: PaymentFailed); every output ends up swept;
// - a static_remotekey channel force-closed by the other side (B).
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { decodeTx } from 'ln-tx';
import { equalBytes, toHex } from 'ln-types';
import { LdkNode, RegtestChain, fundNode, openConfirmedChannel } from '../src/index.js';

const chain = RegtestChain.create();
let a: LdkNode;
let b: LdkNode;

async function mine(blocks: number): Promise<void> {
  for (let i = 0; i < blocks; i++) {
    chain.mine(1);
    // Let both event loops answer the block (claims, bumps) before the next one.
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
  }
  await a.waitUntil(() => a.bestBlock.height === chain.height && b.bestBlock.height === chain.height, 10_000, 'both nodes at the tip');
}

beforeAll(async () => {
  a = await LdkNode.create({ name: 'A', chain });
  b = await LdkNode.create({ name: 'B', chain, claim: 'hold' });
  await fundNode(chain, a, 2_000_000n);
  await fundNode(chain, b, 1_000_000n);
  await a.connectInProcess(b);
});

afterAll(async () => {
  await a?.stop();
  await b?.stop();
});

describe('force closes', () => {
  test('anchor channel, two HTLCs in flight, closed by the payer: claims, timeouts, bumps, sweeps', async () => {
    const { ours } = await openConfirmedChannel(chain, a, b, 1_000_000n, { pushMsat: 100_000_000n });
    const walletA = a.wallet.balance().spendableSat;
    const walletB = b.wallet.balance().spendableSat;
    const paid = a.payInvoice(b.createInvoice({ amountMsat: 50_000_000n }));
    const toClaim = await b.waitFor('PaymentClaimable', (e) => equalBytes(e.paymentHash, paid.paymentHash));
    // A block in between gives the two HTLCs different expiries. With equal ones LDK 0.1 batches
    // both timeouts in one claim, waiting for the locktime, and keeps the output B spends with
    // its preimage in that batch: the HTLC-timeout transaction it builds is invalid for good.
    await mine(1);
    const timedOut = a.payInvoice(b.createInvoice({ amountMsat: 30_000_000n }));
    await b.waitFor('PaymentClaimable', (e) => equalBytes(e.paymentHash, timedOut.paymentHash));
    await a.waitUntil(() => a.channel(ours.channelId)?.pendingOutboundHtlcs === 2, 10_000, 'both HTLCs committed');

    // A fee target above the commitment's own rate: LDK must CPFP through the anchor.
    a.fees.set({ urgent_on_chain_sweep: 2_500 });
    a.forceCloseChannel(ours.channelId, b.nodeId);
    expect((await a.waitFor('ChannelClosed', (e) => equalBytes(e.channelId, ours.channelId))).reason).toBe('HolderForceClosed');
    const bump = await a.waitFor('BumpTransaction', (e) => e.bump === 'ChannelClose');
    expect(equalBytes(bump.channelId, ours.channelId)).toBe(true);
    await a.waitUntil(() => chain.mempoolTxids().length === 2, 10_000, 'commitment and CPFP child in the mempool');
    const inMempool = a.broadcaster.log.filter((t) => chain.inMempool(t.txid)).map((t) => ({ txid: t.txid, tx: decodeTx(t.raw) }));
    const spendsFunding = (x: (typeof inMempool)[number]) =>
      x.tx.inputs.some((i) => equalBytes(i.previousOutput.txid, ours.fundingTxo!.txid) && i.previousOutput.index === ours.fundingTxo!.index);
    const commitment = inMempool.find(spendsFunding)!;
    const child = inMempool.find((x) => !spendsFunding(x))!;
    const childInputs = child.tx.inputs.map((i) => toHex(i.previousOutput.txid));
    expect(childInputs).toContain(toHex(commitment.txid));
    expect(childInputs.length).toBeGreaterThan(1); // the anchor plus A's wallet coin
    const commitmentTxid = commitment.txid;
    await mine(1);
    expect(chain.confirmations(commitmentTxid)).toBe(1);
    expect(chain.confirmations(child.txid)).toBe(1);
    expect((await b.waitFor('ChannelClosed', (e) => equalBytes(e.channelId, ours.channelId))).reason).toBe('CommitmentTxConfirmed');

    // B claims the first HTLC on chain with its preimage; A learns the preimage from the chain.
    b.claimPayment(toClaim.preimage!);
    await b.waitFor('PaymentClaimed', (e) => equalBytes(e.paymentHash, paid.paymentHash));
    await mine(2);
    const sent = await a.paymentOutcome(paid.paymentId);
    expect(sent.kind).toBe('PaymentSent');

    // The second HTLC times out: A's HTLC-timeout needs its own fee (anchors), from the wallet.
    const expiry = a.claimableBalances().find((x) => x.paymentHash !== undefined && equalBytes(x.paymentHash, timedOut.paymentHash))!.htlcHeight!;
    await mine(expiry - chain.height + 1);
    await a.waitFor('BumpTransaction', (e) => e.bump === 'HTLCResolution');
    // The payment fails once the HTLC-timeout transaction is 6 blocks deep.
    for (let i = 0; i < 12 && a.eventsOf('PaymentFailed').length === 0; i++) await mine(1);
    if (a.eventsOf('PaymentFailed').length === 0) throw new Error(`no PaymentFailed; the chain refused ${JSON.stringify(chain.refused)}\n${a.describe()}`);
    const failed = await a.paymentOutcome(timedOut.paymentId);
    expect(failed.kind).toBe('PaymentFailed');

    // Everything left waits for CSV delays (144 for A's to_local and HTLC-timeout output).
    for (let round = 0; round < 4 && (a.claimableBalances().length > 0 || b.claimableBalances().length > 0); round++) {
      const heights = [...a.claimableBalances(), ...b.claimableBalances()].map((x) => x.confirmationHeight ?? chain.height);
      await mine(Math.max(1, Math.max(...heights) - chain.height + 1));
    }
    expect(a.claimableBalances()).toEqual([]);
    expect(b.claimableBalances()).toEqual([]);
    const kindsA = a.spendableOutputs().map((s) => s.info.kind).sort();
    const kindsB = b.spendableOutputs().map((s) => s.info.kind).sort();
    expect(kindsA).toEqual(['delayed_payment', 'delayed_payment']); // to_local, HTLC-timeout output
    expect(kindsB).toContain('static_payment'); // to_remote
    a.sweepSpendableOutputs();
    b.sweepSpendableOutputs();
    await mine(1);
    const gainedA = a.wallet.balance().spendableSat - walletA;
    const gainedB = b.wallet.balance().spendableSat - walletB;
    // A keeps 1,000,000 - 100,000 pushed - 50,000 paid; B gets 100,000 + 50,000; fees and CPFP come out of both sides' shares.
    expect(gainedA).toBeGreaterThan(850_000n - 25_000n);
    expect(gainedA).toBeLessThan(850_000n);
    expect(gainedB).toBeGreaterThan(150_000n - 5_000n);
    expect(gainedB).toBeLessThanOrEqual(150_000n);
    expect(chain.refused.filter((r) => r.reason.includes('script'))).toEqual([]);
    expect([a.errors, b.errors]).toEqual([[], []]);
  });

  test('static_remotekey channel force-closed by the other side: to_remote is ours after 6 blocks', async () => {
    // LDK drops the peer when it force-closes: connect again.
    if (!a.isConnected(b.nodeId)) await a.connectInProcess(b);
    const { ours } = await openConfirmedChannel(chain, a, b, 500_000n, { anchors: false, pushMsat: 200_000_000n });
    b.forceCloseChannel(ours.channelId, a.nodeId);
    await b.waitFor('ChannelClosed', (e) => equalBytes(e.channelId, ours.channelId));
    await b.waitUntil(() => chain.mempoolTxids().length === 1, 10_000, 'B commitment in the mempool');
    await mine(1);
    const closed = await a.waitFor('ChannelClosed', (e) => equalBytes(e.channelId, ours.channelId));
    expect(closed.reason).toBe('CommitmentTxConfirmed');
    // LDK hands outputs over once the commitment is 6 blocks deep (ANTI_REORG_DELAY).
    await mine(5);
    const outputs = await a.waitFor('SpendableOutputs', (e) => e.channelId !== undefined && equalBytes(e.channelId, ours.channelId));
    expect(outputs.outputs.map((o) => o.kind)).toEqual(['static_payment']);
    // A funded the channel, so A's to_remote is its 300,000 sat less the commitment fee.
    expect(outputs.outputs[0]!.amountSat).toBeGreaterThan(300_000n - 1_000n);
    expect(outputs.outputs[0]!.amountSat).toBeLessThan(300_000n);
    const before = a.wallet.balance().spendableSat;
    a.sweepSpendableOutputs();
    await mine(1);
    expect(a.wallet.balance().spendableSat - before).toBeGreaterThan(300_000n - 1_000n);
  });
});
