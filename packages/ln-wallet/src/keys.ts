import { HDKey } from '@scure/bip32';
import { mnemonicToSeedSync, validateMnemonic } from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import { hash160 } from 'ln-crypto';
import type { Network } from 'ln-types';
import { WalletError } from './errors.js';
import { NETWORK_PARAMS } from './network.js';
import { p2wpkhScript } from './scripts.js';

/** Where a wallet's keys come from: a BIP 39 mnemonic (English word list, optional passphrase) or BIP 32 seed bytes. */
export type WalletSeed = { readonly mnemonic: string; readonly passphrase?: string } | { readonly seed: Uint8Array };

/** The two BIP 44 chains of an account: 0 receives, 1 takes change. */
export type KeyChain = 0 | 1;

const HARDENED = 0x80000000;

/** The BIP 32 seed of a {@link WalletSeed}. */
export function seedBytes(seed: WalletSeed): Uint8Array {
  if ('mnemonic' in seed) {
    const words = seed.mnemonic.normalize('NFKD').trim().split(/\s+/).join(' ');
    if (!validateMnemonic(words, wordlist)) throw new WalletError('invalid_mnemonic', 'not a valid BIP 39 mnemonic (English word list, checksum)');
    return mnemonicToSeedSync(words, seed.passphrase ?? '');
  }
  if (!(seed.seed instanceof Uint8Array) || seed.seed.length < 16 || seed.seed.length > 64) throw new WalletError('invalid_seed', 'a BIP 32 seed is 16 to 64 bytes');
  return seed.seed;
}

/**
 * The keys of one BIP 84 account, m/84'/coin'/account' (coin 0 on mainnet, 1 on
 * test networks), with each chain's public keys and P2WPKH scripts derived once
 * and kept.
 */
export class AccountKeys {
  readonly network: Network;
  readonly account: number;
  /** hash160 of the account's public key: names the wallet in its store so another seed's state is refused. */
  readonly fingerprint: Uint8Array;
  readonly #chains: readonly [HDKey, HDKey];
  readonly #publicKeys: [Uint8Array[], Uint8Array[]] = [[], []];
  readonly #scripts: [Uint8Array[], Uint8Array[]] = [[], []];
  readonly #accountKey: HDKey;

  constructor(seed: WalletSeed, network: Network, account = 0) {
    if (!Number.isInteger(account) || account < 0 || account >= HARDENED) throw new WalletError('invalid_seed', 'account must be a 31-bit index');
    const root = HDKey.fromMasterSeed(seedBytes(seed));
    const coin = NETWORK_PARAMS[network].coinType;
    this.#accountKey = root.deriveChild(84 + HARDENED).deriveChild(coin + HARDENED).deriveChild(account + HARDENED);
    this.#chains = [this.#accountKey.deriveChild(0), this.#accountKey.deriveChild(1)];
    this.network = network;
    this.account = account;
    this.fingerprint = hash160(this.#accountKey.publicKey!);
  }

  /** The BIP 32 path of a key, e.g. `m/84'/1'/0'/0/5`. */
  path(chain: KeyChain, index: number): string {
    return `m/84'/${NETWORK_PARAMS[this.network].coinType}'/${this.account}'/${chain}/${index}`;
  }

  /** The account's extended public key (xpub on mainnet, tpub elsewhere): a watch-only copy derives the same scripts. */
  get accountXpub(): string {
    const versions = NETWORK_PARAMS[this.network].coinType === 0 ? { private: 0x0488ade4, public: 0x0488b21e } : { private: 0x04358394, public: 0x043587cf };
    return new HDKey({
      versions,
      depth: this.#accountKey.depth,
      index: this.#accountKey.index,
      parentFingerprint: this.#accountKey.parentFingerprint,
      chainCode: this.#accountKey.chainCode!,
      publicKey: this.#accountKey.publicKey!,
    }).publicExtendedKey;
  }

  /** The compressed public key at `chain`/`index`. */
  publicKey(chain: KeyChain, index: number): Uint8Array {
    this.#derive(chain, index);
    return this.#publicKeys[chain][index]!;
  }

  /** The P2WPKH output script at `chain`/`index`. */
  script(chain: KeyChain, index: number): Uint8Array {
    this.#derive(chain, index);
    return this.#scripts[chain][index]!;
  }

  /** The private key at `chain`/`index` (derived on each call: keys are kept only as long as a signature takes). */
  privateKey(chain: KeyChain, index: number): Uint8Array {
    const key = this.#chains[chain].deriveChild(index).privateKey;
    if (key === null) throw new WalletError('invalid_seed', 'derivation produced no private key');
    return key;
  }

  #derive(chain: KeyChain, index: number): void {
    const keys = this.#publicKeys[chain];
    while (keys.length <= index) {
      const child = this.#chains[chain].deriveChild(keys.length);
      keys.push(child.publicKey!);
      this.#scripts[chain].push(p2wpkhScript(child.publicKey!));
    }
  }
}
