import { HARDENED_OFFSET, HDKey } from '@scure/bip32';
import { Transaction } from '@scure/btc-signer';
import * as ldk from 'lightningdevkit';
import { publicKeyFromPrivate, sha256 } from 'ln-crypto';
import { type Block, type Tx, type TxInput, type TxOutput, encodeTx, p2pkh, p2wpkh, p2wpkhWitness, signSegwitInput, txWeight, txidOf } from 'ln-tx';
import { type OutPoint, type Txid, concatBytes, outPointKey, reverseBytes, toHex, txid as brandTxid, utf8ToBytes } from 'ln-types';
import { LdkNodeError } from './errors.js';

/** An output the wallet can spend. */
export interface WalletUtxo {
  readonly outpoint: OutPoint;
  readonly amountSat: bigint;
  readonly script: Uint8Array;
  /** Height of the block that confirmed it; undefined while unconfirmed. */
  readonly height: number | undefined;
}

/** The wallet's balance in satoshis. */
export interface WalletBalance {
  /** Confirmed and not reserved by a pending funding transaction (coins LDK's unconfirmed fee bumps spend are included). */
  readonly spendableSat: bigint;
  readonly unconfirmedSat: bigint;
  /** Inputs of funding transactions handed to LDK that have not confirmed yet. */
  readonly reservedSat: bigint;
}

/** A signed transaction the wallet built. */
export interface WalletTx {
  readonly raw: Uint8Array;
  readonly txid: Txid;
  readonly feeSat: bigint;
}

interface Key {
  readonly secret: Uint8Array;
  readonly publicKey: Uint8Array;
  readonly script: Uint8Array;
}

interface Entry extends WalletUtxo {
  readonly key: Key;
  /** The txid of the transaction we built that spends it, until that transaction confirms or is discarded. */
  reservedBy: string | undefined;
  /**
   * `funding`: spent by a funding transaction handed to LDK. `bump`: spent by a
   * fee bump LDK broadcast (still offered to LDK, which re-bumps the same claim
   * with the same coins, but not to new fundings; freed after {@link BUMP_RESERVATION_BLOCKS}).
   */
  reservation: 'funding' | 'bump' | undefined;
  reservedAtHeight: number;
}

/** Blocks after which a fee bump that has not confirmed gives its coins back. */
const BUMP_RESERVATION_BLOCKS = 6;

/** What a connected block changed, so a disconnection can undo it. */
interface Undo {
  readonly height: number;
  readonly added: string[];
  readonly spent: Entry[];
}

/** Weight of a P2WPKH input's witness and empty scriptSig (LDK's satisfaction weight). */
export const P2WPKH_SATISFACTION_WEIGHT = 113n;
/** Below this a P2WPKH change output is dust (bitcoind's relay rule at 3 sat/vB). */
const DUST_SAT = 294n;
/** Weight of one P2WPKH input with its witness, for fee estimates (outpoint, sequence, empty script, witness). */
const P2WPKH_INPUT_WEIGHT = (32 + 4 + 1 + 4) * 4 + 1 + 1 + 72 + 1 + 33;

/**
 * A small P2WPKH wallet for what LDK needs on chain: funding transactions, the
 * inputs of anchor and HTLC fee bumps (LDK's WalletSource) and a place for swept
 * outputs. Keys come from the node's seed (SHA-256 of seed, label and index: a
 * test wallet, not BIP 32). It learns its UTXOs from connected blocks or from the
 * test (`addUtxo`).
 */
export class LdkWallet {
  readonly source: ldk.WalletSource;
  private readonly keys: Key[] = [];
  private readonly keyOfScript = new Map<string, Key>();
  private readonly utxos = new Map<string, Entry>();
  private readonly undo: Undo[] = [];
  private nextChange = 0;
  private height = 0;

