// A network of real ChannelManagers (the channel tests' TestNode: KeysManager,
// TestWatch, script-checking TestChain) joined by in-memory links: every
// message is encoded and decoded with ln-wire, links can be cut and restored,
// and a shared DefaultRouter sees the channels as gossip would show them.
import { expect } from '@jest/globals';
import type { Secp256k1Backend } from 'ln-crypto';
import { isChannelMessage } from 'ln-peer-api';
import { DefaultRouter, ProbabilisticScorer, TypedGraph, type ChannelData } from 'ln-router';
import type { Router } from 'ln-router-api';
import { equalBytes, toHex, type ChannelId, type NodeId } from 'ln-types';
import { decodeMessage, encodeMessage, type Message } from 'ln-wire';
import { type Event, type UserConfig, userConfig } from '../../src/index.js';
import { TestChain, TestWallet, attachChain } from '../helpers/chain.js';
import { TestNode } from '../helpers/node.js';

interface Link {
  connected: boolean;
  /** Messages in flight, per direction (key: sender index). */
  readonly queues: Map<number, Message[]>;
}

export interface MeshOptions {
  readonly backend?: Secp256k1Backend;
  readonly config?: UserConfig;
  /** Per node: true to give it the shared router (default all). */
  readonly routers?: boolean;
}

const POLICY_FEATURES = Uint8Array.of(0x02, 0x02, 0x00);

export class Mesh {
  readonly chain = new TestChain({ now: () => 1_700_000_000 });
  readonly wallet = new TestWallet(0x77);
  readonly nodes: TestNode[] = [];
  readonly links = new Map<string, Link>();
  /** Every message delivered, in order. */
  readonly log: { readonly from: number; readonly to: number; readonly message: Message }[] = [];
  graph: TypedGraph = new TypedGraph({ nodes: [], channels: [] });
  scorer: ProbabilisticScorer = new ProbabilisticScorer(this.graph);
  router: DefaultRouter = new DefaultRouter(this.graph, this.scorer);
  readonly config: UserConfig;

  constructor(
    n: number,
    readonly options: MeshOptions = {},
  ) {
    this.config = options.config ?? userConfig({ channelHandshakeConfig: { minimumDepth: 1 }, acceptForwardsToPrivChannels: true });
    const tip = this.chain.tip;
    const shared: Router = { findRoute: (...a) => this.router.findRoute(...a) };
    for (let i = 0; i < n; i++) {
      const node = new TestNode(0x41 + i, {
        chain: this.chain,
        bestBlock: { blockHash: tip.hash, height: tip.height },
        config: this.config,
        ...(options.backend !== undefined && { backend: options.backend }),
        options: { payments: options.routers === false ? {} : { router: shared, scorer: { paymentPathFailed: (...a) => this.scorer.paymentPathFailed(...a), paymentPathSuccessful: (...a) => this.scorer.paymentPathSuccessful(...a), probeFailed: (...a) => this.scorer.probeFailed(...a), probeSuccessful: (...a) => this.scorer.probeSuccessful(...a), timePassed: (t) => this.scorer.timePassed(t) } } },
      });
      attachChain(this.chain, node);
      this.nodes.push(node);
    }
  }

