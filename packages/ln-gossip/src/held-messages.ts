import { nodeKey } from './node-key.js';

interface HeldUpdate {
  readonly raw: Uint8Array;
  readonly timestamp: number;
}

/**
 * Messages that arrived before what they refer to: channel_updates for a
 * channel not yet in the graph (unknown, or waiting for its funding check)
 * and node_announcements for a node without a channel yet. Only the newest
 * per direction / per node is kept, and at most `limit` in total (the oldest
 * entry is evicted first), so a flood of orphans costs bounded memory and no
 * signature checks. They are replayed through full validation when their
 * channel arrives, which makes the resulting graph independent of arrival order.
 */
export class HeldMessages {
  readonly #limit: number;
  // Map iteration order is insertion order: the first key is the oldest.
  readonly #updates = new Map<bigint, [HeldUpdate | undefined, HeldUpdate | undefined]>();
  readonly #nodes = new Map<string, HeldUpdate>();
  #count = 0;

  constructor(limit: number) {
    this.#limit = limit;
  }

  get size(): number {
    return this.#count;
  }

  holdUpdate(scid: bigint, direction: 0 | 1, timestamp: number, raw: Uint8Array): void {
    let slot = this.#updates.get(scid);
    if (slot === undefined) this.#updates.set(scid, (slot = [undefined, undefined]));
    const old = slot[direction];
    if (old !== undefined && old.timestamp >= timestamp) return;
    if (old === undefined) this.#count++;
    slot[direction] = { raw: raw.slice(), timestamp };
    this.#evict();
  }

  holdNodeAnnouncement(nodeId: Uint8Array, timestamp: number, raw: Uint8Array): void {
    const key = nodeKey(nodeId);
    const old = this.#nodes.get(key);
    if (old !== undefined && old.timestamp >= timestamp) return;
    if (old === undefined) this.#count++;
    this.#nodes.set(key, { raw: raw.slice(), timestamp });
    this.#evict();
  }

  /** Removes and returns what waits for `scid` and for its two nodes. */
  takeFor(scid: bigint, nodeId1: Uint8Array, nodeId2: Uint8Array): Uint8Array[] {
    const out: Uint8Array[] = [];
    const slot = this.#updates.get(scid);
    if (slot !== undefined) {
      this.#updates.delete(scid);
      for (const u of slot) {
        if (u === undefined) continue;
        out.push(u.raw);
        this.#count--;
      }
    }
    for (const id of [nodeId1, nodeId2]) {
      const key = nodeKey(id);
      const n = this.#nodes.get(key);
      if (n !== undefined) {
        this.#nodes.delete(key);
        this.#count--;
        out.push(n.raw);
      }
    }
    return out;
  }

  /** Drops what waits for a channel that will never come (closed, or refused). */
  dropChannel(scid: bigint): void {
    const slot = this.#updates.get(scid);
    if (slot === undefined) return;
    this.#updates.delete(scid);
    for (const u of slot) if (u !== undefined) this.#count--;
  }

  #evict(): void {
    while (this.#count > this.#limit) {
      // Evict from whichever map holds the oldest insertion; updates first (they are the bulk).
      const firstScid = this.#updates.keys().next();
      if (!firstScid.done) {
        this.dropChannel(firstScid.value);
        continue;
      }
      const firstNode = this.#nodes.keys().next();
      if (firstNode.done) return;
      this.#nodes.delete(firstNode.value);
      this.#count--;
    }
  }
}
