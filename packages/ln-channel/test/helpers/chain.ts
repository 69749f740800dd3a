// The script-validating chain our tests put every transaction on, and the
// little wallet that funds channels from it.
import { publicKeyFromPrivate } from 'ln-crypto';
import { type Tx, encodeTx, p2pkh, p2wpkh, p2wpkhWitness, signSegwitInput } from 'ln-tx';
import type { TestNode } from './node.js';
import { type ChainBlock, RegtestChain } from './regtest-chain.js';

/**
 * The test chain: ln-regtest (bitcoind's relay policy, every script checked by
 * bitcore-lib's interpreter). `now` fixes the block clock.
 */
export class TestChain extends RegtestChain {
  constructor(options: { now?: () => number } = {}) {
    super(options.now === undefined ? {} : { clock: options.now });
  }
}

/** Feeds the chain's blocks to a node's current manager (it survives restarts). */
export function attachChain(chain: TestChain, node: TestNode): () => void {
  return chain.subscribe({
    blockConnected: (b: ChainBlock) => {
      node.monitorBlockConnected(b.block, b.height);
      node.manager.blockConnected(b.block, b.height);
    },
    blockDisconnected: (b: ChainBlock) => {
      node.monitorBlockDisconnected(b.block.header, b.height);
      node.manager.blockDisconnected(b.block.header, b.height);
    },
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
