export { NoiseError, type NoiseErrorCode } from './errors.js';
export {
  PROTOCOL_NAME,
  PROLOGUE,
  HANDSHAKE_VERSION,
  ACT_ONE_LENGTH,
  ACT_TWO_LENGTH,
  ACT_THREE_LENGTH,
  MAC_LENGTH,
  LENGTH_HEADER_LENGTH,
  MAX_MESSAGE_LENGTH,
  KEY_ROTATION_INTERVAL,
} from './constants.js';
export { type MaybePromise, isPromise } from './maybe-promise.js';
export { type EcdhFunction, localEcdh } from './ecdh.js';
export type { HandshakeOptions, InitiatorOptions } from './options.js';
export { InitiatorHandshake, type HandshakeComplete, type InitiatorComplete } from './initiator.js';
export { ResponderHandshake } from './responder.js';
export { NoiseTransport } from './transport.js';
export { NoiseDecoder } from './decoder.js';
