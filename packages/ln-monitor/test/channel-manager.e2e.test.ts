// End to end through two ChannelManagers (ln-channel), each with a ChainMonitor
// as its Watch (KVStore persistence: every update `in_progress`, then
// `update_completed`): a real channel is funded on the regtest chain, payments
// move its balance, then one node restores a stale backup of its monitor and
// broadcasts the revoked commitment it holds; the other node's monitor punishes
// it, and both ChannelManagers hear the channel closed on chain.
import { describe, expect, it } from '@jest/globals';
import { ChannelManager, type Event, userConfig } from 'ln-channel';
import { isChannelMessage } from 'ln-peer-api';
import { KeysManager } from 'ln-signer';
import { CHAIN_HASHES, MemoryKVStore, toHex } from 'ln-types';
import { type Tx, txidOf } from 'ln-tx';
import { BumpTransactionEventHandler, ChainMonitor, ChannelMonitor, KVStorePersister } from '../src/index.js';
import { TestBroadcaster, TestFees } from './support/harness.js';
import { TestWallet, backend, signP2wpkh, testKey } from './support/keys.js';
import { RegtestChain } from './support/regtest-chain.js';

interface Node {
  readonly keys: KeysManager;
  readonly store: MemoryKVStore;
  readonly chainMonitor: ChainMonitor;
  readonly manager: ChannelManager;
  readonly events: Event[];
}

function makeNode(seed: number, chain: RegtestChain, broadcaster: TestBroadcaster, fees: TestFees, manual: boolean): Node {
  const keys = new KeysManager(new Uint8Array(32).fill(seed), { backend });
  const store = new MemoryKVStore();
  const chainMonitor = new ChainMonitor({ signerProvider: keys, broadcaster, feeEstimator: fees, persister: new KVStorePersister(store), backend });
  const manager = new ChannelManager({
    chainHash: CHAIN_HASHES.regtest,
    feeEstimator: fees,
    watch: chainMonitor,
    broadcaster,
    signerProvider: keys,
    nodeSigner: keys,
    entropySource: keys,
    config: userConfig({ manuallyAcceptInboundChannels: manual }),
    bestBlock: { blockHash: chain.tip.hash, height: chain.height },
  });
  chain.listeners.push(chainMonitor, manager);
  return { keys, store, chainMonitor, manager, events: [] };
}

/** Carries messages both ways (what two PeerManagers would do) until both are quiet. */
async function pump(a: Node, b: Node): Promise<void> {
  for (let moved = 1, rounds = 0; moved > 0 && rounds < 200; rounds++) {
    moved = 0;
    await Promise.all([a.chainMonitor.flush(), b.chainMonitor.flush(), a.manager.idle(), b.manager.idle()]);
    for (const [from, to] of [
      [a, b],
      [b, a],
    ] as const) {
      for (const e of from.manager.getAndClearPendingMsgEvents()) {
        if (e.kind === 'send' && isChannelMessage(e.message)) {
          moved++;
          to.manager.handleMessage(from.manager.nodeId, e.message);
        }
      }
    }
  }
}

async function drain(n: Node, handle: (e: Event) => void = () => undefined): Promise<void> {
  await n.manager.processPendingEvents((e) => {
    n.events.push(e);
    handle(e);
  });
}

