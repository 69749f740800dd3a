import { toHex } from 'ln-types';
import type { BlockEntry } from '../chain/block-entry.js';
import type { Coin } from '../chain/coin.js';
import type { TxInfo } from '../chain/tx-info.js';
import { txidHexOf } from '../mempool/mempool.js';
import type { FoundTx, Regtest } from '../node/regtest.js';
import { scriptToAddress } from '../script/address.js';
import { esploraAsm } from '../script/asm.js';
import { classifyScript, isPayToScriptHash, witnessProgram } from '../script/classify.js';
import { parseScript } from '../script/parse.js';
import { difficulty } from './bitcoind.js';
import type { JsonValue } from './serialize.js';

// Esplora's JSON views (Blockstream's electrs REST API), field for field.

type JsonObject = { [key: string]: JsonValue | undefined };

/** Esplora's scriptpubkey_type. */
export function esploraScriptType(script: Uint8Array): string {
  if (script.length === 0) return 'empty';
  if (script[0] === 0x6a) return 'op_return';
  switch (classifyScript(script).type) {
    case 'pubkey':
      return 'p2pk';
    case 'pubkeyhash':
      return 'p2pkh';
    case 'scripthash':
      return 'p2sh';
    case 'witness_v0_keyhash':
      return 'v0_p2wpkh';
    case 'witness_v0_scripthash':
      return 'v0_p2wsh';
    case 'witness_v1_taproot':
      return 'v1_p2tr';
    case 'anchor':
      return 'anchor';
    case 'multisig':
      return 'multisig';
    default:
      return script.length > 10_000 ? 'provably_unspendable' : 'unknown';
  }
}

/** An output as Esplora describes it. */
export function esploraOutput(script: Uint8Array, amount: bigint): JsonObject {
  return {
    scriptpubkey: toHex(script),
    scriptpubkey_asm: esploraAsm(script),
    scriptpubkey_type: esploraScriptType(script),
    scriptpubkey_address: scriptToAddress(script),
    value: amount,
  };
}

/** Esplora's transaction status. */
export function esploraStatus(entry: BlockEntry | undefined): JsonObject {
  if (entry === undefined) return { confirmed: false };
  return { confirmed: true, block_height: entry.height, block_hash: entry.hashHex, block_time: entry.block.header.time };
}

function innerScripts(scriptSig: Uint8Array, witness: readonly Uint8Array[], prev: Coin | undefined): { redeem?: Uint8Array; witnessScript?: Uint8Array } {
  if (prev === undefined) return {};
  let script = prev.script;
  const out: { redeem?: Uint8Array; witnessScript?: Uint8Array } = {};
  if (isPayToScriptHash(script)) {
    const ops = parseScript(scriptSig).ops;
    const redeem = ops[ops.length - 1]?.data;
    if (redeem === undefined) return out;
    out.redeem = redeem;
    script = redeem;
  }
  const wp = witnessProgram(script);
  if (wp !== undefined && wp.version === 0 && wp.program.length === 32 && witness.length > 0) out.witnessScript = witness[witness.length - 1]!;
  if (wp !== undefined && wp.version === 1 && wp.program.length === 32 && witness.length > 1) {
    const hasAnnex = witness.length >= 2 && witness[witness.length - 1]![0] === 0x50;
    const items = hasAnnex ? witness.slice(0, -1) : witness;
    if (items.length > 1) out.witnessScript = items[items.length - 2]!;
  }
  return out;
}

/** A transaction as Esplora's GET /tx/:txid gives it. */
export function esploraTx(node: Regtest, found: FoundTx): JsonObject {
  const { info } = found;
  const prevouts = node.prevouts(info);
  const vin = info.tx.inputs.map((input, i): JsonObject => {
    const scriptSig = input.scriptSig ?? new Uint8Array(0);
    const witness = input.witness ?? [];
    const prev = prevouts[i];
    const inner = innerScripts(scriptSig, witness, prev);
    return {
      txid: txidHexOf(input.previousOutput.txid),
      vout: input.previousOutput.index >>> 0,
      prevout: prev === undefined ? null : esploraOutput(prev.script, prev.amount),
      scriptsig: toHex(scriptSig),
      scriptsig_asm: esploraAsm(scriptSig),
      witness: witness.length > 0 ? witness.map((w) => toHex(w)) : undefined,
      is_coinbase: info.coinbase,
      sequence: input.sequence >>> 0,
      inner_redeemscript_asm: inner.redeem === undefined ? undefined : esploraAsm(inner.redeem),
      inner_witnessscript_asm: inner.witnessScript === undefined ? undefined : esploraAsm(inner.witnessScript),
    };
  });
  return {
    txid: info.txidHex,
    version: info.tx.version,
    locktime: info.tx.locktime >>> 0,
    vin,
    vout: info.tx.outputs.map((o) => esploraOutput(o.script, o.amount)),
    size: info.size,
    weight: info.weight,
    fee: node.feeOf(info) ?? 0n,
    status: esploraStatus(found.location?.entry),
  };
}

/** A block as Esplora's GET /block/:hash gives it. */
export function esploraBlock(entry: BlockEntry): JsonObject {
  const h = entry.block.header;
  return {
    id: entry.hashHex,
    height: entry.height,
    version: h.version,
    timestamp: h.time,
    tx_count: entry.txs.length,
    size: entry.raw.length,
    weight: entry.weight,
    merkle_root: toHex(Uint8Array.from(h.merkleRoot).reverse()),
    previousblockhash: entry.prev?.hashHex ?? null,
    mediantime: entry.medianTimePast,
    nonce: h.nonce >>> 0,
    bits: h.bits >>> 0,
    difficulty: difficulty(h.bits),
  };
}

/** Summary of a transaction for /mempool/recent. */
export function esploraRecent(info: TxInfo, fee: bigint): JsonObject {
  return { txid: info.txidHex, fee, vsize: info.vsize, value: info.tx.outputs.reduce((s, o) => s + o.amount, 0n) };
}
