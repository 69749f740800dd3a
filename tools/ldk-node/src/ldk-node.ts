import type * as net from 'node:net';
import * as ldk from 'lightningdevkit';
import { randomBytes } from 'ln-crypto';
import { type Block, type BlockHeader, decodeBlock, encodeBlock, encodeBlockHeader } from 'ln-tx';
import { type Txid, CHAIN_HASHES, blockHash, equalBytes, toHex } from 'ln-types';
import { Broadcaster } from './broadcaster.js';
import type { ChainBackend, ChainTipInfo } from './chain-backend.js';
import { type ChannelInfo, type ClaimableBalance, channelInfo, claimableBalance } from './channel-info.js';
import { type ChannelOptions, userConfig } from './config.js';
import type { ConnectionHost } from './connection.js';
import { type Core, type CoreDeps, type CoreState, buildCore } from './core.js';
import { LdkNodeError } from './errors.js';
import { EventLog, type LoggedEvent } from './event-log.js';
import { EventLoop } from './event-loop.js';
import { EventReactions, type InboundPolicy } from './event-reactions.js';
import type { LdkEventKind, LdkEventOf, SpendableOutputInfo } from './events.js';
import { type GraphChannel, graphChannel, graphChannels, knowsNodeAnnouncement } from './graph-view.js';
import { type FeeTarget, SettableFees } from './fees.js';
import { LdkLog, type LdkLogOptions } from './log.js';
import { type Listener, connectTcp, listenTcp } from './net.js';
import { type InvoiceOptions, type PayOptions, type SentPayment, createInvoice, keysend, payInvoice, probe } from './payments.js';
import { type PendingMonitorUpdate, MonitorPersister, type PersistMode } from './persister.js';
import { type Pipe, connectPipe } from './pipe.js';
import { expectOk } from './result.js';
import { initLdk } from './wasm.js';
import { LdkWallet, type WalletState } from './wallet.js';

/** Options of {@link LdkNode.create}. */
export interface LdkNodeOptions {
  /** Shown in timeouts and echoed logs. */
  readonly name?: string;
  /** 32 bytes: the node key and every channel key derive from it (default: random). */
  readonly seed?: Uint8Array;
  /**
   * The chain to follow: blocks arrive by subscription, broadcasts go to it.
   * Without one the node starts at the regtest genesis block and is fed with
   * {@link LdkNode.connectBlock} / {@link LdkNode.disconnectBlock}.
   */
  readonly chain?: ChainBackend;
  /** False: a peer-only node (BOLT 8, init, ping; channel messages refused by LDK's ErroringMessageHandler). Default true. */
  readonly channels?: boolean;
  readonly channelOptions?: ChannelOptions;
  /** Monitor persistence: `sync` (default) or `async` (InProgress until {@link LdkNode.completeMonitorUpdates}). */
  readonly persist?: PersistMode;
  /** Default `accept`. `manual`: the test calls {@link LdkNode.acceptChannel} / {@link LdkNode.rejectChannel}. */
  readonly inbound?: InboundPolicy;
  /** Peers whose inbound channels are accepted as zero-conf (trusted), or `all`. */
  readonly zeroConfPeers?: 'all' | readonly Uint8Array[];
  /** `auto` (default): claim every payment whose preimage LDK knows. `hold`: the test claims or fails. */
  readonly claim?: 'auto' | 'hold';
  /** Initial fee rates, sat per 1000 weight (default 253 for every target). */
  readonly fees?: number | Partial<Record<FeeTarget, number>>;
  /** Sweep SpendableOutputs to the wallet as they come (default false: recorded only). */
  readonly sweep?: boolean;
  /** Write the ChannelManager whenever LDK says it changed (default true; benchmarks turn it off). */
  readonly persistManager?: boolean;
  /** Delay before processing forwardable HTLCs (default 0). */
  readonly forwardDelayMs?: number;
  /** Call the timer ticks on this interval (default: never; tests call {@link LdkNode.tick}). */
  readonly tickIntervalMs?: number;
  readonly log?: LdkLogOptions;
  /** Milliseconds since the epoch (default Date.now). */
  readonly nowMs?: () => number;
}

