// The script-validating chain our tests put every transaction on, and the
// little wallet that funds channels from it.
import { publicKeyFromPrivate } from 'ln-crypto';
import { Worker } from 'node:worker_threads';
import { TestChain as BaseChain, type ChainBlock } from 'ln-ldk-node';
import { type Tx, decodeTx, encodeTx, txidOf, p2pkh, p2wpkh, p2wpkhWitness, signSegwitInput, txidHex } from 'ln-tx';
import type { Txid } from 'ln-types';
import type { TestNode } from './node.js';

/**
 * Checks transaction inputs with bitcore-lib's interpreter in a worker thread:
 * inside jest's module VM bitcore's big-number code runs ~15x slower.
 */
class ScriptChecker {
  #worker: Worker | undefined;
  #next = 0;
  readonly #pending = new Map<number, { resolve: () => void; what: string }>();
  readonly failures: string[] = [];
  checked = 0;

  #ensure(): Worker {
    if (this.#worker === undefined) {
      this.#worker = new Worker(new URL('./script-worker.mjs', import.meta.url));
      this.#worker.unref();
      this.#worker.on('message', (m: { id: number; ok: boolean; error: string }) => {
        const p = this.#pending.get(m.id);
        this.#pending.delete(m.id);
        this.checked++;
        if (!m.ok) this.failures.push(`${p?.what}: ${m.error}`);
        p?.resolve();
        if (this.#pending.size === 0) this.#worker?.unref();
      });
    }
    return this.#worker;
  }

  check(raw: Uint8Array, prevouts: readonly { script: Uint8Array; amount: bigint }[]): void {
    const tx = decodeTx(raw);
    const worker = this.#ensure();
    worker.ref();
    tx.inputs.forEach((input, index) => {
      const id = this.#next++;
      const prev = prevouts[index]!;
      new Promise<void>((resolve) => this.#pending.set(id, { resolve, what: `${txidHex(tx)}:${index}` }));
      worker.postMessage({ id, raw, index, witness: input.witness ?? [], scriptSig: input.scriptSig, prevScript: prev.script, amountSat: prev.amount.toString() });
    });
  }

  /** Waits for every check sent so far. */
  async drain(): Promise<void> {
    while (this.#pending.size > 0) await new Promise((r) => setTimeout(r, 5));
  }
}

/** The process-wide checker: `await assertScriptsValid()` in a test's afterAll. */
export const scriptChecker = new ScriptChecker();

/** Every transaction any test chain accepted so far has valid scripts. */
export async function assertScriptsValid(): Promise<void> {
  await scriptChecker.drain();
  if (scriptChecker.failures.length > 0) throw new Error(`invalid scripts: ${scriptChecker.failures.join('; ')}`);
}

/**
 * ldk-node's TestChain (UTXOs, locktimes, fees, blocks) with every input's
 * script checked by bitcore-lib's interpreter in a worker thread.
 */
export class TestChain extends BaseChain {
  constructor(options: { now?: () => number } = {}) {
    super({ ...options, validateScripts: false });
  }

  override submit(raw: Uint8Array): Txid {
    const tx = decodeTx(raw);
    const known = txidOf(tx);
    if (this.inMempool(known) || this.confirmations(known) > 0) return super.submit(raw);
    const prevouts = tx.inputs.map((i) => this.getCoin(i.previousOutput)?.output);
    const txid = super.submit(raw);
    if (prevouts.every((p) => p !== undefined)) scriptChecker.check(raw, prevouts as { script: Uint8Array; amount: bigint }[]);
    else scriptChecker.failures.push(`${txidHex(tx)}: a spent output was unknown`);
    return txid;
  }
}

/** Feeds the chain's blocks to a node's current manager (it survives restarts). */
export function attachChain(chain: TestChain, node: TestNode): () => void {
  return chain.subscribe({
    blockConnected: (b: ChainBlock) => node.manager.blockConnected(b.block, b.height),
    blockDisconnected: (b: ChainBlock) => node.manager.blockDisconnected(b.block.header, b.height),
  });
}

/** A one-key P2WPKH wallet funded by the chain's faucet. */
export class TestWallet {
  readonly secret: Uint8Array;
  readonly publicKey: Uint8Array;
  readonly script: Uint8Array;

  constructor(seedByte: number) {
    this.secret = new Uint8Array(32).fill(seedByte);
    this.publicKey = publicKeyFromPrivate(this.secret);
    this.script = p2wpkh(this.publicKey);
  }

  /** A signed transaction paying `amountSat` to each output script (one input from the faucet, change back). */
  pay(chain: TestChain, outputs: readonly { script: Uint8Array; amountSat: bigint }[]): Tx {
    const total = outputs.reduce((a, o) => a + o.amountSat, 0n);
    const fee = 1000n;
    const coinValue = total + fee + 10_000n;
    const coin = chain.fund(this.script, coinValue);
    const unsigned: Tx = {
      version: 2,
      locktime: 0,
      inputs: [{ previousOutput: coin, sequence: 0xfffffffd }],
      outputs: [...outputs.map((o) => ({ script: o.script, amount: o.amountSat })), { script: this.script, amount: coinValue - total - fee }],
    };
    const sig = signSegwitInput(unsigned, 0, p2pkh(this.publicKey), coinValue, this.secret);
    return { ...unsigned, inputs: [{ ...unsigned.inputs[0]!, witness: p2wpkhWitness(sig, this.publicKey) }] };
  }
}

export function rawOf(tx: Tx): Uint8Array {
  return encodeTx(tx);
}
