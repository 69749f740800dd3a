// The main demo: gossip and routing on a server, a wallet without the graph.
// Three processes on loopback: (1) a gossip source node of ours with signed
// gossip for the mainnet topology, (2) ln-routing-server syncing it over BOLT 8
// through gossip queries, then serving, (3) a wallet asking the server for
// routes and applying an RGS snapshot to route locally. Finishes by itself and
// leaves nothing running. DEMO_CHANNELS=n uses an n-channel subgraph.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '..', '..', '..');
const channels = Number(process.env.DEMO_CHANNELS ?? 0);
const children = [];
const started = performance.now();
const seconds = () => ((performance.now() - started) / 1000).toFixed(1).padStart(5);
const say = (text) => console.log(`[${seconds()} s] ${text}`);

function start(name, args) {
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  child.once('exit', (code, signal) => {
    if (!stopping && code !== 0) fail(`${name} exited (${code ?? signal})`);
  });
  return child;
}

/** Resolves with the first stdout JSON line matching `accept`. */
function waitForLine(child, accept) {
  return new Promise((resolve) => {
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      if (!line.startsWith('{')) return;
      try {
        const json = JSON.parse(line);
        if (accept(json)) resolve(json);
      } catch {
        // not JSON
      }
    });
  });
}

let stopping = false;
function stopAll() {
  stopping = true;
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  return Promise.all(children.map((c) => (c.exitCode !== null ? null : new Promise((r) => c.once('exit', r)))));
}
function fail(why) {
  console.error(`demo failed: ${why}`);
  void stopAll().then(() => process.exit(1));
}
const watchdog = setTimeout(() => fail('took longer than 170 s'), 170_000);
// Stopped from outside (Ctrl-C, a test's timeout): take the children down too.
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => fail(`stopped by ${signal}`));

function bar(done, total, width = 36) {
  const f = total > 0 ? Math.min(1, done / total) : 0;
  return `[${'#'.repeat(Math.round(f * width)).padEnd(width, '.')}] ${String(Math.round(f * 100)).padStart(3)}%`;
}

console.log('\n=== Split demo: gossip + routing on a server, a wallet without the graph ===\n');
say(`(1) gossip source: generating signed gossip for ${channels > 0 ? `a ${channels}-channel subgraph of` : 'the whole'} mainnet topology...`);
const source = start('gossip source', [join(here, 'source.mjs'), String(channels), '8']);
const src = await waitForLine(source, (j) => j.nodeId !== undefined);
say(`(1) gossip source ${src.nodeId.slice(0, 16)}... on 127.0.0.1:${src.port}: ${src.channels} channels, ${src.nodes} nodes (signed in ${(src.generatedMs / 1000).toFixed(1)} s, ${src.backend})`);

const dataDir = mkdtempSync(join(tmpdir(), 'ln-demo-server-'));
say('(2) routing server: connecting over BOLT 8 and syncing through gossip queries...');
const server = start('routing server', [
  join(root, 'packages/ln-routing-server/dist/cli.js'),
  '--peers', `${src.nodeId}@127.0.0.1:${src.port}`,
  '--http-port', '0',
  '--data-dir', dataDir,
  '--network', 'bitcoin',
  '--secp256k1', 'native',
  '--verify-workers', '2',
  '--log-level', 'info',
]);
const serving = await waitForLine(server, (j) => j.message === 'serving');
const base = serving.http;
const syncStart = performance.now();
let stats;
let lastSeen = '';
let lastChange = performance.now();
for (;;) {
  stats = await (await fetch(`${base}/v1/graph/stats`)).json();
  const ready = (await fetch(`${base}/ready`)).status === 200;
  process.stdout.write(`\r[${seconds()} s] (2) sync ${bar(stats.sync.channelsKnown, src.channels)} ${String(stats.sync.channelsKnown).padStart(6)}/${src.channels} channels, ${String(stats.sync.pendingMessages).padStart(6)} pending   `);
  if (ready && stats.channels >= src.channels && stats.sync.pendingMessages === 0) break;
  // Name what is stuck rather than wait for the watchdog.
  const seen = JSON.stringify({ ready, channels: stats.channels, sync: stats.sync });
  if (seen !== lastSeen) [lastSeen, lastChange] = [seen, performance.now()];
  else if (performance.now() - lastChange > 30_000) {
    fail(`sync made no progress for 30 s: ${seen}`);
    await new Promise(() => undefined); // fail() stops the children and exits
  }
  await new Promise((r) => setTimeout(r, 250));
}
process.stdout.write('\n');
const syncSeconds = (performance.now() - syncStart) / 1000;
say(`(2) routing server synced ${stats.channels} channels / ${stats.nodes} nodes in ${syncSeconds.toFixed(1)} s; serving ${base}`);

say('(3) wallet: routes from the server, then an RGS snapshot applied locally...');
const wallet = start('wallet', [join(here, 'wallet.mjs'), base, JSON.stringify(src.pairs)]);
const w = await waitForLine(wallet, (j) => j.results !== undefined);
await new Promise((r) => wallet.once('exit', r));

console.log('');
console.log('payment (100,000 sat)            server route            local route (RGS)      same');
for (const r of w.results) {
  const show = (x) => (x.error ? `no route (${x.error})` : `${x.paths.length} path(s), ${x.paths.map((p) => p.hops.length).join('+')} hops`).padEnd(22) + ` ${x.ms.toFixed(1).padStart(6)} ms`;
  console.log(`${r.payer.slice(0, 8)}.. -> ${r.payee.slice(0, 8)}..   ${show(r.remote)}  ${show(r.local)}  ${r.same ? 'yes' : 'NO'}`);
}
const found = w.results.filter((r) => !r.remote.error);
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? 0;
console.log('');
console.log('summary');
console.log(`  gossip source        ${src.channels} channels, ${src.nodes} nodes, signed in ${(src.generatedMs / 1000).toFixed(1)} s`);
console.log(`  server P2P sync      ${syncSeconds.toFixed(1)} s over BOLT 8 (gossip queries, every signature verified)`);
console.log(`  routes via server    ${found.length}/${w.results.length} found, median ${median(w.results.map((r) => r.remote.ms)).toFixed(1)} ms per query (HTTP included)`);
console.log(`  RGS snapshot         ${(w.snapshotBytes / 1e6).toFixed(2)} MB (sent gzipped), downloaded in ${w.downloadMs.toFixed(0)} ms, applied in ${w.applyMs.toFixed(0)} ms (${w.applied.channelsAdded} channels)`);
console.log(`  routes local (RGS)   median ${median(w.results.map((r) => r.local.ms)).toFixed(1)} ms; same as the server's: ${w.results.filter((r) => r.same).length}/${w.results.length}`);
console.log(`  total                ${seconds().trim()} s`);

clearTimeout(watchdog);
await stopAll();
rmSync(dataDir, { recursive: true, force: true });
const allSame = w.results.every((r) => r.same);
process.exit(found.length > 0 && allSame ? 0 : 1);
