// A small script-validating chain for the monitor tests, until ln-regtest's
// in-process chain is on main: UTXO set with undo data, mempool with BIP 125
// replacement and parent+child packages, BIP 68 / BIP 65 / nLockTime rules, every
// input checked by bitcore-lib's interpreter (ln-script-check), blocks mined on
// demand, reorgs on command, and Listen listeners fed in order.
import type { Listen } from 'ln-chain-api';
import { checkSpend } from 'ln-script-check';
import { type BlockHash, type OutPoint, type Txid, blockHash, outPoint, outPointKey, toHex } from 'ln-types';
import { type Block, type BlockHeader, type BlockTransaction, type Tx, blockHeaderHash, encodeTx, merkleRoot, txWeight, txidOf } from 'ln-tx';
import { sha256d } from 'ln-crypto';

export interface Coin {
  readonly script: Uint8Array;
  readonly amount: bigint;
  readonly height: number;
}

interface MempoolTx {
  readonly tx: Tx;
  readonly txid: Txid;
  readonly fee: bigint;
  readonly weight: number;
}

export interface SubmitResult {
  readonly accepted: boolean;
  readonly error?: string;
}

const MIN_RELAY_SAT_PER_KW = 253n;

export class MiniChain {
  readonly utxos = new Map<string, Coin>();
  readonly blocks: { block: Block; undo: { key: string; coin: Coin }[]; created: string[] }[] = [];
  readonly mempool = new Map<string, MempoolTx>();
  readonly listeners: Listen[] = [];
  /** Every transaction ever confirmed (txid hex → height), for assertions. */
  readonly confirmed = new Map<string, { tx: Tx; height: number }>();
  private nonce = 0;
  private readonly scriptVerdicts = new Map<string, string>();

  constructor() {
    this.blocks.push({ block: this.makeBlock([], new Uint8Array(32) as BlockHash), undo: [], created: [] });
  }

  get height(): number {
    return this.blocks.length - 1;
  }

  get tip(): Block {
    return this.blocks[this.blocks.length - 1]!.block;
  }

  private makeBlock(txs: Tx[], prev: BlockHash): Block {
    const coinbase: Tx = {
      version: 2,
      locktime: 0,
      inputs: [{ previousOutput: outPoint(new Uint8Array(32) as Txid, 0xffffffff), sequence: 0xffffffff, scriptSig: Uint8Array.of(4, ...u32(this.nonce++)) }],
      outputs: [{ script: Uint8Array.of(0x6a), amount: 0n }],
    };
    const all = [coinbase, ...txs];
    const transactions: BlockTransaction[] = all.map((tx, index) => {
      const raw = encodeTx(tx);
      return { index, txid: txidOf(tx), wtxid: sha256d(raw), tx, raw };
    });
    const header: BlockHeader = { version: 0x20000000, prevBlockHash: prev, merkleRoot: merkleRoot(transactions.map((t) => t.txid)), time: 1_700_000_000 + this.blocks.length * 600, bits: 0x207fffff, nonce: this.nonce };
    return { header, hash: blockHash(blockHeaderHash(header)), transactions };
  }

  /** Credits a coin out of thin air (a faucet), confirmed in a new block. */
  async fund(script: Uint8Array, amount: bigint): Promise<OutPoint> {
    const marker: Tx = { version: 2, locktime: 0, inputs: [{ previousOutput: outPoint(sha256d(Uint8Array.of(...u32(this.nonce++), 0xfa)) as Txid, 0), sequence: 0xffffffff }], outputs: [{ script, amount }] };
    const txid = txidOf(marker);
    // The marker's input is fictional: it is credited directly rather than validated.
    this.pendingFunding.push(marker);
    await this.mine(1);
    return outPoint(txid, 0);
  }

  private pendingFunding: Tx[] = [];

  /** Input `i`'s coin, from the UTXO set or an unconfirmed parent. */
  private coinOf(input: OutPoint): Coin | undefined {
    const c = this.utxos.get(outPointKey(input));
    if (c !== undefined) return c;
    const parent = this.mempool.get(toHex(input.txid));
    const o = parent?.tx.outputs[input.index];
    return o === undefined ? undefined : { script: o.script, amount: o.amount, height: this.height + 1 };
  }

  private spenderInMempool(input: OutPoint): MempoolTx | undefined {
    for (const m of this.mempool.values()) {
      if (m.tx.inputs.some((i) => i.previousOutput.index === input.index && toHex(i.previousOutput.txid) === toHex(input.txid))) return m;
    }
    return undefined;
  }

