import { fromHex, toHex, txid as brandTxid } from 'ln-types';
import type { LdkNodeState } from './ldk-node.js';

/** {@link LdkNodeState} as JSON-safe data (hex for bytes, decimal strings for amounts). */
export interface LdkNodeStateJson {
  readonly seed: string;
  readonly manager: string;
  readonly monitors: Record<string, string>;
  readonly graph: string;
  readonly scorer: string;
  readonly wallet: {
    readonly scriptsUsed: number;
    readonly utxos: { txid: string; index: number; amountSat: string; script: string; height: number | null }[];
  };
}

/** Encodes a node state for a file. */
export function nodeStateToJson(state: LdkNodeState): LdkNodeStateJson {
  return {
    seed: toHex(state.seed),
    manager: toHex(state.manager),
    monitors: Object.fromEntries([...state.monitors].map(([name, bytes]) => [name, toHex(bytes)])),
    graph: toHex(state.graph),
    scorer: toHex(state.scorer),
    wallet: {
      scriptsUsed: state.wallet.scriptsUsed,
      utxos: state.wallet.utxos.map((u) => ({ txid: toHex(u.outpoint.txid), index: u.outpoint.index, amountSat: u.amountSat.toString(), script: toHex(u.script), height: u.height ?? null })),
    },
  };
}

/** Decodes {@link nodeStateToJson}. @throws TypesError on malformed hex */
export function nodeStateFromJson(json: LdkNodeStateJson): LdkNodeState {
  return {
    seed: fromHex(json.seed),
    manager: fromHex(json.manager),
    monitors: new Map(Object.entries(json.monitors).map(([name, hex]) => [name, fromHex(hex)])),
    graph: fromHex(json.graph),
    scorer: fromHex(json.scorer),
    wallet: {
      scriptsUsed: json.wallet.scriptsUsed,
      utxos: json.wallet.utxos.map((u) => ({ outpoint: { txid: brandTxid(fromHex(u.txid)), index: u.index }, amountSat: BigInt(u.amountSat), script: fromHex(u.script), height: u.height ?? undefined })),
    },
  };
}

/** JSON.stringify that writes bigint as decimal strings and bytes as hex (for events and answers). */
export function toJsonLine(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v instanceof Uint8Array ? toHex(v) : v));
}
