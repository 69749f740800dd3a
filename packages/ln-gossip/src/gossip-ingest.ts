import type { UtxoLookup, UtxoResult } from 'ln-chain-api';
import { equalBytes, isLnError, type NodeId } from 'ln-types';
import {
  CHANNEL_FLAG_DIRECTION,
  CHANNEL_FLAG_DISABLE,
  decodeMessage,
  gossipSignedBytes,
  MESSAGE_FLAG_DONT_FORWARD,
  MESSAGE_FLAG_MUST_BE_ONE,
  type ChannelAnnouncementMessage,
  type ChannelUpdateMessage,
  type NodeAnnouncementMessage,
} from 'ln-wire';
import { HeldMessages } from './held-messages.js';
import { TWO_WEEKS_SECONDS, type NetworkGraph } from './network-graph.js';
import { APPLIED, HELD, PENDING, refused, type IngestOutcome, type RefusalReason } from './refusal.js';
import { checkAddresses, checkAlias, checkChannelFeatures, checkNodeOrder, checkUpdateTimestamp, fundingScript, MAX_FUTURE_SECONDS } from './rules.js';
import { backendVerifier, SignatureBatchBuilder, type GossipVerifier } from './verifier.js';
import { nodeKey } from './node-key.js';

/** Options of {@link GossipIngest}. */
export interface GossipIngestOptions {
  /** The current time in seconds since the epoch (the library reads no clock). */
  readonly clock: () => number;
  /** Signature checks (default: noble in the calling thread). */
  readonly verifier?: GossipVerifier;
  /**
   * Funding checks. Without one, channel_announcements are accepted on their
   * signatures alone and channel capacities are unknown (-1).
   */
  readonly utxoLookup?: UtxoLookup;
  /** Most held (orphan) messages kept (default 20,000). */
  readonly maxHeld?: number;
  /** Messages per signature batch (default 2,048). */
  readonly chunkSize?: number;
  /** Batches verified ahead of the one being applied (default 2: keeps worker pools busy). */
  readonly maxInFlight?: number;
  /**
   * Funding lookups waiting for an answer at once (default 10,000). Past it,
   * channel_announcements are refused (`lookups_busy`) instead of queued, so a
   * flood against a slow chain source cannot grow memory without bound; peers
   * send them again on a later sync.
   */
  readonly maxPendingLookups?: number;
  /** channel_updates older than this are refused (default two weeks). */
  readonly maxUpdateAgeSeconds?: number;
  /** Called for each message applied to the graph (e.g. to queue it for forwarding). */
  readonly onApplied?: (raw: Uint8Array, type: 'channel_announcement' | 'node_announcement' | 'channel_update') => void;
}

/** Counters for progress display. */
export interface IngestStats {
  applied: number;
  refused: number;
  signatureChecks: number;
}

type Prepared =
  | { readonly kind: 'done'; readonly outcome: IngestOutcome }
  | { readonly kind: 'announcement'; readonly m: ChannelAnnouncementMessage; readonly raw: Uint8Array; readonly check: number }
  | { readonly kind: 'node'; readonly m: NodeAnnouncementMessage; readonly raw: Uint8Array; readonly check: number; readonly key: string }
  | { readonly kind: 'update'; readonly m: ChannelUpdateMessage; readonly raw: Uint8Array; readonly check: number; readonly direction: 0 | 1; readonly key: bigint };

const done = (outcome: IngestOutcome): Prepared => ({ kind: 'done', outcome });

/**
 * Validates gossip and applies it to a {@link NetworkGraph}, in three steps
 * per batch: (1) decode and the cheap rules, including dropping duplicates and
 * stale messages against the graph and the messages still in flight, before
 * any signature is looked at; (2) all signatures of the batch in one call to
 * the verifier (which may be a worker pool: the next batch is prepared while
 * this one verifies); (3) apply in arrival order, with the funding check.
 */
