// A small chain for the wallet's unit tests: blocks with real headers, a
// coinbase, merkle roots, a UTXO set and reorganizations; every input of every
// transaction is checked by an independent script interpreter (ln-script-check)
// before the transaction is mined. The end-to-end tests use ln-regtest; this
// one is for fast, exact control of blocks and reorgs.
import { checkSpend } from 'ln-script-check';
import { type BlockHash, blockHash, outPointKey } from 'ln-types';
import { type Block, type BlockHeader, type BlockTransaction, type Tx, type TxOutput, blockHeaderHash, encodeTx, merkleRoot, txWeight, txidOf } from 'ln-tx';

interface Entry {
  block: Block;
  height: number;
  spent: Map<string, TxOutput>;
  created: string[];
}

let extraNonce = 0;

export class MiniChain {
  readonly utxos = new Map<string, TxOutput>();
  readonly blocks: Entry[] = [];
  readonly mempool: Tx[] = [];
  readonly genesis: BlockHash = blockHash(new Uint8Array(32).fill(7));

  get height(): number {
    return this.blocks.length;
  }

  get tipHash(): BlockHash {
    return this.blocks.at(-1)?.block.hash ?? this.genesis;
  }

  /** Checks a transaction against the UTXO set (scripts, amounts, no double spend) and returns its fee. */
  validate(tx: Tx, extra: Map<string, TxOutput> = new Map()): bigint {
    const raw = encodeTx(tx);
    let inValue = 0n;
    const seen = new Set<string>();
    tx.inputs.forEach((input, index) => {
      const key = outPointKey(input.previousOutput);
      if (seen.has(key)) throw new Error(`input ${index} spends ${key} twice`);
      seen.add(key);
      const prev = this.utxos.get(key) ?? extra.get(key);
      if (prev === undefined) throw new Error(`input ${index} spends missing or spent ${key}`);
      const check = checkSpend({ tx: raw, index, witness: input.witness ?? [], prevScript: prev.script, amountSat: prev.amount, ...(input.scriptSig ? { scriptSig: input.scriptSig } : {}) });
      if (!check.ok) throw new Error(`input ${index} does not validate: ${check.error}`);
      inValue += prev.amount;
    });
    const outValue = tx.outputs.reduce((s, o) => s + o.amount, 0n);
    if (outValue > inValue) throw new Error('outputs exceed inputs');
    if (tx.locktime > this.height) throw new Error('transaction is not final');
    return inValue - outValue;
  }

  /** Accepts a transaction into the mempool after validating it (in-mempool parents allowed). */
  submit(tx: Tx): bigint {
    const extra = new Map<string, TxOutput>();
    for (const m of this.mempool) m.outputs.forEach((o, i) => extra.set(outPointKey({ txid: txidOf(m), index: i }), o));
    const spentByMempool = new Set(this.mempool.flatMap((m) => m.inputs.map((i) => outPointKey(i.previousOutput))));
    const conflicts = tx.inputs.filter((i) => spentByMempool.has(outPointKey(i.previousOutput)));
    if (conflicts.length > 0) {
      // RBF: drop the conflicting transactions if this one pays more.
      const fee = this.validate(tx, extra);
      const victims = this.mempool.filter((m) => m.inputs.some((i) => tx.inputs.some((j) => outPointKey(i.previousOutput) === outPointKey(j.previousOutput))));
      const victimFee = victims.reduce((s, v) => s + this.validate(v, extra), 0n);
      if (fee <= victimFee) throw new Error('replacement does not pay more');
      for (const v of victims) this.mempool.splice(this.mempool.indexOf(v), 1);
      this.mempool.push(tx);
      return fee;
    }
    const fee = this.validate(tx, extra);
    this.mempool.push(tx);
    return fee;
  }

  /** Mines a block paying the coinbase to `coinbaseScript` and including `txs` (default: the mempool). */
  mine(coinbaseScript: Uint8Array = Uint8Array.of(0x51), txs?: readonly Tx[], coinbaseValue = 50_0000_0000n): Block {
    const included = txs ?? this.mempool.splice(0, this.mempool.length);
    const height = this.height + 1;
    const coinbase: Tx = {
      version: 2,
      locktime: 0,
      inputs: [{ previousOutput: { txid: new Uint8Array(32) as never, index: 0xffffffff }, sequence: 0xffffffff, scriptSig: Uint8Array.of(3, height & 0xff, (height >> 8) & 0xff, extraNonce++ & 0xff) }],
      outputs: [{ script: coinbaseScript, amount: coinbaseValue }],
    };
    const spent = new Map<string, TxOutput>();
    const created: string[] = [];
    const all = [coinbase, ...included];
    for (const tx of all) {
      if (tx !== coinbase) this.validate(tx);
      for (const i of tx.inputs) {
        if (tx === coinbase) continue;
        const key = outPointKey(i.previousOutput);
        spent.set(key, this.utxos.get(key)!);
        this.utxos.delete(key);
      }
      const id = txidOf(tx);
      tx.outputs.forEach((o, index) => {
        const key = outPointKey({ txid: id, index });
        this.utxos.set(key, o);
        created.push(key);
      });
    }
    const transactions: BlockTransaction[] = all.map((tx, index) => ({ index, txid: txidOf(tx), wtxid: txidOf(tx), tx, raw: encodeTx(tx) }));
    const header: BlockHeader = { version: 0x20000000, prevBlockHash: this.tipHash, merkleRoot: merkleRoot(transactions.map((t) => t.txid)), time: 1_700_000_000 + height * 600, bits: 0x207fffff, nonce: extraNonce++ };
    const block: Block = { header, hash: blockHeaderHash(header), transactions };
    this.blocks.push({ block, height, spent, created });
    return block;
  }

  /** Removes the tip block; its transactions (but the coinbase) go back to the mempool. */
  disconnect(): { header: BlockHeader; height: number } {
    const entry = this.blocks.pop();
    if (entry === undefined) throw new Error('no block to disconnect');
    for (const key of entry.created) this.utxos.delete(key);
    for (const [key, output] of entry.spent) this.utxos.set(key, output);
    this.mempool.unshift(...entry.block.transactions.slice(1).map((t) => t.tx));
    return { header: entry.block.header, height: entry.height };
  }

  /** Weight-based fee rate of a transaction in the mempool or chain (sat/kw). */
  feerate(tx: Tx, fee: bigint): number {
    return (Number(fee) * 1000) / txWeight(tx);
  }
}
