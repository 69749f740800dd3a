import type { MessageSendEvent, PeerConnectedResult, PeerInit, RoutingMessage, RoutingMessageHandler } from 'ln-peer-api';
import { equalBytes, toHex, type NodeId, type ShortChannelId } from 'ln-types';
import {
  decodeMessage,
  encodeMessage,
  featuresFromBits,
  isFeatureBitSet,
  QUERY_FLAG,
  QUERY_OPTION,
  type Message,
  type QueryChannelRangeMessage,
  type QueryShortChannelIdsMessage,
  type ReplyChannelRangeMessage,
} from 'ln-wire';
import type { GossipIngest } from '../gossip-ingest.js';
import { channelRangeReplies } from './range-replies.js';

/** Options of {@link P2PGossipSync}. */
export interface P2PGossipSyncOptions {
  /** Called whenever messages are queued, so the application runs the PeerManager's processEvents (e.g. `scheduleProcessEvents`). */
  readonly onEventsPending?: () => void;
  /**
   * Whether a peer's outbound buffer has room for more query answers (wire it
   * to the PeerManager's outbound byte count). Answers wait while it says no
   * and resume on the next processEvents.
   */
  readonly canSendMore?: (peer: NodeId) => boolean;
  /** Peers we sync the graph from when they connect (default 3). */
  readonly maxSyncPeers?: number;
  /** Messages produced per peer per processEvents for query answers (default 256). */
  readonly replyBurst?: number;
  /** Short channel ids asked per query_short_channel_ids (default 1,000). */
  readonly queryBatch?: number;
  /** Short channel ids a sync may have waiting to be queried, per peer (default 200,000). */
  readonly maxPendingQueries?: number;
  /** Gossip messages waiting for validation before new ones are dropped (default 100,000). */
  readonly maxIncoming?: number;
  /** Accepted messages forwarded per timer tick (default 2,000); the rest wait, the oldest dropped past 20,000. */
  readonly maxForwardPerTick?: number;
}

/** What a progress bar shows. */
export interface SyncProgress {
  readonly channelsKnown: number;
  readonly nodesKnown: number;
  /** Gossip received and not yet validated, plus held and pending messages. */
  readonly messagesPending: number;
  /** Short channel ids still to be asked for. */
  readonly queriesPending: number;
  /** True while a range or id query is outstanding with some peer. */
  readonly syncing: boolean;
  /**
   * Syncs from peers that ran to the end (every range reply received and every
   * id asked and answered) since this object was created. Counted here rather
   * than sampled from `syncing`, which a caller polling slowly can miss.
   */
  readonly syncsCompleted: number;
}

const GOSSIP_QUERIES_BITS = [6, 7];
const MAX_FORWARD_QUEUE = 20_000;
/** Messages an id query may bring per id: the announcement, two updates, two node announcements. */
const ANSWER_MESSAGES_PER_ID = 5;

/** Gossip we owe a peer: answers to its id query, or the dump its timestamp filter asked for. */
interface Answer {
  readonly scids: bigint[];
  readonly flags: readonly bigint[] | undefined;
  at: number;
  readonly sentNodes: Set<number>;
  /** A query answer ends with reply_short_channel_ids_end; a filter dump does not. */
  readonly endMarker: boolean;
}

interface PeerState {
  readonly nodeId: NodeId;
  readonly queries: boolean;
  // Our sync from this peer.
  range: { readonly first: number; readonly end: number; next: number } | undefined;
  toQuery: bigint[];
  /** Every id queued during this sync (repeated replies do not queue an id twice); bounded like toQuery. */
  readonly queued: Set<bigint>;
  queryOutstanding: boolean;
  /** The window of the peer's gossip_timestamp_filter, once it sent one. */
  filter: { readonly first: number; readonly end: number } | undefined;
  /** This peer holds one of the sync slots. */
  syncSlot: boolean;
  /** Our sync from this peer ran to the end. */
  syncDone: boolean;
  /** The next id query waits for the validation backlog to shrink. */
  waitingForRoom: boolean;
  // Answers we owe this peer, produced lazily (the graph is read when they are sent).
  answers: Answer[];
  ranges: Message[];
}