async function twoNodes() {
    const chain = new RegtestChain();
    const fees = new TestFees();
    fees.base = 253;
    const broadcaster = new TestBroadcaster(chain);
    const alice = makeNode(1, chain, broadcaster, fees, false);
    const bob = makeNode(2, chain, broadcaster, fees, false);
    const funder = testKey('e2e funder');
    alice.manager.peerConnected(bob.manager.nodeId, { features: bob.manager.provideInitFeatures(alice.manager.nodeId) }, false);
    bob.manager.peerConnected(alice.manager.nodeId, { features: alice.manager.provideInitFeatures(bob.manager.nodeId) }, true);

    const open = async (sats: bigint) => {
      alice.manager.createChannel(bob.manager.nodeId, sats, 0n, 1n);
      await pump(alice, bob);
      let funded: Tx | undefined;
      const coin = await chain.fund(funder.script, sats + 20_000n);
      await drain(alice, (e) => {
        if (e.kind !== 'funding_generation_ready') return;
        const unsigned: Tx = {
          version: 2,
          locktime: 0,
          inputs: [{ previousOutput: coin, sequence: 0xfffffffd }],
          outputs: [
            { script: e.outputScript, amount: e.channelValueSat },
            { script: funder.script, amount: 18_000n },
          ],
        };
        funded = signP2wpkh(unsigned, 0, funder, sats + 20_000n);
        alice.manager.fundingTransactionGenerated(e.temporaryChannelId, bob.manager.nodeId, funded);
      });
      await pump(alice, bob);
      await drain(bob);
      await drain(alice);
      expect(funded).toBeDefined();
      expect(broadcaster.all().some((t) => toHex(txidOf(t)) === toHex(txidOf(funded!)))).toBe(true);
      for (let i = 0; i < 6; i++) {
        await chain.mine(1);
        await pump(alice, bob);
      }
      await drain(alice);
      await drain(bob);
      return alice.manager.listChannels().find((c) => c.fundingTxo !== undefined && toHex(c.fundingTxo.txid) === toHex(txidOf(funded!)))!;
    };

    const pay = async (from: Node, to: Node, msat: bigint) => {
      const invoice = to.manager.createInboundPayment({ amountMsat: msat, expirySeconds: 3600 });
      from.manager.payDirect({ paymentId: invoice.paymentHash, payee: to.manager.nodeId, paymentHash: invoice.paymentHash, paymentSecret: invoice.paymentSecret, amountMsat: msat, minFinalCltvExpiryDelta: 24 });
      await pump(alice, bob);
      await drain(to, (e) => e.kind === 'payment_claimable' && to.manager.claimFunds(invoice.preimage!));
      await pump(alice, bob);
      await drain(from);
      await pump(alice, bob);
      return invoice;
    };

    return { chain, fees, broadcaster, alice, bob, open, pay };
}