  private check(tx: Tx, allowLowFee: boolean): { error?: string; fee?: bigint; conflicts?: MempoolTx[] } {
    const nextHeight = this.height + 1;
    const txid = txidOf(tx);
    if (this.confirmed.has(toHex(txid))) return { error: 'txn-already-known' };
    if (this.mempool.has(toHex(txid))) return { error: 'txn-already-in-mempool' };
    let inSum = 0n;
    const conflicts = new Set<MempoolTx>();
    const raw = encodeTx(tx);
    for (const [i, input] of tx.inputs.entries()) {
      const coin = this.coinOf(input.previousOutput);
      if (coin === undefined) return { error: 'bad-txns-inputs-missingorspent' };
      const spender = this.spenderInMempool(input.previousOutput);
      if (spender !== undefined) conflicts.add(spender);
      // BIP 68 relative lock (blocks) for version 2
      if (tx.version >= 2 && (input.sequence & 0x80000000) === 0) {
        const lock = input.sequence & 0xffff;
        if ((input.sequence & 0x400000) !== 0) return { error: 'time-based relative locks unsupported here' };
        if (nextHeight - coin.height < lock) return { error: 'non-BIP68-final' };
      }
      // Scripts do not change their verdict for the same bytes and coin: checked once (bitcore is slow).
      const memoKey = `${toHex(sha256d(raw))}:${i}:${toHex(coin.script)}:${coin.amount}`;
      let verdict = this.scriptVerdicts.get(memoKey);
      if (verdict === undefined) {
        const r = checkSpend({ tx: raw, index: i, ...(input.scriptSig === undefined ? {} : { scriptSig: input.scriptSig }), witness: input.witness ?? [], prevScript: coin.script, amountSat: coin.amount });
        verdict = r.ok ? '' : r.error || 'failed';
        this.scriptVerdicts.set(memoKey, verdict);
      }
      if (verdict !== '') return { error: `mandatory-script-verify-flag-failed (${verdict}) input ${i}` };
      inSum += coin.amount;
    }
    if (tx.locktime !== 0 && tx.inputs.some((i) => i.sequence !== 0xffffffff)) {
      if (tx.locktime >= 500_000_000 ? tx.locktime >= this.tip.header.time : tx.locktime >= nextHeight) return { error: 'non-final' };
    }
    const outSum = tx.outputs.reduce((s, o) => s + o.amount, 0n);
    if (outSum > inSum) return { error: 'bad-txns-in-belowout' };
    const fee = inSum - outSum;
    const weight = txWeight(tx);
    if (!allowLowFee && fee * 1000n < MIN_RELAY_SAT_PER_KW * BigInt(weight)) return { error: 'min relay fee not met' };
    if (conflicts.size > 0) {
      // BIP 125: more absolute fee than everything replaced (with descendants), plus relay of its own size, and a higher rate.
      const replaced = new Set<MempoolTx>();
      for (const c of conflicts) for (const d of this.withDescendants(c)) replaced.add(d);
      const replacedFee = [...replaced].reduce((s, m) => s + m.fee, 0n);
      if (fee < replacedFee + (MIN_RELAY_SAT_PER_KW * BigInt(weight)) / 1000n) return { error: 'insufficient fee (replacement)' };
      for (const c of conflicts) if (fee * BigInt(c.weight) <= c.fee * BigInt(weight)) return { error: 'insufficient fee rate (replacement)' };
      return { fee, conflicts: [...replaced] };
    }
    return { fee };
  }

  private withDescendants(m: MempoolTx): MempoolTx[] {
    const out = [m];
    for (const other of this.mempool.values()) {
      if (other.tx.inputs.some((i) => toHex(i.previousOutput.txid) === toHex(m.txid))) out.push(...this.withDescendants(other));
    }
    return out;
  }

  /** Submits a transaction, or a package (parents first, then one child) judged on its combined fee rate. */
  submit(txs: readonly Tx[]): SubmitResult {
    if (txs.length === 0) return { accepted: false, error: 'empty' };
    if (txs.length === 1) return this.accept(txs[0]!, false);
    // Package: parents may pay below the relay fee if the package rate is enough.
    const added: string[] = [];
    let fee = 0n;
    let weight = 0;
    for (const tx of txs) {
      const already = this.mempool.has(toHex(txidOf(tx))) || this.confirmed.has(toHex(txidOf(tx)));
      if (already) continue;
      const r = this.check(tx, true);
      if (r.error !== undefined) {
        for (const k of added) this.mempool.delete(k);
        return { accepted: false, error: r.error };
      }
      for (const c of r.conflicts ?? []) this.mempool.delete(toHex(c.txid));
      const entry = { tx, txid: txidOf(tx), fee: r.fee!, weight: txWeight(tx) };
      this.mempool.set(toHex(entry.txid), entry);
      added.push(toHex(entry.txid));
      fee += entry.fee;
      weight += entry.weight;
    }
    if (added.length > 0 && fee * 1000n < MIN_RELAY_SAT_PER_KW * BigInt(weight)) {
      for (const k of added) this.mempool.delete(k);
      return { accepted: false, error: 'package fee rate below the relay minimum' };
    }
    return { accepted: true };
  }

