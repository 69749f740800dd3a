import type { GraphChannel, GraphNode, MainnetGraph } from 'ln-mainnet-graph';

/**
 * A connected piece of the graph for CI-sized tests: a breadth-first walk
 * from the best-connected node, taking channels until `maxChannels`. Nodes and
 * channels are re-indexed densely; short channel ids are kept.
 */
export function subgraph(graph: MainnetGraph, maxChannels: number): MainnetGraph {
  const byNode: number[][] = graph.nodes.map(() => []);
  for (const ch of graph.channels) {
    byNode[ch.node1]!.push(ch.index);
    byNode[ch.node2]!.push(ch.index);
  }
  let start = 0;
  for (let n = 1; n < byNode.length; n++) if (byNode[n]!.length > byNode[start]!.length) start = n;
  const nodeMap = new Map<number, number>();
  const nodes: GraphNode[] = [];
  const channels: GraphChannel[] = [];
  const taken = new Set<number>();
  const queue = [start];
  const visit = (n: number) => {
    if (nodeMap.has(n)) return nodeMap.get(n)!;
    const idx = nodes.length;
    nodeMap.set(n, idx);
    nodes.push({ ...graph.nodes[n]!, index: idx });
    queue.push(n);
    return idx;
  };
  visit(start);
  queue.shift();
  queue.push(start);
  while (queue.length > 0 && channels.length < maxChannels) {
    const n = queue.shift()!;
    for (const c of byNode[n]!) {
      if (channels.length >= maxChannels) break;
      if (taken.has(c)) continue;
      taken.add(c);
      const ch = graph.channels[c]!;
      const n1 = visit(ch.node1);
      const n2 = visit(ch.node2);
      channels.push({ ...ch, index: channels.length, node1: n1, node2: n2 });
    }
  }
  return { nodes, channels };
}
