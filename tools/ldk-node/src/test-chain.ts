import { publicKeyFromPrivate, sha256, sha256d } from 'ln-crypto';
import {
  type Block,
  type BlockHeader,
  type Tx,
  type TxOutput,
  decodeBlock,
  decodeTx,
  encodeBlock,
  encodeBlockHeader,
  encodeTx,
  merkleRoot,
  meetsProofOfWork,
  p2pkh,
  p2wpkh,
  p2wpkhWitness,
  pushData,
  scriptNumBytes,
  signSegwitInput,
  txidOfRaw,
  witnessCommitment,
  witnessCommitmentScript,
} from 'ln-tx';
import { type OutPoint, type Txid, blockHash, equalBytes, fromHex, outPointKey, toHex, txid as brandTxid, txidToHex, utf8ToBytes } from 'ln-types';
import { checkSpend } from 'ln-script-check';
import type { ChainBackend, ChainBlock, ChainListener, ChainTipInfo } from './chain-backend.js';
import { LdkNodeError } from './errors.js';

/** Options of {@link TestChain}. */
export interface TestChainOptions {
  /** Check every input's script with bitcore-lib's interpreter (default true). */
  readonly validateScripts?: boolean;
  /** Seconds since the epoch for block headers (default: the wall clock); LDK dates invoices by block time. */
  readonly now?: () => number;
}

interface Coin {
  readonly output: TxOutput;
  /** Confirmation height; undefined for a mempool output. */
  readonly height: number | undefined;
}

interface MempoolTx {
  readonly txid: Txid;
  readonly raw: Uint8Array;
  readonly tx: Tx;
  readonly feeSat: bigint;
}

interface Connected extends ChainBlock {
  /** Coins the block spent (to restore them on disconnection). */
  readonly spent: [string, Coin][];
}

// The regtest genesis block: the mainnet genesis coinbase under regtest's header.
const GENESIS_COINBASE = fromHex(
  '01000000010000000000000000000000000000000000000000000000000000000000000000ffffffff4d04ffff001d0104455468652054696d65732030332f4a616e2f32303039204368616e63656c6c6f72206f6e206272696e6b206f66207365636f6e64206261696c6f757420666f722062616e6b73ffffffff0100f2052a01000000434104678afdb0fe5548271967f1a67130b7105cd6a828e03909a67962e0ea1f61deb649f6bc3f4cef38c4f35504e51ec112de5c384df7ba0b8d578a4c702b6bf11d5fac00000000',
);
const REGTEST_BITS = 0x207fffff;
const FAUCET_SAT = 100_000_000n * 1_000_000n;
const FAUCET_FEE_SAT = 500n;
const FINAL_SEQUENCE = 0xffffffff;
const LOCKTIME_THRESHOLD = 500_000_000;

/**
 * A chain in a box for tests and benchmarks, in this process: a mempool that
 * checks every input (it exists and is unspent, the amounts add up, the script
 * validates under bitcore-lib's interpreter, absolute and BIP 68 relative
 * locktimes hold) and regtest blocks mined on demand with real headers, merkle
 * roots and witness commitments, fed to every subscribed node. It starts at the
 * regtest genesis block with a faucet (block 1 pays it) that funds any script.
 *
 * Not enforced: coinbase maturity, block subsidy, sigop and size limits, and
 * relay policy beyond fee >= 0 (replacement needs a higher absolute fee). Use the
 * ln-regtest chain (bitcoind's RPC) where those matter.
 */
export class TestChain implements ChainBackend {
  private readonly blocks: Connected[] = [];
  private readonly coins = new Map<string, Coin>();
  private readonly mempool = new Map<string, MempoolTx>();
  /** Outpoint key -> txid hex of the mempool transaction spending it. */
  private readonly spentInMempool = new Map<string, string>();
  /** Txid hex -> confirmation height. */
  private readonly confirmed = new Map<string, number>();
  private readonly listeners = new Set<ChainListener>();
  private readonly validateScripts: boolean;
  private readonly now: () => number;
  private readonly faucetSecret = sha256(utf8ToBytes('ln-ldk-node test chain faucet'));
  private readonly faucetPublicKey = publicKeyFromPrivate(this.faucetSecret);
  private readonly faucetScript = p2wpkh(this.faucetPublicKey);
  /** Every transaction refused, with the reason (LDK re-broadcasts early claims: these are expected). */
  readonly refused: { txid: string; reason: string }[] = [];

