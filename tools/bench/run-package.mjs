#!/usr/bin/env node
// `pnpm bench` inside a package: runs each bench/*.bench.ts (through tsx) one
// after another, echoes their output, and keeps the JSON figure lines in the
// package's bench-results.json for tools/bench/run.mjs to collect.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.cwd();
const benchDir = join(dir, 'bench');
const files = existsSync(benchDir) ? readdirSync(benchDir).filter((f) => f.endsWith('.bench.ts')).sort() : [];
const filter = process.argv[2];
const figures = [];
let failed = false;
for (const file of files) {
  if (filter !== undefined && !file.includes(filter)) continue;
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', join(benchDir, file)], {
    cwd: dir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  for (const line of run.stdout.split('\n')) {
    if (line.trim() === '') continue;
    console.log(line);
    if (line.startsWith('{')) {
      try {
        figures.push(JSON.parse(line));
      } catch {
        // a log line that happens to start with "{": keep it printed only
      }
    }
  }
  if (run.status !== 0) {
    console.error(`bench ${file} failed with status ${run.status}`);
    failed = true;
  }
}
writeFileSync(join(dir, 'bench-results.json'), JSON.stringify(figures, null, 2) + '\n');
process.exit(failed ? 1 : 0);
