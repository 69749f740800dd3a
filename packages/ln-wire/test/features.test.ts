import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { toHex } from 'ln-types';
import {
  FEATURES,
  featureBitsOf,
  featureNamesOf,
  featureOfBit,
  featuresFromBits,
  isFeatureBitSet,
  mergeFeatures,
  minimalFeatures,
  missingFeatureDependencies,
  requiresFeature,
  supportsFeature,
  unknownRequiredBits,
  withFeature,
  withFeatureBits,
  WireError,
  type FeatureName,
} from '../src/index.js';

const table = JSON.parse(readFileSync(new URL('./fixtures/bolt09-features.json', import.meta.url), 'utf8')) as {
  features: { bits: [number, number]; name: FeatureName; assumed: boolean; context: string; dependencies: FeatureName[] }[];
};

describe('BOLT 9 feature table', () => {
  it('matches the spec table exactly', () => {
    expect(Object.keys(FEATURES).sort()).toEqual(table.features.map((f) => f.name).sort());
    for (const f of table.features) {
      const info = FEATURES[f.name];
      expect(info.bit).toBe(f.bits[0]);
      expect(info.assumed).toBe(f.assumed);
      expect(info.contexts.join('')).toBe(f.context);
      expect([...info.dependencies]).toEqual(f.dependencies);
      expect(featureOfBit(f.bits[1])?.name).toBe(f.name);
    }
  });
});

describe('feature bit helpers', () => {
  it('use the wire layout: bit 0 is the low bit of the last byte', () => {
    const f = featuresFromBits([0, 9, 15]);
    expect(toHex(f)).toBe('8201');
    expect(isFeatureBitSet(f, 9)).toBe(true);
    expect(isFeatureBitSet(f, 8)).toBe(false);
    expect(isFeatureBitSet(f, 100)).toBe(false);
    expect(featuresFromBits([])).toEqual(new Uint8Array(0));
    expect(() => featuresFromBits([-1])).toThrow(WireError);
  });

  it('round-trip bit sets', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 300 }), { maxLength: 20 }), (bits) => {
        const f = featuresFromBits(bits);
        expect(featureBitsOf(f)).toEqual([...bits].sort((a, b) => a - b));
        expect(minimalFeatures(Uint8Array.from([0, 0, ...f]))).toEqual(f);
        expect(mergeFeatures(f, featuresFromBits([301]))).toEqual(featuresFromBits([...bits, 301]));
      }),
    );
  });

  it('name-level queries', () => {
    let f = withFeature(new Uint8Array(0), 'var_onion_optin', 'required');
    f = withFeature(f, 'payment_secret', 'optional');
    expect(supportsFeature(f, 'var_onion_optin')).toBe(true);
    expect(requiresFeature(f, 'var_onion_optin')).toBe(true);
    expect(supportsFeature(f, 'payment_secret')).toBe(true);
    expect(requiresFeature(f, 'payment_secret')).toBe(false);
    expect(supportsFeature(f, 'basic_mpp')).toBe(false);
    expect(featureNamesOf(f).sort()).toEqual(['payment_secret', 'var_onion_optin']);
  });

  it('detect unknown required bits, and allow unknown optional ones', () => {
    const f = withFeatureBits(new Uint8Array(0), 8, 101, 200);
    expect(unknownRequiredBits(f)).toEqual([200]);
    expect(unknownRequiredBits(f, (bit) => bit === 8)).toEqual([200]);
    expect(unknownRequiredBits(withFeatureBits(f, 2))).toEqual([2, 200]);
  });

  it('validate dependencies', () => {
    expect(missingFeatureDependencies(withFeature(new Uint8Array(0), 'basic_mpp'))).toEqual([{ feature: 'basic_mpp', missing: 'payment_secret' }]);
    expect(missingFeatureDependencies(withFeature(withFeature(new Uint8Array(0), 'basic_mpp'), 'payment_secret'))).toEqual([]);
    expect(missingFeatureDependencies(withFeature(new Uint8Array(0), 'option_zeroconf'))).toEqual([{ feature: 'option_zeroconf', missing: 'option_scid_alias' }]);
  });
});
