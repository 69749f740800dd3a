// LDK's side of persistence: with monitor updates reported InProgress, LDK
// holds every message that depends on them until the test completes them; a
// crash that loses an in-progress update is replayed from the ChannelManager on
// restart; blocks disconnected by a reorganization reach LDK.
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { equalBytes } from 'ln-types';
import { LdkNode, RegtestChain, fundNode } from '../src/index.js';

const chain = RegtestChain.create();
let a: LdkNode;
let b: LdkNode;

beforeAll(async () => {
  a = await LdkNode.create({ name: 'A', chain });
  b = await LdkNode.create({ name: 'B', chain, persist: 'async' });
  await fundNode(chain, a, 2_000_000n);
  await a.connectInProcess(b);
});

afterAll(async () => {
  await a?.stop();
  await b?.stop();
  chain.close();
});

const settle = () => new Promise((r) => setTimeout(r, 150));

test('async persistence: the channel and a payment move only as B completes its monitor updates', async () => {
  const { userChannelId } = a.openChannel(b.nodeId, 800_000n);
  await b.waitUntil(() => b.pendingMonitorUpdates().length > 0, 10_000, 'B to persist the new monitor');
  expect(b.completeMonitorUpdates()).toBe(1);
  const pending = await a.waitFor('ChannelPending', (e) => e.userChannelId === userChannelId);
  await a.waitUntil(() => chain.inMempool(pending.fundingTxo.txid), 10_000, 'the funding in the mempool');
  chain.mine(1);
  await b.waitUntil(() => {
    b.completeMonitorUpdates();
    return b.listChannels()[0]?.usable === true && a.listChannels()[0]?.usable === true;
  }, 10_000, 'the channel usable');

  const p = a.payInvoice(b.createInvoice({ amountMsat: 4_000_000n }));
  await b.waitUntil(() => b.pendingMonitorUpdates().length > 0, 10_000, 'B to persist the HTLC');
  await settle();
  // B has not revoked its old commitment: A still waits, and B has nothing claimable.
  expect(b.eventsOf('PaymentClaimable')).toEqual([]);
  expect(a.eventsOf('PaymentSent')).toEqual([]);
  expect(a.listChannels()[0]!.pendingOutboundHtlcs).toBe(1);
  // One update at a time: the payment completes only when every update is done.
  await b.waitUntil(() => {
    b.completeMonitorUpdates(1);
    return a.eventsOf('PaymentSent').some((e) => equalBytes(e.paymentHash, p.paymentHash));
  }, 15_000, 'the payment to complete');
  await b.waitUntil(() => {
    b.completeMonitorUpdates();
    return b.eventsOf('PaymentClaimed').some((e) => equalBytes(e.paymentHash, p.paymentHash));
  }, 10_000, 'B to see the claim through');
});

test('a crash that loses an in-progress update: LDK replays it from the ChannelManager on restart', async () => {
  const p = a.payInvoice(b.createInvoice({ amountMsat: 1_500_000n }));
  await b.waitUntil(() => b.pendingMonitorUpdates().length > 0, 10_000, 'an update in progress');
  await settle();
  await b.restart({ crash: true });
  await a.waitUntil(() => a.peers().length === 0, 10_000, 'A to see B gone');
  await a.connectInProcess(b);
  await b.waitUntil(() => {
    b.completeMonitorUpdates();
    return a.eventsOf('PaymentSent').some((e) => equalBytes(e.paymentHash, p.paymentHash));
  }, 20_000, 'the payment to complete after the restart');
  await b.waitFor('PaymentClaimed', (e) => equalBytes(e.paymentHash, p.paymentHash));
  expect([a.errors, b.errors]).toEqual([[], []]);
});

test('a reorganization: both nodes disconnect the stale blocks and follow the new branch', async () => {
  // Keep the funding out of the reorganized blocks: LDK force-closes a channel whose funding it sees unconfirmed.
  chain.mine(3);
  const before = chain.height;
  chain.reorg(2, { blocks: 3 });
  expect(chain.height).toBe(before + 1);
  await a.waitUntil(() => equalBytes(a.bestBlock.hash, chain.tip.hash) && equalBytes(b.bestBlock.hash, chain.tip.hash), 10_000, 'the new tip');
  // LDK itself is on the new branch (connecting a block that does not build on its best block would be refused).
  const ldkTip = a.channelManager.current_best_block();
  expect(ldkTip.get_height()).toBe(chain.height);
  expect(equalBytes(ldkTip.get_block_hash(), chain.tip.hash)).toBe(true);
  await a.waitUntil(() => a.listChannels()[0]?.usable === true, 10_000, 'the channel usable after the reorg');
  const p = a.keysend(b.nodeId, 1_000_000n);
  await b.waitUntil(() => {
    b.completeMonitorUpdates();
    return a.eventsOf('PaymentSent').some((e) => equalBytes(e.paymentHash, p.paymentHash));
  }, 15_000, 'a payment after the reorg');
});

test('a snapshot restores into a new node object after a reorganization it missed, and pays', async () => {
  b.completeMonitorUpdates();
  const state = a.snapshot();
  await a.stop();
  await b.waitUntil(() => b.peers().length === 0, 10_000, 'B to see A gone');
  // While A is down the block its ChannelManager was saved at is replaced: the restore unwinds it first.
  const staleTip = chain.tip.hash;
  chain.reorg(1, { blocks: 2 });
  expect(await chain.getBlockByHash(staleTip)).toBeDefined();
  const again = await LdkNode.restore(state, { name: 'A2', chain });
  expect(equalBytes(again.channelManager.current_best_block().get_block_hash(), chain.tip.hash)).toBe(true);
  expect(equalBytes(again.nodeId, a.nodeId)).toBe(true);
  a = again;
  await a.connectInProcess(b);
  await a.waitUntil(() => a.listChannels()[0]?.usable === true, 10_000, 'the channel usable again');
  const p = a.payInvoice(b.createInvoice({ amountMsat: 500_000n }));
  await b.waitUntil(() => {
    b.completeMonitorUpdates();
    return a.eventsOf('PaymentSent').some((e) => equalBytes(e.paymentHash, p.paymentHash));
  }, 15_000, 'a payment from the restored node');
});
