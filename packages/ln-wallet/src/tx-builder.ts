import { type Secp256k1Backend, defaultSecp256k1, hash160 } from 'ln-crypto';
import { compareBytes, reverseBytes } from 'ln-types';
import { SIGHASH_ALL, type Tx, type TxInput, type TxOutput, p2wpkhWitness, signSegwitInput } from 'ln-tx';
import type { AccountKeys } from './keys.js';
import { p2pkhScript } from './scripts.js';
import type { OwnedOutput } from './tx-graph.js';

/** nSequence of the wallet's inputs: signals replaceability (BIP 125) and enables the locktime. */
export const RBF_SEQUENCE = 0xfffffffd;

/**
 * An unsigned version 2 transaction spending `inputs` to `outputs`, both in BIP 69
 * order (inputs by display txid then index, outputs by amount then script), so the
 * layout says nothing about which output is change.
 */
export function buildUnsignedTx(inputs: readonly OwnedOutput[], outputs: readonly TxOutput[], locktime: number): Tx {
  const ins = [...inputs].sort(
    (a, b) => compareBytes(reverseBytes(a.outpoint.txid), reverseBytes(b.outpoint.txid)) || a.outpoint.index - b.outpoint.index,
  );
  const outs = [...outputs].sort((a, b) => (a.amount < b.amount ? -1 : a.amount > b.amount ? 1 : compareBytes(a.script, b.script)));
  const txInputs: TxInput[] = ins.map((o) => ({ previousOutput: o.outpoint, sequence: RBF_SEQUENCE }));
  return { version: 2, locktime, inputs: txInputs, outputs: outs };
}

/**
 * Signs the P2WPKH inputs of `tx` named in `owned` (input index -> the wallet
 * output it spends) with SIGHASH_ALL, leaving every other input as it is.
 */
export function signWalletInputs(tx: Tx, owned: ReadonlyMap<number, OwnedOutput>, keys: AccountKeys, backend: Secp256k1Backend = defaultSecp256k1): Tx {
  const inputs = tx.inputs.slice();
  for (const [index, output] of owned) {
    const { chain, index: keyIndex } = output.position;
    const publicKey = keys.publicKey(chain, keyIndex);
    const scriptCode = p2pkhScript(hash160(publicKey));
    const signature = signSegwitInput(tx, index, scriptCode, output.value, keys.privateKey(chain, keyIndex), SIGHASH_ALL, backend);
    inputs[index] = { ...inputs[index]!, witness: p2wpkhWitness(signature, publicKey) };
  }
  return { ...tx, inputs };
}
