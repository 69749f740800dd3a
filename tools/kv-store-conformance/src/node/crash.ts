// The crash scenario for Node stores: a child process writes through the
// store and is killed with SIGKILL while operations are in flight; the store
// is then reopened here and checked (checkAfterCrash), and the round repeats
// from the state the crash left.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { KVStore } from 'ln-types';
import { ConformanceFailure } from '../assert.js';
import { CrashLog, checkAfterCrash, crashKeyLocation, type CrashCheck, type KeyState } from '../crash-check.js';
import { taggedValue } from '../values.js';

/** Options of {@link runCrashScenario}. */
export interface CrashScenarioOptions {
  /**
   * Absolute path of a module exporting `openStore(location: string): Promise<KVStore>`,
   * which the killed child process imports (through tsx, workspace packages from source).
   */
  readonly storeModule: string;
  /** Where the store keeps its data (a directory, a database file, a table name...). */
  readonly location: string;
  /** Opens the store here, after each kill, to check it. */
  readonly open: (location: string) => Promise<KVStore>;
  /** Closes what `open` opened. */
  readonly close?: (store: KVStore) => Promise<void>;
  /** Kill-and-check rounds, each from the state the previous one left (default 2). */
  readonly rounds?: number;
  /** Acknowledged operations to wait for before the kill (default 30). */
  readonly acksBeforeKill?: number;
  /** Concurrent workers in the child (default 3). */
  readonly workers?: number;
  /** Bytes of the larger values (default 64 KiB). */
  readonly valueBytes?: number;
  /** Extra environment of the child (a database URL). */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Runs after the kill, before the check: a database server may still
   * finish statements the dead writer had sent; wait here until it has
   * dropped the writer's sessions.
   */
  readonly afterKill?: () => Promise<void>;
}

/** One round's findings, with how long the child ran. */
export interface CrashRound extends CrashCheck {
  readonly round: number;
  readonly childMs: number;
}

const TOOL_DIR = fileURLToPath(new URL('../..', import.meta.url));
const CHILD = fileURLToPath(new URL('./crash-child.ts', import.meta.url));

/**
 * Runs the rounds and returns their findings.
 * @throws ConformanceFailure when the store lost an acknowledged operation, held a torn value or listed a wrong key
 */
export async function runCrashScenario(options: CrashScenarioOptions): Promise<CrashRound[]> {
  const rounds: CrashRound[] = [];
  let states: ReadonlyMap<number, KeyState> = new Map();
  let nextSeq = 1;
  for (let round = 1; round <= (options.rounds ?? 2); round++) {
    const started = performance.now();
    const log = await runAndKill(options, nextSeq);
    const childMs = performance.now() - started;
    await options.afterKill?.();
    const store = await options.open(options.location);
    try {
      const found = await checkAfterCrash(store, log, states);
      rounds.push({ ...found, round, childMs });
      states = found.states;
      nextSeq = log.maxSeq + 1;
      // The recovered store takes writes again.
      const probe = taggedValue(0, nextSeq, 100);
      const [p, s, k] = crashKeyLocation(0);
      await store.write(p, s, k, probe);
      const back = await store.read(p, s, k);
      if (back === undefined || back.length !== probe.length || back.some((b, i) => b !== probe[i])) {
        throw new ConformanceFailure('the store reopened after the crash does not read back a new write');
      }
      states = new Map(states).set(0, { seq: nextSeq });
      nextSeq++;
    } finally {
      await options.close?.(store);
    }
  }
  return rounds;
}

async function runAndKill(options: CrashScenarioOptions, startSeq: number): Promise<CrashLog> {
  const log = new CrashLog();
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', CHILD], {
    cwd: TOOL_DIR,
    env: {
      ...process.env,
      ...options.env,
      LN_CRASH_STORE_MODULE: options.storeModule,
      LN_CRASH_LOCATION: options.location,
      LN_CRASH_OPTIONS: JSON.stringify({ startSeq, workers: options.workers, valueBytes: options.valueBytes }),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const acksBeforeKill = options.acksBeforeKill ?? 30;
  let pending = '';
  let killed = false;
  const closed = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  const killAt = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the writer did not acknowledge ${acksBeforeKill} operations in 60 s\n${stderr}`)), 60_000);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines) log.line(line);
      if (!killed && log.acked >= acksBeforeKill) {
        killed = true;
        clearTimeout(timer);
        resolve();
      }
    });
    void closed.then((code) => {
      clearTimeout(timer);
      if (!killed) reject(new Error(`the writer exited (status ${code}) before the kill\n${stderr}`));
    });
  });
  try {
    await killAt;
    // A little later than the threshold, at a moment the writer does not choose.
    await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 30)));
  } finally {
    child.kill('SIGKILL');
  }
  await closed;
  // Lines the child wrote before it died are all delivered by 'close'.
  if (pending !== '') log.line(pending);
  return log;
}
