import { publicKeyFromPrivate, sha256 } from 'ln-crypto';
import { type Tx, encodeTx, p2pkh, p2wpkh, p2wpkhWitness, signSegwitInput } from 'ln-tx';
import { type OutPoint, utf8ToBytes } from 'ln-types';
import type { Coin } from '../chain/coin.js';
import { scriptToAddress } from '../script/address.js';

/** A coin the faucet may spend. */
export interface FaucetCoin {
  readonly outPoint: OutPoint;
  readonly coin: Coin;
}

/**
 * The chain's own key: blocks mined for the faucet pay it, and it pays any
 * script from them (P2WPKH, signed like any wallet would, then validated like
 * any other transaction). Derived from a fixed seed so a data directory keeps
 * working across restarts.
 */
export class Faucet {
  readonly privateKey: Uint8Array;
  readonly publicKey: Uint8Array;
  /** Its P2WPKH output script. */
  readonly script: Uint8Array;
  readonly address: string;

  constructor(seed: Uint8Array = utf8ToBytes('ln-regtest faucet')) {
    this.privateKey = sha256(seed);
    this.publicKey = publicKeyFromPrivate(this.privateKey);
    this.script = p2wpkh(this.publicKey);
    this.address = scriptToAddress(this.script)!;
  }

  /**
   * A signed transaction paying `amount` to `to` from `coins` (all spent), the
   * rest back to the faucet unless it would be dust; the fee is `feeRate`
   * (sat/kvB) of its size. Undefined when the coins do not cover it.
   */
  pay(coins: readonly FaucetCoin[], to: Uint8Array, amount: bigint, feeRate: bigint): Uint8Array | undefined {
    const total = coins.reduce((s, c) => s + c.coin.amount, 0n);
    // P2WPKH input ~68 vB, output ~31-43 vB, overhead ~11 vB.
    const vsize = 11 + 68 * coins.length + 9 + to.length + 31;
    const fee = (feeRate * BigInt(vsize) + 999n) / 1000n;
    if (total < amount + fee) return undefined;
    const change = total - amount - fee;
    const outputs = [{ script: to, amount }];
    if (change >= 1000n) outputs.push({ script: this.script, amount: change });
    const unsigned: Tx = {
      version: 2,
      locktime: 0,
      inputs: coins.map((c) => ({ previousOutput: c.outPoint, sequence: 0xfffffffd })),
      outputs,
    };
    const scriptCode = p2pkh(this.publicKey);
    const signed: Tx = {
      ...unsigned,
      inputs: unsigned.inputs.map((input, i) => ({ ...input, witness: p2wpkhWitness(signSegwitInput(unsigned, i, scriptCode, coins[i]!.coin.amount, this.privateKey), this.publicKey) })),
    };
    return encodeTx(signed);
  }
}
