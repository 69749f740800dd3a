// Our node and an LDK node (tools/ldk-node, rust-lightning 0.1 in WebAssembly)
// over BOLT 8 TCP through our PeerManager, on the script-validating test chain.
import { expect } from '@jest/globals';
import type { LdkNode } from 'ln-ldk-node';
import { PeerManager } from 'ln-peer';
import { connect, scheduleProcessEvents } from 'ln-peer/net';
import type { ChannelMessage, ChannelMessageHandler, MessageSendEvent, PeerInit } from 'ln-peer-api';
import { CHAIN_HASHES, type ChannelId, type NodeId, equalBytes, publicKey, toHex } from 'ln-types';
import { assembleInvoice, prepareInvoice } from 'ln-invoice';
import type { ErrorMessage } from 'ln-wire';
import type { Secp256k1Backend } from 'ln-crypto';
import type { Event, UserConfig } from '../../src/index.js';
import { decodeManager } from '../../src/serialization/manager-codec.js';
import type { ChannelState } from '../../src/channel/types.js';
import type { TestChain } from '../helpers/chain.js';
import { TestWallet, attachChain } from '../helpers/chain.js';
import { TestNode } from '../helpers/node.js';

/** Polls until `condition` holds. */
export async function until(what: string, condition: () => boolean, ms = 20_000, describe?: () => string): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${describe ? `\n${describe()}` : ''}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * Our side: a TestNode (ChannelManager + test Watch) behind a PeerManager, with
 * an event loop that funds channels from a test wallet and persists the manager.
 */
export class OurNode implements ChannelMessageHandler {
  readonly node: TestNode;
  readonly pm: PeerManager;
  readonly wallet: TestWallet;
  /** Called with each channel message we receive (tests cut connections mid-dance with it). */
  onMessage: ((m: ChannelMessage) => void) | undefined;
  /** While set, our outgoing messages are held (not handed to the PeerManager). */
  holdOutgoing = false;
  /** How many times a peer connected (init exchanged). */
  connections = 0;
  #unsubscribe: () => void = () => {};
  #processing = false;

  constructor(
    readonly chain: TestChain,
    seedByte: number,
    config: UserConfig,
    backend: Secp256k1Backend,
  ) {
    const tip = chain.tip;
    this.node = new TestNode(seedByte, { chain, config, backend, bestBlock: { blockHash: tip.hash, height: tip.height } });
    this.wallet = new TestWallet(seedByte + 1);
    attachChain(chain, this.node);
    this.pm = new PeerManager({
      localPublicKey: publicKey(this.node.nodeId),
      ecdh: (pk) => this.node.keys.ecdh('node', publicKey(pk)),
      handlers: { channel: this },
      chains: [CHAIN_HASHES.regtest],
      secp256k1: backend,
    });
    this.#subscribe();
  }