/** A node's whole state as bytes and plain data: what {@link LdkNode.restore} rebuilds it from. */
export interface LdkNodeState {
  readonly seed: Uint8Array;
  readonly manager: Uint8Array;
  /** Monitors by storage name (`<funding txid>_<index>`). */
  readonly monitors: ReadonlyMap<string, Uint8Array>;
  readonly graph: Uint8Array;
  readonly scorer: Uint8Array;
  readonly wallet: WalletState;
}

/** A payment's end: PaymentSent or PaymentFailed. */
export type PaymentOutcome = LdkEventOf<'PaymentSent'> | LdkEventOf<'PaymentFailed'>;

/** What a pending inbound channel request holds (manual policy). */
type OpenRequest = LdkEventOf<'OpenChannelRequest'>;

const NETWORK = ldk.Network.LDKNetwork_Regtest;

/**
 * An LDK node (rust-lightning 0.1 in WebAssembly) driven like a test peer:
 * keys from a seed, a ChannelManager negotiating anchors (manual inbound
 * acceptance, optionally zero-conf), a ChainMonitor with a sync or async
 * persister, gossip, router and scorer, a small P2WPKH wallet for funding and
 * anchor fee bumps, BOLT 8 over TCP or an in-process pipe, and an event loop
 * that answers LDK's events and logs them for tests to wait on.
 *
 * Nothing runs on its own except what LDK's sockets and futures trigger: blocks
 * come from the chain backend (or `connectBlock`), time from `tick()`.
 */
export class LdkNode implements ConnectionHost {
  readonly name: string;
  readonly nodeId: Uint8Array;
  readonly log: LdkLog;
  readonly events: EventLog;
  readonly fees: SettableFees;
  readonly broadcaster: Broadcaster;
  readonly persister: MonitorPersister;
  /** Harness-level failures (a funding the wallet could not pay, a sweep that failed), newest last. */
  readonly errors: string[] = [];

  private core: Core;
  /** What LDK's objects are built on (kept for restarts). */
  private readonly deps: CoreDeps;
  private readonly options: LdkNodeOptions;
  private readonly nowMs: () => number;
  private readonly walletImpl: LdkWallet;
  private chain: ChainBackend | undefined;
  private unsubscribe: (() => void) | undefined;
  private tip: ChainTipInfo;
  /** Headers of recent blocks by height, to disconnect them in a reorg. */
  private readonly recentHeaders = new Map<number, Uint8Array>();
  private readonly sockets = new Set<net.Socket>();
  private readonly listeners: Listener[] = [];
  private readonly pipes = new Set<Pipe>();
  private stopped = false;
  private readonly loop: EventLoop;
  private safetyTimer: ReturnType<typeof setInterval> | undefined;
  private tickTimer: ReturnType<typeof setInterval> | undefined;
  private readonly reactions: EventReactions;

  private constructor(options: LdkNodeOptions, core: Core, tip: ChainTipInfo, parts: { log: LdkLog; fees: SettableFees; broadcaster: Broadcaster; persister: MonitorPersister; wallet: LdkWallet; deps: CoreDeps }) {
    this.options = options;
    this.deps = parts.deps;
    this.core = core;
    this.tip = tip;
    this.name = options.name ?? 'ldk';
    this.nowMs = options.nowMs ?? (() => Date.now());
    this.log = parts.log;
    this.fees = parts.fees;
    this.broadcaster = parts.broadcaster;
    this.persister = parts.persister;
    this.walletImpl = parts.wallet;
    this.events = new EventLog(() => this.describe(), this.nowMs);
    this.reactions = new EventReactions(
      {
        core: () => this.core,
        wallet: parts.wallet,
        fees: parts.fees,
        broadcaster: parts.broadcaster,
        nowMs: this.nowMs,
        tipHeight: () => this.tip.height,
        schedule: () => this.schedule(),
        isStopped: () => this.stopped,
      },
      {
        inbound: options.inbound ?? 'accept',
        zeroConf: options.zeroConfPeers === 'all' ? 'all' : new Set((options.zeroConfPeers ?? []).map(toHex)),
        claim: options.claim ?? 'auto',
        sweep: options.sweep === true,
        forwardDelayMs: options.forwardDelayMs ?? 0,
      },
    );
    this.loop = new EventLoop({ core: () => this.core, reactions: this.reactions, events: this.events, errors: this.errors, persistManager: options.persistManager ?? true });
    const id = expectOk(core.keys.as_NodeSigner().get_node_id(ldk.Recipient.LDKRecipient_Node), ldk.Result_PublicKeyNoneZ_OK, 'node id');
    this.nodeId = id.res.slice();
  }

