export { fastestBackend } from './backend.js';
export { deterministicKey } from './keys.js';
export {
  signChannelAnnouncement,
  signChannelUpdate,
  signNodeAnnouncement,
  fundingOutputScript,
  type ChannelKeys,
  type SignedAnnouncement,
  type UpdateFields,
  type NodeFields,
} from './sign.js';
export { generateGossip, allMessages, aliasBytes, DEFAULT_TIMESTAMP, type GenerateOptions, type GeneratedGossip } from './generate.js';
export { subgraph } from './subgraph.js';
export { packMessages, unpackMessages } from './message-file.js';
