export { PeerManager, type PeerManagerOptions, type PeerDetails } from './peer-manager.js';
export type { SocketDescriptor, ReadResult } from './socket.js';
export { DEFAULT_LIMITS, type PeerLimits } from './limits.js';
export { PeerError, type PeerErrorCode } from './errors.js';
export { addressDescriptor, type SocketAddress } from './address.js';
export type { PeerStage } from './peer.js';
export { scheduleProcessEvents, startTimers, type Tickable } from './drive.js';
export { connectWebSocket, type ConnectWebSocketOptions, type WebSocketConstructor } from './ws/connect.js';
export { WebSocketDescriptor, type WebSocketLike, type WebSocketTransportOptions } from './ws/descriptor.js';
