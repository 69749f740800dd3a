import { toHex } from 'ln-types';
import { describeTx } from '../../chain/tx-info.js';
import { txJson } from '../../json/bitcoind.js';
import { merkleBlock } from '../../json/merkle-block.js';
import { btc } from '../../json/money.js';
import type { JsonValue } from '../../json/serialize.js';
import type { PackageResult } from '../../mempool/package.js';
import type { FoundTx, Regtest } from '../../node/regtest.js';
import { rejectionText } from '../../validation/rejection.js';
import type { RpcMethodTable } from './method.js';
import { hexBytes, requireAmount, requireArray, requireFeeRate, requireHash, requireInt, requireString } from './params.js';
import { RPC, RpcError } from './rpc-error.js';

const NOT_FOUND = 'No such mempool or blockchain transaction. Use gettransaction for wallet transactions.';

function decodeHexTx(v: unknown): Uint8Array {
  const bytes = hexBytes(requireString(v));
  if (bytes === undefined) throw new RpcError(RPC.DESERIALIZATION_ERROR, 'TX decode failed. Make sure the tx has at least one input.');
  return bytes;
}

/** The verbose transaction of getrawtransaction (and REST /tx/*.json). */
export function rawTransactionJson(node: Regtest, found: FoundTx, verbosity: number, inActiveChain?: boolean): JsonValue {
  const fee = verbosity >= 2 ? node.feeOf(found.info) : undefined;
  const prevouts = verbosity >= 2 && !found.info.coinbase ? node.prevouts(found.info) : undefined;
  const base = txJson(found.info, { includeHex: true, ...(fee === undefined ? {} : { fee }), ...(prevouts === undefined ? {} : { prevouts }) });
  const entry = found.location?.entry;
  const block =
    entry === undefined
      ? {}
      : node.chain.isActive(entry)
        ? { blockhash: entry.hashHex, confirmations: node.height - entry.height + 1, time: entry.block.header.time, blocktime: entry.block.header.time }
        : { blockhash: entry.hashHex, confirmations: 0 };
  return inActiveChain === undefined ? { ...base, ...block } : { in_active_chain: inActiveChain, ...base, ...block };
}

/** submitpackage's answer. */
export function packageResultJson(result: PackageResult): JsonValue {
  const txResults: Record<string, JsonValue> = {};
  for (const r of result.results) {
    const inner: Record<string, JsonValue | undefined> = { txid: r.info.txidHex };
    switch (r.status) {
      case 'different-witness':
        inner['other-wtxid'] = r.otherWtxid;
        break;
      case 'rejected':
        inner.error = rejectionText(r.rejection!);
        break;
      case 'unevaluated':
        inner.error = 'unevaluated';
        break;
      case 'in-mempool':
        inner.vsize = r.vsize;
        inner.fees = { base: btc(r.fee!) };
        break;
      case 'accepted':
        inner.vsize = r.vsize;
        inner.fees = { base: btc(r.fee!), 'effective-feerate': btc(r.effectiveFeeRate!), 'effective-includes': [...r.effectiveIncludes!] };
        break;
    }
    txResults[r.info.wtxidHex] = inner;
  }
  return {
    package_msg: result.packageError === undefined ? 'success' : rejectionText(result.packageError),
    'tx-results': txResults,
    'replaced-transactions': [...new Set(result.replaced.map((e) => e.info.txidHex))],
  };
}

function parseVerbosity(v: unknown): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return requireInt(v);
}

