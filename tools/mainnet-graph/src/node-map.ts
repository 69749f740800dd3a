import { fromHex } from 'ln-types';
import { MainnetGraphError } from './errors.js';

/** One line of the node map: a node index with its real id and alias. */
export interface NodeMapEntry {
  readonly index: number;
  /** 33-byte compressed public key. */
  readonly nodeId: Uint8Array;
  /** The node's alias as announced (may be empty, may contain `:`). */
  readonly alias: string;
}

/**
 * Parses the node map text: lines `index:node_id_hex:alias`. Returns the
 * entries indexed by node index (`result[i].index === i`); every index from 0
 * to the largest must appear exactly once.
 * @throws MainnetGraphError `bad_node_map`
 */
export function parseNodeMap(text: string): NodeMapEntry[] {
  const out: NodeMapEntry[] = [];
  const lines = text.split('\n');
  for (let lineNo = 0; lineNo < lines.length; lineNo++) {
    const line = lines[lineNo]!;
    if (line === '') continue;
    const first = line.indexOf(':');
    const second = first < 0 ? -1 : line.indexOf(':', first + 1);
    const indexText = line.slice(0, first);
    const hex = line.slice(first + 1, second);
    if (second < 0 || !/^\d{1,9}$/.test(indexText) || !/^0[23][0-9a-f]{64}$/.test(hex)) {
      throw new MainnetGraphError('bad_node_map', `line ${lineNo + 1} is not index:node_id:alias`);
    }
    const index = Number(indexText);
    if (out[index] !== undefined) throw new MainnetGraphError('bad_node_map', `node index ${index} appears twice`);
    out[index] = { index, nodeId: fromHex(hex), alias: line.slice(second + 1) };
  }
  for (let i = 0; i < out.length; i++) {
    if (out[i] === undefined) throw new MainnetGraphError('bad_node_map', `node index ${i} is missing`);
  }
  return out;
}
