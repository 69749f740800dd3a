// The whole manager as versioned bytes, and reading it back (reconciliation
// with the monitors is in reconcile.ts).

import { decodeChannelMonitorUpdate, encodeChannelMonitorUpdate, type ChannelMonitorUpdate, type ChannelMonitorView } from 'ln-chain-api';
import { sha256 } from 'ln-crypto';
import { type BlockHash, type ChainHash, type ChannelId, type NodeId, equalBytes, toHex } from 'ln-types';
import { ChannelError } from '../errors.js';
import type { Event } from '../events.js';
import type { ChannelState } from '../channel/types.js';
import type { ChannelManagerArgs, ManagerCore } from '../manager/core.js';
import { decodeChannelState, encodeChannelState } from './channel-codec.js';
import { decodeEvent, encodeEvent } from './event-codec.js';
import { Reader, Writer, decoding, readList, readVarBytes, writeList, writeVarBytes } from './primitives.js';
import { reconcile } from './reconcile.js';

const MAGIC = new Uint8Array([0x4c, 0x4e, 0x43, 0x4d]); // "LNCM"
const VERSION = 1;

/** What ChannelManager.read needs: the constructor's arguments (the stored best block replaces `bestBlock`) and every monitor's summary. */
export interface ChannelManagerReadArgs extends Omit<ChannelManagerArgs, 'bestBlock'> {
  /** A summary of every ChannelMonitor the application has (LDK's ChannelManagerReadArgs::channel_monitors). */
  readonly channelMonitors: readonly ChannelMonitorView[];
}

/** A channel as stored: its state and the monitor updates not known to be persisted. */
export interface StoredChannel {
  readonly state: ChannelState;
  readonly inFlight: readonly ChannelMonitorUpdate[];
}

/** A closed channel whose monitor may still receive updates. */
export interface StoredClosed {
  readonly channelId: ChannelId;
  readonly counterpartyNodeId: NodeId;
  readonly latestUpdateId: bigint;
  readonly inFlight: readonly ChannelMonitorUpdate[];
}

/** Everything the bytes hold. */
export interface StoredManager {
  readonly chainHash: ChainHash;
  readonly bestBlock: { readonly blockHash: BlockHash; readonly height: number };
  readonly highestSeenTimestamp: number;
  readonly peers: readonly { nodeId: NodeId; features: Uint8Array }[];
  readonly channels: readonly StoredChannel[];
  readonly closed: readonly StoredClosed[];
  readonly events: readonly Event[];
  readonly handlerState: Uint8Array;
}

function writeUpdates(w: Writer, updates: readonly ChannelMonitorUpdate[]): void {
  // watchChannel (update 0) is not a ChannelMonitorUpdate: its being in flight is recorded as an empty update 0.
  writeList(w, updates, (w2, u) => writeVarBytes(w2, u.updateId === 0n ? new Uint8Array(0) : encodeChannelMonitorUpdate(u)));
}

function readUpdates(r: Reader, channelId: ChannelId): ChannelMonitorUpdate[] {
  return readList(r, 'in-flight updates', (r2) => {
    const b = readVarBytes(r2, 'update');
    return b.length === 0 ? { channelId, updateId: 0n, steps: [] } : decodeChannelMonitorUpdate(b);
  });
}

/** Encodes the manager (LDK's ChannelManager::write). */
export function writeManager(core: ManagerCore, handlerState: Uint8Array): Uint8Array {
  return encodeStoredManager({
    chainHash: core.chainHash,
    bestBlock: core.bestBlock,
    highestSeenTimestamp: core.highestSeenTimestamp,
    peers: [...core.peers.values()].map((p) => ({ nodeId: p.nodeId, features: p.features })),
    channels: core
      .fundedChannels()
      .filter((c) => !c.closed)
      .map((ch) => ({ state: ch.state, inFlight: ch.gate.inFlight.filter((f) => !f.done).map((f) => f.update) })),
    closed: [...core.closed.values()].map((c) => ({
      channelId: c.channelId,
      counterpartyNodeId: c.counterpartyNodeId,
      latestUpdateId: c.latestUpdateId,
      inFlight: c.gate.inFlight.filter((f) => !f.done).map((f) => f.update),
    })),
    events: core.pendingEvents,
    handlerState,
  });
}