  /** Creates a node on the chain's current tip (the WebAssembly module is loaded on first use). */
  static async create(options: LdkNodeOptions = {}): Promise<LdkNode> {
    await initLdk();
    const seed = options.seed ?? randomBytes(32);
    return LdkNode.assemble(options, seed, new LdkWallet(seed), undefined);
  }

  /** Rebuilds a node from {@link LdkNode.snapshot} (another process, say), then syncs it to the chain. */
  static async restore(state: LdkNodeState, options: Omit<LdkNodeOptions, 'seed'> = {}): Promise<LdkNode> {
    await initLdk();
    const wallet = LdkWallet.fromState(state.seed, state.wallet);
    return LdkNode.assemble({ ...options, seed: state.seed }, state.seed, wallet, { manager: state.manager, monitors: state.monitors, graph: state.graph, scorer: state.scorer });
  }

  private static async assemble(options: LdkNodeOptions, seed: Uint8Array, wallet: LdkWallet, state: CoreState | undefined): Promise<LdkNode> {
    if (seed.length !== 32) throw new LdkNodeError('invalid_argument', 'the seed must be 32 bytes');
    const echo = process.env.LDK_NODE_LOG === '1' ? (options.name ?? 'ldk') : undefined;
    const log = new LdkLog({ ...(echo === undefined ? {} : { echo }), ...options.log });
    const fees = new SettableFees(options.fees);
    const broadcaster = new Broadcaster();
    const persister = new MonitorPersister(options.persist ?? 'sync');
    if (state !== undefined) for (const [name, bytes] of state.monitors) persister.durable.set(name, bytes);
    const config = userConfig(options.channelOptions);
    const chain = options.chain;
    const tip = chain === undefined ? genesisTip() : await chain.getTip();
    const nowMs = options.nowMs ?? (() => Date.now());
    const deps = {
      seed,
      network: NETWORK,
      logger: log.logger,
      fees: fees.estimator,
      broadcaster: broadcaster.interface,
      persist: persister.persist,
      walletSource: wallet.source,
      config,
      nowSecs: Math.floor(nowMs() / 1000),
      channels: options.channels ?? true,
    };
    if (state !== undefined && chain === undefined) throw new LdkNodeError('invalid_argument', 'restoring needs the chain to sync from');
    const core = await buildCore(deps, chain ?? noChain(), tip, state);
    persister.attach(core.chainMonitor);
    const node = new LdkNode(options, core, tip, { log, fees, broadcaster, persister, wallet, deps });
    if (chain !== undefined) node.follow(chain);
    if (options.tickIntervalMs !== undefined) node.tickTimer = setInterval(() => node.tick(), options.tickIntervalMs);
    node.safetyTimer = setInterval(() => {
      if (node.events.waiting > 0) node.schedule();
    }, 25);
    node.safetyTimer.unref();
    node.tickTimer?.unref();
    node.loop.armFutures();
    node.schedule();
    return node;
  }

  // ---- LDK objects (for tests that need more than this API) ----

  get peerManager(): ldk.PeerManager {
    return this.core.peerManager;
  }

  /** LDK's ChannelManager. @throws LdkNodeError for a peer-only node */
  get channelManager(): ldk.ChannelManager {
    const cm = this.core.channelManager;
    if (cm === undefined) throw new LdkNodeError('invalid_argument', `${this.name} is a peer-only node (channels: false)`);
    return cm;
  }

  get chainMonitor(): ldk.ChainMonitor {
    return this.core.chainMonitor;
  }

  get networkGraph(): ldk.NetworkGraph {
    return this.core.graph;
  }

  /** Short channel ids in the node's network graph (read under LDK's lock, which is freed). */
  graphChannels(): bigint[] {
    return graphChannels(this.core.graph);
  }

