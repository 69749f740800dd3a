// ln-monitor/watchtower (Node only): a Watch over a byte stream and the tower that serves it.
export { WatchtowerClient } from './client.js';
export { WatchtowerServer } from './server.js';
export { FRAME, MAX_FRAME_LENGTH, FrameDecoder, encodeFrame } from './framing.js';
