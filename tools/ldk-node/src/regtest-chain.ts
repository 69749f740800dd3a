import { Regtest, type RegtestOptions } from 'ln-regtest';
import { txidOfRaw } from 'ln-tx';
import { type BlockHash, type OutPoint, type Txid, blockHashToHex, equalBytes, txidFromHex, txidToHex } from 'ln-types';
import type { ChainBackend, ChainBlock, ChainListener, ChainTipInfo } from './chain-backend.js';
import { LdkNodeError } from './errors.js';

/**
 * LDK nodes on the ln-regtest chain, in this process: the script-validating
 * chain (bitcore-lib's interpreter under Bitcoin Core's flags, relay policy,
 * RBF and packages, coinbase maturity) behind the {@link ChainBackend} the nodes
 * follow. Broadcasts go to `sendrawtransaction` or, for a package (an anchor
 * commitment with its CPFP child), `submitpackage`; what the chain refuses is
 * recorded with bitcoind's reason.
 *
 * Blocks reach the nodes when the test mines through {@link mine} (one block
 * at a time, each fed before the next is mined) or calls {@link sync} after
 * changing the chain another way (the RPC server, `regtest.reorg`).
 */
export class RegtestChain implements ChainBackend {
  readonly regtest: Regtest;
  private readonly listeners = new Set<ChainListener>();
  /** The blocks the subscribers were told about, by height. */
  private readonly told: ChainBlock[] = [];
  /** Transactions the chain refused, with its reason (LDK re-broadcasts claims early and after they confirm: some are expected). */
  readonly refused: { txid: string; reason: string }[] = [];

  constructor(regtest: Regtest = Regtest.open()) {
    this.regtest = regtest;
    const tip = this.regtest.tip;
    this.told.length = 0;
    for (let h = 0; h <= tip.height; h++) this.told.push(this.blockAt(h));
  }

  /** A fresh in-memory chain (at genesis unless `blocks` are mined). */
  static create(options: RegtestOptions & { blocks?: number } = {}): RegtestChain {
    const regtest = Regtest.open(options);
    if (options.blocks !== undefined && options.blocks > 0) regtest.mine(options.blocks);
    return new RegtestChain(regtest);
  }

  get height(): number {
    return this.told.length - 1;
  }

  get tip(): ChainTipInfo {
    return tipOf(this.told.at(-1)!);
  }

  async getTip(): Promise<ChainTipInfo> {
    return this.tip;
  }

  async getBlock(height: number): Promise<ChainBlock> {
    return this.blockAt(height);
  }

  async getBlockByHash(hash: BlockHash): Promise<ChainBlock | undefined> {
    const entry = this.regtest.blockByHash(blockHashToHex(hash));
    return entry === undefined ? undefined : { height: entry.height, hash: entry.hash, raw: entry.raw, block: entry.block };
  }

  /** The active chain's block at `height`. */
  blockAt(height: number): ChainBlock {
    const entry = this.regtest.chain.atHeight(height);
    if (entry === undefined) throw new LdkNodeError('not_found', `no block at height ${height} (tip ${this.regtest.height})`);
    return { height: entry.height, hash: entry.hash, raw: entry.raw, block: entry.block };
  }

  subscribe(listener: ChainListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  broadcast(transactions: readonly Uint8Array[]): void {
    try {
      if (transactions.length === 1) {
        this.regtest.sendRawTransaction(transactions[0]!);
        return;
      }
      const result = this.regtest.submitPackage(transactions);
      const describe = (r: { reason: string; debug?: string }) => (r.debug === undefined || r.debug === '' ? r.reason : `${r.reason}, ${r.debug}`);
      for (const r of result.results) {
        if (r.status === 'rejected' && r.rejection !== undefined) this.refused.push({ txid: r.info.txidHex, reason: describe(r.rejection) });
      }
      if (result.packageError !== undefined && result.results.every((r) => r.status !== 'rejected')) {
        for (const raw of transactions) this.refused.push({ txid: txidToHex(txidOfRaw(raw)), reason: describe(result.packageError) });
      }
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      for (const raw of transactions) this.refused.push({ txid: txidToHex(txidOfRaw(raw)), reason });
    }
  }

  /**
   * Mines `count` blocks (paying the faucet), telling the subscribers about
   * each before mining the next.
   */
  mine(count = 1): ChainBlock[] {
    const mined: ChainBlock[] = [];
    for (let i = 0; i < count; i++) {
      this.regtest.mine(1);
      mined.push(...this.sync());
    }
    return mined;
  }

  /**
   * Brings the subscribers to the chain's active tip: disconnects what a
   * reorganization replaced (tip first), then connects the new blocks.
   * @returns the blocks connected
   */
  sync(): ChainBlock[] {
    const active = this.regtest.height;
    let fork = Math.min(this.height, active);
    while (fork > 0 && !equalBytes(this.told[fork]!.hash, this.regtest.chain.atHeight(fork)!.hash)) fork--;
    while (this.height > fork) {
      const stale = this.told.pop()!;
      for (const l of this.listeners) l.blockDisconnected(stale);
    }
    const connected: ChainBlock[] = [];
    for (let h = fork + 1; h <= active; h++) {
      const b = this.blockAt(h);
      this.told.push(b);
      connected.push(b);
      for (const l of this.listeners) l.blockConnected(b);
    }
    return connected;
  }

  /**
   * Pays `amountSat` from the chain's faucet to `script` (into the mempool;
   * mine to confirm).
   * @returns the outpoint paying `script`
   */
  fund(script: Uint8Array, amountSat: bigint): OutPoint {
    const txidHex = this.regtest.faucetPay(script, amountSat);
    // The faucet may have mined blocks to mature its coins.
    this.sync();
    const found = this.regtest.findTx(txidHex)!;
    const index = found.info.tx.outputs.findIndex((o) => equalBytes(o.script, script) && o.amount === amountSat);
    return { txid: txidFromHex(txidHex), index };
  }

  /** Replaces the last `depth` blocks with a new branch (ln-regtest's reorg) and tells the subscribers. */
  reorg(depth: number, options: { blocks?: number; includeMempool?: boolean } = {}): void {
    this.regtest.reorg(depth, options);
    this.sync();
  }

  inMempool(txid: Txid): boolean {
    return this.regtest.mempool.get(txidToHex(txid)) !== undefined;
  }

  mempoolTxids(): Txid[] {
    return this.regtest.mempool.entries().map((e) => e.info.txid);
  }

  /** Confirmations on the active chain (0 in the mempool or unknown). */
  confirmations(txid: Txid): number {
    const found = this.regtest.findTx(txidToHex(txid));
    const height = found?.location?.entry.height;
    return height === undefined ? 0 : this.regtest.height - height + 1;
  }

  /** Refusals whose reason is a script failure: a transaction that would never confirm on mainnet. */
  scriptFailures(): { txid: string; reason: string }[] {
    return this.refused.filter((r) => /script|signature|witness/i.test(r.reason));
  }

  /** Saves the mempool and closes the chain. */
  close(): void {
    this.regtest.close();
  }
}

function tipOf(b: ChainBlock): ChainTipInfo {
  return { hash: b.hash, height: b.height, time: b.block.header.time };
}

