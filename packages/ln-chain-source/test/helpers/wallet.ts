// Real, signed transactions for the regtest chain (it checks every script).
import { nobleSecp256k1 } from 'ln-crypto';
import { type Tx, decodeTx, encodeTx, p2pkh, p2wpkh, p2wpkhWitness, signSegwitInput, txidOf, withWitness } from 'ln-tx';
import { type OutPoint, sha256Key, txidFromHex } from './keys.js';

export const secp = nobleSecp256k1;

/** A single-key P2WPKH wallet. */
export class KeyWallet {
  readonly privateKey: Uint8Array;
  readonly publicKey: Uint8Array;
  readonly script: Uint8Array;

  constructor(label: string) {
    this.privateKey = sha256Key(label);
    this.publicKey = secp.publicKeyCreate(this.privateKey);
    this.script = p2wpkh(this.publicKey);
  }

  /** Spends `coins` (all ours) to `outputs`; signs every input. */
  spend(coins: readonly { outpoint: OutPoint; amount: bigint }[], outputs: readonly { script: Uint8Array; amount: bigint }[]): { tx: Tx; raw: Uint8Array } {
    let tx: Tx = { version: 2, locktime: 0, inputs: coins.map((c) => ({ previousOutput: c.outpoint, sequence: 0xfffffffd })), outputs };
    const scriptCode = p2pkh(this.publicKey);
    const unsigned = tx;
    coins.forEach((c, i) => {
      const sig = signSegwitInput(unsigned, i, scriptCode, c.amount, this.privateKey, undefined, secp);
      tx = withWitness(tx, i, p2wpkhWitness(sig, this.publicKey));
    });
    return { tx, raw: encodeTx(tx) };
  }
}

/** The output of `raw` paying `script`. */
export function findOutput(raw: Uint8Array, script: Uint8Array): { outpoint: OutPoint; amount: bigint } {
  const tx = decodeTx(raw);
  const index = tx.outputs.findIndex((o) => o.script.length === script.length && o.script.every((b, i) => b === script[i]));
  if (index < 0) throw new Error('no such output');
  return { outpoint: { txid: txidOf(tx), index }, amount: tx.outputs[index]!.amount };
}

export { txidFromHex };
