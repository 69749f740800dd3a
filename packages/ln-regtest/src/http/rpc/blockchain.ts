import { reverseBytes, toHex } from 'ln-types';
import type { BlockEntry } from '../../chain/block-entry.js';
import { coinKey } from '../../chain/coin.js';
import { blockHeaderHex, blockHeaderJson, blockJson, difficulty, hex256 } from '../../json/bitcoind.js';
import { btc } from '../../json/money.js';
import { scriptPubKeyJson } from '../../json/script-json.js';
import type { JsonValue } from '../../json/serialize.js';
import type { MempoolEntry } from '../../mempool/mempool.js';
import type { Regtest } from '../../node/regtest.js';
import { RegtestError } from '../../errors.js';
import type { RpcMethodTable } from './method.js';
import { requireBool, requireHash, requireInt } from './params.js';
import { RPC, RpcError } from './rpc-error.js';
import { fromHex, txid as brandTxid } from 'ln-types';

function blockOrThrow(node: Regtest, hash: string): BlockEntry {
  const entry = node.blockByHash(hash);
  if (entry === undefined) throw new RpcError(RPC.INVALID_ADDRESS_OR_KEY, 'Block not found');
  return entry;
}

/** Height of the best known header chain (valid blocks on any branch). */
function headerCount(node: Regtest): number {
  let best = node.height;
  for (const e of node.chain.entries()) if (e.status !== 'failed' && e.status !== 'failed-child' && e.height > best) best = e.height;
  return best;
}

/** getblockchaininfo (also /rest/chaininfo.json). */
export function blockchainInfo(node: Regtest): JsonValue {
  const tip = node.tip;
  return {
    chain: 'regtest',
    blocks: node.height,
    headers: headerCount(node),
    bestblockhash: tip.hashHex,
    difficulty: difficulty(tip.block.header.bits),
    time: tip.block.header.time,
    mediantime: tip.medianTimePast,
    verificationprogress: 1,
    initialblockdownload: false,
    chainwork: hex256(tip.chainWork),
    size_on_disk: node.chain.entries().reduce((s, e) => s + e.raw.length, 0),
    pruned: false,
    warnings: [],
  };
}

/** One mempool entry as getmempoolentry / getrawmempool verbose give it. */
export function mempoolEntryJson(node: Regtest, entry: MempoolEntry): JsonValue {
  const ancestors = node.mempool.ancestors(entry);
  const descendants = node.mempool.descendants(entry);
  let ancestorSize = entry.info.vsize;
  let ancestorFees = entry.fee;
  for (const a of ancestors) {
    ancestorSize += a.info.vsize;
    ancestorFees += a.fee;
  }
  let descendantSize = entry.info.vsize;
  let descendantFees = entry.fee;
  for (const d of descendants) {
    descendantSize += d.info.vsize;
    descendantFees += d.fee;
  }
  return {
    vsize: entry.info.vsize,
    weight: entry.info.weight,
    time: entry.time,
    height: entry.height,
    descendantcount: descendants.size + 1,
    descendantsize: descendantSize,
    ancestorcount: ancestors.size + 1,
    ancestorsize: ancestorSize,
    wtxid: entry.info.wtxidHex,
    fees: { base: btc(entry.fee), modified: btc(entry.fee), ancestor: btc(ancestorFees), descendant: btc(descendantFees) },
    depends: [...entry.parents].map((p) => p.info.txidHex),
    spentby: [...entry.children].map((c) => c.info.txidHex),
    'bip125-replaceable': true,
    unbroadcast: false,
  };
}

/** getmempoolinfo (also /rest/mempool/info.json). */
export function mempoolInfo(node: Regtest): JsonValue {
  const entries = node.mempool.entries();
  return {
    loaded: true,
    size: entries.length,
    bytes: entries.reduce((s, e) => s + e.info.vsize, 0),
    usage: entries.reduce((s, e) => s + e.info.size * 4, 0),
    total_fee: btc(entries.reduce((s, e) => s + e.fee, 0n)),
    maxmempool: 300_000_000,
    mempoolminfee: btc(node.policy.minRelayFeeRate),
    minrelaytxfee: btc(node.policy.minRelayFeeRate),
    incrementalrelayfee: btc(node.policy.incrementalRelayFeeRate),
    unbroadcastcount: 0,
    fullrbf: true,
  };
}

/** getrawmempool (also /rest/mempool/contents.json with verbose). */
export function rawMempool(node: Regtest, verbose: boolean): JsonValue {
  const entries = node.mempool.entries();
  if (!verbose) return entries.map((e) => e.info.txidHex);
  return Object.fromEntries(entries.map((e) => [e.info.txidHex, mempoolEntryJson(node, e)]));
}

/** gettxout: an unspent output, or null. */
export function txOutJson(node: Regtest, txidHex: string, n: number, includeMempool: boolean): JsonValue {
  const key = coinKey(brandTxid(reverseBytes(fromHex(txidHex))), n);
  const base = { bestblock: node.tip.hashHex };
  if (includeMempool && node.mempool.spender(key) !== undefined) return null;
  const coin = node.chain.utxos.get(key);
  if (coin !== undefined) {
    return { ...base, confirmations: node.height - coin.height + 1, value: btc(coin.amount), scriptPubKey: scriptPubKeyJson(coin.script), coinbase: coin.coinbase };
  }
  if (!includeMempool) return null;
  const pooled = node.mempool.get(txidHex);
  const out = pooled?.info.tx.outputs[n];
  if (out === undefined) return null;
  return { ...base, confirmations: 0, value: btc(out.amount), scriptPubKey: scriptPubKeyJson(out.script), coinbase: false };
}

