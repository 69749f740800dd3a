// The LDK node as a separate process (what the demo starts): it follows
// ln-regtest over JSON-RPC, is driven over stdin/stdout, takes a channel from a
// node in this process, gets paid, saves its state on stop and comes back from it.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { type RunningRegtest, addressToScript, startRegtest } from 'ln-regtest';
import { fromHex, toHex } from 'ln-types';
import { LdkNode, RegtestChain } from '../src/index.js';

interface Process {
  readonly child: ChildProcessWithoutNullStreams;
  readonly lines: Record<string, unknown>[];
  call(method: string, params?: Record<string, unknown>): Promise<unknown>;
  next(predicate: (line: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
}

let server: RunningRegtest;
let local: RegtestChain;
let dir: string;
let us: LdkNode;

function start(statePath: string): Process {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '..', 'src', 'cli.ts'), '--rpc', server.rpcUrl, '--rpc-user', server.credentials.user, '--rpc-password', server.credentials.password, '--state', statePath, '--name', 'ldk-cli'], {
    cwd: join(import.meta.dirname, '..'),
  });
  const lines: Record<string, unknown>[] = [];
  const waiters: { predicate: (l: Record<string, unknown>) => boolean; resolve: (l: Record<string, unknown>) => void }[] = [];
  createInterface({ input: child.stdout }).on('line', (text) => {
    const line = JSON.parse(text) as Record<string, unknown>;
    lines.push(line);
    for (const w of [...waiters]) {
      if (w.predicate(line)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  });
  let stderr = '';
  child.stderr.on('data', (d: Uint8Array) => (stderr += new TextDecoder().decode(d)));
  let nextId = 1;
  const next: Process['next'] = (predicate, timeoutMs = 60_000) => {
    const found = lines.find(predicate);
    if (found !== undefined) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching line from the LDK process; stderr:\n${stderr.slice(-2000)}`)), timeoutMs);
      waiters.push({ predicate, resolve: (l) => (clearTimeout(timer), resolve(l)) });
    });
  };
  return {
    child,
    lines,
    next,
    async call(method, params = {}) {
      const id = nextId++;
      child.stdin.write(`${JSON.stringify({ id, method, params })}\n`);
      const answer = await next((l) => l['id'] === id);
      if (answer['error'] !== undefined) throw new Error(String(answer['error']));
      return answer['result'];
    },
  };
}

beforeAll(async () => {
  server = await startRegtest({ port: 0, initialBlocks: 101 });
  local = new RegtestChain(server.node);
  dir = mkdtempSync(join(tmpdir(), 'ln-ldk-node-cli-'));
  us = await LdkNode.create({ name: 'us', chain: local });
});

afterAll(async () => {
  await us?.stop();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('a separate LDK process: funded by address, opens a channel to us, pays and is paid, restarts from its state file', async () => {
  const statePath = join(dir, 'state.json');
  let ldk = start(statePath);
  const ready = await ldk.next((l) => l['event'] === 'ready');
  const nodeId = fromHex(String(ready['nodeId']));
  const { address, script } = (await ldk.call('newAddress')) as { address: string; script: string };
  expect(toHex(addressToScript(address)!)).toBe(script);
  server.faucet(address, 1_000_000n, { confirm: true });
  local.sync();
  await ldk.call('sync');
  expect(((await ldk.call('info')) as { wallet: { spendableSat: string } }).wallet.spendableSat).toBe('1000000');

  const listener = await us.listen();
  await ldk.call('connect', { nodeId: toHex(us.nodeId), port: listener.port });
  const opened = (await ldk.call('openChannel', { nodeId: toHex(us.nodeId), sats: '400000' })) as { userChannelId: string };
  await ldk.next((l) => l['event'] === 'ChannelPending' && l['userChannelId'] === opened.userChannelId);
  await us.waitUntil(() => server.node.mempool.size === 1, 20_000, 'the funding in the mempool');
  local.mine(1);
  await ldk.call('sync');
  await us.waitUntil(() => us.listChannels()[0]?.usable === true, 20_000, 'the channel usable');

  const invoice = us.createInvoice({ amountMsat: 25_000_000n });
  const outcome = (await ldk.call('payInvoice', { bolt11: invoice })) as { kind: string };
  expect(outcome.kind).toBe('PaymentSent');
  const { bolt11 } = (await ldk.call('createInvoice', { amountMsat: '5000000', description: 'back' })) as { bolt11: string };
  expect((await us.paymentOutcome(us.payInvoice(bolt11).paymentId)).kind).toBe('PaymentSent');
  await ldk.next((l) => l['event'] === 'PaymentClaimed');

  await ldk.call('stop');
  await new Promise((r) => ldk.child.once('exit', r));
  await us.waitUntil(() => us.peers().length === 0, 20_000, 'the process gone');

  ldk = start(statePath);
  const again = await ldk.next((l) => l['event'] === 'ready');
  expect(again['nodeId']).toBe(toHex(nodeId));
  const channels = (await ldk.call('listChannels')) as { capacitySat: string; outboundMsat: string }[];
  expect(channels.map((c) => c.capacitySat)).toEqual(['400000']);
  await ldk.call('stop');
  await new Promise((r) => ldk.child.once('exit', r));
});
