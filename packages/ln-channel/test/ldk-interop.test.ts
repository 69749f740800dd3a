// Interop with LDK 0.1 (WebAssembly, tools/ldk-node) over BOLT 8 TCP through
// our PeerManager, on the script-validating test chain: channels opened each
// way (anchors and static_remotekey), HTLCs both ways over many commitments,
// update_fee both ways, disconnections mid-dance, cooperative closes started by
// each side, force closes by each side. LDK must end each scenario without an
// error and with the balances we compute.
import { afterAll, describe, expect, test } from '@jest/globals';
import native from 'secp256k1';
import { createNativeSecp256k1Backend } from 'ln-crypto';
import { LdkNode, fundNode } from 'ln-ldk-node';
import { buildCommitment, txidOf } from 'ln-tx';
import { describeCommitment } from 'ln-signer-api';
import type { ChannelId } from 'ln-types';
import { decodeInvoice } from 'ln-invoice';
import { userConfig } from '../src/index.js';
import { channelParameters, commitmentData } from '../src/channel/commitment.js';
import { TestChain } from './helpers/chain.js';
import { OurNode, idHex, ldkErrors, until } from './interop/harness.js';

const backend = createNativeSecp256k1Backend(native);
const nodes: LdkNode[] = [];
afterAll(async () => {
  for (const n of nodes) await n.stop();
});

interface World {
  chain: TestChain;
  ldk: LdkNode;
  us: OurNode;
}

async function world(anchors: boolean, seed: number): Promise<World> {
  const chain = new TestChain();
  const ldk = await LdkNode.create({ name: `ldk${seed}`, chain: chain as never, seed: new Uint8Array(32).fill(seed), channelOptions: { anchors }, claim: 'auto', fees: { maximum_fee_estimate: 5000, urgent_on_chain_sweep: 5000 } });
  nodes.push(ldk);
  await fundNode(chain as never, ldk, 5_000_000n);
  const us = new OurNode(chain, seed + 100, userConfig({ channelHandshakeConfig: { negotiateAnchorsZeroFeeHtlcTx: anchors, minimumDepth: 1 } }), backend);
  await us.connectTo(ldk);
  return { chain, ldk, us };
}

/** LDK opens to us (it funds), we open to LDK (we fund); both confirm. */
async function openBothWays(w: World): Promise<{ fromLdk: ChannelId; fromUs: ChannelId }> {
  const { chain, ldk, us } = w;
  ldk.openChannel(us.nodeId, 1_000_000n, { pushMsat: 200_000_000n });
  await until('our ChannelPending for LDK\'s channel', () => us.events('channel_pending').length === 1, 20_000, () => ldk.log.tail(20).join('\n'));
  const fromLdk = us.events('channel_pending')[0]!.channelId;
  us.manager.createChannel(ldk.nodeId as never, 800_000n, 100_000_000n, 5n);
  await until('our ChannelPending for our channel', () => us.events('channel_pending').length === 2, 20_000, () => ldk.log.tail(20).join('\n'));
  const fromUs = us.events('channel_pending')[1]!.channelId;
  await until('both funding transactions in the mempool', () => chain.mempoolTxids().length >= 2);
  chain.mine(1);
  await until('channel_ready both ways', () => us.events('channel_ready').length === 2 && ldk.listChannels().filter((c) => c.usable).length === 2, 20_000, () => ldk.log.tail(20).join('\n'));
  return { fromLdk, fromUs };
}

/** LDK's to_self output on its latest commitment, as we compute it (our remote commitment). */
function ldkToSelfSat(w: World, channelId: ChannelId): bigint {
  const s = w.us.state(channelId);
  const params = channelParameters(s.params);
  const built = buildCommitment(describeCommitment(params, commitmentData(s.remoteCommit.spec, false, s.remoteCommit.number, s.remoteCommit.point), false));
  return built.outputs.find((o) => o.kind === 'to_local')?.amountSat ?? 0n;
}

/** Our view and LDK's of LDK's balance agree: LDK's claimable-on-close amount is its to_self output in the commitment we signed. */
async function checkBalances(w: World, ids: ChannelId[]): Promise<void> {
  const quiet = (id: ChannelId) => {
    const s = w.us.state(id);
    return s.nextRemoteCommit === undefined && s.remoteCommit.spec.htlcs.length === 0 && s.localCommit.spec.htlcs.length === 0 && s.remoteChanges.acked.length === 0;
  };
  await until('both sides to settle', () => w.ldk.listChannels().every((c) => c.pendingInboundHtlcs + c.pendingOutboundHtlcs === 0) && ids.every(quiet));
  await w.us.manager.idle();
  const ours = ids.reduce((a, id) => a + ldkToSelfSat(w, id), 0n);
  const theirs = w.ldk.claimableBalances({ includeOpen: true }).filter((b) => b.kind === 'ClaimableOnChannelClose').reduce((a, b) => a + b.amountSat, 0n);
  expect(theirs).toBe(ours);
}

