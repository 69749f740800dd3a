import { toHex, type NodeId, type ShortChannelId } from 'ln-types';
import {
  RouteError,
  type BlindedPaymentPath,
  type CandidateHopKind,
  type FirstHop,
  type InFlightHtlcs,
  type NetworkGraphView,
  type RouteHintHop,
} from 'ln-router-api';

/** A channel direction the graph does not hold: a first hop, a route hint hop or a blinded path. */
export interface ExtraEdge {
  readonly kind: Exclude<CandidateHopKind, 'public'>;
  /** Node slots (graph index, or a virtual slot at or above view.nodeCount). */
  readonly source: number;
  readonly target: number;
  /** The scid to route over (0 for a blinded path). */
  readonly shortChannelId: ShortChannelId;
  readonly feeBaseMsat: number;
  readonly feeProportionalMillionths: number;
  readonly cltvExpiryDelta: number;
  readonly htlcMinimumMsat: number;
  /** Most one HTLC may carry. */
  readonly htlcMaximumMsat: number;
  /** Total the direction can carry across paths (first hop: its outbound limit). */
  readonly liquidityMsat: number;
  readonly channelFeatures: Uint8Array;
  /** Features of the target known from this edge (a first hop's counterparty). */
  readonly targetFeatures: Uint8Array | undefined;
  /** Index into payee.paths for a blinded edge, else -1. */
  readonly blindedIndex: number;
}

const EMPTY = new Uint8Array(0);

export function msatNumber(v: bigint): number {
  return v > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(v);
}

/**
 * The graph of one query: the public view plus the payer's first hops, the
 * payee's route hints and blinded paths as extra edges, nodes unknown to the
 * graph as virtual slots, and the liquidity already used (in-flight HTLCs,
 * then the paths chosen so far for a multi-path payment).
 */
export class SearchSpace {
  /** Node slots: view nodes first, then virtual ones. */
  nodeTotal: number;
  readonly virtualIds: NodeId[] = [];
  private readonly virtualByHex = new Map<string, number>();
  readonly extra: ExtraEdge[] = [];
  /** Extra edges by target slot. */
  readonly extraIn = new Map<number, number[]>();
  /** Per public channel: 1 if it must not be used. */
  readonly banned: Uint8Array;
  /** Per public direction (`c * 2 + d`): msat already used. */
  readonly publicUsed: Float64Array;
  /** Per extra edge: msat already used. */
  extraUsed: Float64Array = new Float64Array(0);
  /** True when first hops replace the payer's public channels. */
  skipPayerPublic = false;
  /** The payer's slot. */
  readonly payer: number;

  /** Indexes of `publicUsed` and `banned` written by this query, zeroed again by {@link release}. */
  private readonly dirtyUsed: number[] = [];
  private readonly dirtyBanned: number[] = [];
  private inFlight: InFlightHtlcs = { entries: [] };

  /**
   * @param workspace zeroed arrays to reuse across queries (sized to the
   *   view's channels); the query gives them back zeroed through {@link release}
   */
  constructor(readonly view: NetworkGraphView, payer: NodeId, workspace?: { banned: Uint8Array; publicUsed: Float64Array }) {
    this.nodeTotal = view.nodeCount;
    const fits = workspace !== undefined && workspace.banned.length >= view.channelCount;
    this.banned = fits ? workspace.banned : new Uint8Array(view.channelCount);
    this.publicUsed = fits ? workspace.publicUsed : new Float64Array(view.channelCount * 2);
    this.payer = this.slotOf(payer);
  }

  /** Adds to the liquidity used in a public channel direction. */
  addPublicUsed(i: number, msat: number): void {
    this.publicUsed[i]! += msat;
    this.dirtyUsed.push(i);
  }

  /** Forgets the paths chosen so far: only the in-flight HTLCs stay used. */
  resetUsage(): void {
    for (const i of this.dirtyUsed) this.publicUsed[i] = 0;
    this.dirtyUsed.length = 0;
    this.extraUsed.fill(0);
    this.applyInFlight();
  }

  /** Zeroes what this query wrote into the shared workspace arrays. */
  release(): void {
    for (const i of this.dirtyUsed) this.publicUsed[i] = 0;
    for (const c of this.dirtyBanned) this.banned[c] = 0;
    this.dirtyUsed.length = 0;
    this.dirtyBanned.length = 0;
  }

  /** The slot of a node id, adding a virtual slot for a node the graph does not know. */
  slotOf(id: NodeId): number {
    const n = this.view.nodeIndex(id);
    if (n >= 0) return n;
    const hex = toHex(id);
    let slot = this.virtualByHex.get(hex);
    if (slot === undefined) {
      slot = this.nodeTotal++;
      this.virtualByHex.set(hex, slot);
      this.virtualIds.push(id);
    }
    return slot;
  }

