// The monitor tests' chain: ln-regtest's script-validating regtest chain
// (bitcore-lib's interpreter through ln-script-verify, bitcoind's mempool rules
// with RBF and package acceptance), used in process, with Listen listeners fed
// every block connected and disconnected in order.
import type { Listen } from 'ln-chain-api';
import { Regtest, RegtestError } from 'ln-regtest';
import { type OutPoint, type Txid, outPoint, reverseBytes, toHex, txidFromHex } from 'ln-types';
import { type Block, type Tx, encodeTx, txidOf } from 'ln-tx';

export interface SubmitResult {
  readonly accepted: boolean;
  readonly error?: string;
}

const display = (txid: Uint8Array) => toHex(reverseBytes(txid));

export class RegtestChain {
  readonly node: Regtest;
  readonly listeners: Listen[] = [];
  /** Seconds: one block every ten minutes from a fixed start. */
  private clock = 1_700_000_000;

  /** A chain in memory, or over `node` (ln-regtest's startRegtest serves it over HTTP too). */
  constructor(node?: Regtest) {
    this.node = node ?? Regtest.open({ clock: () => this.clock });
    // the faucet's coinbases mature
    if (this.node.height < 101) this.node.mine(101 - this.node.height);
  }

  get height(): number {
    return this.node.height;
  }

  get tip(): Block {
    return this.node.tip.block;
  }

  /** Pays `amount` to `script` from the faucet, confirmed in a new block (given to listeners). */
  async fund(script: Uint8Array, amount: bigint): Promise<OutPoint> {
    const txidHex = this.node.faucetPay(script, amount);
    const tx = this.node.findTx(txidHex)!.info.tx;
    const index = tx.outputs.findIndex((o) => toHex(o.script) === toHex(script) && o.amount === amount);
    await this.mine(1);
    return outPoint(txidFromHex(txidHex), index);
  }

  /** Submits one transaction, or a package (parents, then the child) as bitcoind's submitpackage. */
  submit(txs: readonly Tx[]): SubmitResult {
    try {
      if (txs.length === 1) {
        this.node.sendRawTransaction(encodeTx(txs[0]!), { maxFeeRate: 0n });
        return { accepted: true };
      }
      const result = this.node.submitPackage(txs.map(encodeTx), { maxFeeRate: 0n });
      if (result.packageError !== undefined) return { accepted: false, error: `${result.packageError.kind}: ${result.packageError.reason}` };
      const refused = result.results.find((r) => r.status === 'rejected' || r.status === 'unevaluated');
      if (refused !== undefined) return { accepted: false, error: refused.rejection === undefined ? refused.status : `${refused.rejection.kind}: ${refused.rejection.reason}` };
      return { accepted: true };
    } catch (err) {
      if (err instanceof RegtestError) return { accepted: false, error: err.message };
      throw err;
    }
  }

  private async connected(fromHeight: number): Promise<Block[]> {
    const blocks: Block[] = [];
    for (let h = fromHeight; h <= this.node.height; h++) {
      const entry = this.node.chain.atHeight(h)!;
      blocks.push(entry.block);
      for (const l of this.listeners) await l.blockConnected(entry.block, h);
    }
    return blocks;
  }

  /** Mempool transactions in an order a block can hold them (parents first), without `exclude`d ones and their children. */
  private selectable(exclude: (tx: Tx) => boolean): string[] {
    const entries = this.node.mempool.entries();
    const byId = new Map(entries.map((e) => [e.info.txidHex, e]));
    const out: string[] = [];
    const state = new Map<string, boolean>();
    const visit = (id: string): boolean => {
      const known = state.get(id);
      if (known !== undefined) return known;
      const e = byId.get(id)!;
      let ok = !exclude(e.info.tx);
      for (const i of e.info.tx.inputs) {
        const parent = display(i.previousOutput.txid);
        if (byId.has(parent) && !visit(parent)) ok = false;
      }
      state.set(id, ok);
      if (ok) out.push(id);
      return ok;
    };
    for (const id of byId.keys()) visit(id);
    return out;
  }

  /** Mines `n` blocks (everything in the mempool but `exclude`d transactions), feeding every listener. */
  async mine(n = 1, exclude?: (tx: Tx) => boolean): Promise<Block[]> {
    const blocks: Block[] = [];
    for (let i = 0; i < n; i++) {
      this.clock += 600;
      const from = this.node.height + 1;
      if (exclude === undefined) this.node.mine(1);
      else this.node.generateBlock(this.node.faucet.script, this.selectable(exclude));
      blocks.push(...(await this.connected(from)));
    }
    return blocks;
  }

  /** Disconnects the top `depth` blocks (tip first, told to listeners); their transactions go back to the mempool. */
  async disconnect(depth: number): Promise<void> {
    const top = this.node.height;
    const stale = Array.from({ length: depth }, (_, k) => this.node.chain.atHeight(top - k)!);
    this.node.invalidateBlock(stale[stale.length - 1]!.hashHex);
    for (const entry of stale) for (const l of this.listeners) await l.blockDisconnected(entry.block.header, entry.height);
  }

  /** A reorg of `depth` blocks: disconnect them, then mine `depth + 1` replacements without `exclude`d transactions. */
  async reorg(depth: number, exclude: (tx: Tx) => boolean = () => false): Promise<void> {
    await this.disconnect(depth);
    await this.mine(depth + 1, exclude);
  }

  isConfirmed(txid: Txid): boolean {
    return this.node.findTx(display(txid))?.location !== undefined;
  }

  inMempool(txid: Txid): boolean {
    return this.node.mempool.get(display(txid)) !== undefined;
  }

  /** The transaction spending `outpoint` in the best chain, if any. */
  spenderOf(outpoint: OutPoint): { tx: Tx; height: number } | undefined {
    const spend = this.node.outspend(display(outpoint.txid), outpoint.index);
    if (spend?.entry === undefined) return undefined;
    const found = this.node.findTx(spend.txidHex);
    return found === undefined ? undefined : { tx: found.info.tx, height: spend.entry.height };
  }

  /** Confirmed outputs paying `script`. */
  unspentTo(script: Uint8Array): { outpoint: OutPoint; amount: bigint }[] {
    const out: { outpoint: OutPoint; amount: bigint }[] = [];
    for (let h = 1; h <= this.node.height; h++) {
      for (const t of this.node.chain.atHeight(h)!.block.transactions) {
        t.tx.outputs.forEach((o, vout) => {
          if (toHex(o.script) !== toHex(script)) return;
          const spend = this.node.outspend(display(t.txid), vout);
          if (spend?.entry === undefined) out.push({ outpoint: outPoint(txidOf(t.tx), vout), amount: o.amount });
        });
      }
    }
    return out;
  }
}
