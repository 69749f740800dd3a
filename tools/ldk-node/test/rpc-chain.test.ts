// A node following ln-regtest over bitcoind's JSON-RPC (real HTTP), next to a
// node on the same chain in process: blocks by polling, a reorganization
// walked back to the fork point, broadcasts through sendrawtransaction and
// submitpackage, and a channel between the two.
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { type RunningRegtest, startRegtest } from 'ln-regtest';
import { equalBytes } from 'ln-types';
import { BitcoindRpcChain, LdkNode, LdkNodeError, RegtestChain } from '../src/index.js';

let server: RunningRegtest;
let rpc: BitcoindRpcChain;
let local: RegtestChain;
let a: LdkNode;
let b: LdkNode;

beforeAll(async () => {
  server = await startRegtest({ port: 0, initialBlocks: 101 });
  rpc = new BitcoindRpcChain({ url: server.rpcUrl, user: server.credentials.user, password: server.credentials.password, pollMs: 20 });
  local = new RegtestChain(server.node);
  a = await LdkNode.create({ name: 'A (RPC)', chain: rpc });
  b = await LdkNode.create({ name: 'B (in process)', chain: local });
});

afterAll(async () => {
  await a?.stop();
  await b?.stop();
  rpc?.stop();
  await server?.close();
});

test('follows blocks mined on the server and a reorganization', async () => {
  expect(a.bestBlock.height).toBe(101);
  local.mine(3);
  await rpc.sync();
  expect(a.bestBlock.height).toBe(104);
  expect(equalBytes(a.bestBlock.hash, b.bestBlock.hash)).toBe(true);
  local.reorg(2, { blocks: 3 });
  await rpc.sync();
  expect(a.bestBlock.height).toBe(105);
  expect(equalBytes(a.bestBlock.hash, server.node.tip.hash)).toBe(true);
  expect(equalBytes(a.channelManager.current_best_block().get_block_hash(), server.node.tip.hash)).toBe(true);
});

test('a channel funded over RPC: funding, payments and a cooperative close through the server', async () => {
  server.faucet(a.wallet.newScript(), 1_000_000n, { confirm: true });
  local.sync();
  await rpc.sync();
  expect(a.wallet.balance().spendableSat).toBe(1_000_000n);
  await a.connectInProcess(b);
  const { userChannelId } = a.openChannel(b.nodeId, 500_000n, { pushMsat: 50_000_000n });
  const pending = await a.waitFor('ChannelPending', (e) => e.userChannelId === userChannelId);
  // The funding went out through sendrawtransaction.
  await a.waitUntil(() => local.inMempool(pending.fundingTxo.txid), 10_000, 'the funding in the server mempool');
  local.mine(1);
  await rpc.sync();
  await a.waitUntil(() => a.listChannels()[0]?.usable === true && b.listChannels()[0]?.usable === true, 10_000, 'the channel usable');
  const p = b.payInvoice(a.createInvoice({ amountMsat: 10_000_000n }));
  expect((await b.paymentOutcome(p.paymentId)).kind).toBe('PaymentSent');
  a.closeChannel(pending.channelId, b.nodeId);
  await a.waitFor('ChannelClosed');
  await a.waitUntil(() => server.node.mempool.size === 1, 10_000, 'the closing transaction in the server mempool');
  local.mine(1);
  await rpc.sync();
  await a.waitUntil(() => a.wallet.balance().spendableSat > 940_000n, 10_000, 'the closing output in the wallet');
  expect(rpc.refused).toEqual([]);
  expect(local.scriptFailures()).toEqual([]);
});

test('a server that is not there: typed errors', async () => {
  const gone = new BitcoindRpcChain({ url: 'http://127.0.0.1:1/' });
  await expect(gone.call('getbestblockhash')).rejects.toBeInstanceOf(LdkNodeError);
  await expect(rpc.call('nosuchmethod')).rejects.toThrow(/nosuchmethod|not found|Method/i);
});