  /** A channel of the node's graph: its nodes and which directions have a channel_update. */
  graphChannel(shortChannelId: bigint): GraphChannel | undefined {
    return graphChannel(this.core.graph, shortChannelId);
  }

  /** True when the graph has `nodeId`'s node_announcement. */
  knowsNodeAnnouncement(nodeId: Uint8Array): boolean {
    return knowsNodeAnnouncement(this.core.graph, nodeId);
  }

  /**
   * Signs and gossips a node_announcement (alias up to 32 bytes, optional
   * TCP addresses). LDK sends it only once the node has an announced channel;
   * it never announces itself on its own.
   */
  broadcastNodeAnnouncement(alias = this.name, addresses: { host: string; port: number }[] = []): void {
    const aliasBytes = new Uint8Array(32);
    aliasBytes.set(new TextEncoder().encode(alias).subarray(0, 32));
    const socketAddresses = addresses.map((a) => ldk.SocketAddress.constructor_tcp_ip_v4(Uint8Array.from(a.host.split('.').map(Number)), a.port));
    this.core.peerManager.broadcast_node_announcement(new Uint8Array(3), aliasBytes, socketAddresses);
    this.schedule();
  }

  get keysManager(): ldk.KeysManager {
    return this.core.keys;
  }

  get wallet(): LdkWallet {
    return this.walletImpl;
  }

  /** The best block the node has processed. */
  get bestBlock(): ChainTipInfo {
    return this.tip;
  }

  // ---- chain ----

  /** Follows a chain backend (blocks by subscription, broadcasts to it). */
  private follow(chain: ChainBackend): void {
    this.chain = chain;
    const removeSink = this.broadcaster.addSink((txs) => chain.broadcast(txs));
    const unsubscribe = chain.subscribe({
      blockConnected: (b) => this.connectBlock(b.raw, b.height, b.block),
      blockDisconnected: (b) => this.disconnectBlock(b.raw.subarray(0, 80), b.height),
    });
    this.unsubscribe = () => {
      removeSink();
      unsubscribe();
    };
  }

  /**
   * Feeds a block (raw bytes as bitcoind serializes it) at `height`, which must
   * be the next one: ChainMonitor first, then ChannelManager, then the wallet.
   */
  connectBlock(raw: Uint8Array, height: number, decoded?: Block): void {
    this.assertRunning();
    if (height <= this.tip.height) {
      const known = this.recentHeaders.get(height);
      if (known !== undefined && equalBytes(known, raw.subarray(0, 80))) return;
    }
    if (height !== this.tip.height + 1) throw new LdkNodeError('chain', `${this.name}: block at height ${height} does not follow the best block ${this.tip.height}`);
    const block = decoded ?? decodeBlock(raw);
    if (!equalBytes(block.header.prevBlockHash, this.tip.hash)) throw new LdkNodeError('chain', `${this.name}: block ${height} does not build on the best block`);
    this.core.chainMonitor.as_Listen().block_connected(raw, height);
    this.core.channelManager?.as_Listen().block_connected(raw, height);
    this.walletImpl.blockConnected(block, height);
    this.tip = { hash: block.hash, height, time: block.header.time };
    this.recentHeaders.set(height, raw.slice(0, 80));
    this.recentHeaders.delete(height - 200);
    this.schedule();
  }

  /** Feeds a decoded block (ln-chain-api's Listen shape). */
  blockConnected(block: Block, height: number): void {
    this.connectBlock(encodeBlock(block.header, block.transactions.map((t) => t.raw)), height, block);
  }

  /** Disconnects the tip (a reorg): `header` is its 80 bytes, `height` its height. */
  disconnectBlock(header: Uint8Array, height: number): void {
    this.assertRunning();
    if (height !== this.tip.height) throw new LdkNodeError('chain', `${this.name}: can only disconnect the tip ${this.tip.height}, not ${height}`);
    const prev = this.recentHeaders.get(height - 1);
    this.core.chainMonitor.as_Listen().block_disconnected(header, height);
    this.core.channelManager?.as_Listen().block_disconnected(header, height);
    this.walletImpl.blockDisconnected(height);
    this.recentHeaders.delete(height);
    const prevHash = blockHash(header.subarray(4, 36).slice());
    this.tip = { hash: prevHash, height: height - 1, time: prev === undefined ? this.tip.time : new DataView(prev.buffer, prev.byteOffset).getUint32(68, true) };
    this.schedule();
  }

