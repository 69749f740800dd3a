// BIP 350 address vectors, network separation, base58 forms, round trips, dust limits.
import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { fromHex, toHex } from 'ln-types';
import { WalletError, addressToScript, classifyScript, dustLimit, scriptToAddress } from '../src/index.js';

const vectors = JSON.parse(readFileSync(new URL('./fixtures/bip350-addresses.json', import.meta.url), 'utf8')) as {
  valid: { network: 'bitcoin' | 'testnet'; address: string; script: string }[];
  invalid: { network: 'bitcoin' | 'testnet'; address: string; reason: string }[];
};

describe('addresses', () => {
  test.each(vectors.valid)('BIP 350 valid: $address', ({ network, address, script }) => {
    expect(toHex(addressToScript(address, network))).toBe(script);
    expect(scriptToAddress(fromHex(script), network)).toBe(address.toLowerCase());
  });

  test.each(vectors.invalid)('BIP 350 invalid ($reason): $address', ({ network, address }) => {
    expect(() => addressToScript(address, network)).toThrow(WalletError);
  });

  test('an address of another network is refused; the test networks share tb, regtest has bcrt', () => {
    expect(() => addressToScript('BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4', 'regtest')).toThrow(/another network/);
    expect(() => addressToScript('tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7', 'bitcoin')).toThrow(/another network/);
    for (const n of ['testnet', 'testnet4', 'signet'] as const) expect(addressToScript('tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7', n)).toHaveLength(34);
    const script = fromHex('0014751e76e8199196d454941c45d1b3a323f1433bd6');
    expect(scriptToAddress(script, 'regtest')).toBe('bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080');
    expect(() => addressToScript('1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa', 'regtest')).toThrow(/another network/);
  });

  test('base58 P2PKH and P2SH', () => {
    expect(toHex(addressToScript('1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa', 'bitcoin'))).toBe('76a91462e907b15cbf27d5425399ebf6f0fb50ebb88f1888ac');
    expect(toHex(addressToScript('3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy', 'bitcoin'))).toBe('a914b472a266d0bd89c13706a4132ccfb16f7c3b9fcb87');
    expect(() => addressToScript('1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb', 'bitcoin')).toThrow(WalletError);
    expect(scriptToAddress(fromHex('76a91462e907b15cbf27d5425399ebf6f0fb50ebb88f1888ac'), 'bitcoin')).toBe('1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa');
  });

  test('round trip for every witness version and program length, and garbage is a typed error', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 16 }), fc.integer({ min: 2, max: 40 }), fc.constantFrom('bitcoin', 'testnet', 'regtest' as const), (version, length, network) => {
        if (version === 0 && length !== 20 && length !== 32) return;
        const script = Uint8Array.of(version === 0 ? 0 : 0x50 + version, length, ...new Uint8Array(length).map((_, i) => (i * 37 + version) & 0xff));
        const address = scriptToAddress(script, network)!;
        expect(addressToScript(address, network)).toEqual(script);
        expect(addressToScript(address.toUpperCase(), network)).toEqual(script);
      }),
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 100 }), (text) => {
        try {
          addressToScript(text, 'bitcoin');
        } catch (error) {
          expect(error).toBeInstanceOf(WalletError);
        }
      }),
    );
  });

  test('dust limits are bitcoind\'s', () => {
    const cases: [string, bigint][] = [
      ['0014751e76e8199196d454941c45d1b3a323f1433bd6', 294n],
      ['00201863143c14c5166804bd19203356da136c985678cd4d27a1b8c6329604903262', 330n],
      ['512079be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798', 330n],
      ['76a91462e907b15cbf27d5425399ebf6f0fb50ebb88f1888ac', 546n],
      ['a914b472a266d0bd89c13706a4132ccfb16f7c3b9fcb87', 540n],
      ['6a0401020304', 0n],
    ];
    for (const [script, dust] of cases) expect(dustLimit(fromHex(script))).toBe(dust);
    expect(classifyScript(fromHex('51'))).toBeUndefined();
  });
});
