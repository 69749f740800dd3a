/**
 * The application's side of one connection (a TCP socket, a WebSocket...).
 * The PeerManager writes through it and asks it to close; the application
 * reports what happens on it with `readEvent`, `writeBufferSpaceAvail` and
 * `socketDisconnected`. Descriptors are told apart by object identity.
 */
export interface SocketDescriptor {
  /**
   * Writes as much of `data` as the socket takes now and returns how many bytes
   * it took. Taking fewer than `data.length` means "full": the PeerManager stops
   * writing until `writeBufferSpaceAvail(descriptor)`. When `resumeRead` is true
   * the socket must resume reading (it had been paused by a `"pause"` result).
   * The PeerManager never modifies `data` afterwards, so it may be kept without a copy.
   * It must not call back into the PeerManager synchronously.
   */
  sendData(data: Uint8Array, resumeRead: boolean): number;
  /**
   * Closes the connection. The PeerManager has already forgotten the peer, so
   * a later `socketDisconnected` for it is harmless.
   */
  disconnectSocket(): void;
}

/** What `readEvent` asks of the socket. */
export type ReadResult =
  /** Keep reading. */
  | 'ok'
  /** Stop reading until a `sendData(..., resumeRead = true)`: the peer's outbound buffer is full. */
  | 'pause'
  /** The peer was disconnected (the descriptor was told to close). */
  | 'disconnected';
