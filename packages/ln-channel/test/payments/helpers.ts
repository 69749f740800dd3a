// Test helpers: vector files, signers from raw keys, synthetic paths.
import { readFileSync } from 'node:fs';
import native from 'secp256k1';
import { createNativeSecp256k1Backend, defaultSecp256k1, publicKeyFromPrivate, type Secp256k1Backend } from 'ln-crypto';
import type { Path, RouteHop } from 'ln-router-api';
import type { NodeSigner } from 'ln-signer-api';
import { fromHex, nodeId, shortChannelId, type NodeId } from 'ln-types';

/** Parses a fixture file (BOLT vectors copied with their provenance in `source`). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- vector files are loosely typed JSON
export function fixture<T = any>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8')) as T;
}

/** The native libsecp256k1 backend (tests with many signatures). */
export const nativeSecp: Secp256k1Backend = createNativeSecp256k1Backend(native);

/** A NodeSigner's ECDH over a raw private key (what peeling needs). */
export function keySigner(privateKey: Uint8Array | string, backend: Secp256k1Backend = defaultSecp256k1): Pick<NodeSigner, 'ecdh'> & { nodeId: NodeId } {
  const k = typeof privateKey === 'string' ? fromHex(privateKey) : privateKey;
  return {
    nodeId: nodeId(backend.publicKeyCreate(k)),
    async ecdh(_recipient, point, tweak) {
      return backend.ecdh(tweak === undefined ? k : backend.privateKeyTweakMul(k, tweak), point);
    },
  };
}

/** A deterministic private key from a small integer. */
export function keyOf(n: number): Uint8Array {
  const k = new Uint8Array(32);
  k[0] = 0x33;
  new DataView(k.buffer).setUint32(28, n + 1);
  return k;
}

export const pubOf = (n: number): NodeId => nodeId(publicKeyFromPrivate(keyOf(n)));

/**
 * A path through nodes keyOf(1..hops) delivering `amount` with per-hop fees
 * and cltv deltas (cumulative cltv, as routers give them).
 */
export function syntheticPath(hops: number, amount: bigint, feeMsat = 1000n, delta = 40, finalDelta = 50): Path {
  const out: RouteHop[] = [];
  let amt = amount;
  let cltv = finalDelta;
  for (let i = hops; i >= 1; i--) {
    const isLast = i === hops;
    out.unshift({
      nodeId: pubOf(i),
      nodeFeatures: new Uint8Array(0),
      shortChannelId: shortChannelId(BigInt(i) << 40n),
      channelFeatures: new Uint8Array(0),
      amountMsat: amt,
      feeMsat: isLast ? 0n : feeMsat,
      cltvExpiryDelta: cltv,
      announced: true,
    });
    if (i > 1) {
      amt += feeMsat;
      cltv += delta;
    }
  }
  return { hops: out };
}
