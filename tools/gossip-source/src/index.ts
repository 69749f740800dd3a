export { startGossipSource, type GossipSource, type GossipSourceOptions } from './gossip-source.js';
