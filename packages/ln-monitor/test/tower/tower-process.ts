// A watchtower in its own process: a ChainMonitor persisted to the filesystem
// (ln-store), served over TCP with WatchtowerServer. The test process is its
// chain: it sends every block over IPC, and the tower's broadcasts go back the
// same way to be submitted to the test chain.
import { createServer } from 'node:net';
import native from 'secp256k1';
import type { ConfirmationTarget } from 'ln-chain-api';
import { createNativeSecp256k1Backend, sha256 } from 'ln-crypto';
import { KeysManager } from 'ln-signer';
import { FilesystemStore } from 'ln-store';
import { fromHex, toHex } from 'ln-types';
import { type Tx, decodeBlock, encodeTx } from 'ln-tx';
import { ChainMonitor, KVStorePersister } from '../../src/index.js';
import { WatchtowerServer } from '../../src/watchtower/index.js';

const { seed, dir } = JSON.parse(process.argv[2]!) as { seed: number; dir: string };
const backend = createNativeSecp256k1Backend(native);
// the tower holds the node's channel keys (A's KeysManager seed, as the simulator derives it)
const keys = new KeysManager(sha256(Uint8Array.of(seed, 0xaa)), { backend });
const store = new FilesystemStore(dir);
const persister = new KVStorePersister(store);
const chainMonitor = new ChainMonitor({
  signerProvider: keys,
  broadcaster: { broadcastTransactions: (txs: readonly Tx[]) => process.send!({ kind: 'broadcast', txs: txs.map((t) => toHex(encodeTx(t))) }) },
  feeEstimator: { getEstSatPer1000Weight: (t: ConfirmationTarget) => (t === 'urgent_on_chain_sweep' ? 2000 : 1000) },
  persister,
  backend,
});
for (const m of await persister.readAllChannelMonitors(chainMonitor.channelMonitorOptions)) chainMonitor.loadMonitor(m);
const tower = new WatchtowerServer(chainMonitor);

// blocks from the test's chain, applied one at a time in order
let chain = Promise.resolve();
process.on('message', (msg: { kind: string; raw?: string; height?: number; header?: string }) => {
  if (msg.kind === 'block') {
    const block = decodeBlock(fromHex(msg.raw!));
    chain = chain.then(async () => {
      await chainMonitor.blockConnected(block, msg.height!);
      await chainMonitor.whenIdle();
      process.send!({ kind: 'block_done', height: msg.height });
    });
  } else if (msg.kind === 'exit') {
    void chain.then(() => process.exit(0));
  }
});

const server = createServer((socket) => tower.serve(socket));
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.send!({ kind: 'listening', port: typeof address === 'object' && address !== null ? address.port : 0 });
});