/** Encodes everything a manager stores (what {@link decodeManager} reads back). */
export function encodeStoredManager(m: StoredManager): Uint8Array {
  const w = new Writer(16 * 1024).bytes(MAGIC).u8(VERSION);
  w.fixed(m.chainHash, 32, 'chain_hash').fixed(m.bestBlock.blockHash, 32, 'block_hash').u32(m.bestBlock.height).u64(BigInt(m.highestSeenTimestamp));
  writeList(w, m.peers, (w2, p) => w2.fixed(p.nodeId, 33, 'node_id').u16Bytes(p.features, 'features'));
  writeList(w, m.channels, (w2, ch) => {
    writeVarBytes(w2, encodeChannelState(ch.state));
    writeUpdates(w2, ch.inFlight);
  });
  writeList(w, m.closed, (w2, c) => {
    w2.fixed(c.channelId, 32, 'channel_id').fixed(c.counterpartyNodeId, 33, 'node_id').u64(c.latestUpdateId);
    writeUpdates(w2, c.inFlight);
  });
  writeList(w, m.events, (w2, e) => writeVarBytes(w2, encodeEvent(e)));
  writeVarBytes(w, m.handlerState);
  // A checksum: storage that flips bits is refused rather than trusted.
  const body = w.finish();
  const out = new Uint8Array(body.length + CHECKSUM_LENGTH);
  out.set(body);
  out.set(sha256(body).subarray(0, CHECKSUM_LENGTH), body.length);
  return out;
}

const CHECKSUM_LENGTH = 8;

/**
 * Decodes the bytes of {@link writeManager}.
 * @throws ChannelError `invalid_data`
 */
export function decodeManager(bytes: Uint8Array): StoredManager {
  return decoding('ChannelManager', () => {
    if (bytes.length < MAGIC.length + 1 + CHECKSUM_LENGTH) throw new ChannelError('invalid_data', 'too short for a ChannelManager');
    const body = bytes.subarray(0, bytes.length - CHECKSUM_LENGTH);
    if (!equalBytes(sha256(body).subarray(0, CHECKSUM_LENGTH), bytes.subarray(bytes.length - CHECKSUM_LENGTH))) throw new ChannelError('invalid_data', 'ChannelManager checksum mismatch (corrupted storage)');
    const r = new Reader(body);
    if (!equalBytes(r.bytes(4, 'magic'), MAGIC)) throw new ChannelError('invalid_data', 'not a ChannelManager');
    const version = r.u8('version');
    if (version !== VERSION) throw new ChannelError('invalid_data', `unknown ChannelManager version ${version}`);
    const chainHash = r.bytes(32).slice() as ChainHash;
    const bestBlock = { blockHash: r.bytes(32).slice() as BlockHash, height: r.u32() };
    const highestSeenTimestamp = Number(r.u64());
    const peers = readList(r, 'peers', (r2) => ({ nodeId: r2.bytes(33).slice() as NodeId, features: r2.u16Bytes('features').slice() }));
    const channels = readList(r, 'channels', (r2): StoredChannel => {
      const state = decodeChannelState(readVarBytes(r2, 'channel'));
      return { state, inFlight: readUpdates(r2, state.params.channelId) };
    });
    const closed = readList(r, 'closed channels', (r2): StoredClosed => {
      const channelId = r2.bytes(32).slice() as ChannelId;
      const counterpartyNodeId = r2.bytes(33).slice() as NodeId;
      const latestUpdateId = r2.u64();
      return { channelId, counterpartyNodeId, latestUpdateId, inFlight: readUpdates(r2, channelId) };
    });
    const events = readList(r, 'events', (r2) => decodeEvent(readVarBytes(r2, 'event')));
    const handlerState = readVarBytes(r, 'handler state');
    r.end('ChannelManager');
    const seen = new Set<string>();
    for (const c of channels) {
      const k = toHex(c.state.params.channelId);
      if (seen.has(k)) throw new ChannelError('invalid_data', 'a channel appears twice');
      seen.add(k);
    }
    return { chainHash, bestBlock, highestSeenTimestamp, peers, channels, closed, events, handlerState };
  });
}

/** What reading did beyond restoring state (for logs and tests). */
export interface ReadResult {
  /** Channels force closed because the manager was older than their monitor. */
  readonly staleChannels: readonly ChannelId[];
  /** Monitors with no channel in the manager, force closed. */
  readonly orphanMonitors: readonly ChannelId[];
  /** Monitor updates replayed to monitors that lacked them. */
  readonly replayedUpdates: number;
  /** Channels dropped because their first monitor persistence never completed (never broadcast). */
  readonly discardedChannels: readonly ChannelId[];
}

/** Reads a manager and reconciles it with its monitors. */
export async function readManager(bytes: Uint8Array, args: ChannelManagerReadArgs, makeCore: (handlerState: Uint8Array) => ManagerCore): Promise<ReadResult> {
  const stored = decodeManager(bytes);
  if (!equalBytes(stored.chainHash, args.chainHash)) throw new ChannelError('invalid_data', 'the stored manager is for another chain');
  const core = makeCore(stored.handlerState);
  core.bestBlock = stored.bestBlock;
  core.highestSeenTimestamp = stored.highestSeenTimestamp;
  for (const p of stored.peers) core.peer(p.nodeId).features = p.features;
  core.pendingEvents = [...stored.events];
  return reconcile(core, stored, args.channelMonitors);
}