export class GossipIngest {
  readonly graph: NetworkGraph;
  readonly #clock: () => number;
  readonly #verifier: GossipVerifier;
  readonly #utxo: UtxoLookup | undefined;
  readonly #chunk: number;
  readonly #maxInFlight: number;
  readonly #maxAge: number;
  readonly #maxPendingLookups: number;
  readonly #onApplied: GossipIngestOptions['onApplied'];
  readonly #held: HeldMessages;
  // Messages prepared but not yet applied, so later ones are checked against them.
  readonly #inflightChannels = new Map<bigint, { nodeId1: NodeId; nodeId2: NodeId }>();
  readonly #inflightNodes = new Map<string, number>();
  readonly #inflightNodeTs = new Map<string, number>();
  readonly #inflightUpdateTs = new Map<bigint, number>();
  // Announcements waiting for a UtxoLookup answer.
  readonly #pending = new Map<bigint, ChannelAnnouncementMessage>();
  readonly #background = new Set<Promise<unknown>>();
  readonly stats: IngestStats = { applied: 0, refused: 0, signatureChecks: 0 };

  constructor(graph: NetworkGraph, options: GossipIngestOptions) {
    this.graph = graph;
    this.#clock = options.clock;
    this.#verifier = options.verifier ?? backendVerifier();
    this.#utxo = options.utxoLookup;
    this.#chunk = options.chunkSize ?? 2048;
    this.#maxInFlight = options.maxInFlight ?? 2;
    this.#maxAge = options.maxUpdateAgeSeconds ?? TWO_WEEKS_SECONDS;
    this.#maxPendingLookups = options.maxPendingLookups ?? 10_000;
    this.#onApplied = options.onApplied;
    this.#held = new HeldMessages(options.maxHeld ?? 20_000);
  }

  /** The current time from the clock this ingest was given (seconds). */
  now(): number {
    return this.#clock();
  }

  /** Messages held until their channel or node is known. */
  get heldCount(): number {
    return this.#held.size;
  }

  /** Announcements waiting for their funding check. */
  get pendingCount(): number {
    return this.#pending.size;
  }

  /** Processes one raw gossip message (2-byte type included). */
  async handle(raw: Uint8Array): Promise<IngestOutcome> {
    return (await this.ingest([raw]))[0]!;
  }