  constructor(private readonly seed: Uint8Array) {
    // LDK's KeysManager pays cooperative closes to m/2' and swept or static outputs to m/1'
    // (BIP 32 from the same seed): the wallet owns both, so those funds land here too.
    const master = HDKey.fromMasterSeed(seed);
    for (const index of [1, 2]) {
      const secret = master.deriveChild(HARDENED_OFFSET + index).privateKey!;
      this.register(secret);
    }
    this.source = ldk.WalletSource.new_impl({
      list_confirmed_utxos: () => ldk.Result_CVec_UtxoZNoneZ.constructor_ok(this.confirmedUtxos(true).map(toLdkUtxo)),
      get_change_script: () => ldk.Result_CVec_u8ZNoneZ.constructor_ok(this.newScript()),
      sign_psbt: (psbt: Uint8Array) => {
        try {
          return ldk.Result_TransactionNoneZ.constructor_ok(this.signPsbt(psbt));
        } catch {
          return ldk.Result_TransactionNoneZ.constructor_err();
        }
      },
    });
  }

  /** A fresh P2WPKH output script of this wallet. */
  newScript(): Uint8Array {
    return this.key(this.nextChange++).script;
  }

  /** True when `script` is one of the wallet's. */
  owns(script: Uint8Array): boolean {
    return this.keyOfScript.has(toHex(script));
  }

  /** Adds an output the test says is ours (it must pay to one of our scripts). */
  addUtxo(outpoint: OutPoint, amountSat: bigint, script: Uint8Array, height: number | undefined): void {
    const key = this.keyOfScript.get(toHex(script));
    if (key === undefined) throw new LdkNodeError('wallet', 'the output does not pay to a script of this wallet');
    this.utxos.set(outPointKey(outpoint), { outpoint, amountSat, script, height, key, reservedBy: undefined, reservation: undefined, reservedAtHeight: 0 });
  }

  /** Every UTXO, reserved or not. */
  listUtxos(): WalletUtxo[] {
    return [...this.utxos.values()].map(({ outpoint, amountSat, script, height }) => ({ outpoint, amountSat, script, height }));
  }

  balance(): WalletBalance {
    let spendableSat = 0n;
    let unconfirmedSat = 0n;
    let reservedSat = 0n;
    for (const u of this.utxos.values()) {
      if (u.reservation === 'funding') reservedSat += u.amountSat;
      else if (u.height === undefined) unconfirmedSat += u.amountSat;
      else spendableSat += u.amountSat;
    }
    return { spendableSat, unconfirmedSat, reservedSat };
  }

  /** Scans a connected block: our outputs appear, spent ones disappear. */
  blockConnected(block: Block, height: number): void {
    const undo: Undo = { height, added: [], spent: [] };
    for (const t of block.transactions) {
      for (const input of t.tx.inputs) {
        const key = outPointKey(input.previousOutput);
        const entry = this.utxos.get(key);
        if (entry === undefined) continue;
        this.utxos.delete(key);
        undo.spent.push(entry);
      }
      t.tx.outputs.forEach((output, index) => {
        const key = this.keyOfScript.get(toHex(output.script));
        if (key === undefined) return;
        const outpoint = { txid: t.txid, index };
        const name = outPointKey(outpoint);
        this.utxos.set(name, { outpoint, amountSat: output.amount, script: output.script, height, key, reservedBy: undefined, reservation: undefined, reservedAtHeight: 0 });
        undo.added.push(name);
      });
    }
    this.undo.push(undo);
    if (this.undo.length > 200) this.undo.shift();
    this.height = height;
    for (const u of this.utxos.values()) {
      if (u.reservation === 'bump' && height - u.reservedAtHeight >= BUMP_RESERVATION_BLOCKS) this.unreserve(u);
    }
  }

  /** Undoes the block at `height` (the tip). */
  blockDisconnected(height: number): void {
    const undo = this.undo.at(-1);
    if (undo === undefined || undo.height !== height) return;
    this.undo.pop();
    this.height = height - 1;
    for (const key of undo.added) this.utxos.delete(key);
    for (const entry of undo.spent) this.utxos.set(outPointKey(entry.outpoint), entry);
  }

