// The killed process of the crash scenario: opens the store through the
// module the test names and runs the crash writer until SIGKILL arrives.
import { pathToFileURL } from 'node:url';
import type { KVStore } from 'ln-types';
import { runCrashWriter } from '../crash-writer.js';

const storeModule = process.env.LN_CRASH_STORE_MODULE;
const location = process.env.LN_CRASH_LOCATION;
const options = JSON.parse(process.env.LN_CRASH_OPTIONS ?? '{}') as { startSeq: number; workers?: number; valueBytes?: number };
if (storeModule === undefined || location === undefined) throw new Error('LN_CRASH_STORE_MODULE and LN_CRASH_LOCATION are required');
const { openStore } = (await import(pathToFileURL(storeModule).href)) as { openStore(location: string): Promise<KVStore> };
const store = await openStore(location);
// Pipes to the parent are synchronous on Linux: a line is in the pipe before
// the next operation is issued, so the parent's log is exact at the kill.
process.stdout.write('ready\n');
try {
  await runCrashWriter(store, { ...options, emit: (line) => void process.stdout.write(line + '\n') });
} catch (e) {
  process.stderr.write(`crash writer failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
}
