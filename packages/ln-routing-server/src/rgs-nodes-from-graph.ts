import type { NetworkGraph } from 'ln-gossip';
import type { RgsNodeState } from 'ln-rgs';
import { decodeMessage, WireError } from 'ln-wire';

/**
 * The RGS version 2 node input from a gossip graph: each node's current
 * node_announcement (features, addresses, timestamp), read from the raw
 * announcement the graph keeps. Like the channels, only the current state is
 * known, so an incremental snapshot sends a changed node whole.
 */
export function* rgsNodesFromGraph(graph: NetworkGraph): Generator<RgsNodeState> {
  for (let n = 0; n < graph.nodeCount; n++) {
    if (!graph.nodeExists(n)) continue;
    const raw = graph.nodeAnnouncement(n);
    if (raw === undefined) continue;
    let message;
    try {
      message = decodeMessage(raw);
    } catch (e) {
      // The graph only keeps announcements it decoded and verified; skip rather than fail a snapshot.
      if (e instanceof WireError) continue;
      throw e;
    }
    if (message.type !== 'node_announcement') continue;
    yield {
      nodeId: graph.nodeId(n),
      announcements: [{ timestamp: message.timestamp, features: message.features, addresses: message.addresses }],
    };
  }
}