  constructor(options: TestChainOptions = {}) {
    this.validateScripts = options.validateScripts ?? true;
    this.now = options.now ?? (() => Math.floor(Date.now() / 1000));
    const genesisHeader: BlockHeader = {
      version: 1,
      prevBlockHash: blockHash(new Uint8Array(32)),
      merkleRoot: merkleRoot([txidOfRaw(GENESIS_COINBASE)]),
      time: 1296688602,
      bits: REGTEST_BITS,
      nonce: 2,
    };
    this.connect(decodeBlock(encodeBlock(genesisHeader, [GENESIS_COINBASE])));
    this.mine(1, this.faucetScript);
  }

  /** The best block. */
  get tip(): ChainTipInfo {
    const b = this.blocks.at(-1)!;
    return { hash: b.hash, height: b.height, time: b.block.header.time };
  }

  get height(): number {
    return this.blocks.length - 1;
  }

  async getTip(): Promise<ChainTipInfo> {
    return this.tip;
  }

  async getBlock(height: number): Promise<ChainBlock> {
    return this.blockAt(height);
  }

  /** The block at `height` on the best chain. */
  blockAt(height: number): ChainBlock {
    const b = this.blocks[height];
    if (b === undefined) throw new LdkNodeError('not_found', `no block at height ${height} (tip ${this.height})`);
    return b;
  }

