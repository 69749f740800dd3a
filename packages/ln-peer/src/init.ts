// The init exchange (BOLT 1) and feature negotiation (BOLT 9).
import type { ChainHash } from 'ln-types';
import { equalBytes } from 'ln-types';
import {
  featureBitsOf,
  initFeatures,
  isFeatureBitSet,
  missingFeatureDependencies,
  unknownRequiredBits,
  type InitMessage,
} from 'ln-wire';

/** Our init: `features` in full, and its bits below 13 also in the legacy `globalfeatures`. */
export function buildInit(features: Uint8Array, chains: readonly ChainHash[], remoteAddr: Uint8Array | undefined): InitMessage {
  const legacy = featureBitsOf(features).filter((b) => b < 13);
  const globalFeatures = legacy.length === 0 ? new Uint8Array(0) : Uint8Array.of(...bitsToBytes(legacy));
  const tlvs: { networks?: ChainHash[]; remoteAddr?: Uint8Array } = {};
  if (chains.length > 0) tlvs.networks = [...chains];
  if (remoteAddr !== undefined) tlvs.remoteAddr = remoteAddr;
  return Object.keys(tlvs).length === 0 ? { type: 'init', globalFeatures, features } : { type: 'init', globalFeatures, features, tlvs };
}

function bitsToBytes(bits: number[]): number[] {
  const max = Math.max(...bits);
  const out = new Array<number>((max >> 3) + 1).fill(0);
  for (const b of bits) out[out.length - 1 - (b >> 3)]! |= 1 << (b & 7);
  return out;
}

/** Why an init is refused, or `undefined` when the peer is acceptable. */
export function checkInit(theirs: InitMessage, ours: Uint8Array, chains: readonly ChainHash[]): string | undefined {
  const features = initFeatures(theirs);
  // A required (even) bit whose pair we do not support: we cannot talk to this peer.
  const unknown = unknownRequiredBits(features, (bit) => isFeatureBitSet(ours, bit) || isFeatureBitSet(ours, bit + 1));
  if (unknown.length > 0) return `peer requires feature bits we do not support: ${unknown.join(', ')}`;
  // A feature we require that the peer does not offer at all.
  for (const bit of featureBitsOf(ours)) {
    if (bit % 2 === 0 && !isFeatureBitSet(features, bit) && !isFeatureBitSet(features, bit + 1)) {
      return `peer does not support feature bit ${bit}, which we require`;
    }
  }
  const missing = missingFeatureDependencies(features);
  if (missing.length > 0) return `peer sets ${missing[0]!.feature} without ${missing[0]!.missing}`;
  const networks = theirs.tlvs?.networks;
  if (networks !== undefined && networks.length > 0 && chains.length > 0 && !networks.some((n) => chains.some((c) => equalBytes(n, c)))) {
    return 'peer is on none of our chains';
  }
  return undefined;
}