async function payLdk(w: World, amountMsat: bigint, channelId?: ChannelId): Promise<void> {
  const bolt11 = w.ldk.createInvoice({ amountMsat, minFinalCltvExpiryDelta: 24 });
  const inv = decodeInvoice(bolt11);
  const paymentId = w.ldk.keysManager.as_EntropySource().get_secure_random_bytes();
  const before = w.us.events('payment_sent').length;
  w.us.manager.payDirect({ paymentId, payee: inv.payee as never, paymentHash: inv.paymentHash, paymentSecret: inv.paymentSecret!, amountMsat, minFinalCltvExpiryDelta: inv.minFinalCltvExpiryDelta ?? 18, ...(channelId !== undefined && { channelId }) });
  await until('our PaymentSent', () => w.us.events('payment_sent').length === before + 1, 20_000, () => w.ldk.log.lines.filter((l) => /fail|Fail|reject|Reject|HTLC|onion/.test(l.message)).slice(-40).map((l) => l.message.slice(0, 300)).join('\n'));
}

async function ldkPays(w: World, amountMsat: bigint): Promise<void> {
  const inv = await w.us.invoice(amountMsat);
  const before = w.us.events('payment_claimable').length;
  const sent = w.ldk.payInvoice(inv.bolt11);
  await until('PaymentClaimable at our side', () => w.us.events('payment_claimable').length === before + 1, 20_000, () => w.ldk.log.tail(30).join('\n'));
  w.us.manager.claimFunds(inv.preimage);
  const outcome = await w.ldk.paymentOutcome(sent.paymentId);
  expect(outcome.kind).toBe('PaymentSent');
}

