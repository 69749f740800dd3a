import { scheduleProcessEvents } from '../drive.js';
import type { PeerManager } from '../peer-manager.js';
import type { SocketDescriptor } from '../socket.js';

/** The parts of a WebSocket (standard browser API or the `ws` package) the transport uses. */
export interface WebSocketLike {
  binaryType: string;
  readonly bufferedAmount: number;
  readonly readyState: number;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open' | 'message' | 'close' | 'error', listener: (event: { data?: unknown }) => void): void;
}

/** Tuning of a WebSocket connection. */
export interface WebSocketTransportOptions {
  /** Above this many bytes buffered for sending, report "full" to the PeerManager (default 1 MiB). */
  readonly highWaterBytes?: number;
  /**
   * The standard WebSocket API cannot stop the peer from sending: while the
   * PeerManager has paused reading, frames are queued here, and the connection
   * is closed if the queue passes this many bytes (default 4 MiB).
   */
  readonly maxQueuedBytes?: number;
}

const OPEN = 1;

/**
 * BOLT 8 over WebSocket binary frames: the frames carry the encrypted byte
 * stream in any chunking (the PeerManager's decoder reassembles it), as Core
 * Lightning's WebSocket port does. Backpressure toward the peer uses
 * `bufferedAmount`; pausing reads uses the socket's own pause when it has one
 * (`ws` in Node), else a bounded queue.
 */
export class WebSocketDescriptor implements SocketDescriptor {
  readonly #manager: PeerManager;
  readonly #ws: WebSocketLike;
  readonly #highWater: number;
  readonly #maxQueued: number;
  readonly #nativePause: { pause(): void; resume(): void } | undefined;
  #paused = false;
  #full = false;
  #queue: Uint8Array[] = [];
  #queuedBytes = 0;

  constructor(manager: PeerManager, ws: WebSocketLike, options: WebSocketTransportOptions = {}) {
    this.#manager = manager;
    this.#ws = ws;
    this.#highWater = options.highWaterBytes ?? 1 << 20;
    this.#maxQueued = options.maxQueuedBytes ?? 4 << 20;
    const native = ws as unknown as { pause?: unknown; resume?: unknown };
    this.#nativePause = typeof native.pause === 'function' && typeof native.resume === 'function' ? (ws as unknown as { pause(): void; resume(): void }) : undefined;
    ws.binaryType = 'arraybuffer';
  }

  /** Feeds one received frame to the manager (or queues it while reading is paused). */
  receive(data: unknown): void {
    const bytes = toBytes(data);
    if (bytes === undefined) {
      // A text frame is not part of the protocol.
      this.#ws.close(1003, 'binary frames only');
      return;
    }
    if (this.#paused) {
      this.#queue.push(bytes);
      this.#queuedBytes += bytes.length;
      if (this.#queuedBytes > this.#maxQueued) this.#ws.close(1008, 'peer sends faster than it reads');
      return;
    }
    this.#deliver(bytes);
  }

  #deliver(bytes: Uint8Array): void {
    const result = this.#manager.readEvent(this, bytes);
    if (result === 'pause') {
      this.#paused = true;
      this.#nativePause?.pause();
    }
    scheduleProcessEvents(this.#manager);
  }

  sendData(data: Uint8Array, resumeRead: boolean): number {
    if (resumeRead && this.#paused) {
      this.#paused = false;
      this.#nativePause?.resume();
      // Never call back into the manager from inside sendData: replay later.
      if (this.#queue.length > 0) setTimeout(() => this.#replay(), 0);
    }
    if (this.#full || this.#ws.readyState !== OPEN || data.length === 0) return 0;
    if (this.#ws.bufferedAmount > this.#highWater) {
      this.#full = true;
      this.#waitForSpace();
      return 0;
    }
    this.#ws.send(data);
    return data.length;
  }

  #replay(): void {
    while (this.#queue.length > 0 && !this.#paused) {
      const bytes = this.#queue.shift()!;
      this.#queuedBytes -= bytes.length;
      this.#deliver(bytes);
    }
  }

  // The standard API has no drain event: poll bufferedAmount while full.
  #waitForSpace(): void {
    const check = () => {
      if (this.#ws.readyState !== OPEN) return;
      if (this.#ws.bufferedAmount > this.#highWater / 2) return void setTimeout(check, 10);
      this.#full = false;
      this.#manager.writeBufferSpaceAvail(this);
      scheduleProcessEvents(this.#manager);
    };
    setTimeout(check, 10);
  }

  disconnectSocket(): void {
    this.#ws.close(1000);
  }
}

function toBytes(data: unknown): Uint8Array | undefined {
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (Array.isArray(data)) {
    // `ws` may deliver fragmented messages as a list of chunks.
    const parts = data.map(toBytes);
    if (parts.some((p) => p === undefined)) return undefined;
    const out = new Uint8Array(parts.reduce((n, p) => n + p!.length, 0));
    let offset = 0;
    for (const p of parts) {
      out.set(p!, offset);
      offset += p!.length;
    }
    return out;
  }
  return undefined;
}

/** Wires a WebSocket's events to the manager through a descriptor. */
export function attachWebSocket(descriptor: WebSocketDescriptor, manager: PeerManager, ws: WebSocketLike): void {
  ws.addEventListener('message', (event) => descriptor.receive(event.data));
  ws.addEventListener('close', () => {
    manager.socketDisconnected(descriptor);
    scheduleProcessEvents(manager);
  });
  ws.addEventListener('error', () => {
    // 'close' follows.
  });
}