  /** Disconnects a decoded header (ln-chain-api's Listen shape). */
  blockDisconnected(header: BlockHeader, height: number): void {
    this.disconnectBlock(encodeBlockHeader(header), height);
  }

  // ---- connections ----

  /** Accepts BOLT 8 connections (port 0: any free port). */
  async listen(options: { host?: string; port?: number } = {}): Promise<Listener> {
    this.assertRunning();
    const listener = await listenTcp(this, this.sockets, options);
    this.listeners.push(listener);
    return listener;
  }

  /**
   * Connects over TCP and waits until init is exchanged. Returns at once when
   * already connected: after a peer restarts, wait until {@link peers} no longer
   * lists it before reconnecting.
   */
  async connect(theirNodeId: Uint8Array, address: { host?: string; port: number }, timeoutMs = 10_000): Promise<void> {
    this.assertRunning();
    if (this.isConnected(theirNodeId)) return;
    await connectTcp(this, this.sockets, theirNodeId, { host: address.host ?? '127.0.0.1', port: address.port });
    await this.waitUntil(() => this.isConnected(theirNodeId), timeoutMs, `init with ${toHex(theirNodeId)}`);
  }

  /** Connects to another node of this process through an in-process pipe and waits for init on both sides. */
  async connectInProcess(other: LdkNode, timeoutMs = 10_000): Promise<void> {
    this.assertRunning();
    const pipe = connectPipe(this, other, other.nodeId);
    this.pipes.add(pipe);
    other.pipes.add(pipe);
    await this.waitUntil(() => this.isConnected(other.nodeId) && other.isConnected(this.nodeId), timeoutMs, `init with ${other.name}`);
  }

  /** Drops the connection(s) to a peer. */
  disconnect(theirNodeId: Uint8Array): void {
    this.core.peerManager.disconnect_by_node_id(theirNodeId);
    this.schedule();
  }

  /** Node ids of connected peers (init exchanged). */
  peers(): Uint8Array[] {
    return this.core.peerManager.list_peers().map((p) => p.get_counterparty_node_id().slice());
  }

  isConnected(theirNodeId: Uint8Array): boolean {
    return this.peers().some((p) => equalBytes(p, theirNodeId));
  }

  // ---- channels ----

  /**
   * Opens a channel (LDK's create_channel). The wallet funds it when LDK asks
   * (FundingGenerationReady); wait for ChannelPending / ChannelReady.
   */
  openChannel(
    peer: Uint8Array,
    amountSat: bigint,
    options: { pushMsat?: bigint; anchors?: boolean; announce?: boolean; scidPrivacy?: boolean; userChannelId?: bigint } = {},
  ): { temporaryChannelId: Uint8Array; userChannelId: bigint } {
    const cm = this.channelManager;
    const userChannelId = options.userChannelId ?? BigInt(`0x${toHex(randomBytes(15))}`);
    const override = userConfig(this.options.channelOptions, {
      ...(options.anchors === undefined ? {} : { anchors: options.anchors }),
      ...(options.announce === undefined ? {} : { announce: options.announce }),
      ...(options.scidPrivacy === undefined ? {} : { scidPrivacy: options.scidPrivacy }),
    });
    const r = cm.create_channel(peer, amountSat, options.pushMsat ?? 0n, userChannelId, null, override);
    const id = expectOk(r, ldk.Result_ChannelIdAPIErrorZ_OK, 'opening a channel').res;
    this.schedule();
    return { temporaryChannelId: id.get_a().slice(), userChannelId };
  }

  /** Accepts a pending inbound request (manual policy); zero-conf trusts the peer's funding. */
  acceptChannel(temporaryChannelId: Uint8Array, options: { zeroConf?: boolean; userChannelId?: bigint } = {}): void {
    try {
      this.reactions.acceptPending(temporaryChannelId, options.zeroConf ?? false, options.userChannelId);
    } finally {
      // LDK answers a refused acceptance with an error to the peer: send it.
      this.schedule();
    }
  }