function chainTips(node: Regtest): JsonValue {
  const entries = node.chain.entries();
  const hasChild = new Set<BlockEntry>();
  for (const e of entries) if (e.prev !== undefined) hasChild.add(e.prev);
  const tips = entries.filter((e) => !hasChild.has(e) || e === node.tip);
  return tips
    .sort((a, b) => b.height - a.height)
    .map((tip) => {
      let fork: BlockEntry | undefined = tip;
      while (fork !== undefined && !node.chain.isActive(fork)) fork = fork.prev;
      const status = node.chain.isActive(tip) ? 'active' : tip.status === 'failed' || tip.status === 'failed-child' ? 'invalid' : tip.status === 'valid' ? 'valid-fork' : 'valid-headers';
      return { height: tip.height, hash: tip.hashHex, branchlen: tip.height - (fork?.height ?? 0), status };
    });
}

export const blockchainMethods: RpcMethodTable = {
  getblockchaininfo: { params: [], call: (_a, { node }) => blockchainInfo(node) },
  getbestblockhash: { params: [], call: (_a, { node }) => node.tip.hashHex },
  getblockcount: { params: [], call: (_a, { node }) => node.height },
  getblockhash: {
    params: ['height'],
    call: ([height], { node }) => {
      const h = requireInt(height);
      const entry = node.chain.atHeight(h);
      if (entry === undefined) throw new RpcError(RPC.INVALID_PARAMETER, 'Block height out of range');
      return entry.hashHex;
    },
  },
  getblockheader: {
    params: ['blockhash', 'verbose'],
    call: ([hash, verbose], { node }) => {
      const entry = blockOrThrow(node, requireHash(hash, 'blockhash'));
      return verbose === undefined || requireBool(verbose) ? blockHeaderJson(node, entry) : blockHeaderHex(entry);
    },
  },
  getblock: {
    params: ['blockhash', 'verbosity'],
    call: ([hash, verbosity], { node }) => {
      const entry = blockOrThrow(node, requireHash(hash, 'blockhash'));
      let level = 1;
      if (typeof verbosity === 'boolean') level = verbosity ? 1 : 0;
      else if (verbosity !== undefined && verbosity !== null) level = requireInt(verbosity);
      if (level <= 0) return toHex(entry.raw);
      return blockJson(node, entry, level === 1 ? 1 : level === 2 ? 2 : 3);
    },
  },
  getchaintips: { params: [], call: (_a, { node }) => chainTips(node) },
  gettxout: {
    params: ['txid', 'n', 'include_mempool'],
    call: ([txid, n, includeMempool], { node }) => txOutJson(node, requireHash(txid, 'txid'), requireInt(n), includeMempool === undefined ? true : requireBool(includeMempool)),
  },
  getmempoolinfo: { params: [], call: (_a, { node }) => mempoolInfo(node) },
  getrawmempool: {
    params: ['verbose', 'mempool_sequence'],
    call: ([verbose], { node }) => rawMempool(node, verbose === undefined ? false : requireBool(verbose)),
  },
  getmempoolentry: {
    params: ['txid'],
    call: ([txid], { node }) => {
      const entry = node.mempool.get(requireHash(txid, 'txid'));
      if (entry === undefined) throw new RpcError(RPC.INVALID_ADDRESS_OR_KEY, 'Transaction not in mempool');
      return mempoolEntryJson(node, entry);
    },
  },
  getmempoolancestors: {
    params: ['txid', 'verbose'],
    call: ([txid, verbose], { node }) => {
      const entry = node.mempool.get(requireHash(txid, 'txid'));
      if (entry === undefined) throw new RpcError(RPC.INVALID_ADDRESS_OR_KEY, 'Transaction not in mempool');
      const set = [...node.mempool.ancestors(entry)];
      if (verbose === undefined || !requireBool(verbose)) return set.map((e) => e.info.txidHex);
      return Object.fromEntries(set.map((e) => [e.info.txidHex, mempoolEntryJson(node, e)]));
    },
  },
  getmempooldescendants: {
    params: ['txid', 'verbose'],
    call: ([txid, verbose], { node }) => {
      const entry = node.mempool.get(requireHash(txid, 'txid'));
      if (entry === undefined) throw new RpcError(RPC.INVALID_ADDRESS_OR_KEY, 'Transaction not in mempool');
      const set = [...node.mempool.descendants(entry)];
      if (verbose === undefined || !requireBool(verbose)) return set.map((e) => e.info.txidHex);
      return Object.fromEntries(set.map((e) => [e.info.txidHex, mempoolEntryJson(node, e)]));
    },
  },
  invalidateblock: {
    params: ['blockhash'],
    call: ([hash], { node }) => {
      const h = requireHash(hash, 'blockhash');
      try {
        node.invalidateBlock(h);
      } catch (e) {
        if (e instanceof RegtestError && e.code === 'not_found') throw new RpcError(RPC.INVALID_ADDRESS_OR_KEY, 'Block not found');
        throw e;
      }
      return null;
    },
  },
  reconsiderblock: {
    params: ['blockhash'],
    call: ([hash], { node }) => {
      node.reconsiderBlock(requireHash(hash, 'blockhash'));
      return null;
    },
  },
};