  #subscribe(): void {
    this.#unsubscribe();
    this.#unsubscribe = this.node.manager.subscribe(() => this.wake());
  }

  get manager() {
    return this.node.manager;
  }

  get nodeId(): NodeId {
    return this.node.nodeId;
  }

  /** Schedules a pass: PeerManager events, our events (funding, persistence). */
  wake(): void {
    scheduleProcessEvents(this.pm);
    if (this.#processing) return;
    this.#processing = true;
    setImmediate(() => {
      this.#processing = false;
      void this.#events();
    });
  }

  async #events(): Promise<void> {
    await this.node.manager.processPendingEvents((e) => this.#handle(e));
    this.node.persist();
  }

  #handle(e: Event): void {
    this.node.events.push(e);
    if (e.kind === 'funding_generation_ready') {
      const tx = this.wallet.pay(this.chain, [{ script: e.outputScript, amountSat: e.channelValueSat }]);
      this.node.manager.fundingTransactionGenerated(e.temporaryChannelId, e.counterpartyNodeId, tx);
    }
  }

  events<K extends Event['kind']>(kind: K): Extract<Event, { kind: K }>[] {
    return this.node.events.filter((e): e is Extract<Event, { kind: K }> => e.kind === kind);
  }

  /** Connects to an LDK node (it listens, we dial over TCP). */
  async connectTo(ldk: LdkNode): Promise<void> {
    const listener = await ldk.listen();
    await connect(this.pm, { host: '127.0.0.1', port: listener.port, theirNodeId: ldk.nodeId as NodeId });
    await until('the init exchange', () => ldk.isConnected(this.nodeId) && this.pm.listPeers().length === 1);
  }

  disconnect(ldk: LdkNode): void {
    this.pm.disconnectByNodeId(ldk.nodeId as NodeId);
  }

  /** Restarts our manager from its last write (the PeerManager keeps running; this handler delegates). */
  async restart(): Promise<void> {
    this.node.persist();
    this.node.stored = this.node.manager.write();
    await this.node.restart();
    this.#subscribe();
  }

  /** Our channel's state (decoded from the manager's own bytes). */
  state(channelId: ChannelId): ChannelState {
    const s = decodeManager(this.node.manager.write()).channels.find((c) => equalBytes(c.state.params.channelId, channelId))?.state;
    if (s === undefined) throw new Error('no such channel');
    return s;
  }

  /** A BOLT 11 invoice for a payment registered with our manager. */
  async invoice(amountMsat: bigint): Promise<{ bolt11: string; preimage: Uint8Array; paymentHash: Uint8Array }> {
    const p = this.manager.createInboundPayment({ amountMsat, expirySeconds: 3600 });
    const unsigned = prepareInvoice(
      {
        currency: 'bcrt',
        amountMsat,
        timestamp: this.chain.tip.time,
        paymentHash: p.paymentHash,
        paymentSecret: p.paymentSecret,
        description: 'ln-channel interop',
        minFinalCltvExpiryDelta: 24,
        expirySeconds: 3600,
        // var_onion_optin (8), payment_secret (14, required), basic_mpp (17)
        features: Uint8Array.of(0x02, 0x41, 0x00),
      },
    );
    // Signed through the NodeSigner, as an application would.
    const sig = await this.node.keys.signInvoice({ hrp: unsigned.hrp, dataWords: unsigned.dataWords });
    const bolt11 = assembleInvoice(unsigned, sig);
    return { bolt11, preimage: p.preimage!, paymentHash: p.paymentHash };
  }

  // ---- ChannelMessageHandler, delegating to the current manager ----
  peerConnected(peer: NodeId, init: PeerInit, inbound: boolean) {
    this.connections++;
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
    this.onMessage?.(message);
  }
  handleError(peer: NodeId, message: ErrorMessage): void {
    this.node.manager.handleError(peer, message);
  }
  getAndClearPendingMsgEvents(): MessageSendEvent[] {
    if (this.holdOutgoing) return [];
    return this.node.manager.getAndClearPendingMsgEvents();
  }

  /** No internal error, no monitor contract violation, every broadcast accepted. */
  assertHealthy(options: { allowConflictingCommitments?: boolean } = {}): void {
    expect(this.node.manager.internalErrors).toEqual([]);
    expect(this.node.watch.violations).toEqual([]);
    // Both sides broadcasting their commitment after a force close is expected: the second conflicts with the first.
    const errors = this.node.broadcastErrors.filter((e) => !(options.allowConflictingCommitments === true && /rejecting replacement|conflicts with|txn-mempool-conflict/.test(e)));
    expect(errors).toEqual([]);
  }
}

/** LDK's log lines at error level (it must end each scenario with none). */
export function ldkErrors(ldk: LdkNode): string[] {
  return ldk.log.lines.filter((l) => l.level === 'ERROR').map((l) => `${l.module}: ${l.message}`);
}

export function idHex(id: Uint8Array): string {
  return toHex(id);
}
