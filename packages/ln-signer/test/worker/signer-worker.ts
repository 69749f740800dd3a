// Runs in a worker thread: derives a channel signer from the seed it is given and serves
// it on the port it is handed, answering every call from this thread.
import { workerData } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { KeysManager, type MessagePortLike, serveChannelSigner } from '../../src/index.js';

const { seed, keysId, port } = workerData as { seed: Uint8Array; keysId: Uint8Array; port: MessagePort };
const signer = new KeysManager(seed).deriveChannelSigner(1_000_000n, keysId);
serveChannelSigner(signer, port as unknown as MessagePortLike);