  /**
   * Builds and signs a transaction paying `outputs` from confirmed UTXOs at
   * `feerateSatPerKw`, with change back to the wallet; its inputs stay reserved
   * until it confirms or {@link release} is called.
   * @throws LdkNodeError `wallet` when the confirmed balance is not enough
   */
  fundTransaction(outputs: readonly TxOutput[], feerateSatPerKw: number, locktime = 0): WalletTx {
    const target = outputs.reduce((s, o) => s + o.amount, 0n);
    // Largest first, coins no fee bump of LDK's has used first (those may be spent in the mempool).
    const candidates = this.confirmedUtxos(true).sort((a, b) =>
      (a.reservation === 'bump') !== (b.reservation === 'bump') ? (a.reservation === 'bump' ? 1 : -1) : a.amountSat < b.amountSat ? 1 : a.amountSat > b.amountSat ? -1 : 0,
    );
    const changeScript = this.newScript();
    const chosen: Entry[] = [];
    let total = 0n;
    for (const u of candidates) {
      chosen.push(u);
      total += u.amountSat;
      const feeWithChange = this.fee(chosen.length, [...outputs, { script: changeScript, amount: 0n }], feerateSatPerKw);
      if (total >= target + feeWithChange) break;
    }
    const feeWithChange = this.fee(chosen.length, [...outputs, { script: changeScript, amount: 0n }], feerateSatPerKw);
    const feeWithout = this.fee(chosen.length, outputs, feerateSatPerKw);
    if (total < target + feeWithout) {
      throw new LdkNodeError('wallet', `need ${target + feeWithout} sat confirmed, have ${this.balance().spendableSat}`);
    }
    const change = total - target - feeWithChange;
    const finalOutputs = change >= DUST_SAT ? [...outputs, { script: changeScript, amount: change }] : [...outputs];
    const inputs: TxInput[] = chosen.map((u) => ({ previousOutput: u.outpoint, sequence: 0xfffffffd }));
    const unsigned: Tx = { version: 2, locktime, inputs, outputs: finalOutputs };
    const signed = this.sign(unsigned, chosen);
    const txid = txidOf(signed);
    for (const u of chosen) this.reserve(u, toHex(txid), 'funding');
    const paid = finalOutputs.reduce((s, o) => s + o.amount, 0n);
    return { raw: encodeTx(signed), txid, feeSat: total - paid };
  }

  /** Frees the inputs of a transaction that will never be broadcast (LDK's DiscardFunding). */
  release(txid: Txid): void {
    const tag = toHex(txid);
    for (const u of this.utxos.values()) if (u.reservedBy === tag) this.unreserve(u);
  }

  /**
   * Signs the inputs of a PSBT that spend our UTXOs (LDK's anchor and HTLC fee
   * bumps) and returns the transaction, other inputs left without witness for
   * LDK to complete.
   */
  signPsbt(psbt: Uint8Array): Uint8Array {
    const parsed = Transaction.fromPSBT(psbt, { allowUnknownInputs: true, allowUnknownOutputs: true, disableScriptCheck: true, allowLegacyWitnessUtxo: true });
    const inputs: TxInput[] = [];
    const ours: (Entry | undefined)[] = [];
    for (let i = 0; i < parsed.inputsLength; i++) {
      const input = parsed.getInput(i);
      if (input.txid === undefined || input.index === undefined) throw new LdkNodeError('wallet', `PSBT input ${i} has no outpoint`);
      // @scure/btc-signer keeps txids in display order.
      const previousOutput = { txid: brandTxid(reverseBytes(input.txid)), index: input.index };
      inputs.push({ previousOutput, sequence: input.sequence ?? 0xffffffff });
      ours.push(this.utxos.get(outPointKey(previousOutput)));
    }
    const outputs: TxOutput[] = [];
    for (let i = 0; i < parsed.outputsLength; i++) {
      const output = parsed.getOutput(i);
      if (output.script === undefined || output.amount === undefined) throw new LdkNodeError('wallet', `PSBT output ${i} is incomplete`);
      outputs.push({ script: output.script, amount: output.amount });
    }
    if (!ours.some((u) => u !== undefined)) throw new LdkNodeError('wallet', 'no input of the PSBT is ours');
    const signed = this.sign({ version: parsed.version, locktime: parsed.lockTime, inputs, outputs }, ours);
    const tag = toHex(txidOf(signed));
    for (const u of ours) if (u !== undefined && u.reservation !== 'funding') this.reserve(u, tag, 'bump');
    return encodeTx(signed);
  }

