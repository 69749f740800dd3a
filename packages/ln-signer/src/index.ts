export { KeysManager, type KeysManagerOptions, cryptoEntropySource } from './keys-manager.js';
export { InMemorySigner } from './in-memory-signer.js';
export { type ChannelSecrets, deriveChannelSecrets } from './derive.js';
export { type MessagePortLike, REMOTE_METHODS, type RemoteMethod, type RemoteRequest, type RemoteResponse } from './remote/port.js';
export { serveChannelSigner } from './remote/server.js';
export { RemoteChannelSigner } from './remote/client.js';
