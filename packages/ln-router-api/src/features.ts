/**
 * BOLT 9 feature bits the router needs. Features are raw bytes, big-endian:
 * bit 0 is the lowest bit of the last byte. A feature is "supported" when
 * either its even (compulsory) or odd (optional) bit is set.
 */
export const FEATURE_VAR_ONION_OPTIN = 8;
export const FEATURE_PAYMENT_SECRET = 14;
export const FEATURE_BASIC_MPP = 16;
export const FEATURE_ROUTE_BLINDING = 24;

/** Whether bit `bit` is set in BOLT 9 feature bytes. */
export function hasFeatureBit(features: Uint8Array, bit: number): boolean {
  const byte = features.length - 1 - (bit >> 3);
  return byte >= 0 && (features[byte]! & (1 << (bit & 7))) !== 0;
}

/** Whether the feature whose even bit is `evenBit` is supported (either bit set). */
export function supportsFeature(features: Uint8Array, evenBit: number): boolean {
  return hasFeatureBit(features, evenBit) || hasFeatureBit(features, evenBit + 1);
}