describe('interop with LDK 0.1 over BOLT 8', () => {
  for (const anchors of [true, false]) {
    const label = anchors ? 'anchors' : 'static_remotekey';

    test(`channels each way, HTLCs both ways over many commitments, update_fee both ways (${label})`, async () => {
      const w = await world(anchors, anchors ? 1 : 2);
      const { fromLdk, fromUs } = await openBothWays(w);
      expect(w.us.manager.listChannels().map((c) => c.channelType.length)).toEqual([anchors ? 3 : 2, anchors ? 3 : 2]);
      for (let i = 0; i < 3; i++) {
        await payLdk(w, 3_000_000n + BigInt(i) * 1000n, fromLdk);
        await payLdk(w, 3_000_000n + BigInt(i) * 1000n, fromUs);
        await ldkPays(w, 2_000_000n + BigInt(i) * 777n);
      }
      // Our update_fee on the channel we opened; LDK's on its own.
      w.us.manager.updateChannelFeerate(fromUs, w.ldk.nodeId as never, 1200);
      w.ldk.fees.set(anchors ? { anchor_channel_fee: 2500 } : { non_anchor_channel_fee: 2500 });
      w.ldk.tick();
      await until('both fee updates', () => w.us.manager.listChannels().every((c) => c.feeratePerKw !== 253 && c.feeratePerKw !== (anchors ? 253 : 2000) ? true : false) || w.us.manager.listChannels().filter((c) => c.feeratePerKw === 1200 || c.feeratePerKw === 2500).length === 2, 20_000, () => w.ldk.log.tail(30).join('\n'));
      await payLdk(w, 1_500_000n);
      await ldkPays(w, 1_250_000n);
      for (const id of [fromLdk, fromUs]) expect(w.us.state(id).localCommit.number).toBeGreaterThanOrEqual(6n);
      await checkBalances(w, [fromLdk, fromUs]);
      w.us.assertHealthy();
      expect(ldkErrors(w.ldk)).toEqual([]);
      expect(w.ldk.errors).toEqual([]);
    }, 120_000);

    test(`disconnect and reestablish mid-dance, both directions (${label})`, async () => {
      const w = await world(anchors, anchors ? 3 : 4);
      const { fromLdk, fromUs } = await openBothWays(w);
      // Cut the connection right after each kind of message we receive, with our answers held back:
      // LDK must retransmit and we must retransmit exactly what the other missed.
      const cuts = [
        ['ldk_pays', 'update_add_htlc'],
        ['ldk_pays', 'commitment_signed'],
        ['ldk_pays', 'revoke_and_ack'],
        ['we_pay', 'revoke_and_ack'],
        ['we_pay', 'commitment_signed'],
        ['we_pay', 'update_fulfill_htlc'],
      ] as const;
      for (const [direction, cutAfter] of cuts) {
        {
          let cut = false;
          w.us.onMessage = (m) => {
            if (!cut && m.type === cutAfter) {
              cut = true;
              w.us.holdOutgoing = true;
              setImmediate(() => w.us.disconnect(w.ldk));
            }
          };
          const done =
            direction === 'ldk_pays'
              ? ldkPays(w, 1_111_000n)
              : payLdk(w, 2_222_000n, cutAfter === 'revoke_and_ack' ? fromLdk : fromUs);
          await until(`the cut after ${cutAfter} (${direction})`, () => cut, 20_000, () => w.ldk.log.tail(15).map((l) => l.slice(0, 200)).join('\n'));
          await until('the disconnection', () => !w.ldk.isConnected(w.us.nodeId));
          w.us.onMessage = undefined;
          w.us.holdOutgoing = false;
          await w.us.connectTo(w.ldk);
          await done;
        }
      }
      expect(w.us.manager.listChannels().every((c) => c.isUsable && c.pendingHtlcs === 0)).toBe(true);
      // The first connection and six reconnections.
      expect(w.us.connections).toBe(7);
      await checkBalances(w, [fromLdk, fromUs]);
      w.us.assertHealthy();
      expect(ldkErrors(w.ldk)).toEqual([]);
    }, 120_000);

    for (const closer of ['us', 'ldk'] as const) {
      test(`cooperative close started by ${closer === 'us' ? 'us' : 'LDK'} on both channels (${label})`, async () => {
        const w = await world(anchors, (anchors ? 5 : 6) + (closer === 'us' ? 0 : 10));
        const { fromLdk, fromUs } = await openBothWays(w);
        await payLdk(w, 4_000_000n, fromLdk);
        await ldkPays(w, 1_000_000n);
        await checkBalances(w, [fromLdk, fromUs]);
        const expected = new Map([fromLdk, fromUs].map((id) => [idHex(id), w.us.state(id).localCommit.spec.toLocalMsat / 1000n] as const));
        for (const id of [fromLdk, fromUs]) {
          if (closer === 'us') w.us.manager.closeChannel(id, w.ldk.nodeId as never);
          else w.ldk.closeChannel(id, w.us.nodeId);
        }
        await until('both channels closed on our side', () => w.us.events('channel_closed').length === 2, 20_000, () => w.ldk.log.tail(20).join('\n'));
        const reasons = w.us.events('channel_closed').map((e) => e.reason.kind);
        expect(reasons).toEqual(Array(2).fill(closer === 'us' ? 'locally_initiated_cooperative_closure' : 'counterparty_initiated_cooperative_closure'));
        await until('LDK to close both', () => w.ldk.listChannels().length === 0 && w.ldk.eventsOf('ChannelClosed').length === 2);
        // The closing transactions: accepted by the chain, our outputs are our balances (minus the fee where we opened).
        const closings = w.us.node.broadcasts.slice(-2);
        await until('the closing transactions in the mempool', () => closings.every((t) => w.chain.inMempool(txidOf(t))));
        w.chain.mine(1);
        for (const t of closings) expect(w.chain.confirmations(txidOf(t))).toBe(1);
        const ours = w.us.node.broadcasts.slice(-2).flatMap((t) => t.outputs.map((o) => o.amount));
        const bal = [...expected.values()];
        // Where LDK opened we pay no fee: our output is exactly our balance.
        expect(ours).toContain(expected.get(idHex(fromLdk))!);
        expect(bal.length).toBe(2);
        w.us.assertHealthy();
        expect(ldkErrors(w.ldk)).toEqual([]);
      }, 120_000);
    }

    for (const closer of ['us', 'ldk'] as const) {
      test(`force close by ${closer === 'us' ? 'us' : 'LDK'} (${label})`, async () => {
        const w = await world(anchors, (anchors ? 7 : 8) + (closer === 'us' ? 0 : 10));
        const { fromLdk, fromUs } = await openBothWays(w);
        await payLdk(w, 5_000_000n, fromLdk);
        await ldkPays(w, 2_000_000n);
        await checkBalances(w, [fromLdk, fromUs]);
        if (closer === 'us') {
          w.us.manager.forceCloseBroadcastingLatestTxn(fromLdk, w.ldk.nodeId as never);
          await until('our commitment broadcast', () => w.us.node.watch.broadcasts.length === 1);
          const tx = w.us.node.watch.broadcasts[0]!;
          await until('our commitment in the mempool', () => w.chain.inMempool(txidOf(tx)));
          w.chain.mine(1);
          await until('LDK sees the channel closed', () => w.ldk.eventsOf('ChannelClosed').length >= 1);
        } else {
          w.ldk.forceCloseChannel(fromLdk, w.us.nodeId);
          await until('our ChannelClosed', () => w.us.events('channel_closed').length === 1);
          expect(w.us.events('channel_closed')[0]!.reason.kind).toBe('counterparty_force_closed');
          await until('LDK\'s commitment in the mempool', () => w.chain.mempoolTxids().length >= 1);
          w.chain.mine(1);
        }
        await until('our side closed', () => w.us.events('channel_closed').length === 1);
        expect(w.us.manager.listChannels().length).toBe(1);
        w.us.assertHealthy({ allowConflictingCommitments: true });
        expect(ldkErrors(w.ldk).filter((e) => !/force-closed|Force-closing|force clos/i.test(e))).toEqual([]);
      }, 120_000);
    }
  }
});