  private accept(tx: Tx, allowLowFee: boolean): SubmitResult {
    const r = this.check(tx, allowLowFee);
    if (r.error !== undefined) return { accepted: false, error: r.error };
    for (const c of r.conflicts ?? []) this.mempool.delete(toHex(c.txid));
    const txid = txidOf(tx);
    this.mempool.set(toHex(txid), { tx, txid, fee: r.fee!, weight: txWeight(tx) });
    return { accepted: true };
  }

  /** Mines `n` blocks with everything in the mempool (parents before children), feeding every listener. */
  async mine(n = 1, exclude: (tx: Tx) => boolean = () => false): Promise<Block[]> {
    const mined: Block[] = [];
    for (let k = 0; k < n; k++) {
      const txs = this.orderedMempool().filter((m) => !exclude(m.tx)).map((m) => m.tx);
      const funding = this.pendingFunding.splice(0);
      const block = this.makeBlock([...funding, ...txs], this.tip.hash);
      const height = this.height + 1;
      const undo: { key: string; coin: Coin }[] = [];
      const created: string[] = [];
      for (const t of block.transactions.slice(1)) {
        const isFunding = funding.includes(t.tx);
        if (!isFunding) {
          for (const i of t.tx.inputs) {
            const key = outPointKey(i.previousOutput);
            const coin = this.utxos.get(key)!;
            undo.push({ key, coin });
            this.utxos.delete(key);
          }
        }
        t.tx.outputs.forEach((o, index) => {
          const key = outPointKey(outPoint(t.txid, index));
          this.utxos.set(key, { script: o.script, amount: o.amount, height });
          created.push(key);
        });
        this.mempool.delete(toHex(t.txid));
        this.confirmed.set(toHex(t.txid), { tx: t.tx, height });
      }
      this.blocks.push({ block, undo, created });
      this.evictInvalid();
      for (const l of this.listeners) await l.blockConnected(block, height);
      mined.push(block);
    }
    return mined;
  }

  private orderedMempool(): MempoolTx[] {
    const out: MempoolTx[] = [];
    const done = new Set<string>();
    const visit = (m: MempoolTx) => {
      if (done.has(toHex(m.txid))) return;
      for (const i of m.tx.inputs) {
        const parent = this.mempool.get(toHex(i.previousOutput.txid));
        if (parent !== undefined) visit(parent);
      }
      done.add(toHex(m.txid));
      out.push(m);
    };
    for (const m of this.mempool.values()) visit(m);
    return out;
  }

  /** Drops mempool transactions that no longer validate (inputs spent by a block, or by a reorg). */
  private evictInvalid(): void {
    let changed = true;
    while (changed) {
      changed = false;
      for (const [k, m] of this.mempool) {
        this.mempool.delete(k);
        const r = this.check(m.tx, true);
        if (r.error === undefined && (r.conflicts ?? []).length === 0) this.mempool.set(k, m);
        else changed = true;
      }
    }
  }

  /** Disconnects the top `depth` blocks (their transactions go back to the mempool where still valid), feeding listeners. */
  async disconnect(depth: number): Promise<Tx[]> {
    const returned: Tx[] = [];
    for (let k = 0; k < depth; k++) {
      const top = this.blocks.pop()!;
      const height = this.blocks.length;
      for (const key of top.created) this.utxos.delete(key);
      for (const { key, coin } of top.undo) this.utxos.set(key, coin);
      for (const t of top.block.transactions.slice(1)) {
        this.confirmed.delete(toHex(t.txid));
        returned.push(t.tx);
      }
      for (const l of this.listeners) await l.blockDisconnected(top.block.header, height);
    }
    for (const tx of returned) {
      const r = this.check(tx, true);
      if (r.error === undefined && (r.conflicts ?? []).length === 0) this.mempool.set(toHex(txidOf(tx)), { tx, txid: txidOf(tx), fee: r.fee!, weight: txWeight(tx) });
    }
    return returned;
  }

  /** A reorg of `depth` blocks: disconnect them, then mine `depth + 1` replacements without `exclude`d transactions. */
  async reorg(depth: number, exclude: (tx: Tx) => boolean = () => false): Promise<void> {
    await this.disconnect(depth);
    for (const [k, m] of this.mempool) if (exclude(m.tx)) this.mempool.delete(k);
    await this.mine(depth + 1, exclude);
  }

  isConfirmed(txid: Txid): boolean {
    return this.confirmed.has(toHex(txid));
  }

  inMempool(txid: Txid): boolean {
    return this.mempool.has(toHex(txid));
  }

  /** The transaction spending `outpoint` in the best chain, if any. */
  spenderOf(outpoint: OutPoint): { tx: Tx; height: number } | undefined {
    for (const c of this.confirmed.values()) {
      if (c.tx.inputs.some((i) => i.previousOutput.index === outpoint.index && toHex(i.previousOutput.txid) === toHex(outpoint.txid))) return c;
    }
    return undefined;
  }
}

function u32(v: number): number[] {
  return [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
}
