import type { Network } from 'ln-types';

/** Address and derivation parameters of a network. */
export interface NetworkParams {
  /** bech32 human-readable part of segwit addresses. */
  readonly hrp: string;
  /** Base58 version byte of P2PKH addresses. */
  readonly pubKeyHash: number;
  /** Base58 version byte of P2SH addresses. */
  readonly scriptHash: number;
  /** BIP 44 coin type: 0 on mainnet, 1 on every test network. */
  readonly coinType: number;
}

const MAINNET: NetworkParams = { hrp: 'bc', pubKeyHash: 0x00, scriptHash: 0x05, coinType: 0 };
const TESTNET: NetworkParams = { hrp: 'tb', pubKeyHash: 0x6f, scriptHash: 0xc4, coinType: 1 };

/** Parameters of each network the wallet runs on (ln-types' `Network`; 'bitcoin' is mainnet). */
export const NETWORK_PARAMS: Readonly<Record<Network, NetworkParams>> = Object.freeze({
  bitcoin: MAINNET,
  testnet: TESTNET,
  testnet4: TESTNET,
  signet: TESTNET,
  regtest: { hrp: 'bcrt', pubKeyHash: 0x6f, scriptHash: 0xc4, coinType: 1 },
});

/** The networks in the order the persisted state numbers them. */
export const NETWORKS: readonly Network[] = ['bitcoin', 'testnet', 'testnet4', 'signet', 'regtest'];
