#!/usr/bin/env node
// `pnpm bench` at the root: every package's benchmarks one package at a time
// (so they do not compete for the two cores), then all figures in one
// bench-results.json at the root.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const turbo = spawnSync('pnpm', ['exec', 'turbo', 'run', 'bench', '--concurrency=1', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
// Browser bundle sizes (min+gz) are figures too.
spawnSync('pnpm', ['check:browser'], { cwd: root, stdio: 'inherit' });
const figures = [];
const sizes = join(root, 'browser-sizes.json');
if (existsSync(sizes)) figures.push(...JSON.parse(readFileSync(sizes, 'utf8')));
// Tools with benchmarks (tools/ldk-node's LDK-WASM peer figures) count too.
for (const dir of ['packages', 'tools']) {
  for (const name of readdirSync(join(root, dir)).sort()) {
    const file = join(root, dir, name, 'bench-results.json');
    if (existsSync(file)) figures.push(...JSON.parse(readFileSync(file, 'utf8')));
  }
}
writeFileSync(join(root, 'bench-results.json'), JSON.stringify({ node: process.version, figures }, null, 2) + '\n');
console.log(`\n${figures.length} figures written to bench-results.json`);
process.exit(turbo.status ?? 1);
