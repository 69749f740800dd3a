import { btc } from '../../json/money.js';
import { addressToScript } from '../../script/address.js';
import type { RpcMethodTable } from './method.js';
import { hexBytes, requireAmount, requireHash, requireInt, requireString } from './params.js';
import { RPC, RpcError } from './rpc-error.js';

/** The version this server answers as (bitcoind 28.0). */
export const CORE_VERSION = 280000;

export const controlMethods: RpcMethodTable = {
  getnetworkinfo: {
    params: [],
    call: (_a, { node }) => ({
      version: CORE_VERSION,
      subversion: '/Satoshi:28.0.0/',
      protocolversion: 70016,
      localservices: '0000000000000c09',
      localservicesnames: ['NETWORK', 'WITNESS', 'NETWORK_LIMITED', 'P2P_V2'],
      localrelay: true,
      timeoffset: 0,
      networkactive: true,
      connections: 0,
      connections_in: 0,
      connections_out: 0,
      networks: [],
      relayfee: btc(node.policy.minRelayFeeRate),
      incrementalfee: btc(node.policy.incrementalRelayFeeRate),
      localaddresses: [],
      warnings: [],
    }),
  },
  getindexinfo: {
    params: ['index_name'],
    call: (_a, { node }) => ({ txindex: { synced: true, best_block_height: node.height } }),
  },
  setmocktime: {
    params: ['timestamp'],
    call: ([timestamp], { node }) => {
      const t = requireInt(timestamp);
      if (t < 0) throw new RpcError(RPC.INVALID_PARAMETER, `Mocktime cannot be negative: ${t}.`);
      node.setMockTime(t);
      return null;
    },
  },
  uptime: { params: [], call: (_a, { node, startedAt }) => Math.max(0, node.now() - startedAt) },
  ping: { params: [], call: () => null },
  stop: {
    params: ['wait'],
    call: (_a, { stop }) => {
      setImmediate(stop);
      return 'Bitcoin Core stopping';
    },
  },
  // Regtest-only extras (no bitcoind equivalent, or bitcoind's only through a wallet).
  sendtoaddress: {
    params: ['address', 'amount'],
    call: ([address, amount], { node }) => {
      const script = addressToScript(requireString(address));
      if (script === undefined) throw new RpcError(RPC.INVALID_ADDRESS_OR_KEY, 'Invalid address');
      const sat = requireAmount(amount);
      if (sat <= 0n) throw new RpcError(RPC.TYPE_ERROR, 'Invalid amount for send');
      return node.faucetPay(script, sat);
    },
  },
  regtest_faucetaddress: { params: [], call: (_a, { node }) => node.faucet.address },
  regtest_setfeeestimate: {
    params: ['conf_target', 'sat_per_vb'],
    call: ([target, rate], { node }) => {
      if (typeof rate !== 'number') throw new RpcError(RPC.TYPE_ERROR, 'sat_per_vb must be a number');
      node.setFeeEstimate(requireInt(target), rate);
      return null;
    },
  },
  regtest_reorg: {
    params: ['depth', 'blocks'],
    call: ([depth, blocks], { node }) => node.reorg(requireInt(depth), blocks === undefined || blocks === null ? {} : { blocks: requireInt(blocks) }),
  },
  regtest_addutxo: {
    params: ['txid', 'vout', 'scriptpubkey', 'amount'],
    call: ([txid, vout, script, amount], { node }) => {
      const scriptBytes = hexBytes(requireString(script));
      if (scriptBytes === undefined) throw new RpcError(RPC.INVALID_PARAMETER, 'scriptpubkey must be hexadecimal');
      node.addUtxo({ txid: requireHash(txid, 'txid'), vout: requireInt(vout), script: scriptBytes, amount: requireAmount(amount) });
      return null;
    },
  },
};