  /** Refuses a pending inbound request (manual policy). */
  rejectChannel(temporaryChannelId: Uint8Array): void {
    this.reactions.rejectPending(temporaryChannelId);
    this.schedule();
  }

  /** Inbound requests waiting for the test (manual policy). */
  pendingChannelRequests(): OpenRequest[] {
    return this.reactions.pendingRequests();
  }

  listChannels(): ChannelInfo[] {
    return this.channelManager.list_channels().map(channelInfo);
  }

  /** The channel with this id (or temporary id), if LDK still lists it. */
  channel(channelId: Uint8Array): ChannelInfo | undefined {
    return this.listChannels().find((c) => equalBytes(c.channelId, channelId));
  }

  /** Starts a cooperative close (optionally at a fee rate, sat per 1000 weight). */
  closeChannel(channelId: Uint8Array, counterparty: Uint8Array, options: { feerateSatPerKw?: number } = {}): void {
    const cm = this.channelManager;
    const id = ldk.ChannelId.constructor_new(channelId);
    const r =
      options.feerateSatPerKw === undefined
        ? cm.close_channel(id, counterparty)
        : cm.close_channel_with_feerate_and_script(id, counterparty, ldk.Option_u32Z.constructor_some(options.feerateSatPerKw), null);
    expectOk(r, ldk.Result_NoneAPIErrorZ_OK, 'closing the channel');
    this.schedule();
  }

  /** Force-closes, broadcasting our latest commitment (or not). */
  forceCloseChannel(channelId: Uint8Array, counterparty: Uint8Array, options: { broadcast?: boolean; message?: string } = {}): void {
    const cm = this.channelManager;
    const id = ldk.ChannelId.constructor_new(channelId);
    const message = options.message ?? 'force-closed by the test';
    const r = options.broadcast === false ? cm.force_close_without_broadcasting_txn(id, counterparty, message) : cm.force_close_broadcasting_latest_txn(id, counterparty, message);
    expectOk(r, ldk.Result_NoneAPIErrorZ_OK, 'force-closing the channel');
    this.schedule();
  }

  /**
   * On-chain balances the monitors can claim: of closed channels, and with
   * `includeOpen` also what each open channel would give at a close.
   */
  claimableBalances(options: { includeOpen?: boolean } = {}): ClaimableBalance[] {
    const ignored = options.includeOpen === true || this.core.channelManager === undefined ? [] : this.core.channelManager.list_channels();
    return this.core.chainMonitor.get_claimable_balances(ignored).map(claimableBalance);
  }

  /** Sum of {@link claimableBalances}. */
  claimableSat(options: { includeOpen?: boolean } = {}): bigint {
    return this.claimableBalances(options).reduce((s, b) => s + b.amountSat, 0n);
  }

  // ---- payments ----

  /** A BOLT 11 invoice made by LDK (ChannelManager::create_bolt11_invoice). */
  createInvoice(options: InvoiceOptions = {}): string {
    return createInvoice(this.channelManager, options);
  }

  /** Pays a BOLT 11 invoice; follow with {@link paymentOutcome}. */
  payInvoice(bolt11: string, options: PayOptions = {}): SentPayment {
    const sent = payInvoice(this.channelManager, bolt11, options);
    this.schedule();
    return sent;
  }

  /** A keysend payment to `payee`. */
  keysend(payee: Uint8Array, amountMsat: bigint, options: Omit<PayOptions, 'amountMsat'> = {}): SentPayment {
    const sent = keysend(this.channelManager, payee, amountMsat, options);
    this.schedule();
    return sent;
  }

  /** Probes the paths to `payee` for `amountMsat` (ProbeSuccessful / ProbeFailed follow). */
  sendProbe(payee: Uint8Array, amountMsat: bigint): { paymentHash: Uint8Array; paymentId: Uint8Array }[] {
    const probes = probe(this.channelManager, payee, amountMsat);
    this.schedule();
    return probes;
  }