  subscribe(listener: ChainListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Broadcasting from a node: each transaction goes to the mempool; a refusal is recorded, not thrown. */
  broadcast(transactions: readonly Uint8Array[]): void {
    for (const raw of transactions) {
      try {
        this.submit(raw);
      } catch (e) {
        this.refused.push({ txid: txidToHex(txidOfRaw(raw)), reason: e instanceof Error ? e.message : String(e) });
      }
    }
  }

  /**
   * Adds a transaction to the mempool after checking it.
   * @throws LdkNodeError `chain` with the reason it was refused
   */
  submit(raw: Uint8Array): Txid {
    let tx: Tx;
    try {
      tx = decodeTx(raw);
    } catch (cause) {
      throw new LdkNodeError('chain', 'not a transaction', { cause });
    }
    const txid = txidOfRaw(raw);
    const key = toHex(txid);
    if (this.mempool.has(key) || this.confirmed.has(key)) return txid;
    if (tx.inputs.length === 0 || tx.outputs.length === 0) throw this.refuse(txid, 'no inputs or no outputs');
    const conflicts = new Set<string>();
    let inSat = 0n;
    const spent: Coin[] = [];
    for (const input of tx.inputs) {
      const ok = outPointKey(input.previousOutput);
      const coin = this.coins.get(ok) ?? this.mempoolCoin(input.previousOutput);
      if (coin === undefined) throw this.refuse(txid, `input ${txidToHex(input.previousOutput.txid)}:${input.previousOutput.index} is missing or spent`);
      const spender = this.spentInMempool.get(ok);
      if (spender !== undefined) conflicts.add(spender);
      spent.push(coin);
      inSat += coin.output.amount;
    }
    const outSat = tx.outputs.reduce((s, o) => s + o.amount, 0n);
    if (outSat > inSat) throw this.refuse(txid, `outputs (${outSat}) exceed inputs (${inSat})`);
    const feeSat = inSat - outSat;
    const finality = this.finalityError(tx, spent, this.height + 1);
    if (finality !== undefined) throw this.refuse(txid, finality);
    if (this.validateScripts) {
      tx.inputs.forEach((input, index) => {
        const coin = spent[index]!;
        const r = checkSpend({ tx: raw, index, witness: input.witness ?? [], prevScript: coin.output.script, amountSat: coin.output.amount, ...(input.scriptSig === undefined ? {} : { scriptSig: input.scriptSig }) });
        if (!r.ok) throw this.refuse(txid, `input ${index} script fails: ${r.error}`);
      });
    }
    if (conflicts.size > 0) {
      const replaced = this.withDescendants(conflicts);
      const replacedFee = [...replaced].reduce((s, id) => s + this.mempool.get(id)!.feeSat, 0n);
      if (feeSat <= replacedFee) throw this.refuse(txid, `conflicts with ${[...conflicts].join(', ')} and pays no more fee (${feeSat} <= ${replacedFee})`);
      for (const id of replaced) this.removeFromMempool(id);
    }
    this.mempool.set(key, { txid, raw, tx, feeSat });
    for (const input of tx.inputs) this.spentInMempool.set(outPointKey(input.previousOutput), key);
    return txid;
  }

  /** True when the transaction is in the mempool. */
  inMempool(txid: Txid): boolean {
    return this.mempool.has(toHex(txid));
  }

  /** Transactions waiting in the mempool. */
  mempoolTxids(): Txid[] {
    return [...this.mempool.values()].map((m) => m.txid);
  }

  /** Confirmations of a transaction (0 when in the mempool or unknown). */
  confirmations(txid: Txid): number {
    const h = this.confirmed.get(toHex(txid));
    return h === undefined ? 0 : this.height - h + 1;
  }

  /** The unspent output at `outpoint`, confirmed or in the mempool. */
  getCoin(outpoint: OutPoint): { output: TxOutput; height: number | undefined } | undefined {
    return this.coins.get(outPointKey(outpoint)) ?? this.mempoolCoin(outpoint);
  }

  /**
   * Sends `amountSat` from the faucet to `script` (into the mempool; mine to confirm).
   * @returns the outpoint paying `script`
   */
  fund(script: Uint8Array, amountSat: bigint): OutPoint {
    let best: { key: string; outpoint: OutPoint; coin: Coin } | undefined;
    for (const [key, coin] of [...this.coins.entries(), ...this.mempoolCoins()]) {
      if (!equalBytes(coin.output.script, this.faucetScript) || this.spentInMempool.has(key)) continue;
      if (best === undefined || coin.output.amount > best.coin.output.amount) best = { key, outpoint: parseKey(key), coin };
    }
    if (best === undefined || best.coin.output.amount < amountSat + FAUCET_FEE_SAT) throw new LdkNodeError('chain', 'the faucet is empty');
    const unsigned: Tx = {
      version: 2,
      locktime: 0,
      inputs: [{ previousOutput: best.outpoint, sequence: 0xfffffffd }],
      outputs: [
        { script, amount: amountSat },
        { script: this.faucetScript, amount: best.coin.output.amount - amountSat - FAUCET_FEE_SAT },
      ],
    };
    const signature = signSegwitInput(unsigned, 0, p2pkh(this.faucetPublicKey), best.coin.output.amount, this.faucetSecret);
    const signed: Tx = { ...unsigned, inputs: [{ ...unsigned.inputs[0]!, witness: p2wpkhWitness(signature, this.faucetPublicKey) }] };
    const txid = this.submit(encodeTx(signed));
    return { txid, index: 0 };
  }

  /**
   * Mines `count` blocks with every mempool transaction that is final at its
   * height (parents before children), paying the coinbase to `coinbaseScript`
   * (default OP_TRUE), and feeds each to the subscribers.
   * @returns the new blocks
   */
  mine(count = 1, coinbaseScript: Uint8Array = Uint8Array.of(0x51)): ChainBlock[] {
    const mined: ChainBlock[] = [];
    for (let n = 0; n < count; n++) {
      const height = this.height + 1;
      const txs = this.selectForBlock(height);
      const prev = this.blocks.at(-1)!;
      const segwit = txs.some((t) => t.tx.inputs.some((i) => (i.witness?.length ?? 0) > 0));
      const coinbaseOutputs: TxOutput[] = [{ script: coinbaseScript, amount: height === 1 ? FAUCET_SAT : 0n }];
      const coinbaseBase: Tx = {
        version: 2,
        locktime: 0,
        inputs: [{ previousOutput: { txid: brandTxid(new Uint8Array(32)), index: 0xffffffff }, sequence: FINAL_SEQUENCE, scriptSig: coinbaseScriptSig(height), ...(segwit ? { witness: [new Uint8Array(32)] } : {}) }],
        outputs: coinbaseOutputs,
      };
      let coinbase = coinbaseBase;
      if (segwit) {
        const wtxids = [new Uint8Array(32), ...txs.map((t) => sha256d(t.raw))];
        coinbase = { ...coinbaseBase, outputs: [...coinbaseOutputs, { script: witnessCommitmentScript(witnessCommitment(wtxids)), amount: 0n }] };
      }
      const coinbaseRaw = encodeTx(coinbase);
      const raws = [coinbaseRaw, ...txs.map((t) => t.raw)];
      const header: { -readonly [K in keyof BlockHeader]: BlockHeader[K] } = {
        version: 0x20000000,
        prevBlockHash: prev.hash,
        merkleRoot: merkleRoot(raws.map(txidOfRaw)),
        time: Math.max(prev.block.header.time + 1, this.now()),
        bits: REGTEST_BITS,
        nonce: 0,
      };
      while (!meetsProofOfWork(sha256d(encodeBlockHeader(header)), header.bits)) header.nonce++;
      const block = decodeBlock(encodeBlock(header, raws));
      for (const t of txs) this.removeFromMempool(toHex(t.txid));
      const connected = this.connect(block);
      mined.push(connected);
      for (const l of this.listeners) l.blockConnected(connected);
    }
    return mined;
  }

  /**
   * Disconnects the `depth` newest blocks (tip first), telling subscribers, and
   * puts their transactions back in the mempool (except `drop`), for reorg tests.
   */
  reorg(depth: number, drop: readonly Txid[] = []): void {
    if (depth >= this.height) throw new LdkNodeError('invalid_argument', `cannot disconnect ${depth} of ${this.height} blocks`);
    const returned: Uint8Array[] = [];
    for (let n = 0; n < depth; n++) {
      const b = this.blocks.pop()!;
      for (const t of b.block.transactions) {
        this.confirmed.delete(toHex(t.txid));
        t.tx.outputs.forEach((_, index) => this.coins.delete(outPointKey({ txid: t.txid, index })));
      }
      for (const [key, coin] of b.spent) this.coins.set(key, coin);
      returned.unshift(...b.block.transactions.slice(1).map((t) => t.raw));
      for (const l of this.listeners) l.blockDisconnected(b);
    }
    const dropped = new Set(drop.map((d) => toHex(d)));
    // Mempool transactions may spend what the disconnected blocks created: re-add those blocks' first.
    const waiting = [...this.mempool.values()].map((m) => m.raw);
    for (const id of [...this.mempool.keys()]) this.removeFromMempool(id);
    for (const raw of [...returned, ...waiting]) {
      if (dropped.has(toHex(txidOfRaw(raw)))) continue;
      try {
        this.submit(raw);
      } catch {
        // Spent a dropped transaction's output: gone with it.
      }
    }
  }

  private connect(block: Block): Connected {
    const height = this.blocks.length;
    const spent: [string, Coin][] = [];
    block.transactions.forEach((t, i) => {
      if (i > 0) {
        for (const input of t.tx.inputs) {
          const key = outPointKey(input.previousOutput);
          const coin = this.coins.get(key);
          if (coin === undefined) throw new LdkNodeError('chain', `block spends a missing coin ${key}`);
          this.coins.delete(key);
          spent.push([key, coin]);
        }
      }
      t.tx.outputs.forEach((output, index) => this.coins.set(outPointKey({ txid: t.txid, index }), { output, height }));
      this.confirmed.set(toHex(t.txid), height);
    });
    const raw = encodeBlock(block.header, block.transactions.map((t) => t.raw));
    const connected: Connected = { height, hash: block.hash, raw, block, spent };
    this.blocks.push(connected);
    return connected;
  }

  private selectForBlock(height: number): MempoolTx[] {
    const chosen: MempoolTx[] = [];
    const inBlock = new Set<string>();
    const pending = [...this.mempool.values()];
    let progress = true;
    while (progress) {
      progress = false;
      for (const m of pending) {
        const key = toHex(m.txid);
        if (inBlock.has(key)) continue;
        const parentsReady = m.tx.inputs.every((i) => this.coins.has(outPointKey(i.previousOutput)) || inBlock.has(toHex(i.previousOutput.txid)));
        if (!parentsReady) continue;
        const spent = m.tx.inputs.map((i) => this.coins.get(outPointKey(i.previousOutput)) ?? { output: { script: new Uint8Array(0), amount: 0n }, height });
        if (this.finalityError(m.tx, spent, height) !== undefined) continue;
        chosen.push(m);
        inBlock.add(key);
        progress = true;
      }
    }
    return chosen;
  }

  /** Why `tx` cannot be in a block at `height` (BIP 113 median time approximated by the tip's time), or undefined. */
  private finalityError(tx: Tx, spent: readonly Coin[], height: number): string | undefined {
    const allFinal = tx.inputs.every((i) => i.sequence === FINAL_SEQUENCE);
    if (!allFinal && tx.locktime !== 0) {
      if (tx.locktime < LOCKTIME_THRESHOLD ? tx.locktime >= height : tx.locktime >= this.tip.time) return `locktime ${tx.locktime} not reached at height ${height}`;
    }
    if (tx.version >= 2) {
      for (const [index, input] of tx.inputs.entries()) {
        if ((input.sequence & 0x80000000) !== 0) continue;
        const coinHeight = spent[index]!.height ?? height;
        if ((input.sequence & 0x00400000) !== 0) continue; // time-based relative locks: not used by Lightning
        const blocks = input.sequence & 0xffff;
        if (height - coinHeight < blocks) return `input ${index} is relatively locked for ${blocks} blocks (has ${height - coinHeight})`;
      }
    }
    return undefined;
  }

  private mempoolCoin(outpoint: OutPoint): Coin | undefined {
    const m = this.mempool.get(toHex(outpoint.txid));
    const output = m?.tx.outputs[outpoint.index];
    return output === undefined ? undefined : { output, height: undefined };
  }

  private *mempoolCoins(): Generator<[string, Coin]> {
    for (const m of this.mempool.values()) {
      for (const [index, output] of m.tx.outputs.entries()) yield [outPointKey({ txid: m.txid, index }), { output, height: undefined }];
    }
  }

  private withDescendants(roots: Set<string>): Set<string> {
    const all = new Set(roots);
    let grew = true;
    while (grew) {
      grew = false;
      for (const m of this.mempool.values()) {
        const key = toHex(m.txid);
        if (all.has(key)) continue;
        if (m.tx.inputs.some((i) => all.has(toHex(i.previousOutput.txid)))) {
          all.add(key);
          grew = true;
        }
      }
    }
    return all;
  }

  private removeFromMempool(key: string): void {
    const m = this.mempool.get(key);
    if (m === undefined) return;
    this.mempool.delete(key);
    for (const input of m.tx.inputs) {
      const ok = outPointKey(input.previousOutput);
      if (this.spentInMempool.get(ok) === key) this.spentInMempool.delete(ok);
    }
  }

  private refuse(txid: Txid, reason: string): LdkNodeError {
    return new LdkNodeError('chain', `transaction ${txidToHex(txid)} refused: ${reason}`);
  }
}

function coinbaseScriptSig(height: number): Uint8Array {
  // BIP 34: the height first; a tag keeps the scriptSig at least 2 bytes.
  const push = height <= 16 ? (height === 0 ? Uint8Array.of(0x00) : Uint8Array.of(0x50 + height)) : pushData(scriptNumBytes(BigInt(height)));
  return new Uint8Array([...push, ...pushData(utf8ToBytes('ln-ldk-node'))]);
}


function parseKey(key: string): OutPoint {
  const [hex, index] = key.split(':');
  return { txid: brandTxid(fromHex(hex!)), index: Number(index) };
}

