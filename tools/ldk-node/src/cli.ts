#!/usr/bin/env node
// ln-ldk-node: an LDK node as a separate process (the demo's LDK peer). It
// follows a bitcoind-style JSON-RPC server, listens for BOLT 8 on TCP and is
// driven over stdin/stdout with one JSON object per line:
//   in:  {"id": 1, "method": "openChannel", "params": {"nodeId": "02..", "sats": "500000"}}
//   out: {"id": 1, "result": ...} or {"id": 1, "error": "..."}
// and {"event": "<LDK event kind>", ...} lines as events happen. Bytes are hex,
// amounts decimal strings. With --state FILE the node restores from it at start
// and writes it on `snapshot` and `stop`.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { Address, OutScript } from '@scure/btc-signer';
import { fromHex } from 'ln-types';
import { LdkNode } from './ldk-node.js';
import { BitcoindRpcChain } from './rpc-chain.js';
import { type LdkNodeStateJson, nodeStateFromJson, nodeStateToJson, toJsonLine } from './state-json.js';

const REGTEST = { bech32: 'bcrt', pubKeyHash: 0x6f, scriptHash: 0xc4, wif: 0xef };

const { values: args } = parseArgs({
  options: {
    rpc: { type: 'string' },
    'rpc-user': { type: 'string' },
    'rpc-password': { type: 'string' },
    'rpc-cookie': { type: 'string' },
    seed: { type: 'string' },
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '0' },
    name: { type: 'string', default: 'ldk' },
    state: { type: 'string' },
    'tick-ms': { type: 'string', default: '10000' },
  },
});

if (args.rpc === undefined) {
  process.stderr.write('usage: ln-ldk-node --rpc URL [--rpc-user U --rpc-password P | --rpc-cookie FILE] [--seed HEX] [--port N] [--state FILE] [--name NAME] [--tick-ms N]\n');
  process.exit(2);
}

let user = args['rpc-user'];
let password = args['rpc-password'];
if (args['rpc-cookie'] !== undefined) [user, password] = readFileSync(args['rpc-cookie'], 'utf8').trim().split(':') as [string, string];
const chain = new BitcoindRpcChain({ url: args.rpc, ...(user === undefined ? {} : { user }), ...(password === undefined ? {} : { password }) });
const options = { name: args.name, chain, tickIntervalMs: Number(args['tick-ms']), sweep: true, log: { minLevel: 'INFO' as const } };
const node =
  args.state !== undefined && existsSync(args.state)
    ? await LdkNode.restore(nodeStateFromJson(JSON.parse(readFileSync(args.state, 'utf8')) as LdkNodeStateJson), options)
    : await LdkNode.create({ ...options, ...(args.seed === undefined ? {} : { seed: fromHex(args.seed) }) });
const listener = await node.listen({ host: args.host, port: Number(args.port) });

const out = (value: unknown) => process.stdout.write(`${toJsonLine(value)}\n`);
let seen = 0;
setInterval(() => {
  for (const e of node.allEvents().slice(seen)) out({ event: e.kind, ...e });
  seen = node.allEvents().length;
}, 50).unref();

function save(): void {
  if (args.state !== undefined) writeFileSync(args.state, JSON.stringify(nodeStateToJson(node.snapshot())));
}

type Params = Record<string, string | number | boolean | undefined>;
const bytes = (p: Params, key: string) => fromHex(String(p[key]));
const big = (p: Params, key: string) => (p[key] === undefined ? undefined : BigInt(String(p[key])));

const methods: Record<string, (p: Params) => unknown> = {
  info: () => ({ nodeId: node.nodeId, host: listener.host, port: listener.port, height: node.bestBlock.height, peers: node.peers(), wallet: node.wallet.balance() }),
  newAddress: () => {
    const script = node.wallet.newScript();
    return { script, address: Address(REGTEST).encode(OutScript.decode(script)) };
  },
  connect: async (p) => node.connect(bytes(p, 'nodeId'), { host: String(p['host'] ?? '127.0.0.1'), port: Number(p['port']) }),
  openChannel: (p) =>
    node.openChannel(bytes(p, 'nodeId'), big(p, 'sats')!, {
      ...(p['pushMsat'] === undefined ? {} : { pushMsat: big(p, 'pushMsat')! }),
      ...(p['anchors'] === undefined ? {} : { anchors: p['anchors'] === true }),
      ...(p['announce'] === undefined ? {} : { announce: p['announce'] === true }),
    }),
  listChannels: () => node.listChannels(),
  createInvoice: (p) => ({
    bolt11: node.createInvoice({
      ...(p['amountMsat'] === undefined ? {} : { amountMsat: big(p, 'amountMsat')! }),
      description: String(p['description'] ?? ''),
      ...(p['expirySecs'] === undefined ? {} : { expirySecs: Number(p['expirySecs']) }),
    }),
  }),
  payInvoice: async (p) => {
    const sent = node.payInvoice(String(p['bolt11']), { ...(p['maxFeeMsat'] === undefined ? {} : { maxFeeMsat: big(p, 'maxFeeMsat')! }), ...(p['amountMsat'] === undefined ? {} : { amountMsat: big(p, 'amountMsat')! }) });
    return p['wait'] === false ? sent : node.paymentOutcome(sent.paymentId, 120_000);
  },
  keysend: async (p) => {
    const sent = node.keysend(bytes(p, 'nodeId'), big(p, 'amountMsat')!);
    return p['wait'] === false ? sent : node.paymentOutcome(sent.paymentId, 120_000);
  },
  closeChannel: (p) => node.closeChannel(bytes(p, 'channelId'), bytes(p, 'nodeId')),
  forceCloseChannel: (p) => node.forceCloseChannel(bytes(p, 'channelId'), bytes(p, 'nodeId')),
  balances: () => ({ wallet: node.wallet.balance(), claimable: node.claimableBalances(), lightningMsat: node.listChannels().reduce((s, c) => s + c.outboundMsat, 0n) }),
  sync: async () => chain.sync(),
  snapshot: () => save(),
  stop: async () => {
    save();
    await node.stop();
    chain.stop();
    await listener.close();
    setImmediate(() => process.exit(0));
  },
};

/** Runs one command; commands run concurrently (a payment waiting for its outcome blocks nothing). */
async function handle(line: string): Promise<void> {
  let request: { id?: unknown; method?: string; params?: Params };
  try {
    request = JSON.parse(line) as typeof request;
  } catch {
    out({ error: 'not JSON' });
    return;
  }
  const method = methods[request.method ?? ''];
  if (method === undefined) {
    out({ id: request.id, error: `unknown method ${String(request.method)}` });
    return;
  }
  try {
    out({ id: request.id, result: (await method(request.params ?? {})) ?? null });
  } catch (e) {
    out({ id: request.id, error: e instanceof Error ? e.message : String(e) });
  }
}

out({ event: 'ready', nodeId: node.nodeId, host: listener.host, port: listener.port });
const input = createInterface({ input: process.stdin });
input.on('line', (line) => {
  if (line.trim() !== '') void handle(line);
});
input.on('close', () => void methods['stop']!({}));
