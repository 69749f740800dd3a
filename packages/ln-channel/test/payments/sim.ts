// A network of PaymentEngines joined by simulated channels: HTLCs move between
// engines without the commitment dance (balances, HTLC ids and sources kept
// as a channel would), in an order the test controls. It tests the payment
// logic alone: routing, onions, forwarding, failures, retries, MPP, probes.
import { sha256 } from 'ln-crypto';
import type { ShortChannelId } from 'ln-types';
import { equalBytes, nodeId, shortChannelIdFromParts, toHex, type ChannelId, type NodeId } from 'ln-types';
import { DefaultRouter, ProbabilisticScorer, TypedGraph, type ChannelData } from 'ln-router';
import { KeysManager } from 'ln-signer';
import type { Router, ScoreUpdate } from 'ln-router-api';
import { PaymentEngine, type ForwardingPolicy, type HtlcAdd, type PaymentChannel, type PaymentEvent, type PaymentHost } from '../../src/payments/index.js';
import { nativeSecp } from './helpers.js';

export interface SimHtlc {
  readonly id: bigint;
  readonly from: number;
  readonly amountMsat: bigint;
  readonly paymentHash: Uint8Array;
  readonly source: Uint8Array;
}

export class SimChannel {
  readonly balance: [bigint, bigint];
  readonly htlcs = new Map<string, SimHtlc>();
  readonly nextId: [bigint, bigint] = [0n, 0n];
  usable = true;
  constructor(
    readonly channelId: ChannelId,
    readonly scid: ShortChannelId,
    readonly ends: [number, number],
    balances: [bigint, bigint],
    readonly policies: [ForwardingPolicy, ForwardingPolicy],
    readonly isPublic: boolean,
  ) {
    this.balance = balances;
  }
  side(node: number): 0 | 1 {
    return this.ends[0] === node ? 0 : 1;
  }
  inFlightMsat(): bigint {
    let s = 0n;
    for (const h of this.htlcs.values()) s += h.amountMsat;
    return s;
  }
}

export const DEFAULT_POLICY: ForwardingPolicy = { feeBaseMsat: 1000, feeProportionalMillionths: 100, cltvExpiryDelta: 48, htlcMinimumMsat: 1n };

export interface SimOptions {
  /** Deliver tasks in a random order (seeded). */
  readonly shuffle?: () => number;
  /** Claim every claimable payment automatically (with the node-known preimage, or the registered one). */
  readonly autoClaim?: boolean;
}

export class SimNode {
  readonly keys: KeysManager;
  readonly nodeId: NodeId;
  engine!: PaymentEngine;
  readonly events: PaymentEvent[] = [];
  readonly preimages = new Map<string, Uint8Array>();
  routerOverride: Router | undefined;
  constructor(
    readonly index: number,
    readonly net: SimNetwork,
  ) {
    const seed = new Uint8Array(32).fill(index + 1);
    this.keys = new KeysManager(seed, { backend: nativeSecp });
    this.nodeId = this.keys.getNodeId();
  }
}

export class SimNetwork {
  readonly nodes: SimNode[] = [];
  readonly channels: SimChannel[] = [];
  readonly tasks: (() => Promise<void> | void)[] = [];
  height = 800_000;
  timestamp = 1_700_000_000;
  scorer: ProbabilisticScorer | undefined;
  graph: TypedGraph | undefined;

  constructor(
    n: number,
    readonly options: SimOptions = {},
  ) {
    for (let i = 0; i < n; i++) this.nodes.push(new SimNode(i, this));
  }

  /** Opens a channel; `announce` puts it in the routers' graph. */
  open(a: number, b: number, balanceA: bigint, balanceB: bigint, policyA: ForwardingPolicy = DEFAULT_POLICY, policyB: ForwardingPolicy = DEFAULT_POLICY, isPublic = true): SimChannel {
    const k = this.channels.length + 1;
    const channelId = new Uint8Array(32).fill(k) as ChannelId;
    const ch = new SimChannel(channelId, shortChannelIdFromParts(700_000 + k, k, 0), [a, b], [balanceA, balanceB], [policyA, policyB], isPublic);
    this.channels.push(ch);
    return ch;
  }

