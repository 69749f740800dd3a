// The chain every test transaction goes on: ln-regtest's Regtest (UTXO set,
// bitcoind's relay policy and standardness, scripts checked by bitcore-lib's
// interpreter through ln-script-verify), in this process, with the small
// interface our helpers and tools/ldk-node's ChainBackend use: subscribers get
// every block connected or disconnected.
import { Regtest } from 'ln-regtest';
import type { Block, TxOutput } from 'ln-tx';
import { decodeTx, txidOf } from 'ln-tx';
import { type BlockHash, type OutPoint, type Txid, equalBytes, txidFromHex, txidToHex } from 'ln-types';

/** A block as subscribers see it (the shape of tools/ldk-node's ChainBlock). */
export interface ChainBlock {
  readonly height: number;
  readonly hash: BlockHash;
  readonly raw: Uint8Array;
  readonly block: Block;
}

export interface ChainListener {
  blockConnected(block: ChainBlock): void;
  blockDisconnected(block: ChainBlock): void;
}

export class RegtestChain {
  readonly node: Regtest;
  readonly #listeners = new Set<ChainListener>();
  /** Transactions refused by broadcast (txid display hex and reason). */
  readonly refused: { txid: string; reason: string }[] = [];
  /** Every transaction accepted (for "all scripts were checked" assertions). */
  accepted = 0;

  constructor(options: { clock?: () => number } = {}) {
    this.node = Regtest.open(options.clock === undefined ? {} : { clock: options.clock });
    // Mature faucet coins before anyone asks.
    this.node.mine(101);
  }

  get height(): number {
    return this.node.height;
  }

  get tip(): { hash: BlockHash; height: number; time: number } {
    const t = this.node.tip;
    return { hash: t.hash, height: t.height, time: t.block.header.time };
  }

  async getTip(): Promise<{ hash: BlockHash; height: number; time: number }> {
    return this.tip;
  }

  blockAt(height: number): ChainBlock {
    const e = this.node.chain.atHeight(height);
    if (e === undefined) throw new Error(`no block at ${height}`);
    return { height: e.height, hash: e.hash, raw: e.raw, block: e.block };
  }

  async getBlock(height: number): Promise<ChainBlock> {
    return this.blockAt(height);
  }

  subscribe(listener: ChainListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** bitcoind's sendrawtransaction. @throws RegtestError (with bitcoind's code and reason) when refused */
  submit(raw: Uint8Array): Txid {
    const hex = this.node.sendRawTransaction(raw);
    this.accepted++;
    return txidFromHex(hex);
  }

  /** BroadcasterInterface-style: a package goes through submitpackage; refusals are recorded. */
  broadcast(transactions: readonly Uint8Array[]): void {
    try {
      if (transactions.length === 1) this.submit(transactions[0]!);
      else {
        const r = this.node.submitPackage(transactions);
        void r;
        this.accepted += transactions.length;
      }
    } catch (e) {
      for (const raw of transactions) this.refused.push({ txid: txidToHex(txidOf(decodeTx(raw))), reason: e instanceof Error ? e.message : String(e) });
    }
  }

  /** Pays `amountSat` to `script` from the faucet (unconfirmed); returns the output. */
  fund(script: Uint8Array, amountSat: bigint): OutPoint {
    const hex = this.node.faucetPay(script, amountSat);
    const tx = this.node.findTx(hex)!.info.tx;
    const index = tx.outputs.findIndex((o) => o.amount === amountSat && equalBytes(o.script, script));
    this.accepted++;
    return { txid: txidFromHex(hex), index };
  }

  /** Mines blocks (with the mempool) and tells the subscribers. */
  mine(count = 1): ChainBlock[] {
    const before = this.node.height;
    this.node.mine(count);
    const out: ChainBlock[] = [];
    for (let h = before + 1; h <= this.node.height; h++) {
      const b = this.blockAt(h);
      out.push(b);
      for (const l of this.#listeners) l.blockConnected(b);
    }
    return out;
  }

  /** Replaces the last `depth` blocks (their transactions return to the mempool), telling subscribers. */
  reorg(depth: number, newBlocks = depth): void {
    const old: ChainBlock[] = [];
    for (let h = this.node.height; h > this.node.height - depth; h--) old.push(this.blockAt(h));
    const from = this.node.height - depth;
    this.node.reorg(depth, { blocks: newBlocks });
    for (const b of old) for (const l of this.#listeners) l.blockDisconnected(b);
    for (let h = from + 1; h <= this.node.height; h++) {
      const b = this.blockAt(h);
      for (const l of this.#listeners) l.blockConnected(b);
    }
  }

  inMempool(txid: Txid): boolean {
    const f = this.node.findTx(txidToHex(txid));
    return f !== undefined && f.mempool !== undefined;
  }

  mempoolTxids(): Txid[] {
    return [...this.node.mempool.entries()].map((e) => e.info.txid);
  }

  confirmations(txid: Txid): number {
    const f = this.node.findTx(txidToHex(txid));
    if (f?.location === undefined) return 0;
    return this.node.height - f.location.entry.height + 1;
  }

  getCoin(outpoint: OutPoint): { output: TxOutput; height: number | undefined } | undefined {
    const c = this.node.prevout(txidToHex(outpoint.txid), outpoint.index);
    return c === undefined ? undefined : { output: { script: c.script, amount: c.amount }, height: c.height };
  }
}
