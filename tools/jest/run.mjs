#!/usr/bin/env node
// Runs jest in native ESM mode for the package in the current directory and
// leaves its JSON results in test-results.json for the workspace summary.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const jestBin = require.resolve('jest/bin/jest');
const args = ['--experimental-vm-modules', '--no-warnings=ExperimentalWarning', jestBin, '--json', '--outputFile=test-results.json', ...process.argv.slice(2)];
const result = spawnSync(process.execPath, args, { stdio: 'inherit' });
process.exit(result.status ?? 1);