/**
 * Gossip over the peer layer, after LDK's P2PGossipSync: hands received gossip
 * to a {@link GossipIngest}, answers gossip queries from the graph, syncs the
 * graph from new peers by channel ranges then short channel ids, and forwards
 * accepted gossip to the other peers in rate-limited batches on timer ticks
 * (the staggered broadcast of BOLT 7; peers with gossip_queries only inside
 * their gossip_timestamp_filter). Implements RoutingMessageHandler.
 */
export class P2PGossipSync implements RoutingMessageHandler {
  readonly #ingest: GossipIngest;
  readonly #o: Required<Omit<P2PGossipSyncOptions, 'onEventsPending' | 'canSendMore'>>;
  readonly #wake: () => void;
  readonly #canSend: (peer: NodeId) => boolean;
  readonly #peers = new Map<string, PeerState>();
  #events: MessageSendEvent[] = [];
  #incoming: { peer: NodeId; raw: Uint8Array }[] = [];
  #draining: Promise<void> | undefined;
  #forward: { raw: Uint8Array; from: NodeId }[] = [];
  #syncPeers = 0;
  #syncsCompleted = 0;
  #failedBatches = 0;

  constructor(ingest: GossipIngest, options: P2PGossipSyncOptions = {}) {
    this.#ingest = ingest;
    this.#wake = options.onEventsPending ?? (() => undefined);
    this.#canSend = options.canSendMore ?? (() => true);
    this.#o = {
      maxSyncPeers: options.maxSyncPeers ?? 3,
      replyBurst: options.replyBurst ?? 256,
      queryBatch: options.queryBatch ?? 1000,
      maxPendingQueries: options.maxPendingQueries ?? 200_000,
      maxIncoming: options.maxIncoming ?? 100_000,
      maxForwardPerTick: options.maxForwardPerTick ?? 2000,
    };
  }

  get #graph() {
    return this.#ingest.graph;
  }

  /** Numbers for a progress bar. */
  progress(): SyncProgress {
    let queriesPending = 0;
    let syncing = false;
    for (const p of this.#peers.values()) {
      queriesPending += p.toQuery.length;
      syncing ||= p.range !== undefined || p.queryOutstanding || p.toQuery.length > 0;
    }
    return {
      channelsKnown: this.#graph.liveChannelCount,
      nodesKnown: this.#graph.liveNodeCount,
      messagesPending: this.#incoming.length + this.#ingest.heldCount + this.#ingest.pendingCount,
      queriesPending,
      syncing,
      syncsCompleted: this.#syncsCompleted,
    };
  }

  /** Batches of received gossip dropped because the verifier failed. */
  get failedBatches(): number {
    return this.#failedBatches;
  }

  /** Resolves when every received message has been validated (for tests and shutdown). */
  async idle(): Promise<void> {
    while (this.#draining !== undefined) await this.#draining;
    await this.#ingest.settled();
  }

  // ---- RoutingMessageHandler ----------------------------------------------

  peerConnected(peer: NodeId, init: PeerInit, _inbound: boolean): PeerConnectedResult {
    const queries = GOSSIP_QUERIES_BITS.some((b) => isFeatureBitSet(init.features, b));
    const state: PeerState = { nodeId: peer, queries, range: undefined, toQuery: [], queued: new Set(), queryOutstanding: false, filter: undefined, syncSlot: false, syncDone: false, waitingForRoom: false, answers: [], ranges: [] };
    this.#peers.set(toHex(peer), state);
    if (!queries) return;
    const chainHash = this.#graph.chainHash;
    // Ask for gossip from now on (BOLT 7: without a filter the peer sends us nothing); the past comes through queries.
    this.#send(peer, { type: 'gossip_timestamp_filter', chainHash, firstTimestamp: this.#ingest.now(), timestampRange: 0xffffffff });
    if (this.#syncPeers < this.#o.maxSyncPeers) {
      this.#syncPeers++;
      state.range = { first: 0, end: 0xffffffff, next: 0 };
      state.syncSlot = true;
      this.#send(peer, { type: 'query_channel_range', chainHash, firstBlocknum: 0, numberOfBlocks: 0xffffffff, tlvs: { queryOption: QUERY_OPTION.wantTimestamps } });
    }
    this.#wake();
  }

  peerDisconnected(peer: NodeId): void {
    const key = toHex(peer);
    const state = this.#peers.get(key);
    if (state?.syncSlot === true) this.#syncPeers--;
    this.#peers.delete(key);
  }

  provideInitFeatures(_peer: NodeId): Uint8Array {
    return featuresFromBits([7]);
  }

  provideNodeFeatures(): Uint8Array {
    return featuresFromBits([7]);
  }

  handleMessage(peer: NodeId, message: RoutingMessage): void {
    const state = this.#peers.get(toHex(peer));
    if (state === undefined) return;
    switch (message.type) {
      case 'channel_announcement':
      case 'node_announcement':
      case 'channel_update':
        if (this.#incoming.length >= this.#o.maxIncoming) return;
        this.#incoming.push({ peer, raw: encodeMessage(message) });
        this.#drain();
        return;
      case 'query_channel_range':
        return this.#answerRange(state, message);
      case 'reply_channel_range':
        return this.#onRangeReply(state, message);
      case 'query_short_channel_ids':
        return this.#answerIds(state, message);
      case 'reply_short_channel_ids_end':
        if (!state.queryOutstanding || !equalBytes(message.chainHash, this.#graph.chainHash)) return;
        state.queryOutstanding = false;
        this.#queryNext(state);
        return;
      case 'gossip_timestamp_filter':
        return this.#onFilter(state, message.chainHash, message.firstTimestamp, message.timestampRange);
    }
  }

  getAndClearPendingMsgEvents(): MessageSendEvent[] {
    for (const state of this.#peers.values()) {
      while (state.ranges.length > 0 && this.#canSend(state.nodeId)) this.#events.push({ kind: 'send', nodeId: state.nodeId, message: state.ranges.shift()! });
      this.#produceAnswers(state);
    }
    const out = this.#events;
    this.#events = [];
    return out;
  }

  /** Forwards a batch of accepted gossip (call on the application's timer, e.g. every few seconds). */
  timerTickOccurred(): void {
    const batch = this.#forward.splice(0, this.#o.maxForwardPerTick);
    let sent = false;
    for (const { raw, from } of batch) {
      const message = decodeMessage(raw) as Message;
      const timestamp = message.type === 'channel_update' || message.type === 'node_announcement' ? message.timestamp : undefined;
      for (const state of this.#peers.values()) {
        if (equalBytes(state.nodeId, from)) continue;
        // BOLT 7: a peer that negotiated gossip_queries gets gossip only inside the window of its gossip_timestamp_filter.
        if (state.queries) {
          const f = state.filter;
          if (f === undefined || (timestamp !== undefined && (timestamp < f.first || timestamp >= f.end))) continue;
        }
        // A peer without room misses this message (as a broadcast would be dropped for it).
        if (!this.#canSend(state.nodeId)) continue;
        this.#events.push({ kind: 'send', nodeId: state.nodeId, message });
        sent = true;
      }
    }
    if (sent) this.#wake();
  }

  // ---- Received gossip -------------------------------------------------------

  #drain(): void {
    if (this.#draining !== undefined) return;
    this.#draining = (async () => {
      // Let the current read's messages gather into one batch first.
      await Promise.resolve();
      while (this.#incoming.length > 0) {
        const batch = this.#incoming;
        this.#incoming = [];
        let outcomes;
        try {
          outcomes = await this.#ingest.ingest(batch.map((b) => b.raw));
        } catch {
          // The verifier failed: this batch is dropped (peers resend through queries); keep serving.
          this.#failedBatches++;
          continue;
        }
        outcomes.forEach((o, i) => {
          if (o.status !== 'applied') return;
          const raw = batch[i]!.raw;
          // channel_update with dont_forward is for the peer only (private channels).
          if (raw[1] === 2 && raw.length > 2 + 64 + 32 + 8 + 4 && (raw[2 + 64 + 32 + 8 + 4]! & 2) !== 0) return;
          this.#forward.push({ raw, from: batch[i]!.peer });
        });
        if (this.#forward.length > MAX_FORWARD_QUEUE) this.#forward.splice(0, this.#forward.length - MAX_FORWARD_QUEUE);
        this.#resumeQueries();
      }
      this.#draining = undefined;
      this.#resumeQueries();
      this.#wake();
    })();
  }

  // ---- Our sync from a peer --------------------------------------------------

  #onRangeReply(state: PeerState, m: ReplyChannelRangeMessage): void {
    const range = state.range;
    // Unsolicited, or for another chain, or going backwards: ignored (costs O(ids) once, keeps nothing).
    if (range === undefined || !equalBytes(m.chainHash, this.#graph.chainHash) || m.firstBlocknum + m.numberOfBlocks < range.next) return;
    const g = this.#graph;
    const ts = m.tlvs?.timestamps;
    const queue = (scid: bigint) => {
      if (state.queued.has(scid)) return;
      state.queued.add(scid);
      state.toQuery.push(scid);
    };
    m.shortChannelIds.forEach((scid, i) => {
      if (state.queued.size >= this.#o.maxPendingQueries) return;
      const c = g.channelIndex(scid);
      if (c < 0) {
        if (!g.isClosed(scid)) queue(scid);
        return;
      }
      const t = ts?.[i];
      if (t !== undefined && (t.timestamp1 > g.policyLastUpdate(c, 0) || t.timestamp2 > g.policyLastUpdate(c, 1))) queue(scid);
    });
    range.next = m.firstBlocknum + m.numberOfBlocks;
    if (range.next >= range.end) state.range = undefined;
    this.#queryNext(state);
  }

  #queryNext(state: PeerState): void {
    if (state.queryOutstanding) return;
    // Done when nothing is left to ask; the sync slot stays taken until the
    // peer leaves, so one peer is not asked again and again.
    if (state.toQuery.length === 0) {
      if (state.syncSlot && state.range === undefined && !state.syncDone) {
        state.syncDone = true;
        this.#syncsCompleted++;
      }
      return;
    }
    // Ask for more only when the answer fits in what is left of the validation queue
    // (about five messages per id): past maxIncoming gossip is dropped, and a query
    // answered into a full queue would lose channels for good.
    if (!this.#roomForAnswer()) {
      state.waitingForRoom = true;
      return;
    }
    state.waitingForRoom = false;
    const ids = state.toQuery.splice(0, this.#o.queryBatch).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)) as ShortChannelId[];
    state.queryOutstanding = true;
    this.#send(state.nodeId, { type: 'query_short_channel_ids', chainHash: this.#graph.chainHash, shortChannelIds: ids });
    this.#wake();
  }

  #roomForAnswer(): boolean {
    // An empty queue always takes one answer, so a small maxIncoming slows the sync rather than stopping it.
    return this.#incoming.length === 0 || this.#incoming.length + ANSWER_MESSAGES_PER_ID * this.#o.queryBatch <= this.#o.maxIncoming;
  }

  /** Sends the id queries that waited for the backlog to shrink. */
  #resumeQueries(): void {
    for (const state of this.#peers.values()) {
      if (!state.waitingForRoom) continue;
      if (!this.#roomForAnswer()) return;
      this.#queryNext(state);
    }
  }

  // ---- Answers to a peer's queries -----------------------------------------

  #answerRange(state: PeerState, q: QueryChannelRangeMessage): void {
    if (!equalBytes(q.chainHash, this.#graph.chainHash)) {
      this.#send(state.nodeId, { type: 'reply_channel_range', chainHash: q.chainHash, firstBlocknum: q.firstBlocknum, numberOfBlocks: q.numberOfBlocks, syncComplete: 0, shortChannelIds: [] });
      return;
    }
    // One range answer at a time per peer: a second query replaces what is left of the first.
    state.ranges = channelRangeReplies(this.#graph, q);
    this.#wake();
  }

  #answerIds(state: PeerState, q: QueryShortChannelIdsMessage): void {
    if (!equalBytes(q.chainHash, this.#graph.chainHash)) {
      this.#send(state.nodeId, { type: 'reply_short_channel_ids_end', chainHash: q.chainHash, fullInformation: 0 });
      return;
    }
    // BOLT 7 allows one outstanding query per peer: a new one while answering one is ignored.
    if (state.answers.some((a) => a.endMarker)) return;
    const flags = q.tlvs?.queryFlags;
    state.answers.push({ scids: [...q.shortChannelIds], flags: flags !== undefined && flags.length === q.shortChannelIds.length ? flags : undefined, at: 0, sentNodes: new Set(), endMarker: true });
    this.#wake();
  }

  #onFilter(state: PeerState, chainHash: Uint8Array, first: number, range: number): void {
    if (!equalBytes(chainHash, this.#graph.chainHash)) return;
    state.filter = { first, end: first + range };
    if (state.answers.some((a) => !a.endMarker)) return;
    // Send what we have with timestamps in the window (lazily, paced like query answers).
    const g = this.#graph;
    const end = state.filter.end;
    const scids: bigint[] = [];
    for (let c = 0; c < g.channelCount; c++) {
      if (!g.hasChannel(c)) continue;
      const t = Math.max(g.policyLastUpdate(c, 0), g.policyLastUpdate(c, 1));
      if (t >= first && t < end) scids.push(g.channelScid(c));
    }
    if (scids.length === 0) return;
    state.answers.push({ scids, flags: undefined, at: 0, sentNodes: new Set(), endMarker: false });
    this.#wake();
  }

  #produceAnswers(state: PeerState): void {
    const a = state.answers[0];
    if (a === undefined) return;
    const g = this.#graph;
    let produced = 0;
    const push = (raw: Uint8Array | undefined) => {
      if (raw === undefined) return;
      this.#events.push({ kind: 'send', nodeId: state.nodeId, message: decodeMessage(raw) as Message });
      produced++;
    };
    while (a.at < a.scids.length && produced < this.#o.replyBurst && this.#canSend(state.nodeId)) {
      const scid = a.scids[a.at]!;
      const flags = a.flags?.[a.at] ?? QUERY_FLAG.channelAnnouncement | QUERY_FLAG.channelUpdate1 | QUERY_FLAG.channelUpdate2 | QUERY_FLAG.nodeAnnouncement1 | QUERY_FLAG.nodeAnnouncement2;
      a.at++;
      const c = g.channelIndex(scid);
      if (c < 0) continue;
      if (flags & QUERY_FLAG.channelAnnouncement) push(g.channelAnnouncement(c));
      if (flags & QUERY_FLAG.channelUpdate1) push(g.channelUpdate(c, 0));
      if (flags & QUERY_FLAG.channelUpdate2) push(g.channelUpdate(c, 1));
      for (const [bit, n] of [
        [QUERY_FLAG.nodeAnnouncement1, g.channelNode1(c)],
        [QUERY_FLAG.nodeAnnouncement2, g.channelNode2(c)],
      ] as const) {
        if ((flags & bit) === 0n || a.sentNodes.has(n)) continue;
        a.sentNodes.add(n);
        push(g.nodeAnnouncement(n));
      }
    }
    if (a.at >= a.scids.length) {
      state.answers.shift();
      if (a.endMarker) this.#events.push({ kind: 'send', nodeId: state.nodeId, message: { type: 'reply_short_channel_ids_end', chainHash: g.chainHash, fullInformation: 1 } });
    }
    if (state.answers.length > 0 && this.#canSend(state.nodeId)) {
      // More to send and room for it: ask for another processEvents.
      this.#wake();
    }
  }

  #send(peer: NodeId, message: Message): void {
    this.#events.push({ kind: 'send', nodeId: peer, message });
  }
}