describe('two ChannelManagers with ChainMonitors', () => {
  it('a stale backup broadcasting a revoked commitment is punished', async () => {
    const { chain, fees, broadcaster, alice, bob, open, pay } = await twoNodes();
    const channel = await open(500_000n);
    expect(channel).toBeDefined();
    expect(alice.manager.listUsableChannels().length).toBe(1);
    const monitorOf = (n: Node) => n.chainMonitor.getMonitor(channel.channelId)!;
    await pay(alice, bob, 20_000_000n);
    expect(monitorOf(alice).view().latestUpdateId).toBeGreaterThan(0n);
    expect(bob.events.some((e) => e.kind === 'payment_claimed')).toBe(true);
    // alice keeps a copy of her monitor now (a backup)...
    const backup = monitorOf(alice).serialize();
    const backupUpdateId = monitorOf(alice).latestUpdateId;
    // ...and pays more: the commitment in the backup gets revoked
    await pay(alice, bob, 45_000_000n);
    await pay(alice, bob, 1_000_000n);
    expect(monitorOf(bob).view().counterpartyCommitmentNumber).toBeGreaterThan(ChannelMonitor.read(backup, alice.chainMonitor.channelMonitorOptions).view().holderCommitmentNumber);

    // alice "restores" the stale backup in a fresh ChainMonitor and force closes from it; her
    // bump handler pays the anchor CPFP from her wallet
    const stale = new ChainMonitor({ signerProvider: alice.keys, broadcaster, feeEstimator: fees, persister: new KVStorePersister(new MemoryKVStore()), backend });
    stale.loadMonitor(ChannelMonitor.read(backup, stale.channelMonitorOptions));
    const wallet = new TestWallet(chain);
    await wallet.addCoin(100_000n);
    const bumper = new BumpTransactionEventHandler({ wallet, signerProvider: alice.keys, broadcaster });
    expect(stale.updateChannel({ channelId: channel.channelId, updateId: backupUpdateId + 1n, steps: [{ kind: 'channel_force_closed', shouldBroadcast: true }] })).toBe('in_progress');
    await stale.flush();
    await stale.processPendingEvents(async (e) => {
      if (e.kind === 'bump_transaction') await bumper.handleEvent(e.event);
    });
    const revoked = broadcaster.all().find((t) => t.inputs.length === 1 && toHex(t.inputs[0]!.previousOutput.txid) === toHex(channel.fundingTxo!.txid) && t.inputs[0]!.previousOutput.index === channel.fundingTxo!.index)!;
    expect(revoked).toBeDefined();
    expect(chain.inMempool(txidOf(revoked))).toBe(true);
    await chain.mine(1);
    await pump(alice, bob);
    await chain.mine(1);
    await pump(alice, bob);
    // bob's monitor took everything the revoked commitment paid alice
    const revokedId = toHex(txidOf(revoked));
    const justice = broadcaster.all().filter((t) => t !== revoked && t.inputs.some((i) => toHex(i.previousOutput.txid) === revokedId) && t.outputs.length === 1);
    expect(justice).toHaveLength(1);
    expect(chain.isConfirmed(txidOf(justice[0]!))).toBe(true);
    expect(toHex(justice[0]!.outputs[0]!.script)).toBe(toHex(await bob.keys.getDestinationScript(monitorOf(bob).state.channelKeysId)));
    // both managers hear the channel closed on chain
    await drain(bob);
    await drain(alice);
    expect(bob.events.some((e) => e.kind === 'channel_closed')).toBe(true);
    expect(alice.events.some((e) => e.kind === 'channel_closed')).toBe(true);
    expect(broadcaster.refused).toEqual([]);
  });

  it('a force close with an HTLC in flight: the monitor claims it back after expiry and the payment fails', async () => {
    const { chain, broadcaster, alice, bob, open, pay } = await twoNodes();
    const channel = await open(400_000n);
    await pay(alice, bob, 10_000_000n);
    // bob holds the next payment (never claims it)
    const invoice = bob.manager.createInboundPayment({ amountMsat: 30_000_000n, expirySeconds: 3600 });
    alice.manager.payDirect({ paymentId: invoice.paymentHash, payee: bob.manager.nodeId, paymentHash: invoice.paymentHash, paymentSecret: invoice.paymentSecret, amountMsat: 30_000_000n, minFinalCltvExpiryDelta: 24 });
    await pump(alice, bob);
    await drain(bob);
    expect(alice.manager.listChannels()[0]!.pendingHtlcs).toBe(1);
    const wallet = new TestWallet(chain);
    await wallet.addCoin(200_000n);
    const bumper = new BumpTransactionEventHandler({ wallet, signerProvider: alice.keys, broadcaster });
    const aliceEvents = async () => {
      await alice.chainMonitor.flush();
      await alice.chainMonitor.processPendingEvents(async (e) => {
        if (e.kind === 'bump_transaction') await bumper.handleEvent(e.event);
      });
    };
    alice.manager.forceCloseBroadcastingLatestTxn(channel.channelId, bob.manager.nodeId);
    await pump(alice, bob);
    await aliceEvents();
    const expiry = alice.chainMonitor.getMonitor(channel.channelId)!.state.holderCurrent.commitment.data.htlcs[0]!.cltvExpiry;
    while (chain.height < expiry + 8) {
      await chain.mine(1);
      await pump(alice, bob);
      await aliceEvents();
    }
    const m = alice.chainMonitor.getMonitor(channel.channelId)!;
    expect(m.state.fundingSpend?.kind).toBe('holder');
    // the HTLC output went back to alice through her (fee-bumped) HTLC-timeout transaction
    const commitmentTxid = toHex(m.state.fundingSpend!.txid);
    const secondStage = [...m.state.outputs.values()].filter((o) => o.kind === 'holder_delayed' && toHex(o.outpoint.txid) !== commitmentTxid);
    expect(secondStage).toHaveLength(1);
    expect(chain.isConfirmed(secondStage[0]!.outpoint.txid)).toBe(true);
    await drain(alice);
    expect(alice.events.some((e) => e.kind === 'channel_closed')).toBe(true);
    expect(alice.events.some((e) => e.kind === 'payment_failed' || e.kind === 'payment_path_failed')).toBe(true);
    expect(broadcaster.refused).toEqual([]);
  });

  it('a cooperative close: monitors recognise it, report no commitment, and settle', async () => {
    const { chain, broadcaster, alice, bob, open, pay } = await twoNodes();
    const channel = await open(300_000n);
    await pay(alice, bob, 5_000_000n);
    alice.manager.closeChannel(channel.channelId, bob.manager.nodeId);
    await pump(alice, bob);
    await drain(alice);
    await drain(bob);
    for (let i = 0; i < 7; i++) {
      await chain.mine(1);
      await pump(alice, bob);
    }
    for (const n of [alice, bob]) {
      const m = n.chainMonitor.getMonitor(channel.channelId)!;
      expect(m.state.fundingSpend).toMatchObject({ kind: 'cooperative', final: true });
      expect(m.view().closed).toBe(true);
      expect(m.isFullyResolved()).toBe(true);
    }
    const closing = broadcaster.all().find((t) => toHex(t.inputs[0]!.previousOutput.txid) === toHex(channel.fundingTxo!.txid))!;
    expect(chain.isConfirmed(txidOf(closing))).toBe(true);
    expect(broadcaster.refused).toEqual([]);
    // nothing on chain for ChannelManager from the monitors but their persistence
    await drain(alice);
    expect(alice.events.some((e) => e.kind === 'channel_closed')).toBe(true);
  });
});