  /**
   * Processes raw gossip messages in order; returns each one's outcome. Held
   * messages whose channel arrives in the same call are replayed before it returns.
   */
  async ingest(raws: readonly Uint8Array[]): Promise<IngestOutcome[]> {
    const outcomes = new Array<IngestOutcome>(raws.length);
    const queue: Promise<void>[] = [];
    let applied: Promise<void> = Promise.resolve();
    try {
      for (let start = 0; start < raws.length; start += this.#chunk) {
        const end = Math.min(raws.length, start + this.#chunk);
        const batch = new SignatureBatchBuilder(4 * (end - start));
        const prepared: Prepared[] = [];
        for (let i = start; i < end; i++) prepared.push(this.#prepare(raws[i]!, batch));
        this.stats.signatureChecks += batch.count;
        const verdicts = batch.count === 0 ? new Uint8Array(0) : this.#verifier.verify(batch.finish());
        // Observed below; this keeps a rejection from being reported as unhandled meanwhile.
        if (verdicts instanceof Promise) verdicts.catch(() => undefined);
        const from = start;
        // On a verifier failure (e.g. a worker died) this batch and the ones after it
        // are forgotten, so the same messages can come again, and the error propagates.
        const forget = (e: unknown): never => {
          for (const p of prepared) this.#forget(p);
          throw e;
        };
        applied = applied.then(async () => {
          const v = await Promise.resolve(verdicts).catch(forget);
          const replays: Uint8Array[] = [];
          prepared.forEach((p, k) => (outcomes[from + k] = this.#apply(p, v, replays)));
          if (replays.length > 0) await this.ingest(replays);
        }, forget);
        queue.push(applied);
        if (queue.length >= this.#maxInFlight) await queue.shift();
      }
      await applied;
    } catch (e) {
      // Let every queued batch run its clean-up before reporting the failure.
      await applied.catch(() => undefined);
      throw e;
    }
    return outcomes;
  }

  /** Resolves when every funding check started so far has been answered and applied. */
  async settled(): Promise<void> {
    while (this.#background.size > 0) await Promise.all([...this.#background]);
  }

  // ---- Step 1: decode and cheap rules -------------------------------------

  #prepare(raw: Uint8Array, batch: SignatureBatchBuilder): Prepared {
    let m;
    try {
      m = decodeMessage(raw);
    } catch (e) {
      if (isLnError(e)) return done(refused('malformed'));
      throw e;
    }
    switch (m.type) {
      case 'channel_announcement':
        return this.#prepareAnnouncement(m, raw, batch);
      case 'node_announcement':
        return this.#prepareNode(m, raw, batch);
      case 'channel_update':
        return this.#prepareUpdate(m, raw, batch);
      default:
        return done(refused('not_gossip'));
    }
  }

  #prepareAnnouncement(m: ChannelAnnouncementMessage, raw: Uint8Array, batch: SignatureBatchBuilder): Prepared {
    const g = this.graph;
    if (!equalBytes(m.chainHash, g.chainHash)) return done(refused('wrong_chain'));
    const scid = m.shortChannelId;
    if (g.channelIndex(scid) >= 0 || this.#inflightChannels.has(scid) || this.#pending.has(scid)) return done(refused('duplicate'));
    if (g.isClosed(scid)) return done(refused('channel_closed'));
    const reason = checkNodeOrder(m.nodeId1, m.nodeId2) ?? checkChannelFeatures(m.features);
    if (reason !== undefined) return done(refused(reason));
    const signed = gossipSignedBytes(m);
    const check = batch.add(m.nodeSignature1, signed, m.nodeId1);
    batch.add(m.nodeSignature2, signed, m.nodeId2);
    batch.add(m.bitcoinSignature1, signed, m.bitcoinKey1);
    batch.add(m.bitcoinSignature2, signed, m.bitcoinKey2);
    this.#inflightChannels.set(scid, { nodeId1: m.nodeId1, nodeId2: m.nodeId2 });
    for (const id of [m.nodeId1, m.nodeId2]) {
      const key = nodeKey(id);
      this.#inflightNodes.set(key, (this.#inflightNodes.get(key) ?? 0) + 1);
    }
    return { kind: 'announcement', m, raw, check };
  }

  #prepareNode(m: NodeAnnouncementMessage, raw: Uint8Array, batch: SignatureBatchBuilder): Prepared {
    // Far-future timestamps as for channel_update: such an announcement would make every later one stale.
    const reason = checkAlias(m.alias) ?? checkAddresses(m.addresses) ?? (m.timestamp > this.#clock() + MAX_FUTURE_SECONDS ? 'timestamp_in_future' : undefined);
    if (reason !== undefined) return done(refused(reason));
    const g = this.graph;
    const key = nodeKey(m.nodeId);
    const n = g.nodeIndex(m.nodeId);
    if (n < 0 && !this.#inflightNodes.has(key)) {
      this.#held.holdNodeAnnouncement(m.nodeId, m.timestamp, raw);
      return done(HELD);
    }
    let last = n >= 0 && g.nodeAnnouncement(n) !== undefined ? g.nodeAnnouncementTimestamp(n) : -1;
    last = Math.max(last, this.#inflightNodeTs.get(key) ?? -1);
    if (m.timestamp <= last) return done(refused(m.timestamp === last ? 'duplicate' : 'stale'));
    this.#inflightNodeTs.set(key, m.timestamp);
    const check = batch.add(m.signature, gossipSignedBytes(m), m.nodeId);
    return { kind: 'node', m, raw, check, key };
  }

  #prepareUpdate(m: ChannelUpdateMessage, raw: Uint8Array, batch: SignatureBatchBuilder): Prepared {
    const g = this.graph;
    if (!equalBytes(m.chainHash, g.chainHash)) return done(refused('wrong_chain'));
    if ((m.messageFlags & MESSAGE_FLAG_MUST_BE_ONE) === 0) return done(refused('htlc_maximum_missing'));
    const timeReason = checkUpdateTimestamp(m.timestamp, this.#clock(), this.#maxAge);
    if (timeReason !== undefined) return done(refused(timeReason));
    const scid = m.shortChannelId;
    const direction = (m.channelFlags & CHANNEL_FLAG_DIRECTION) as 0 | 1;
    const key = (scid << 1n) | BigInt(direction);
    const c = g.channelIndex(scid);
    let signer: Uint8Array;
    let last = -1;
    if (c >= 0) {
      signer = g.nodeId(direction === 0 ? g.channelNode1(c) : g.channelNode2(c));
      if (g.hasPolicy(c, direction)) last = g.policyLastUpdate(c, direction);
      const capacity = g.channelCapacitySat(c);
      if (capacity >= 0 && m.htlcMaximumMsat > BigInt(capacity) * 1000n) return done(refused('htlc_maximum_above_capacity'));
    } else {
      if (g.isClosed(scid)) return done(refused('channel_closed'));
      const inflight = this.#inflightChannels.get(scid);
      if (inflight === undefined) {
        this.#held.holdUpdate(scid, direction, m.timestamp, raw);
        return done(HELD);
      }
      signer = direction === 0 ? inflight.nodeId1 : inflight.nodeId2;
    }
    last = Math.max(last, this.#inflightUpdateTs.get(key) ?? -1);
    if (m.timestamp <= last) return done(refused(m.timestamp === last ? 'duplicate' : 'stale'));
    this.#inflightUpdateTs.set(key, m.timestamp);
    const check = batch.add(m.signature, gossipSignedBytes(m), signer);
    return { kind: 'update', m, raw, check, direction, key };
  }

  /** Removes a prepared message's in-flight bookkeeping without applying it. */
  #forget(p: Prepared): void {
    switch (p.kind) {
      case 'announcement':
        this.#releaseAnnouncement(p.m);
        break;
      case 'node':
        if (this.#inflightNodeTs.get(p.key) === p.m.timestamp) this.#inflightNodeTs.delete(p.key);
        break;
      case 'update':
        if (this.#inflightUpdateTs.get(p.key) === p.m.timestamp) this.#inflightUpdateTs.delete(p.key);
        break;
    }
  }

  #releaseAnnouncement(m: ChannelAnnouncementMessage): void {
    this.#inflightChannels.delete(m.shortChannelId);
    for (const id of [m.nodeId1, m.nodeId2]) {
      const key = nodeKey(id);
      const left = (this.#inflightNodes.get(key) ?? 1) - 1;
      if (left === 0) this.#inflightNodes.delete(key);
      else this.#inflightNodes.set(key, left);
    }
  }

  // ---- Step 3: apply in order ---------------------------------------------

  #apply(p: Prepared, verdicts: Uint8Array, replays: Uint8Array[]): IngestOutcome {
    let outcome: IngestOutcome;
    switch (p.kind) {
      case 'done':
        outcome = p.outcome;
        break;
      case 'announcement':
        outcome = this.#applyAnnouncement(p.m, p.raw, verdicts, p.check, replays);
        break;
      case 'node':
        if (this.#inflightNodeTs.get(p.key) === p.m.timestamp) this.#inflightNodeTs.delete(p.key);
        outcome = verdicts[p.check] === 1 ? this.#applyNode(p.m, p.raw) : refused('bad_signature');
        break;
      case 'update':
        if (this.#inflightUpdateTs.get(p.key) === p.m.timestamp) this.#inflightUpdateTs.delete(p.key);
        outcome = verdicts[p.check] === 1 ? this.#applyUpdate(p.m, p.raw, p.direction) : refused('bad_signature');
        break;
    }
    if (outcome.status === 'refused') this.stats.refused++;
    return outcome;
  }

  #applyAnnouncement(m: ChannelAnnouncementMessage, raw: Uint8Array, v: Uint8Array, check: number, replays: Uint8Array[]): IngestOutcome {
    const scid = m.shortChannelId;
    this.#releaseAnnouncement(m);
    if (v[check] !== 1 || v[check + 1] !== 1) return refused('bad_node_signature');
    if (v[check + 2] !== 1 || v[check + 3] !== 1) return refused('bad_bitcoin_signature');
    if (this.graph.channelIndex(scid) >= 0) return refused('duplicate');
    if (this.#utxo === undefined) return this.#addChannel(m, raw, -1, replays);
    if (this.#pending.size >= this.#maxPendingLookups) return refused('lookups_busy');
    const answer = this.#utxo.getUtxo(this.graph.chainHash, scid);
    if (!(answer instanceof Promise)) return this.#funded(m, raw, answer, replays);
    const copy = raw.slice();
    this.#pending.set(scid, m);
    const task = answer
      .then(
        (result) => result,
        (): UtxoResult => ({ ok: false, error: 'unknown_tx' }),
      )
      .then(async (result) => {
        this.#pending.delete(scid);
        const later: Uint8Array[] = [];
        const outcome = this.#funded(m, copy, result, later);
        if (outcome.status === 'refused') this.stats.refused++;
        if (later.length > 0) await this.ingest(later);
      });
    this.#background.add(task);
    void task.finally(() => this.#background.delete(task));
    return PENDING;
  }

  #funded(m: ChannelAnnouncementMessage, raw: Uint8Array, result: UtxoResult, replays: Uint8Array[]): IngestOutcome {
    const reason: RefusalReason | undefined = !result.ok
      ? result.error === 'unknown_chain'
        ? 'funding_unknown_chain'
        : 'funding_missing'
      : !equalBytes(result.output.script, fundingScript(m.bitcoinKey1, m.bitcoinKey2))
        ? 'funding_script_mismatch'
        : undefined;
    if (reason !== undefined) {
      this.#held.dropChannel(m.shortChannelId);
      return refused(reason);
    }
    if (this.graph.isClosed(m.shortChannelId)) return refused('channel_closed');
    return this.#addChannel(m, raw, Number((result as { output: { valueSat: bigint } }).output.valueSat), replays);
  }

  #addChannel(m: ChannelAnnouncementMessage, raw: Uint8Array, capacitySat: number, replays: Uint8Array[]): IngestOutcome {
    this.graph.addChannel(m.shortChannelId, m.nodeId1, m.nodeId2, capacitySat, raw, this.#clock());
    for (const r of this.#held.takeFor(m.shortChannelId, m.nodeId1, m.nodeId2)) replays.push(r);
    this.stats.applied++;
    this.#onApplied?.(raw, 'channel_announcement');
    return APPLIED;
  }

  #applyNode(m: NodeAnnouncementMessage, raw: Uint8Array): IngestOutcome {
    const g = this.graph;
    const n = g.nodeIndex(m.nodeId);
    if (n < 0) {
      // Its channel failed validation after this was prepared: wait for another.
      this.#held.holdNodeAnnouncement(m.nodeId, m.timestamp, raw);
      return HELD;
    }
    if (g.nodeAnnouncement(n) !== undefined && m.timestamp <= g.nodeAnnouncementTimestamp(n)) return refused('stale');
    g.updateNodeAnnouncement(n, m.timestamp, raw);
    this.stats.applied++;
    this.#onApplied?.(raw, 'node_announcement');
    return APPLIED;
  }

  #applyUpdate(m: ChannelUpdateMessage, raw: Uint8Array, direction: 0 | 1): IngestOutcome {
    const g = this.graph;
    const c = g.channelIndex(m.shortChannelId);
    if (c < 0) {
      this.#held.holdUpdate(m.shortChannelId, direction, m.timestamp, raw);
      return HELD;
    }
    const capacity = g.channelCapacitySat(c);
    if (capacity >= 0 && m.htlcMaximumMsat > BigInt(capacity) * 1000n) return refused('htlc_maximum_above_capacity');
    if (g.hasPolicy(c, direction) && m.timestamp <= g.policyLastUpdate(c, direction)) return refused('stale');
    g.updatePolicy(
      c,
      direction,
      {
        timestamp: m.timestamp,
        disabled: (m.channelFlags & CHANNEL_FLAG_DISABLE) !== 0,
        dontForward: (m.messageFlags & MESSAGE_FLAG_DONT_FORWARD) !== 0,
        cltvExpiryDelta: m.cltvExpiryDelta,
        htlcMinimumMsat: m.htlcMinimumMsat,
        htlcMaximumMsat: m.htlcMaximumMsat,
        feeBaseMsat: m.feeBaseMsat,
        feeProportionalMillionths: m.feeProportionalMillionths,
      },
      raw,
    );
    this.stats.applied++;
    this.#onApplied?.(raw, 'channel_update');
    return APPLIED;
  }
}