export const rawTransactionMethods: RpcMethodTable = {
  getrawtransaction: {
    params: ['txid', 'verbosity', 'blockhash'],
    call: ([txid, verbosity, blockhash], { node }) => {
      const id = requireHash(txid, 'parameter 1');
      const level = parseVerbosity(verbosity);
      let found: FoundTx | undefined;
      let inActiveChain: boolean | undefined;
      if (blockhash !== undefined && blockhash !== null) {
        const entry = node.blockByHash(requireHash(blockhash, 'parameter 3'));
        if (entry === undefined) throw new RpcError(RPC.INVALID_ADDRESS_OR_KEY, 'Block hash not found');
        const position = entry.txs.findIndex((t) => t.txidHex === id);
        if (position < 0) throw new RpcError(RPC.INVALID_ADDRESS_OR_KEY, 'No such transaction found in the provided block. Use gettransaction for wallet transactions.');
        inActiveChain = node.chain.isActive(entry);
        found = { info: entry.txs[position]!, location: { entry, position } };
      } else {
        if (node.chain.genesis.txs[0]!.txidHex === id) {
          throw new RpcError(RPC.INVALID_ADDRESS_OR_KEY, 'The genesis block coinbase is not considered an ordinary transaction and cannot be retrieved');
        }
        found = node.findTx(id);
      }
      if (found === undefined) throw new RpcError(RPC.INVALID_ADDRESS_OR_KEY, NOT_FOUND);
      if (level <= 0) return toHex(found.info.raw);
      return rawTransactionJson(node, found, level, inActiveChain);
    },
  },
  decoderawtransaction: {
    params: ['hexstring', 'iswitness'],
    call: ([hex]) => {
      let info;
      try {
        info = describeTx(decodeHexTx(hex));
      } catch {
        throw new RpcError(RPC.DESERIALIZATION_ERROR, 'TX decode failed');
      }
      return txJson(info);
    },
  },
  sendrawtransaction: {
    params: ['hexstring', 'maxfeerate', 'maxburnamount'],
    call: ([hex, maxfeerate, maxburnamount], { node }) => {
      const raw = decodeHexTx(hex);
      return node.sendRawTransaction(raw, {
        ...(maxfeerate === undefined || maxfeerate === null ? {} : { maxFeeRate: requireFeeRate(maxfeerate) }),
        ...(maxburnamount === undefined || maxburnamount === null ? {} : { maxBurnAmount: requireAmount(maxburnamount) }),
      });
    },
  },
  testmempoolaccept: {
    params: ['rawtxs', 'maxfeerate'],
    call: ([rawtxs, maxfeerate], { node }) => {
      const list = requireArray(rawtxs);
      if (list.length < 1 || list.length > 25) throw new RpcError(RPC.INVALID_PARAMETER, 'Array must contain between 1 and 25 transactions.');
      const raws = list.map((h) => decodeHexTx(h));
      const verdicts = node.testMempoolAccept(raws, maxfeerate === undefined || maxfeerate === null ? undefined : requireFeeRate(maxfeerate));
      return verdicts.map((v) => ({
        txid: v.info.txidHex,
        wtxid: v.info.wtxidHex,
        'package-error': v.packageError,
        allowed: v.allowed,
        vsize: v.allowed === true ? v.vsize : undefined,
        fees: v.allowed === true ? { base: btc(v.fee!), 'effective-feerate': btc(v.effectiveFeeRate!), 'effective-includes': [...v.effectiveIncludes!] } : undefined,
        'reject-reason': v.rejectReason,
      }));
    },
  },
  submitpackage: {
    params: ['package', 'maxfeerate', 'maxburnamount'],
    call: ([pkg, maxfeerate, maxburnamount], { node }) => {
      const list = requireArray(pkg);
      if (list.length < 1 || list.length > 25) throw new RpcError(RPC.INVALID_PARAMETER, 'Array must contain between 1 and 25 transactions.');
      const raws = list.map((h) => {
        const s = requireString(h);
        const bytes = hexBytes(s);
        if (bytes === undefined) throw new RpcError(RPC.DESERIALIZATION_ERROR, `TX decode failed: ${s} Make sure the tx has at least one input.`);
        return bytes;
      });
      const result = node.submitPackage(raws, {
        ...(maxfeerate === undefined || maxfeerate === null ? {} : { maxFeeRate: requireFeeRate(maxfeerate) }),
        ...(maxburnamount === undefined || maxburnamount === null ? {} : { maxBurnAmount: requireAmount(maxburnamount) }),
      });
      return packageResultJson(result);
    },
  },
  gettxoutproof: {
    params: ['txids', 'blockhash'],
    call: ([txids, blockhash], { node }) => {
      const ids = requireArray(txids).map((t) => requireHash(t, 'txid'));
      if (ids.length === 0) throw new RpcError(RPC.INVALID_PARAMETER, 'Parameter txids cannot be empty');
      let entry;
      if (blockhash !== undefined && blockhash !== null) {
        entry = node.blockByHash(requireHash(blockhash, 'blockhash'));
        if (entry === undefined) throw new RpcError(RPC.INVALID_ADDRESS_OR_KEY, 'Block not found');
      } else {
        const found = node.findTx(ids[0]!);
        entry = found?.location?.entry;
        if (entry === undefined) throw new RpcError(RPC.INVALID_ADDRESS_OR_KEY, 'Transaction not yet in block');
      }
      const positions = new Set<number>();
      for (const id of ids) {
        const p = entry.txs.findIndex((t) => t.txidHex === id);
        if (p < 0) throw new RpcError(RPC.INVALID_ADDRESS_OR_KEY, 'Not all transactions found in specified or retrieved block');
        positions.add(p);
      }
      return toHex(merkleBlock(entry, positions));
    },
  },
};