  #key(a: number, b: number): string {
    return a < b ? `${a}-${b}` : `${b}-${a}`;
  }

  #index(id: Uint8Array): number {
    return this.nodes.findIndex((n) => equalBytes(n.nodeId, id));
  }

  connect(a: number, b: number): void {
    const k = this.#key(a, b);
    const link = this.links.get(k) ?? { connected: false, queues: new Map([[a, []], [b, []]]) };
    this.links.set(k, link);
    if (link.connected) return;
    link.connected = true;
    const na = this.nodes[a]!;
    const nb = this.nodes[b]!;
    na.manager.peerConnected(nb.nodeId, { features: nb.manager.provideInitFeatures(na.nodeId) }, false);
    nb.manager.peerConnected(na.nodeId, { features: na.manager.provideInitFeatures(nb.nodeId) }, true);
  }

  disconnect(a: number, b: number): void {
    const link = this.links.get(this.#key(a, b));
    if (link === undefined || !link.connected) return;
    link.connected = false;
    link.queues.set(a, []);
    link.queues.set(b, []);
    this.nodes[a]!.manager.peerDisconnected(this.nodes[b]!.nodeId);
    this.nodes[b]!.manager.peerDisconnected(this.nodes[a]!.nodeId);
  }

  isConnected(a: number, b: number): boolean {
    return this.links.get(this.#key(a, b))?.connected === true;
  }

  /** Takes every manager's outgoing messages into the links. */
  pull(): void {
    this.nodes.forEach((node, i) => {
      for (const e of node.manager.getAndClearPendingMsgEvents()) {
        if (e.kind !== 'send' && e.kind !== 'disconnect') continue;
        const j = this.#index(e.nodeId);
        if (j < 0) continue;
        if (e.kind === 'disconnect') {
          this.disconnect(i, j);
          continue;
        }
        const link = this.links.get(this.#key(i, j));
        if (link === undefined || !link.connected) continue;
        link.queues.get(i)!.push(decodeMessage(encodeMessage(e.message)) as Message);
      }
    });
  }

  /** Delivers everything in flight; returns how many messages moved. */
  deliver(random?: () => number): number {
    let moved = 0;
    const pending = [...this.links.entries()].flatMap(([k, link]) => [...link.queues.entries()].filter(([, q]) => q.length > 0).map(([from]) => ({ k, link, from })));
    if (random !== undefined) pending.sort(() => random() - 0.5);
    for (const { k, link, from } of pending) {
      const [x, y] = k.split('-').map(Number) as [number, number];
      const to = from === x ? y : x;
      const q = link.queues.get(from)!;
      while (q.length > 0 && link.connected) {
        const m = q.shift()!;
        this.log.push({ from, to, message: m });
        const receiver = this.nodes[to]!.manager;
        const sender = this.nodes[from]!.nodeId;
        if (m.type === 'error') receiver.handleError(sender, m);
        else if (m.type !== 'warning' && isChannelMessage(m)) receiver.handleMessage(sender, m);
        moved++;
      }
    }
    return moved;
  }

  async idle(): Promise<void> {
    await Promise.all(this.nodes.map((n) => n.manager.idle()));
  }

  /** Moves messages until every manager is quiet. */
  async settle(maxRounds = 5000, random?: () => number): Promise<void> {
    for (let i = 0; i < maxRounds; i++) {
      await this.idle();
      this.pull();
      const moved = this.deliver(random);
      if (moved === 0 && this.nodes.every((n) => n.manager.pendingTasks === 0)) {
        await this.idle();
        this.pull();
        if (this.deliver(random) === 0) return;
      }
    }
    throw new Error('the mesh did not settle');
  }

  async drain(i: number): Promise<Event[]> {
    return this.nodes[i]!.drainEvents();
  }

  /** Opens and confirms a channel from a to b (connected first); refreshes the routing graph. */
  async open(a: number, b: number, valueSat: bigint, pushMsat = 0n): Promise<ChannelId> {
    this.connect(a, b);
    const from = this.nodes[a]!;
    const to = this.nodes[b]!;
    from.manager.createChannel(to.nodeId, valueSat, pushMsat, 7n, this.config);
    await this.settle();
    const ready = (await from.drainEvents()).filter((e): e is Extract<Event, { kind: 'funding_generation_ready' }> => e.kind === 'funding_generation_ready');
    expect(ready).toHaveLength(1);
    const ev = ready[0]!;
    from.manager.fundingTransactionGenerated(ev.temporaryChannelId, to.nodeId, this.wallet.pay(this.chain, [{ script: ev.outputScript, amountSat: valueSat }]));
    await this.settle();
    const pending = (await from.drainEvents()).find((e): e is Extract<Event, { kind: 'channel_pending' }> => e.kind === 'channel_pending');
    await to.drainEvents();
    expect(pending).toBeDefined();
    return pending!.channelId;
  }

  /** Mines blocks and lets the managers react. */
  async mine(n = 1): Promise<void> {
    this.chain.mine(n);
    await this.settle();
  }

  /** Rebuilds the router's graph from every channel the nodes have (as gossip would announce them). */
  refreshGraph(): void {
    const ids = this.nodes.map((n) => n.nodeId);
    const seen = new Set<string>();
    const channels: ChannelData[] = [];
    this.nodes.forEach((n, i) => {
      for (const c of n.manager.listChannels()) {
        const scid = c.shortChannelId;
        if (scid === undefined || seen.has(String(scid))) continue;
        seen.add(String(scid));
        const j = this.#index(c.counterpartyNodeId);
        const cap = c.channelValueSat * 1000n;
        const pol = {
          htlcMinimumMsat: 1n,
          htlcMaximumMsat: cap,
          feeBaseMsat: this.config.channelConfig.forwardingFeeBaseMsat,
          feeProportionalMillionths: this.config.channelConfig.forwardingFeeProportionalMillionths,
          cltvExpiryDelta: this.config.channelConfig.cltvExpiryDelta,
          disabled: false,
        };
        const iFirst = toHex(ids[i]!) < toHex(ids[j]!);
        channels.push({ shortChannelId: scid, node1: iFirst ? i : j, node2: iFirst ? j : i, capacitySat: c.channelValueSat, policies: [pol, pol] });
      }
    });
    this.graph = new TypedGraph({ nodes: ids.map((nodeId) => ({ nodeId, features: POLICY_FEATURES })), channels });
    this.scorer = new ProbabilisticScorer(this.graph);
    this.router = new DefaultRouter(this.graph, this.scorer);
  }

  /** Every node's total balance (msat) over its channels, HTLCs excluded. */
  balance(i: number): bigint {
    return this.nodes[i]!.manager.listChannels().reduce((s, c) => s + c.balanceMsat, 0n);
  }

  nodeId(i: number): NodeId {
    return this.nodes[i]!.nodeId;
  }
}

export function ofKind<K extends Event['kind']>(events: readonly Event[], kind: K): Extract<Event, { kind: K }>[] {
  return events.filter((e): e is Extract<Event, { kind: K }> => e.kind === kind);
}
