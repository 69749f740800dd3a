// Shared test material: a fixed mnemonic, a faucet whose coins anyone can spend
// (P2WSH of OP_TRUE), a recording broadcaster and Filter.
import { MemoryKVStore, outPoint, type OutPoint, type Txid } from 'ln-types';
import type { BroadcasterInterface, Filter, WatchedOutput } from 'ln-chain-api';
import { type Tx, p2wsh, txidOf } from 'ln-tx';
import { Wallet, type WalletConfig } from '../../src/index.js';
import type { MiniChain } from './mini-chain.js';

export const MNEMONIC = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
export const OTHER_MNEMONIC = 'legal winner thank year wave sausage worth useful legal winner thank yellow';

const OP_TRUE_SCRIPT = Uint8Array.of(0x51);
export const FAUCET_SCRIPT = p2wsh(OP_TRUE_SCRIPT);
/** A script outside the wallet to pay to (P2WSH of OP_2). */
export const EXTERNAL_SCRIPT = p2wsh(Uint8Array.of(0x52));

export class RecordingBroadcaster implements BroadcasterInterface {
  readonly sent: Tx[][] = [];
  broadcastTransactions(transactions: readonly Tx[]): void {
    this.sent.push([...transactions]);
  }
}

export class RecordingFilter implements Filter {
  readonly txs: { txid: Txid; script: Uint8Array }[] = [];
  readonly outputs: WatchedOutput[] = [];
  readonly scripts: Uint8Array[] = [];
  registerTx(txid: Txid, scriptPubkey: Uint8Array): void {
    this.txs.push({ txid, script: scriptPubkey });
  }
  registerOutput(output: WatchedOutput): void {
    this.outputs.push(output);
  }
  registerScript(scriptPubkey: Uint8Array): void {
    this.scripts.push(scriptPubkey);
  }
}

/** A faucet on a MiniChain: coinbases to an OP_TRUE P2WSH, spent without signatures. */
export class Faucet {
  readonly #chain: MiniChain;
  readonly #coins: { outpoint: OutPoint; value: bigint }[] = [];

  constructor(chain: MiniChain) {
    this.#chain = chain;
  }

  /** Mines `n` blocks whose coinbases fund the faucet. */
  fund(n = 1): void {
    for (let i = 0; i < n; i++) {
      const block = this.#chain.mine(FAUCET_SCRIPT, []);
      this.#coins.push({ outpoint: outPoint(block.transactions[0]!.txid, 0), value: block.transactions[0]!.tx.outputs[0]!.amount });
    }
  }

  /**
   * A transaction paying each (script, amount), change back to the faucet; not
   * submitted. It spends the oldest faucet coin, or with `chained` the newest (the
   * change of the previous payment, so the two depend on each other).
   */
  pay(outputs: readonly { script: Uint8Array; amount: bigint }[], fee = 1000n, chained = false): Tx {
    const coin = chained ? this.#coins.pop() : this.#coins.shift();
    if (coin === undefined) throw new Error('faucet is empty: fund it');
    const total = outputs.reduce((s, o) => s + o.amount, 0n);
    const change = coin.value - total - fee;
    const tx: Tx = {
      version: 2,
      locktime: 0,
      inputs: [{ previousOutput: coin.outpoint, sequence: 0xfffffffd, witness: [OP_TRUE_SCRIPT] }],
      outputs: [...outputs.map((o) => ({ script: o.script, amount: o.amount })), { script: FAUCET_SCRIPT, amount: change }],
    };
    this.#coins.push({ outpoint: outPoint(txidOf(tx), outputs.length), value: change });
    return tx;
  }

  /** Forgets the change coin of `tx` (when the transaction paying it is dropped in a test). */
  forget(tx: Tx): void {
    const id = txidOf(tx);
    const at = this.#coins.findIndex((c) => c.outpoint.txid.every((b, i) => b === id[i]));
    if (at >= 0) this.#coins.splice(at, 1);
  }
}

/** A regtest wallet from the fixed mnemonic on a MiniChain's genesis. */
export async function openWallet(chain: MiniChain, extra: Partial<WalletConfig> = {}): Promise<Wallet> {
  return Wallet.load({
    seed: { mnemonic: MNEMONIC },
    network: 'regtest',
    store: new MemoryKVStore(),
    birthday: { blockHash: chain.genesis, height: 0 },
    ...extra,
  });
}
