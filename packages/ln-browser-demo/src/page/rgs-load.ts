import { NetworkGraph, applyRgsSnapshot } from 'ln-gossip';
import { chainHash, fromHex } from 'ln-types';
import type { DemoConfig } from '../config.js';

/**
 * Fetches the routing server's RGS snapshot (from time 0: the whole graph) and
 * applies it to a new graph, judged by the page's clock (the gossip's
 * generation time), so a demo generated weeks ago is not refused as stale.
 */
export async function loadFromRgs(config: DemoConfig): Promise<{ graph: NetworkGraph; snapshotBytes: number }> {
  const res = await fetch(config.rgsPath);
  if (!res.ok) throw new Error(`RGS snapshot: HTTP ${res.status}`);
  const bytes = new Uint8Array(await res.arrayBuffer());
  const graph = new NetworkGraph(chainHash(fromHex(config.chainHash)));
  applyRgsSnapshot(graph, bytes, { now: config.clockSeconds });
  return { graph, snapshotBytes: bytes.length };
}
