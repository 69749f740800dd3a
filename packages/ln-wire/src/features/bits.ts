import { WireError } from '../errors.js';
import { FEATURES, featureOfBit, type FeatureName } from './table.js';

// Feature vectors are big-endian bitfields as on the wire: bit 0 is the least
// significant bit of the LAST byte. All helpers take and return plain bytes
// and never mutate their input.

/** True when `bit` is set. */
export function isFeatureBitSet(features: Uint8Array, bit: number): boolean {
  const index = features.length - 1 - (bit >> 3);
  return index >= 0 && (features[index]! & (1 << (bit & 7))) !== 0;
}

/** The set bits, ascending. */
export function featureBitsOf(features: Uint8Array): number[] {
  const out: number[] = [];
  for (let i = features.length - 1, base = 0; i >= 0; i--, base += 8) {
    const byte = features[i]!;
    if (byte === 0) continue;
    for (let b = 0; b < 8; b++) if (byte & (1 << b)) out.push(base + b);
  }
  return out;
}

/** A minimal-length feature vector with exactly these bits set. */
export function featuresFromBits(bits: Iterable<number>): Uint8Array {
  const list = [...bits];
  let max = -1;
  for (const b of list) {
    if (!Number.isInteger(b) || b < 0 || b >= 65535 * 8) throw new WireError('invalid_value', `feature bit ${b} out of range`);
    if (b > max) max = b;
  }
  const out = new Uint8Array((max >> 3) + 1);
  for (const b of list) out[out.length - 1 - (b >> 3)]! |= 1 << (b & 7);
  return out;
}

/** A copy of `features` with more bits set. */
export function withFeatureBits(features: Uint8Array, ...bits: number[]): Uint8Array {
  return featuresFromBits([...featureBitsOf(features), ...bits]);
}

/** Bitwise OR of feature vectors, minimal length. */
export function mergeFeatures(...vectors: Uint8Array[]): Uint8Array {
  return featuresFromBits(vectors.flatMap(featureBitsOf));
}

/** `features` without leading zero bytes (the minimal encoding). */
export function minimalFeatures(features: Uint8Array): Uint8Array {
  let i = 0;
  while (i < features.length && features[i] === 0) i++;
  return features.slice(i);
}

/** True when either bit of the named feature is set. */
export function supportsFeature(features: Uint8Array, name: FeatureName): boolean {
  const { bit } = FEATURES[name];
  return isFeatureBitSet(features, bit) || isFeatureBitSet(features, bit + 1);
}

/** True when the named feature's even (compulsory) bit is set. */
export function requiresFeature(features: Uint8Array, name: FeatureName): boolean {
  return isFeatureBitSet(features, FEATURES[name].bit);
}

/** A copy with the named feature set as required (even bit) or optional (odd bit). */
export function withFeature(features: Uint8Array, name: FeatureName, how: 'required' | 'optional' = 'optional'): Uint8Array {
  return withFeatureBits(features, FEATURES[name].bit + (how === 'optional' ? 1 : 0));
}

/**
 * Even bits that are set but that we do not understand: a peer or invoice
 * requiring any of them must be refused (BOLT 1 and 9, "it's OK to be odd").
 * `understood` says which feature pairs we implement (default: every BOLT 9 feature).
 */
export function unknownRequiredBits(features: Uint8Array, understood: (evenBit: number) => boolean = (b) => featureOfBit(b) !== undefined): number[] {
  return featureBitsOf(features).filter((bit) => bit % 2 === 0 && !understood(bit));
}

/** Features that are set while a feature they depend on is not (BOLT 9 dependency rule). */
export function missingFeatureDependencies(features: Uint8Array): { feature: FeatureName; missing: FeatureName }[] {
  const out: { feature: FeatureName; missing: FeatureName }[] = [];
  for (const info of Object.values(FEATURES)) {
    if (!supportsFeature(features, info.name)) continue;
    for (const dep of info.dependencies) if (!supportsFeature(features, dep)) out.push({ feature: info.name, missing: dep });
  }
  return out;
}

/** Names of the known features set in a vector (either bit). */
export function featureNamesOf(features: Uint8Array): FeatureName[] {
  const names = new Set<FeatureName>();
  for (const bit of featureBitsOf(features)) {
    const info = featureOfBit(bit);
    if (info !== undefined) names.add(info.name);
  }
  return [...names];
}