  /** Builds the graph, routers and engines (call after opening the channels). */
  start(engineOptions: { acceptInterceptHtlcs?: boolean; scorer?: ScoreUpdate } = {}): void {
    const ids = this.nodes.map((n) => n.nodeId);
    const data: ChannelData[] = this.channels
      .filter((c) => c.isPublic)
      .map((c) => {
        const [a, b] = c.ends;
        const aFirst = toHex(ids[a]!) < toHex(ids[b]!);
        const pol = (p: ForwardingPolicy, cap: bigint) => ({
          htlcMinimumMsat: p.htlcMinimumMsat,
          htlcMaximumMsat: cap,
          feeBaseMsat: p.feeBaseMsat,
          feeProportionalMillionths: p.feeProportionalMillionths,
          cltvExpiryDelta: p.cltvExpiryDelta,
          disabled: false,
        });
        const cap = c.balance[0] + c.balance[1];
        const pa = pol(c.policies[0], cap);
        const pb = pol(c.policies[1], cap);
        return { shortChannelId: c.scid, node1: aFirst ? a : b, node2: aFirst ? b : a, capacitySat: cap / 1000n, policies: aFirst ? [pa, pb] : [pb, pa] } as ChannelData;
      });
    this.graph = new TypedGraph({ nodes: ids.map((nodeId) => ({ nodeId, features: Uint8Array.of(0x02, 0x02, 0x00) })), channels: data });
    this.scorer = new ProbabilisticScorer(this.graph);
    const router = new DefaultRouter(this.graph, this.scorer);
    for (const node of this.nodes) {
      const routerFor: Router = { findRoute: (...args) => (node.routerOverride ?? router).findRoute(...args) };
      node.engine = new PaymentEngine({
        nodeSigner: node.keys,
        entropy: node.keys,
        router: routerFor,
        host: this.host(node),
        currency: 'bcrt',
        scorer: this.scorer,
        secp256k1: nativeSecp,
        acceptForwardsToPrivateChannels: true,
        ...engineOptions,
      });
      void node.engine.bestBlockUpdated(this.height, this.timestamp);
    }
  }

  channelsOf(node: number): SimChannel[] {
    return this.channels.filter((c) => c.ends.includes(node));
  }

  host(node: SimNode): PaymentHost {
    return hostOf(this, node);
  }

  /** Runs queued deliveries (in random order when shuffling) until nothing is left. */
  async run(maxSteps = 100_000): Promise<number> {
    let steps = 0;
    for (;;) {
      while (this.tasks.length > 0) {
        if (steps++ > maxSteps) throw new Error('the network does not settle');
        const i = this.options.shuffle === undefined ? 0 : Math.floor(this.options.shuffle() * this.tasks.length);
        const [task] = this.tasks.splice(i, 1);
        await task!();
      }
      await Promise.all(this.nodes.map((n) => n.engine.idle()));
      if (this.tasks.length === 0) return steps;
    }
  }

  async tick(): Promise<void> {
    for (const n of this.nodes) await n.engine.timerTickOccurred();
    await this.run();
  }

  async mine(blocks: number): Promise<void> {
    this.height += blocks;
    this.timestamp += 600 * blocks;
    for (const n of this.nodes) await n.engine.bestBlockUpdated(this.height, this.timestamp);
    await this.run();
  }

  /** Sum of every balance and HTLC in flight (must never change). */
  totalMsat(): bigint {
    return this.channels.reduce((s, c) => s + c.balance[0] + c.balance[1] + c.inFlightMsat(), 0n);
  }

  /** A node's balance over all its channels. */
  balanceOf(node: number): bigint {
    return this.channelsOf(node).reduce((s, c) => s + c.balance[c.side(node)]!, 0n);
  }

  eventsOf(node: number, kind: PaymentEvent['kind']): PaymentEvent[] {
    return this.nodes[node]!.events.filter((e) => e.kind === kind);
  }
}