  /** A virtual slot with no node id (the target behind blinded paths). */
  anonymousSlot(): number {
    this.virtualIds.push(EMPTY as NodeId);
    return this.nodeTotal++;
  }

  /** The node id of a slot (empty bytes for the anonymous target). */
  idOf(slot: number): NodeId {
    return slot < this.view.nodeCount ? this.view.nodeId(slot) : this.virtualIds[slot - this.view.nodeCount]!;
  }

  addEdge(edge: ExtraEdge): void {
    const i = this.extra.push(edge) - 1;
    const list = this.extraIn.get(edge.target);
    if (list === undefined) this.extraIn.set(edge.target, [i]);
    else list.push(i);
  }

  addFirstHops(firstHops: readonly FirstHop[]): void {
    this.skipPayerPublic = true;
    for (const h of firstHops) {
      const limit = msatNumber(h.nextOutboundHtlcLimitMsat);
      this.addEdge({
        kind: 'first_hop',
        source: this.payer,
        target: this.slotOf(h.counterpartyNodeId),
        shortChannelId: h.shortChannelId,
        feeBaseMsat: 0,
        feeProportionalMillionths: 0,
        cltvExpiryDelta: 0,
        htlcMinimumMsat: msatNumber(h.nextOutboundHtlcMinimumMsat),
        htlcMaximumMsat: limit,
        liquidityMsat: limit,
        channelFeatures: h.channelFeatures,
        targetFeatures: h.counterpartyFeatures,
        blindedIndex: -1,
      });
    }
  }

  addRouteHint(hint: readonly RouteHintHop[], payeeSlot: number): void {
    for (let i = 0; i < hint.length; i++) {
      const hop = hint[i]!;
      const source = this.slotOf(hop.sourceNodeId);
      const target = i + 1 < hint.length ? this.slotOf(hint[i + 1]!.sourceNodeId) : payeeSlot;
      if (source === target) continue;
      const max = hop.htlcMaximumMsat === undefined ? Number.MAX_SAFE_INTEGER : msatNumber(hop.htlcMaximumMsat);
      this.addEdge({
        kind: 'private_hint',
        source,
        target,
        shortChannelId: hop.shortChannelId,
        feeBaseMsat: hop.feeBaseMsat,
        feeProportionalMillionths: hop.feeProportionalMillionths,
        cltvExpiryDelta: hop.cltvExpiryDelta,
        htlcMinimumMsat: hop.htlcMinimumMsat === undefined ? 0 : msatNumber(hop.htlcMinimumMsat),
        htlcMaximumMsat: max,
        liquidityMsat: max,
        channelFeatures: EMPTY,
        targetFeatures: undefined,
        blindedIndex: -1,
      });
    }
  }

  addBlindedPath(path: BlindedPaymentPath, index: number, targetSlot: number): void {
    const source = this.slotOf(path.introductionNodeId);
    // Paying through a blinded path that we introduce ourselves needs no
    // routing; this router does not build such payments.
    if (source === this.payer) return;
    const max = msatNumber(path.htlcMaximumMsat);
    this.addEdge({
      kind: 'blinded',
      source,
      target: targetSlot,
      shortChannelId: 0n as ShortChannelId,
      feeBaseMsat: path.feeBaseMsat,
      feeProportionalMillionths: path.feeProportionalMillionths,
      cltvExpiryDelta: path.cltvExpiryDelta,
      htlcMinimumMsat: msatNumber(path.htlcMinimumMsat),
      htlcMaximumMsat: max,
      liquidityMsat: max,
      channelFeatures: path.features,
      targetFeatures: undefined,
      blindedIndex: index,
    });
  }

  banChannels(scids: readonly ShortChannelId[]): void {
    for (const scid of scids) {
      const c = this.view.channelIndex(scid);
      if (c >= 0) {
        this.banned[c] = 1;
        this.dirtyBanned.push(c);
      }
    }
  }

  /** Call after all edges are added: sizes the extra usage and applies in-flight HTLCs. */
  finish(inFlight: InFlightHtlcs): void {
    this.extraUsed = new Float64Array(this.extra.length);
    this.inFlight = inFlight;
    this.applyInFlight();
  }

  private applyInFlight(): void {
    for (const e of this.inFlight.entries) {
      const used = msatNumber(e.usedMsat);
      const c = this.view.channelIndex(e.shortChannelId);
      if (c >= 0) this.addPublicUsed(c * 2 + e.direction, used);
      this.extra.forEach((x, i) => {
        if (x.kind === 'private_hint' && x.shortChannelId === e.shortChannelId) this.extraUsed[i]! += used;
      });
    }
  }
}

/** Throws RouteError `invalid_params` when `ok` is false. */
export function requireParam(ok: boolean, message: string): void {
  if (!ok) throw new RouteError('invalid_params', message);
}
