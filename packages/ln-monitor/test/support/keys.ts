// Test keys: a native secp256k1 backend (signing-heavy tests), simple P2WPKH wallets.
import native from 'secp256k1';
import { type Secp256k1Backend, createNativeSecp256k1Backend, sha256 } from 'ln-crypto';
import { type OutPoint, equalBytes } from 'ln-types';
import { type Tx, P2WPKH_WITNESS_WEIGHT, p2pkh, p2wpkh, p2wpkhWitness, signSegwitInput, withWitness } from 'ln-tx';
import type { Utxo, WalletSource } from 'ln-chain-api';
import type { RegtestChain } from './regtest-chain.js';

export const backend: Secp256k1Backend = createNativeSecp256k1Backend(native);

/** A P2WPKH key of the tests. */
export function testKey(tag: string): { secret: Uint8Array; pubkey: Uint8Array; script: Uint8Array } {
  const secret = sha256(new TextEncoder().encode(`ln-monitor test key ${tag}`));
  const pubkey = backend.publicKeyCreate(secret);
  return { secret, pubkey, script: p2wpkh(pubkey) };
}

/** Signs input `index` (a P2WPKH of `key`) of `tx`. */
export function signP2wpkh(tx: Tx, index: number, key: { secret: Uint8Array; pubkey: Uint8Array }, amount: bigint): Tx {
  const sig = signSegwitInput(tx, index, p2pkh(key.pubkey), amount, key.secret, 1, backend);
  return withWitness(tx, index, p2wpkhWitness(sig, key.pubkey));
}

/** A WalletSource over coins the faucet gave to one key (for the fee-bumping tests). */
export class TestWallet implements WalletSource {
  readonly key = testKey('wallet');

  constructor(private readonly chain: RegtestChain) {}

  /** A confirmed coin from the faucet. */
  async addCoin(amount: bigint): Promise<OutPoint> {
    return this.chain.fund(this.key.script, amount);
  }

  /** Every confirmed output paying the wallet's script (faucet coins and change), spent or not by unconfirmed transactions. */
  async listConfirmedUtxos(): Promise<readonly Utxo[]> {
    return this.chain.unspentTo(this.key.script).map((c) => ({ outpoint: c.outpoint, output: { script: this.key.script, valueSat: c.amount }, satisfactionWeight: 4 + P2WPKH_WITNESS_WEIGHT }));
  }

  /** The wallet's balance on chain. */
  async balance(): Promise<bigint> {
    return (await this.listConfirmedUtxos()).reduce((s, u) => s + u.output.valueSat, 0n);
  }

  async getChangeScript(): Promise<Uint8Array> {
    return this.key.script;
  }

  async signTransaction(tx: Tx, utxos: readonly Utxo[]): Promise<Tx> {
    let out = tx;
    tx.inputs.forEach((input, i) => {
      const u = utxos.find((x) => x.outpoint.index === input.previousOutput.index && equalBytes(x.outpoint.txid, input.previousOutput.txid));
      if (u !== undefined) out = signP2wpkh(out, i, this.key, u.output.valueSat);
    });
    return out;
  }
}
