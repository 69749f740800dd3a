// Our payments against LDK (tools/ldk-node: rust-lightning 0.1 in WebAssembly)
// over BOLT 8 TCP through our PeerManager, on the script-checking test chain.
import { expect } from '@jest/globals';
import * as ldk from 'lightningdevkit';
import { LdkNode, fundNode } from 'ln-ldk-node';
import { PeerManager } from 'ln-peer';
import { connect, scheduleProcessEvents } from 'ln-peer/net';
import type { ChannelMessage, ChannelMessageHandler, MessageSendEvent, PeerInit } from 'ln-peer-api';
import { DefaultRouter, ProbabilisticScorer, TypedGraph, type ChannelData } from 'ln-router';
import type { Router } from 'ln-router-api';
import { CHAIN_HASHES, equalBytes, publicKey, toHex, type ChannelId, type NodeId } from 'ln-types';
import type { ErrorMessage } from 'ln-wire';
import { type Event, userConfig, type UserConfig } from '../../src/index.js';
import type { TestChain} from '../helpers/chain.js';
import { TestWallet, attachChain } from '../helpers/chain.js';
import { TestNode } from '../helpers/node.js';
import { nativeSecp } from './helpers.js';

/** Polls until `condition` holds. */
export async function until(what: string, condition: () => boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A channel as the routers of the test see it (gossip stands in for this: the channels are private). */
export interface KnownChannel {
  readonly scid: bigint;
  readonly a: NodeId;
  readonly b: NodeId;
  readonly capacitySat: bigint;
  /** Policies of a -> b and b -> a. */
  readonly feeBaseMsat: readonly [number, number];
  readonly feePpm: readonly [number, number];
  readonly cltvDelta: readonly [number, number];
}

/** The routing view shared by our nodes in a test. */
export class TestGraph {
  readonly channels: KnownChannel[] = [];
  #router: DefaultRouter | undefined;
  scorer: ProbabilisticScorer | undefined;
  readonly router: Router = { findRoute: (...a) => this.#get().findRoute(...a) };

  add(c: KnownChannel): void {
    this.channels.push(c);
    this.#router = undefined;
  }

  #get(): DefaultRouter {
    if (this.#router !== undefined) return this.#router;
    const ids: NodeId[] = [];
    const index = (id: NodeId) => {
      let i = ids.findIndex((x) => equalBytes(x, id));
      if (i < 0) i = ids.push(id) - 1;
      return i;
    };
    const data: ChannelData[] = this.channels.map((c) => {
      const ia = index(c.a);
      const ib = index(c.b);
      const pol = (d: 0 | 1) => ({ htlcMinimumMsat: 1n, htlcMaximumMsat: c.capacitySat * 1000n, feeBaseMsat: c.feeBaseMsat[d], feeProportionalMillionths: c.feePpm[d], cltvExpiryDelta: c.cltvDelta[d], disabled: false });
      const aFirst = toHex(c.a) < toHex(c.b);
      return { shortChannelId: c.scid, node1: aFirst ? ia : ib, node2: aFirst ? ib : ia, capacitySat: c.capacitySat, policies: aFirst ? [pol(0), pol(1)] : [pol(1), pol(0)] };
    });
    const graph = new TypedGraph({ nodes: ids.map((nodeId) => ({ nodeId, features: Uint8Array.of(0x02, 0x02, 0x00) })), channels: data });
    this.scorer = new ProbabilisticScorer(graph);
    this.#router = new DefaultRouter(graph, this.scorer);
    return this.#router;
  }
}

/** Our node: a ChannelManager with the payments engine behind a PeerManager. */
export class OurPeer implements ChannelMessageHandler {
  readonly node: TestNode;
  readonly pm: PeerManager;
  readonly wallet: TestWallet;
  /** Claim claimable payments whose preimage the node knows (default true). */
  autoClaim = true;
  #unsubscribe: () => void = () => {};
  #scheduled = false;

  constructor(
    readonly chain: TestChain,
    seedByte: number,
    readonly graph: TestGraph,
    readonly config: UserConfig = userConfig({ acceptForwardsToPrivChannels: true, channelHandshakeConfig: { maxInboundHtlcValueInFlightPercentOfChannel: 100 } }),
  ) {
    const tip = chain.tip;
    this.node = new TestNode(seedByte, { chain, config, backend: nativeSecp, bestBlock: { blockHash: tip.hash, height: tip.height }, options: { payments: { router: graph.router } } });
    this.wallet = new TestWallet(seedByte + 1);
    attachChain(chain, this.node);
    this.pm = new PeerManager({
      localPublicKey: publicKey(this.node.nodeId),
      ecdh: (pk) => this.node.keys.ecdh('node', publicKey(pk)),
      handlers: { channel: this },
      chains: [CHAIN_HASHES.regtest],
      secp256k1: nativeSecp,
    });
    this.#unsubscribe = this.node.manager.subscribe(() => this.wake());
  }

  get manager() {
    return this.node.manager;
  }

  get nodeId(): NodeId {
    return this.node.nodeId;
  }

  wake(): void {
    scheduleProcessEvents(this.pm);
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      void this.node.manager.processPendingEvents((e) => this.#handle(e)).then(() => this.node.persist());
    });
  }

  #handle(e: Event): void {
    this.node.events.push(e);
    if (e.kind === 'funding_generation_ready') {
      this.node.manager.fundingTransactionGenerated(e.temporaryChannelId, e.counterpartyNodeId, this.wallet.pay(this.chain, [{ script: e.outputScript, amountSat: e.channelValueSat }]));
    } else if (e.kind === 'payment_claimable' && this.autoClaim && e.purpose.paymentPreimage !== undefined) {
      this.node.manager.claimFunds(e.purpose.paymentPreimage);
    }
  }

  events<K extends Event['kind']>(kind: K): Extract<Event, { kind: K }>[] {
    return this.node.events.filter((e): e is Extract<Event, { kind: K }> => e.kind === kind);
  }

  async connectTo(peer: LdkNode): Promise<void> {
    const listener = await peer.listen();
    await connect(this.pm, { host: '127.0.0.1', port: listener.port, theirNodeId: peer.nodeId as NodeId });
    await until('the init exchange', () => peer.isConnected(this.nodeId) && this.pm.listPeers().some((p) => equalBytes(p.nodeId, peer.nodeId)));
  }

  disconnect(peer: LdkNode): void {
    this.pm.disconnectByNodeId(peer.nodeId as NodeId);
  }

  /** Opens a channel to an LDK node and waits until it is usable on both sides; returns its real scid. */
  async openTo(peer: LdkNode, valueSat: bigint, pushMsat = 0n): Promise<{ channelId: ChannelId; scid: bigint }> {
    this.manager.createChannel(peer.nodeId as NodeId, valueSat, pushMsat, 1n, this.config);
    this.wake();
    await until('channel_pending', () => this.events('channel_pending').some((e) => equalBytes(e.counterpartyNodeId, peer.nodeId) && !this.#known.has(toHex(e.channelId))));
    const pending = this.events('channel_pending').find((e) => equalBytes(e.counterpartyNodeId, peer.nodeId) && !this.#known.has(toHex(e.channelId)))!;
    this.#known.add(toHex(pending.channelId));
    await until('the funding in the mempool', () => this.chain.inMempool(pending.fundingTxo.txid));
    this.chain.mine(1);
    const mine = () => this.manager.listChannels().find((c) => equalBytes(c.channelId, pending.channelId));
    await until('the channel usable both sides', () => mine()?.isUsable === true && peer.listChannels().some((c) => equalBytes(c.channelId, pending.channelId) && c.usable));
    return { channelId: pending.channelId, scid: mine()!.shortChannelId! };
  }

  #known = new Set<string>();

  /** Waits for the manager's work and our event loop. */
  async settle(): Promise<void> {
    await this.manager.idle();
    this.wake();
    await new Promise((r) => setTimeout(r, 20));
  }

  // ---- ChannelMessageHandler, delegating to the manager ----
  peerConnected(peer: NodeId, init: PeerInit, inbound: boolean) {
    return this.node.manager.peerConnected(peer, init, inbound);
  }
  peerDisconnected(peer: NodeId): void {
    this.node.manager.peerDisconnected(peer);
  }
  provideInitFeatures(peer: NodeId): Uint8Array {
    return this.node.manager.provideInitFeatures(peer);
  }
  provideNodeFeatures(): Uint8Array {
    return this.node.manager.provideNodeFeatures();
  }
  hasChannelsWith(peer: NodeId): boolean {
    return this.node.manager.hasChannelsWith(peer);
  }
  handleMessage(peer: NodeId, message: ChannelMessage): void {
    this.node.manager.handleMessage(peer, message);
  }
  handleError(peer: NodeId, message: ErrorMessage): void {
    this.node.manager.handleError(peer, message);
  }
  getAndClearPendingMsgEvents(): MessageSendEvent[] {
    return this.node.manager.getAndClearPendingMsgEvents();
  }

  assertHealthy(): void {
    expect(this.node.manager.internalErrors).toEqual([]);
    expect(this.node.watch.violations).toEqual([]);
    expect(this.node.broadcastErrors).toEqual([]);
  }

  stop(): void {
    this.#unsubscribe();
    this.pm.disconnectAllPeers();
  }
}

/** An LDK node on the chain, funded. */
export async function ldkNode(chain: TestChain, name: string, fundSat = 0n): Promise<LdkNode> {
  const node = await LdkNode.create({ name, chain: chain as never, log: { minLevel: 'WARN' } });
  if (fundSat > 0n) await fundNode(chain as never, node, fundSat);
  return node;
}

/** LDK's default relay policy in the harness (what its channel_update would say). */
export function ldkPolicy(node: LdkNode, channelId: Uint8Array): { feeBaseMsat: number; feePpm: number; cltvDelta: number } {
  const details = node.channelManager.list_channels().find((c) => equalBytes(c.get_channel_id().get_a(), channelId));
  const cfg = details?.get_config();
  if (cfg === undefined || cfg === null) return { feeBaseMsat: 1000, feePpm: 0, cltvDelta: 72 };
  return { feeBaseMsat: cfg.get_forwarding_fee_base_msat(), feePpm: cfg.get_forwarding_fee_proportional_millionths(), cltvDelta: cfg.get_cltv_expiry_delta() };
}

/** Tells an LDK node's router about a private channel (gossip stands in for it in these tests). */
export function teachLdk(node: LdkNode, c: KnownChannel): void {
  const g = node.networkGraph;
  const [n1, n2] = toHex(c.a) < toHex(c.b) ? [c.a, c.b] : [c.b, c.a];
  const r = g.add_channel_from_partial_announcement(c.scid, 1_700_000_000n, ldk.ChannelFeatures.constructor_empty(), n1, n2);
  if (!(r instanceof ldk.Result_NoneLightningErrorZ_OK)) throw new Error('LDK refused the channel');
  for (const d of [0, 1] as const) {
    const fromA = d === 0;
    const from = fromA ? c.a : c.b;
    const direction = toHex(from) === toHex(n1) ? 0 : 1;
    const upd = ldk.UnsignedChannelUpdate.constructor_new(
      CHAIN_HASHES.regtest.slice(),
      c.scid,
      1_700_000_001,
      1,
      direction,
      c.cltvDelta[d],
      1n,
      c.capacitySat * 1000n,
      c.feeBaseMsat[d],
      c.feePpm[d],
      new Uint8Array(0),
    );
    const u = g.update_channel_unsigned(upd);
    if (!(u instanceof ldk.Result_NoneLightningErrorZ_OK)) throw new Error('LDK refused the channel update');
  }
}

export { toHex };
