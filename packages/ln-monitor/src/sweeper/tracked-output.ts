import type { SpendableOutputDescriptor } from 'ln-chain-api';
import { type ChannelId, channelId } from 'ln-types';
import { type Tx, decodeTx, encodeTx } from 'ln-tx';
import { Reader, Writer } from 'ln-wire';
import { readDescriptor, writeDescriptor } from '../codec/descriptor-codec.js';
import { readBool, readRecord, readVarBytes, writeVarBytes } from '../codec/primitives.js';
import { MonitorError } from '../errors.js';

// An output the OutputSweeper is sweeping (LDK's TrackedSpendableOutput) and its
// stored form (tag 'S', version 1), one KVStore record per output.

/** Where the sweep of an output stands. */
export type SweepStatus =
  /** Not broadcast yet (or waiting for `delayedUntilHeight`). */
  | { readonly kind: 'pending_initial_broadcast'; readonly delayedUntilHeight?: number }
  /** Broadcast; not confirmed. */
  | { readonly kind: 'pending_first_confirmation'; readonly firstBroadcastHeight: number; readonly latestBroadcastHeight: number; readonly spendingTx: Tx; readonly feerate: number }
  /** Spent by `spendingTx` at `confirmationHeight`: forgotten once ANTI_REORG_DELAY deep. */
  | { readonly kind: 'pending_threshold_confirmations'; readonly confirmationHeight: number; readonly spendingTx: Tx; readonly feerate: number };

export interface TrackedSpendableOutput {
  readonly descriptor: SpendableOutputDescriptor;
  readonly channelId?: ChannelId;
  status: SweepStatus;
}

const TAG = 0x53;
const VERSION = 1;
const KINDS: readonly SweepStatus['kind'][] = ['pending_initial_broadcast', 'pending_first_confirmation', 'pending_threshold_confirmations'];

export function encodeTrackedOutput(t: TrackedSpendableOutput): Uint8Array {
  const w = new Writer(512).u8(TAG).u8(VERSION);
  writeDescriptor(w, t.descriptor);
  w.u8(t.channelId === undefined ? 0 : 1);
  if (t.channelId !== undefined) w.fixed(t.channelId, 32, 'channel id');
  const s = t.status;
  w.u8(KINDS.indexOf(s.kind));
  switch (s.kind) {
    case 'pending_initial_broadcast':
      w.u8(s.delayedUntilHeight === undefined ? 0 : 1);
      if (s.delayedUntilHeight !== undefined) w.u32(s.delayedUntilHeight);
      break;
    case 'pending_first_confirmation':
      w.u32(s.firstBroadcastHeight);
      w.u32(s.latestBroadcastHeight);
      w.u32(s.feerate);
      writeVarBytes(w, encodeTx(s.spendingTx));
      break;
    case 'pending_threshold_confirmations':
      w.u32(s.confirmationHeight);
      w.u32(s.feerate);
      writeVarBytes(w, encodeTx(s.spendingTx));
      break;
  }
  return w.finish();
}

/**
 * Reads {@link encodeTrackedOutput}'s bytes.
 * @throws MonitorError `malformed` / `unsupported_version`
 */
export function decodeTrackedOutput(bytes: Uint8Array): TrackedSpendableOutput {
  return readRecord(new Reader(bytes), TAG, VERSION, 'tracked spendable output', (r) => {
    const descriptor = readDescriptor(r);
    const channel = readBool(r, 'has channel id') ? channelId(r.bytes(32, 'channel id').slice()) : undefined;
    const kind = KINDS[r.u8('sweep status')];
    let status: SweepStatus;
    switch (kind) {
      case 'pending_initial_broadcast': {
        const delayedUntilHeight = readBool(r, 'delayed') ? r.u32('delayed until') : undefined;
        status = delayedUntilHeight === undefined ? { kind } : { kind, delayedUntilHeight };
        break;
      }
      case 'pending_first_confirmation':
        status = { kind, firstBroadcastHeight: r.u32('first broadcast'), latestBroadcastHeight: r.u32('latest broadcast'), feerate: r.u32('feerate'), spendingTx: decodeTx(readVarBytes(r, 'spending tx')) };
        break;
      case 'pending_threshold_confirmations':
        status = { kind, confirmationHeight: r.u32('confirmation height'), feerate: r.u32('feerate'), spendingTx: decodeTx(readVarBytes(r, 'spending tx')) };
        break;
      default:
        throw new MonitorError('malformed', 'unknown sweep status');
    }
    return { descriptor, ...(channel === undefined ? {} : { channelId: channel }), status };
  });
}
