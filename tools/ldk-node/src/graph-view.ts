import * as ldk from 'lightningdevkit';
import { isNullObject } from './result.js';

/** A channel of a network graph: its nodes and which directions have a channel_update. */
export interface GraphChannel {
  readonly nodeOne: Uint8Array;
  readonly nodeTwo: Uint8Array;
  /** node_one's update is known (LDK routes through a channel only when both are). */
  readonly oneToTwo: boolean;
  readonly twoToOne: boolean;
}

/**
 * Reads LDK's graph under its read lock and always frees it: an unfreed
 * ReadOnlyNetworkGraph makes the bindings' finalizer throw (killing the
 * process) whenever the garbage collector gets to it.
 */
function withGraph<T>(graph: ldk.NetworkGraph, read: (view: ldk.ReadOnlyNetworkGraph) => T): T {
  const view = graph.read_only();
  try {
    return read(view);
  } finally {
    view.free();
  }
}

/** Short channel ids in the graph. */
export function graphChannels(graph: ldk.NetworkGraph): bigint[] {
  return withGraph(graph, (view) => view.list_channels());
}

/** One channel of the graph, or undefined. */
export function graphChannel(graph: ldk.NetworkGraph, shortChannelId: bigint): GraphChannel | undefined {
  return withGraph(graph, (view) => {
    const info = view.channel(shortChannelId);
    if (isNullObject(info)) return undefined;
    return {
      nodeOne: info.get_node_one().as_slice().slice(),
      nodeTwo: info.get_node_two().as_slice().slice(),
      oneToTwo: !isNullObject(info.get_one_to_two()),
      twoToOne: !isNullObject(info.get_two_to_one()),
    };
  });
}

/** True when the graph has a node_announcement from `nodeId`. */
export function knowsNodeAnnouncement(graph: ldk.NetworkGraph, nodeId: Uint8Array): boolean {
  return withGraph(graph, (view) => {
    const info = view.node(ldk.NodeId.constructor_from_pubkey(nodeId));
    return !isNullObject(info) && info.get_announcement_info() instanceof ldk.Option_NodeAnnouncementInfoZ_Some;
  });
}
