#!/usr/bin/env node
// `pnpm test`: runs every package's tests through turbo, then prints one closing
// line for the whole workspace, "tests: N passed, M failed", summed from the JSON
// results each package's jest run leaves behind (restored from turbo's cache too).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const turbo = spawnSync('pnpm', ['exec', 'turbo', 'run', 'test', '--continue', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  shell: process.platform === 'win32',
});

let passed = 0;
let failed = 0;
let suites = 0;
const rows = [];
for (const dir of ['packages', 'tools']) {
  const base = join(root, dir);
  if (!existsSync(base)) continue;
  for (const name of readdirSync(base)) {
    const file = join(base, name, 'test-results.json');
    if (!existsSync(file)) continue;
    const r = JSON.parse(readFileSync(file, 'utf8'));
    passed += r.numPassedTests;
    failed += r.numFailedTests;
    suites += r.numTotalTestSuites;
    rows.push(`  ${name.padEnd(20)} ${String(r.numPassedTests).padStart(6)} passed ${String(r.numFailedTests).padStart(4)} failed`);
  }
}
console.log('\nworkspace test summary');
for (const row of rows) console.log(row);
console.log(`tests: ${passed} passed, ${failed} failed (${suites} suites)`);
const status = turbo.status ?? 1;
process.exit(status !== 0 ? status : failed > 0 ? 1 : 0);
