import { difficulty } from '../../json/bitcoind.js';
import { btc } from '../../json/money.js';
import type { Regtest } from '../../node/regtest.js';
import { addressToScript } from '../../script/address.js';
import type { RpcMethodTable } from './method.js';
import { hexBytes, requireArray, requireBool, requireInt, requireString } from './params.js';
import { RPC, RpcError } from './rpc-error.js';

/** An output given as an address or as a raw(...)/addr(...) descriptor (generateblock's `output`). */
function outputScript(output: string): Uint8Array | undefined {
  const plain = output.replace(/#[a-z0-9]{8}$/, '');
  const addr = /^addr\((.+)\)$/.exec(plain);
  if (addr !== null) return addressToScript(addr[1]!);
  const raw = /^raw\(([0-9a-fA-F]*)\)$/.exec(plain);
  if (raw !== null) return hexBytes(raw[1]!);
  return addressToScript(output);
}

export function estimateSmartFeeJson(node: Regtest, target: number): { feerate?: ReturnType<typeof btc>; errors?: string[]; blocks: number } {
  const estimate = node.estimateSmartFee(target);
  if (estimate === undefined) return { errors: ['Insufficient data or no feerate found'], blocks: 0 };
  return { feerate: btc(estimate.feeRate), blocks: estimate.blocks };
}

export const miningMethods: RpcMethodTable = {
  generatetoaddress: {
    params: ['nblocks', 'address', 'maxtries'],
    call: ([nblocks, address], { node }) => {
      const count = requireInt(nblocks);
      const script = addressToScript(requireString(address));
      if (script === undefined) throw new RpcError(RPC.INVALID_ADDRESS_OR_KEY, 'Error: Invalid address');
      return node.mine(count, script);
    },
  },
  generatetodescriptor: {
    params: ['num_blocks', 'descriptor', 'maxtries'],
    call: ([nblocks, descriptor], { node }) => {
      const count = requireInt(nblocks);
      const script = outputScript(requireString(descriptor));
      if (script === undefined) throw new RpcError(RPC.INVALID_ADDRESS_OR_KEY, 'Error: Invalid descriptor');
      return node.mine(count, script);
    },
  },
  generateblock: {
    params: ['output', 'transactions', 'submit'],
    call: ([output, transactions, submit], { node }) => {
      const script = outputScript(requireString(output));
      if (script === undefined) throw new RpcError(RPC.INVALID_ADDRESS_OR_KEY, 'Error: Invalid address or descriptor');
      const txs = requireArray(transactions).map((t) => {
        const s = requireString(t);
        if (/^[0-9a-fA-F]{64}$/.test(s)) return s.toLowerCase();
        const bytes = hexBytes(s);
        if (bytes === undefined) throw new RpcError(RPC.DESERIALIZATION_ERROR, `Transaction decode failed for ${s}. Make sure the tx has at least one input.`);
        return bytes;
      });
      return node.generateBlock(script, txs, submit === undefined ? true : requireBool(submit));
    },
  },
  submitblock: {
    params: ['hexdata', 'dummy'],
    call: ([hex], { node }) => {
      const bytes = hexBytes(requireString(hex));
      if (bytes === undefined) throw new RpcError(RPC.DESERIALIZATION_ERROR, 'Block decode failed');
      const result = node.processBlock(bytes);
      if ('rejection' in result) return result.rejection.reason;
      if (!result.isNew) return 'duplicate';
      if (!node.chain.isActive(result.entry)) return 'inconclusive';
      return null;
    },
  },
  getmininginfo: {
    params: [],
    call: (_a, { node }) => ({
      blocks: node.height,
      currentblockweight: node.tip.weight,
      currentblocktx: node.tip.txs.length - 1,
      difficulty: difficulty(node.tip.block.header.bits),
      networkhashps: 0,
      pooledtx: node.mempool.size,
      chain: 'regtest',
      warnings: [],
    }),
  },
  estimatesmartfee: {
    params: ['conf_target', 'estimate_mode'],
    call: ([target, mode], { node }) => {
      const t = requireInt(target);
      if (mode !== undefined && mode !== null && !['unset', 'economical', 'conservative'].includes(requireString(mode).toLowerCase())) {
        throw new RpcError(RPC.INVALID_PARAMETER, 'Invalid estimate_mode parameter, must be one of: "unset", "economical", "conservative"');
      }
      if (t < 1 || t > 1008) throw new RpcError(RPC.INVALID_PARAMETER, 'Invalid conf_target, must be between 1 and 1008');
      return estimateSmartFeeJson(node, t);
    },
  },
};
