// A small graph for API tests: a line a - b - c - d plus an isolated pair e - f.
import { CHAIN_HASHES, fromHex, type NodeId } from 'ln-types';
import { buildTypedGraph, type PolicyData } from 'ln-router';

export const ids = ['11', '22', '33', '44', '55', '66'].map((b) => fromHex('02' + b.repeat(32)) as NodeId);
const policy = (fee: number, ts: number): PolicyData => ({
  htlcMinimumMsat: 1000n,
  htlcMaximumMsat: 500_000_000n,
  feeBaseMsat: fee,
  feeProportionalMillionths: 100,
  cltvExpiryDelta: 40,
  disabled: false,
  lastUpdate: ts,
});
export const graph = buildTypedGraph({
  nodes: ids.map((nodeId) => ({ nodeId })),
  channels: [
    { shortChannelId: 1n << 40n, node1: 0, node2: 1, capacitySat: 1_000_000n, policies: [policy(1000, 100), policy(1000, 100)] },
    { shortChannelId: 2n << 40n, node1: 1, node2: 2, capacitySat: 1_000_000n, policies: [policy(2000, 200), policy(1000, 150)] },
    { shortChannelId: 3n << 40n, node1: 2, node2: 3, capacitySat: 1_000_000n, policies: [policy(500, 300), null] },
    { shortChannelId: 4n << 40n, node1: 4, node2: 5, capacitySat: 1_000_000n, policies: [policy(500, 300), policy(500, 300)] },
  ],
});
export const chainHash = CHAIN_HASHES.regtest;
