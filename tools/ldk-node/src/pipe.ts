import * as ldk from 'lightningdevkit';
import { concatBytes } from 'ln-types';
import { LdkNodeError } from './errors.js';
import { type ConnectionHost, PeerConnection, type Transport } from './connection.js';

/** An in-process connection between two PeerManagers. */
export interface Pipe {
  /** Closes both ends (each PeerManager sees the disconnection). */
  close(): void;
}

/**
 * Joins two nodes' PeerManagers in this process. Bytes are delivered on
 * `setImmediate`, never inside the sender's LDK call (a synchronous delivery
 * would re-enter the other PeerManager from within this one's `process_events`).
 */
export function connectPipe(initiator: ConnectionHost, responder: ConnectionHost, responderNodeId: Uint8Array): Pipe {
  const a = new PipeEnd();
  const b = new PipeEnd();
  a.other = b;
  b.other = a;
  const ca = new PeerConnection(initiator, a);
  const cb = new PeerConnection(responder, b);
  a.connection = ca;
  b.connection = cb;
  const inbound = responder.peerManager.new_inbound_connection(cb.descriptor, ldk.Option_SocketAddressZ.constructor_none());
  if (!(inbound instanceof ldk.Result_NonePeerHandleErrorZ_OK)) throw new LdkNodeError('ldk_refused', 'LDK refused the inbound pipe');
  const act1 = initiator.peerManager.new_outbound_connection(responderNodeId, ca.descriptor, ldk.Option_SocketAddressZ.constructor_none());
  if (!(act1 instanceof ldk.Result_CVec_u8ZPeerHandleErrorZ_OK)) throw new LdkNodeError('ldk_refused', 'LDK refused the outbound pipe');
  a.write(act1.res.slice());
  return {
    close: () => {
      a.close();
    },
  };
}

class PipeEnd implements Transport {
  other: PipeEnd | undefined;
  connection: PeerConnection | undefined;
  private readonly inbox: Uint8Array[] = [];
  private paused = false;
  private scheduled = false;
  private closed = false;

  write(data: Uint8Array): void {
    if (this.closed) return;
    this.other!.deliver(data);
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.schedule();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    setImmediate(() => this.connection!.transportClosed());
    this.other!.close();
  }

  private deliver(data: Uint8Array): void {
    if (this.closed) return;
    this.inbox.push(data);
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled || this.paused) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      while (this.inbox.length > 0 && !this.paused && !this.closed) {
        const chunks = this.inbox.splice(0, this.inbox.length);
        const data = chunks.length === 1 ? chunks[0]! : concatBytes(...chunks);
        this.connection!.received(data);
      }
    });
  }
}

