#!/usr/bin/env node
// `pnpm demo`: lists the packages and their status, runs each package's demo,
// then the main demo (tools/demo/split): gossip and routing on a server, a
// wallet without the graph, three processes on loopback.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const planned = [
  'ln-types', 'ln-crypto', 'ln-wire', 'ln-noise', 'ln-tx', 'ln-onion', 'ln-invoice',
  'ln-signer-api', 'ln-chain-api', 'ln-peer-api', 'ln-router-api',
  'ln-signer', 'ln-channel', 'ln-monitor', 'ln-gossip', 'ln-router', 'ln-peer', 'ln-store', 'ln-router-client',
  'ln-routing-server', 'ln-node',
];
const present = new Map();
for (const name of readdirSync(join(root, 'packages'))) {
  const file = join(root, 'packages', name, 'package.json');
  if (existsSync(file)) present.set(name, JSON.parse(readFileSync(file, 'utf8')));
}

// A package may provide its own demo step: packages/<name>/demo/run.mjs.
const demos = [...present.keys()].filter((n) => existsSync(join(root, 'packages', n, 'demo', 'run.mjs'))).sort();

console.log('ln toolkit: packages\n');
for (const name of planned) {
  const pkg = present.get(name);
  const status = pkg === undefined ? 'planned' : existsSync(join(root, 'packages', name, 'dist')) ? 'built' : 'present';
  console.log(`  ${name.padEnd(18)} ${(pkg?.lnTier ?? '').padEnd(11)} ${status.padEnd(8)} ${pkg?.description ?? ''}`);
}
console.log('');
for (const name of demos) {
  console.log(`--- demo: ${name} ---`);
  await import(join(root, 'packages', name, 'demo', 'run.mjs'));
}
// The main demo last: gossip and routing on a server, a wallet without the graph (three processes).
await import('./split/run.mjs');
