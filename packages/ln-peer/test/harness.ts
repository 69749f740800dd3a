// In-memory sockets between PeerManagers: every byte goes through the real
// handshake and transport; delivery happens on pump(), in chunks we choose.
import { nobleSecp256k1 } from 'ln-crypto';
import { localEcdh } from 'ln-noise';
import { publicKey, type LogRecord, type Logger } from 'ln-types';
import { PeerManager, type PeerManagerOptions, type SocketDescriptor } from '../src/index.js';

export class MemorySocket implements SocketDescriptor {
  peerSide!: MemorySocket;
  /** Bytes written by this side, not yet read by the other side. */
  readonly outbox: Uint8Array[] = [];
  /** How many unread bytes this side may have in flight (the "kernel buffer"). */
  capacity = Number.POSITIVE_INFINITY;
  closed = false;
  /** The manager paused reading on this side. */
  readPaused = false;
  blocked = false;
  resumes = 0;

  constructor(readonly manager: PeerManager) {}

  get inFlight(): number {
    return this.outbox.reduce((n, c) => n + c.length, 0);
  }

  sendData(data: Uint8Array, resumeRead: boolean): number {
    if (resumeRead) {
      this.readPaused = false;
      this.resumes++;
    }
    if (this.closed) return 0;
    const n = Math.min(data.length, Math.max(0, this.capacity - this.inFlight));
    if (n > 0) this.outbox.push(data.slice(0, n));
    if (n < data.length) this.blocked = true;
    return n;
  }

  disconnectSocket(): void {
    this.closed = true;
  }
}

/** A connected pair of sockets: `a` belongs to `from`, `b` to `to`. */
export function socketPair(from: PeerManager, to: PeerManager): [MemorySocket, MemorySocket] {
  const a = new MemorySocket(from);
  const b = new MemorySocket(to);
  a.peerSide = b;
  b.peerSide = a;
  return [a, b];
}

/**
 * Delivers bytes both ways until quiet. `chunk` picks the size of each read
 * (default: whole writes). Closing propagates as socketDisconnected.
 */
export function pump(sockets: MemorySocket[], chunk?: () => number): void {
  for (let round = 0; round < 100_000; round++) {
    let moved = false;
    for (const s of sockets) {
      const reader = s.peerSide;
      // Written bytes arrive before the close, as on TCP.
      if (s.closed && !reader.closed && s.outbox.length === 0) {
        reader.closed = true;
        reader.manager.socketDisconnected(reader);
        moved = true;
        continue;
      }
      if (reader.closed || reader.readPaused || s.outbox.length === 0) continue;
      let data = s.outbox.shift()!;
      if (chunk !== undefined) {
        const size = Math.max(1, Math.min(chunk(), data.length));
        if (size < data.length) s.outbox.unshift(data.subarray(size));
        data = data.subarray(0, size);
      }
      moved = true;
      const result = reader.manager.readEvent(reader, data);
      if (result === 'pause') reader.readPaused = true;
      if (result === 'disconnected') reader.closed = true;
      if (s.blocked && s.inFlight < s.capacity) {
        s.blocked = false;
        s.manager.writeBufferSpaceAvail(s);
      }
    }
    for (const s of sockets) s.manager.processEvents();
    if (!moved) return;
  }
  throw new Error('pump did not settle');
}

export function keyOf(n: number): Uint8Array {
  return new Uint8Array(32).fill(n);
}

export function memoryLogger(level: Logger['level'] = 'debug'): Logger & { records: LogRecord[] } {
  const records: LogRecord[] = [];
  return { level, records, log: (r) => records.push(r) };
}

export function makeManager(n: number, extra: Partial<PeerManagerOptions> = {}): PeerManager {
  const secret = keyOf(n);
  return new PeerManager({ localPublicKey: publicKey(nobleSecp256k1.publicKeyCreate(secret)), ecdh: localEcdh(secret), ...extra });
}

/** Connects `from` to `to` and pumps until quiet; returns the sockets. */
export function connect(from: PeerManager, to: PeerManager, chunk?: () => number): [MemorySocket, MemorySocket] {
  const [a, b] = socketPair(from, to);
  to.newInboundConnection(b);
  from.newOutboundConnection(to.nodeId, a);
  pump([a, b], chunk);
  return [a, b];
}