  private reserve(u: Entry, txid: string, kind: 'funding' | 'bump'): void {
    u.reservedBy = txid;
    u.reservation = kind;
    u.reservedAtHeight = this.height;
  }

  private unreserve(u: Entry): void {
    u.reservedBy = undefined;
    u.reservation = undefined;
  }

  private sign(tx: Tx, spent: readonly (Entry | undefined)[]): Tx {
    const witnesses = spent.map((u, i) => {
      if (u === undefined) return undefined;
      const key = u.key;
      const signature = signSegwitInput(tx, i, p2pkh(key.publicKey), u.amountSat, key.secret);
      return p2wpkhWitness(signature, key.publicKey);
    });
    return { ...tx, inputs: tx.inputs.map((input, i) => (witnesses[i] === undefined ? input : { ...input, witness: witnesses[i] })) };
  }

  private fee(inputCount: number, outputs: readonly TxOutput[], feerateSatPerKw: number): bigint {
    const skeleton: Tx = { version: 2, locktime: 0, inputs: [], outputs: [...outputs] };
    // Without inputs the encoding has no segwit marker: add it (2 WU) with the inputs' weight.
    const weight = txWeight(skeleton) + 2 + inputCount * P2WPKH_INPUT_WEIGHT + (inputCount >= 0xfd ? 8 : 0);
    return BigInt(Math.ceil((weight * feerateSatPerKw) / 1000));
  }

  /** Confirmed coins not reserved by a funding (with `withBumped`, also those LDK's own unconfirmed fee bumps spend). */
  private confirmedUtxos(withBumped: boolean): Entry[] {
    return [...this.utxos.values()].filter((u) => u.height !== undefined && (u.reservation === undefined || (withBumped && u.reservation === 'bump')));
  }

  private key(index: number): Key {
    while (this.keys.length <= index) {
      const i = this.keys.length;
      for (let counter = 0; ; counter++) {
        const key = this.register(sha256(concatBytes(this.seed, utf8ToBytes('ln-ldk-node wallet'), u32(i), u32(counter))));
        if (key !== undefined) {
          this.keys.push(key);
          break;
        }
      }
    }
    return this.keys[index]!;
  }

  /** Adds a key (undefined when the secret is not a valid scalar). */
  private register(secret: Uint8Array): Key | undefined {
    let publicKey: Uint8Array;
    try {
      publicKey = publicKeyFromPrivate(secret);
    } catch {
      return undefined;
    }
    const key = { secret, publicKey, script: p2wpkh(publicKey) };
    this.keyOfScript.set(toHex(key.script), key);
    return key;
  }

  /** The wallet's state as plain data (with the seed, it rebuilds the wallet). */
  exportState(): WalletState {
    return { scriptsUsed: this.nextChange, utxos: this.listUtxos() };
  }

  /** A wallet from its seed and exported state. */
  static fromState(seed: Uint8Array, state: WalletState): LdkWallet {
    const wallet = new LdkWallet(seed);
    if (state.scriptsUsed > 0) wallet.key(state.scriptsUsed - 1);
    wallet.nextChange = state.scriptsUsed;
    for (const u of state.utxos) wallet.addUtxo(u.outpoint, u.amountSat, u.script, u.height);
    return wallet;
  }
}

/** What {@link LdkWallet.exportState} gives. */
export interface WalletState {
  readonly scriptsUsed: number;
  readonly utxos: readonly WalletUtxo[];
}

function u32(n: number): Uint8Array {
  return Uint8Array.of(n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
}

function toLdkUtxo(u: WalletUtxo): ldk.Utxo {
  return ldk.Utxo.constructor_new(ldk.OutPoint.constructor_new(u.outpoint.txid, u.outpoint.index), ldk.TxOut.constructor_new(u.amountSat, u.script), P2WPKH_SATISFACTION_WEIGHT);
}