  /** Waits for the end of a payment: PaymentSent or PaymentFailed. */
  async paymentOutcome(paymentId: Uint8Array, timeoutMs = 30_000): Promise<PaymentOutcome> {
    const e = await this.events.waitForAny(['PaymentSent', 'PaymentFailed'], (x) => x.paymentId !== undefined && equalBytes(x.paymentId, paymentId), timeoutMs);
    return e as PaymentOutcome;
  }

  /** Claims a held payment (claim: 'hold', or a hold invoice) with its preimage. */
  claimPayment(preimage: Uint8Array): void {
    this.channelManager.claim_funds(preimage);
    this.schedule();
  }

  /** Fails a held payment back to the payer. */
  failPayment(paymentHash: Uint8Array): void {
    this.reactions.forgetHeld(paymentHash);
    this.channelManager.fail_htlc_backwards(paymentHash);
    this.schedule();
  }

  /** Payments LDK found claimable and the node holds (claim: 'hold' or unknown preimage). */
  heldPayments(): LdkEventOf<'PaymentClaimable'>[] {
    return this.reactions.heldPayments();
  }

  // ---- outputs, persistence, restart ----

  /** Outputs LDK handed over after closes (SpendableOutputs), and whether the node swept them. */
  spendableOutputs(): { info: SpendableOutputInfo; swept: boolean }[] {
    return this.reactions.spendableOutputs();
  }

  /**
   * Spends every unswept SpendableOutput to a wallet script (KeysManager's
   * OutputSpender) and broadcasts it.
   * @returns the sweep's txid, or undefined when there was nothing to sweep
   */
  sweepSpendableOutputs(feerateSatPerKw = this.fees.get('output_spending_fee')): Txid | undefined {
    return this.reactions.sweep(feerateSatPerKw);
  }

  /** Monitor updates LDK is waiting on (async persistence). */
  pendingMonitorUpdates(): PendingMonitorUpdate[] {
    return this.persister.pendingUpdates();
  }

  /** Completes pending monitor updates (all, or the first `count`): LDK then releases what waited on them. */
  completeMonitorUpdates(count?: number): number {
    const n = this.persister.complete(count);
    this.schedule();
    return n;
  }

  /**
   * The node's state now: a fresh ChannelManager write, the monitors as
   * persisted (in async mode, without updates still in progress), graph,
   * scorer and wallet.
   */
  snapshot(): LdkNodeState {
    return this.stateWith(this.channelManager.write());
  }

  /**
   * Restarts LDK in place (same node id and wallet; connections dropped; the
   * test reconnects). `crash: true` rebuilds from what was last persisted (the
   * ChannelManager as last written by the event loop, monitors without updates
   * still in progress), as after a kill; otherwise from a fresh write.
   */
  async restart(options: { crash?: boolean } = {}): Promise<void> {
    this.assertRunning();
    const crash = options.crash === true;
    if (crash && this.loop.managerBytes === undefined) throw new LdkNodeError('invalid_argument', 'no persisted ChannelManager yet (persistManager off?)');
    if (crash) this.persister.dropPending();
    else this.persister.complete();
    const state = this.stateWith(crash ? this.loop.managerBytes! : this.channelManager.write());
    this.dropConnections();
    const chain = this.chain;
    if (chain === undefined) throw new LdkNodeError('invalid_argument', 'restarting needs a chain backend to sync from');
    this.unsubscribe?.();
    this.stopped = true;
    this.loop.pause();
    const tip = await chain.getTip();
    this.core = await buildCore({ ...this.deps, nowSecs: Math.floor(this.nowMs() / 1000) }, chain, tip, { manager: state.manager, monitors: state.monitors, graph: state.graph, scorer: state.scorer });
    this.tip = tip;
    this.persister.attach(this.core.chainMonitor);
    this.reactions.resetAfterRestart();
    this.stopped = false;
    this.follow(chain);
    this.loop.resume();
  }

  private stateWith(manager: Uint8Array): LdkNodeState {
    return {
      seed: this.deps.seed,
      manager,
      monitors: new Map(this.persister.durable),
      graph: this.core.graph.write(),
      scorer: this.core.scorer.write(),
      wallet: this.walletImpl.exportState(),
    };
  }

