import { MonitorError } from '../errors.js';

// Frames of the watchtower link: a 4-byte big-endian length, a type byte, the
// payload. Payloads are ln-chain-api's versioned codecs (NewChannelMonitor,
// ChannelMonitorUpdate, MonitorEvent) or the small acknowledgements below.

/** Frame types. */
export const FRAME = {
  /** client → tower: encodeNewChannelMonitor */
  watch: 1,
  /** client → tower: encodeChannelMonitorUpdate */
  update: 2,
  /** tower → client: channel id (32) + update id (u64): stored durably by the tower */
  ack: 3,
  /** tower → client: encodeMonitorEvent (not update_completed: those are acks) */
  event: 4,
  /** tower → client: channel id (32) + update id (u64) + reason (UTF-8): refused */
  refused: 5,
} as const;

/** Largest frame accepted (a NewChannelMonitor with 966 HTLCs is far below). */
export const MAX_FRAME_LENGTH = 4 * 1024 * 1024;

export function encodeFrame(type: number, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(5 + payload.length);
  new DataView(out.buffer).setUint32(0, payload.length + 1);
  out[4] = type;
  out.set(payload, 5);
  return out;
}

/** Splits a byte stream into frames, whatever its chunking. */
export class FrameDecoder {
  private buffer = new Uint8Array(0);

  /**
   * Adds bytes; returns the complete frames.
   * @throws MonitorError `malformed` on an empty or oversized frame (the link is broken)
   */
  push(chunk: Uint8Array): { type: number; payload: Uint8Array }[] {
    const joined = new Uint8Array(this.buffer.length + chunk.length);
    joined.set(this.buffer);
    joined.set(chunk, this.buffer.length);
    const frames: { type: number; payload: Uint8Array }[] = [];
    let at = 0;
    while (joined.length - at >= 4) {
      const length = new DataView(joined.buffer, joined.byteOffset + at, 4).getUint32(0);
      if (length === 0 || length > MAX_FRAME_LENGTH) throw new MonitorError('malformed', `watchtower frame of ${length} bytes`);
      if (joined.length - at - 4 < length) break;
      frames.push({ type: joined[at + 4]!, payload: joined.slice(at + 5, at + 4 + length) });
      at += 4 + length;
    }
    this.buffer = joined.slice(at);
    return frames;
  }
}

export function encodeAck(channelId: Uint8Array, updateId: bigint, reason?: string): Uint8Array {
  const text = reason === undefined ? new Uint8Array(0) : new TextEncoder().encode(reason);
  const out = new Uint8Array(40 + text.length);
  out.set(channelId, 0);
  new DataView(out.buffer).setBigUint64(32, updateId);
  out.set(text, 40);
  return out;
}

export function decodeAck(payload: Uint8Array): { channelId: Uint8Array; updateId: bigint; reason: string } {
  if (payload.length < 40) throw new MonitorError('malformed', 'short watchtower acknowledgement');
  return {
    channelId: payload.slice(0, 32),
    updateId: new DataView(payload.buffer, payload.byteOffset + 32, 8).getBigUint64(0),
    reason: new TextDecoder().decode(payload.subarray(40)),
  };
}
