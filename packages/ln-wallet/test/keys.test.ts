// BIP 84 vectors and key material checks.
import { describe, expect, test } from '@jest/globals';
import { createBase58check } from '@scure/base';
import { readFileSync } from 'node:fs';
import { sha256 } from 'ln-crypto';
import { toHex } from 'ln-types';
import { AccountKeys, WalletError, scriptToAddress, seedBytes } from '../src/index.js';

const bip84 = JSON.parse(readFileSync(new URL('./fixtures/bip84.json', import.meta.url), 'utf8')) as {
  mnemonic: string;
  accountZpub: string;
  receive0: { publicKey: string; address: string };
  receive1: { publicKey: string; address: string };
  change0: { publicKey: string; address: string };
};

describe('AccountKeys', () => {
  test('BIP 84 test vectors: account key, first receive and change keys and addresses', () => {
    const keys = new AccountKeys({ mnemonic: bip84.mnemonic }, 'bitcoin');
    for (const [vector, chain, index] of [[bip84.receive0, 0, 0], [bip84.receive1, 0, 1], [bip84.change0, 1, 0]] as const) {
      expect(toHex(keys.publicKey(chain, index))).toBe(vector.publicKey);
      expect(scriptToAddress(keys.script(chain, index), 'bitcoin')).toBe(vector.address);
    }
    // The BIP gives the account key as a zpub: the same key with other version bytes.
    const b58 = createBase58check(sha256);
    const zpub = b58.decode(bip84.accountZpub);
    const xpub = b58.decode(keys.accountXpub);
    expect(toHex(xpub.subarray(4))).toBe(toHex(zpub.subarray(4)));
    expect(keys.path(0, 5)).toBe("m/84'/0'/0'/0/5");
  });

  test('test networks use coin type 1; accounts and passphrases give other keys', () => {
    const main = new AccountKeys({ mnemonic: bip84.mnemonic }, 'bitcoin');
    const test = new AccountKeys({ mnemonic: bip84.mnemonic }, 'regtest');
    expect(test.path(1, 0)).toBe("m/84'/1'/0'/1/0");
    expect(test.accountXpub.startsWith('tpub')).toBe(true);
    expect(toHex(test.publicKey(0, 0))).not.toBe(toHex(main.publicKey(0, 0)));
    expect(toHex(new AccountKeys({ mnemonic: bip84.mnemonic }, 'regtest', 1).publicKey(0, 0))).not.toBe(toHex(test.publicKey(0, 0)));
    expect(toHex(new AccountKeys({ mnemonic: bip84.mnemonic, passphrase: 'x' }, 'regtest').publicKey(0, 0))).not.toBe(toHex(test.publicKey(0, 0)));
    expect(toHex(new AccountKeys({ seed: seedBytes({ mnemonic: bip84.mnemonic }) }, 'regtest').publicKey(0, 0))).toBe(toHex(test.publicKey(0, 0)));
    // Extra spaces and case of whitespace do not matter.
    expect(toHex(new AccountKeys({ mnemonic: `  ${bip84.mnemonic.replaceAll(' ', '   ')} ` }, 'regtest').publicKey(0, 0))).toBe(toHex(test.publicKey(0, 0)));
  });

  test('bad key material is refused with a typed error', () => {
    expect(() => seedBytes({ mnemonic: 'abandon abandon abandon' })).toThrow(WalletError);
    expect(() => seedBytes({ mnemonic: bip84.mnemonic.replace('about', 'abandon') })).toThrow(/checksum/);
    expect(() => seedBytes({ seed: new Uint8Array(15) })).toThrow(WalletError);
    expect(() => seedBytes({ seed: new Uint8Array(65) })).toThrow(WalletError);
    expect(() => new AccountKeys({ seed: new Uint8Array(32) }, 'regtest', -1)).toThrow(WalletError);
  });
});