function hostOf(net: SimNetwork, node: SimNode): PaymentHost {
  return {
      channels(): PaymentChannel[] {
        return net.channelsOf(node.index).map((c) => {
          const s = c.side(node.index);
          const other = net.nodes[c.ends[1 - s]!]!;
          const cp = c.policies[1 - s]!;
          return {
            channelId: c.channelId,
            counterpartyNodeId: other.nodeId,
            shortChannelId: c.scid,
            isPublic: c.isPublic,
            isUsable: c.usable,
            nextOutboundHtlcLimitMsat: c.balance[s]!,
            nextOutboundHtlcMinimumMsat: 1n,
            inboundCapacityMsat: c.balance[1 - s]!,
            forwardingPolicy: c.policies[s]!,
            counterpartyForwarding: { feeBaseMsat: cp.feeBaseMsat, feeProportionalMillionths: cp.feeProportionalMillionths, cltvExpiryDelta: cp.cltvExpiryDelta },
            counterpartyFeatures: Uint8Array.of(0x02, 0x02, 0x00),
            channelFeatures: new Uint8Array(0),
          };
        });
      },
      addHtlc(channelId, add: HtlcAdd) {
        const c = net.channels.find((x) => equalBytes(x.channelId, channelId));
        if (c === undefined) return { ok: false, error: 'unknown channel' };
        const s = c.side(node.index);
        if (!c.usable) return { ok: false, error: 'channel not usable' };
        if (c.balance[s]! < add.amountMsat) return { ok: false, error: 'not enough balance' };
        c.balance[s]! -= add.amountMsat;
        const id = c.nextId[s]!;
        c.nextId[s] = id + 1n;
        c.htlcs.set(`${s}:${id}`, { id, from: node.index, amountMsat: add.amountMsat, paymentHash: add.paymentHash, source: add.source });
        const to = net.nodes[c.ends[1 - s]!]!;
        net.tasks.push(() =>
          to.engine.htlcLockedIn({
            channelId,
            counterpartyNodeId: node.nodeId,
            shortChannelId: c.scid,
            htlcId: id,
            amountMsat: add.amountMsat,
            paymentHash: add.paymentHash,
            cltvExpiry: add.cltvExpiry,
            onion: add.onion,
            ...(add.pathKey !== undefined && { pathKey: add.pathKey }),
          }),
        );
        return { ok: true };
      },
      claimHtlc(channelId, htlcId, preimage, attributionData) {
        const c = net.channels.find((x) => equalBytes(x.channelId, channelId))!;
        const s = c.side(node.index);
        const key = `${1 - s}:${htlcId}`;
        const h = c.htlcs.get(key);
        if (h === undefined) return; // already settled (a replay)
        if (!equalBytes(sha256(preimage), h.paymentHash)) throw new Error('claim with a wrong preimage');
        c.htlcs.delete(key);
        c.balance[s]! += h.amountMsat;
        const from = net.nodes[h.from]!;
        net.tasks.push(() => from.engine.outboundFulfilled(h.source, preimage, { channelId, counterpartyNodeId: node.nodeId }, attributionData));
      },
      failHtlc(channelId, htlcId, failure) {
        const c = net.channels.find((x) => equalBytes(x.channelId, channelId))!;
        const s = c.side(node.index);
        const key = `${1 - s}:${htlcId}`;
        const h = c.htlcs.get(key);
        if (h === undefined) return;
        c.htlcs.delete(key);
        c.balance[1 - s]! += h.amountMsat;
        const from = net.nodes[h.from]!;
        net.tasks.push(() => from.engine.outboundFailed(h.source, failure.kind === 'fail' ? { kind: 'fail', reason: failure.reason, ...(failure.attributionData && { attributionData: failure.attributionData }) } : failure, { channelId, counterpartyNodeId: node.nodeId }));
      },
      emit(event) {
        node.events.push(event);
        if (event.kind === 'payment_claimable' && net.options.autoClaim !== false) {
          const preimage = event.purpose.paymentPreimage ?? node.preimages.get(toHex(event.paymentHash));
          if (preimage !== undefined) net.tasks.push(() => node.engine.claimFunds(preimage));
        }
      },
    };
}

export const nodeIdOf = (net: SimNetwork, i: number): NodeId => nodeId(net.nodes[i]!.nodeId);
