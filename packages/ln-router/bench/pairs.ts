import type { NetworkGraphView } from 'ln-router-api';

/** A small seeded PRNG (mulberry32): the same pairs on every run and machine. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `count` (payer, payee) pairs of node indexes from a fixed seed. Payers are
 * drawn among nodes with at least one enabled outgoing direction, payees among
 * nodes with an enabled incoming one (two thirds of the snapshot's nodes have
 * neither: their directions never had an update or are disabled).
 */
export function randomPairs(view: NetworkGraphView, count: number, seed: number): [number, number][] {
  const senders: number[] = [];
  const receivers: number[] = [];
  for (let n = 0; n < view.nodeCount; n++) {
    let out = false;
    let inc = false;
    for (let k = 0; k < view.nodeChannelCount(n); k++) {
      const c = view.nodeChannelAt(n, k);
      const d = view.channelNode1(c) === n ? 0 : 1;
      if (view.policyEnabled(c, d)) out = true;
      if (view.policyEnabled(c, d === 0 ? 1 : 0)) inc = true;
    }
    if (out) senders.push(n);
    if (inc) receivers.push(n);
  }
  const rnd = seededRandom(seed);
  const pairs: [number, number][] = [];
  while (pairs.length < count) {
    const a = senders[Math.floor(rnd() * senders.length)]!;
    const b = receivers[Math.floor(rnd() * receivers.length)]!;
    if (a !== b) pairs.push([a, b]);
  }
  return pairs;
}