  /** Stops timers, connections and the chain subscription. The node cannot be used afterwards. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.loop.pause();
    clearInterval(this.safetyTimer);
    clearInterval(this.tickTimer);
    this.unsubscribe?.();
    this.dropConnections();
    await Promise.all(this.listeners.map((l) => l.close()));
    this.listeners.length = 0;
  }

  private dropConnections(): void {
    for (const p of this.pipes) p.close();
    this.pipes.clear();
    this.core.peerManager.disconnect_all_peers();
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
  }

  // ---- time and processing ----

  /** LDK's timer ticks (ChannelManager, PeerManager pings, claim rebroadcasts, scorer decay). */
  tick(): void {
    if (this.stopped) return;
    this.core.channelManager?.timer_tick_occurred();
    this.core.peerManager.timer_tick_occurred();
    this.core.chainMonitor.rebroadcast_pending_claims();
    this.core.scorer.as_ScoreUpdate().time_passed(BigInt(Math.floor(this.nowMs() / 1000)));
    this.schedule();
  }

  /** Runs the event loop soon (LDK asked, bytes arrived, the test called). */
  wake(): void {
    this.schedule();
  }

  private schedule(): void {
    if (!this.stopped) this.loop.schedule();
  }

  /** Processes what LDK has pending now (the loop also runs on its own when LDK has work). */
  processNow(): void {
    if (!this.stopped) this.loop.runNow();
  }

  // ---- waiting ----

  /** Waits for an event (each event is returned to one wait only). */
  waitFor<K extends LdkEventKind>(kind: K, predicate?: (e: LdkEventOf<K>) => boolean, timeoutMs?: number): Promise<LdkEventOf<K> & { seq: number; atMs: number }> {
    this.schedule();
    return this.events.waitFor(kind, predicate, timeoutMs);
  }

  /** Every event so far, or those of one kind. */
  eventsOf<K extends LdkEventKind>(kind: K): (LdkEventOf<K> & { seq: number; atMs: number })[] {
    return this.events.of(kind);
  }

  /** All events so far. */
  allEvents(): readonly LoggedEvent[] {
    return this.events.all;
  }

  /**
   * Polls `condition` (running the event loop) until it holds.
   * @throws LdkNodeError `timeout`, quoting LDK's log tail
   */
  async waitUntil(condition: () => boolean, timeoutMs = 30_000, what = 'condition'): Promise<void> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      this.schedule();
      if (condition()) return;
      if (Date.now() > end) throw new LdkNodeError('timeout', `${what} not reached within ${timeoutMs} ms\n${this.describe()}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  /** A summary for timeouts: tip, peers, channels, errors and LDK's last log lines. */
  describe(): string {
    const lines = [`node ${this.name} ${toHex(this.nodeId)} at height ${this.tip.height}`];
    try {
      lines.push(`peers: ${this.peers().map(toHex).join(', ') || 'none'}`);
      if (this.core.channelManager !== undefined) {
        for (const c of this.listChannels()) {
          lines.push(`channel ${toHex(c.channelId)} ready=${c.ready} usable=${c.usable} out=${c.outboundMsat} in=${c.inboundMsat} conf=${c.confirmations ?? '-'} htlcs=${c.pendingInboundHtlcs}/${c.pendingOutboundHtlcs}`);
        }
      }
    } catch {
      // describing must never throw
    }
    if (this.errors.length > 0) lines.push(`harness errors: ${this.errors.slice(-5).join(' | ')}`);
    lines.push('LDK log tail:', ...this.log.tail(25));
    return lines.join('\n');
  }

  private assertRunning(): void {
    if (this.stopped) throw new LdkNodeError('stopped', `${this.name} is stopped`);
  }
}

function genesisTip(): ChainTipInfo {
  return { hash: blockHash(CHAIN_HASHES.regtest.slice()), height: 0, time: 1296688602 };
}

function noChain(): ChainBackend {
  const refuse = (): never => {
    throw new LdkNodeError('invalid_argument', 'no chain backend');
  };
  return { getTip: refuse, getBlock: refuse, getBlockByHash: refuse, subscribe: refuse, broadcast: () => undefined };
}

