import * as ldk from 'lightningdevkit';

/** A byte pipe to a peer: a TCP socket or one end of an in-process pipe. */
export interface Transport {
  write(data: Uint8Array): void;
  /** Stop delivering received bytes (LDK's read backpressure). */
  pause(): void;
  resume(): void;
  close(): void;
}

/** What a connection needs from its node. */
export interface ConnectionHost {
  readonly peerManager: ldk.PeerManager;
  /** Called after LDK read bytes or lost a connection: run the node's event processing soon. */
  wake(): void;
}

let nextDescriptorId = 1n;

/**
 * One connection of a PeerManager: LDK's SocketDescriptor on one side, a
 * {@link Transport} on the other. LDK writes through `send_data` (always taking
 * everything: the transports buffer) and asks to pause reading when its own
 * buffers fill; received bytes go to `read_event`.
 */
export class PeerConnection {
  readonly descriptor: ldk.SocketDescriptor;
  private readonly id = nextDescriptorId++;
  private closed = false;

  constructor(
    private readonly host: ConnectionHost,
    private readonly transport: Transport,
  ) {
    this.descriptor = ldk.SocketDescriptor.new_impl({
      send_data: (data: Uint8Array, resumeRead: boolean): number => {
        if (resumeRead) this.transport.resume();
        if (this.closed) return 0;
        // `data` is a view into WASM memory: copy before it can move.
        this.transport.write(data.slice());
        return data.length;
      },
      disconnect_socket: (): void => {
        // LDK asked: it has forgotten the peer already, so no socket_disconnected later.
        this.closed = true;
        this.transport.close();
      },
      eq: (other: ldk.SocketDescriptor): boolean => other.hash() === this.id,
      hash: (): bigint => this.id,
    });
  }

  /** Bytes from the peer. */
  received(data: Uint8Array): void {
    if (this.closed) return;
    const result = this.host.peerManager.read_event(this.descriptor, data);
    if (result instanceof ldk.Result_boolPeerHandleErrorZ_OK) {
      if (result.res) this.transport.pause();
    } else {
      // LDK wants the connection gone and has dropped the peer already.
      this.closed = true;
      this.transport.close();
    }
    this.host.peerManager.process_events();
    this.host.wake();
  }

  /** The transport closed on its own (peer hung up, test disconnected). */
  transportClosed(): void {
    if (this.closed) return;
    this.closed = true;
    this.host.peerManager.socket_disconnected(this.descriptor);
    this.host.wake();
  }

  get isClosed(): boolean {
    return this.closed;
  }
}
