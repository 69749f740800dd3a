import { encodeBlockHeader } from 'ln-tx';
import { toHex } from 'ln-types';
import type { BlockEntry } from '../chain/block-entry.js';
import type { Coin } from '../chain/coin.js';
import type { TxInfo } from '../chain/tx-info.js';
import { txidHexOf } from '../mempool/mempool.js';
import type { Regtest } from '../node/regtest.js';
import { coreAsm } from '../script/asm.js';
import { btc } from './money.js';
import { scriptPubKeyJson } from './script-json.js';
import type { JsonValue } from './serialize.js';

// bitcoind's JSON views (TxToUniv, blockheaderToJSON, blockToJSON), field for field.

type JsonObject = { [key: string]: JsonValue | undefined };

/** Core's GetDifficulty for a compact target (the same double arithmetic, so the same digits). */
export function difficulty(bits: number): number {
  let shift = (bits >>> 24) & 0xff;
  let diff = 0x0000ffff / (bits & 0x00ffffff);
  while (shift < 29) {
    diff *= 256.0;
    shift++;
  }
  while (shift > 29) {
    diff /= 256.0;
    shift--;
  }
  return diff;
}

/** A 256-bit number as 64 hex digits (chainwork). */
export function hex256(value: bigint): string {
  return value.toString(16).padStart(64, '0');
}

function uint32Hex(value: number): string {
  return (value >>> 0).toString(16).padStart(8, '0');
}

/** `getblockheader` with verbose=true. */
export function blockHeaderJson(node: Regtest, entry: BlockEntry): JsonObject {
  const h = entry.block.header;
  const active = node.chain.isActive(entry);
  const next = active ? node.chain.atHeight(entry.height + 1) : undefined;
  return {
    hash: entry.hashHex,
    confirmations: active ? node.height - entry.height + 1 : -1,
    height: entry.height,
    version: h.version,
    versionHex: uint32Hex(h.version),
    merkleroot: toHex(Uint8Array.from(h.merkleRoot).reverse()),
    time: h.time,
    mediantime: entry.medianTimePast,
    nonce: h.nonce >>> 0,
    bits: uint32Hex(h.bits),
    difficulty: difficulty(h.bits),
    chainwork: hex256(entry.chainWork),
    nTx: entry.txs.length,
    previousblockhash: entry.prev?.hashHex,
    nextblockhash: next?.hashHex,
  };
}

/** The serialized header of a block, hex. */
export function blockHeaderHex(entry: BlockEntry): string {
  return toHex(encodeBlockHeader(entry.block.header));
}

/** `getblock` with verbosity 1 (txids) or 2/3 (transactions, with fees; 3 adds prevouts). */
export function blockJson(node: Regtest, entry: BlockEntry, verbosity: 1 | 2 | 3): JsonObject {
  const header = blockHeaderJson(node, entry);
  const fees = node.chain.blockFees(entry);
  const spent = node.chain.blockSpentCoins(entry);
  const spentByKey = new Map((spent ?? []).map((s) => [s.key, s.coin]));
  const tx: JsonValue[] =
    verbosity === 1
      ? entry.txs.map((t) => t.txidHex)
      : entry.txs.map((t, i) => {
          const prevouts = verbosity === 3 && !t.coinbase ? t.tx.inputs.map((inp) => spentByKey.get(`${toHex(inp.previousOutput.txid)}:${inp.previousOutput.index}`) ?? node.prevout(txidHexOf(inp.previousOutput.txid), inp.previousOutput.index)) : undefined;
          const fee = fees !== undefined && !t.coinbase ? fees[i] : undefined;
          return txJson(t, { includeHex: true, ...(fee === undefined ? {} : { fee }), ...(prevouts === undefined ? {} : { prevouts }) });
        });
  const { hash, confirmations, height, version, versionHex, merkleroot, time, mediantime, nonce, bits, difficulty: diff, chainwork, nTx, previousblockhash, nextblockhash } = header;
  return {
    hash,
    confirmations,
    height,
    version,
    versionHex,
    merkleroot,
    time,
    mediantime,
    nonce,
    bits,
    difficulty: diff,
    chainwork,
    nTx,
    previousblockhash,
    nextblockhash,
    strippedsize: entry.strippedSize,
    size: entry.raw.length,
    weight: entry.weight,
    tx,
  };
}

/** Core's TxToUniv. */
export function txJson(info: TxInfo, opts: { includeHex?: boolean; fee?: bigint; prevouts?: readonly (Coin | undefined)[] } = {}): JsonObject {
  const vin = info.tx.inputs.map((input, i): JsonObject => {
    const witness = input.witness !== undefined && input.witness.length > 0 ? input.witness.map((w) => toHex(w)) : undefined;
    if (info.coinbase) return { coinbase: toHex(input.scriptSig ?? new Uint8Array(0)), txinwitness: witness, sequence: input.sequence >>> 0 };
    const scriptSig = input.scriptSig ?? new Uint8Array(0);
    const prev = opts.prevouts?.[i];
    return {
      txid: txidHexOf(input.previousOutput.txid),
      vout: input.previousOutput.index >>> 0,
      scriptSig: { asm: coreAsm(scriptSig, true), hex: toHex(scriptSig) },
      txinwitness: witness,
      prevout: prev === undefined ? undefined : { generated: prev.coinbase, height: prev.height, value: btc(prev.amount), scriptPubKey: scriptPubKeyJson(prev.script) },
      sequence: input.sequence >>> 0,
    };
  });
  const vout = info.tx.outputs.map((o, n): JsonObject => ({ value: btc(o.amount), n, scriptPubKey: scriptPubKeyJson(o.script) }));
  return {
    txid: info.txidHex,
    hash: info.wtxidHex,
    version: info.tx.version,
    size: info.size,
    vsize: info.vsize,
    weight: info.weight,
    locktime: info.tx.locktime >>> 0,
    vin,
    vout,
    fee: opts.fee === undefined ? undefined : btc(opts.fee),
    hex: opts.includeHex ? toHex(info.raw) : undefined,
  };
}
