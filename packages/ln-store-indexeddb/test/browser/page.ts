// Bundled into the test page: the conformance suite and the crash writer and
// check, run in the browser against IndexedDbStore on the real IndexedDB.
import {
  CrashLog,
  checkAfterCrash,
  kvStoreWorkloads,
  measureOps,
  runCrashWriter,
  runKvStoreConformance,
  type CaseResult,
  type KeyState,
  type KvStoreHarness,
} from 'ln-kv-store-conformance';
import { IndexedDbStore } from '../../src/index.js';

/** What the page offers the test (as `globalThis.lnStoreTest`). */
export interface StoreTestPage {
  conformance(): Promise<CaseResult[]>;
  /** Starts the crash writer on database "crash"; its lines go to `globalThis.lnEmit`. */
  startCrashWriter(startSeq: number): Promise<void>;
  /** Checks database "crash" against the writer's log; resolves to the key states, rejects with the violation. */
  checkCrash(lines: readonly string[], before: readonly [number, KeyState][]): Promise<{ keys: number; keysFromInFlight: number; states: [number, KeyState][] }>;
  /** The storage benchmark's workloads on a fresh database: per-run rates by workload name. */
  bench(durability: IDBTransactionDurability, timing: { runs: number; minRunMs: number; warmupMs: number }): Promise<Record<string, number[]>>;
}

const names = new WeakMap<IndexedDbStore, string>();
let made = 0;
async function open(name: string): Promise<IndexedDbStore> {
  const store = await IndexedDbStore.open(name);
  names.set(store, name);
  return store;
}

const harness: KvStoreHarness<IndexedDbStore> = {
  create: () => open(`conformance-${made++}`),
  reopen: (store) => open(names.get(store)!),
  close: (store) => store.close(),
};

const emit = (line: string): Promise<void> => (globalThis as unknown as { lnEmit(line: string): Promise<void> }).lnEmit(line);

const page: StoreTestPage = {
  conformance: () => runKvStoreConformance(harness),
  async startCrashWriter(startSeq) {
    const store = await open('crash');
    void runCrashWriter(store, { startSeq, emit }).catch((e: unknown) => emit(`E ${String(e)}`));
  },
  async bench(durability, timing) {
    const store = await IndexedDbStore.open(`bench-${durability}-${made++}`, { durability });
    const out: Record<string, number[]> = {};
    try {
      for (const w of kvStoreWorkloads()) out[w.name] = await measureOps(w.prepare(store), timing);
    } finally {
      await store.close();
    }
    return out;
  },
  async checkCrash(lines, before) {
    const log = new CrashLog();
    for (const line of lines) log.line(line);
    const store = await open('crash');
    try {
      const found = await checkAfterCrash(store, log, new Map(before));
      return { keys: found.keys, keysFromInFlight: found.keysFromInFlight, states: [...found.states] };
    } finally {
      await store.close();
    }
  },
};
(globalThis as unknown as { lnStoreTest: StoreTestPage }).lnStoreTest = page;
document.title = 'ready';
