import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KVStore } from 'ln-types';
import { ConformanceFailure, kvStoreConformanceCases, runConformanceCase, runKvStoreConformance, type KvStoreHarness } from '../src/index.js';
import { runCrashScenario } from '../src/node/index.js';
import { InPlaceStore } from './broken/in-place-store.js';
import { RenameStore } from './broken/rename-store.js';
import {
  EmptyNamespaceStore,
  LeakyListStore,
  NoCopyInStore,
  NoCopyOutStore,
  ReorderingStore,
  SharedMapStore,
  SyncThrowStore,
  TearingStore,
  UntypedErrorStore,
} from './broken/stores.js';

// Every directory this file makes lives under one temporary directory, removed at the end.
const base = mkdtempSync(join(tmpdir(), 'ln-kv-test-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

// A suite that passes everything proves nothing: each broken store below
// breaks one rule, and the case for that rule must fail on it.
function harnessOf(Store: new (storage?: Map<string, Uint8Array>) => SharedMapStore): KvStoreHarness<SharedMapStore> {
  return {
    create: async () => new Store(),
    reopen: async (store) => new Store(store.storage),
    sizes: { largeValueBytes: 1 << 16, modelRuns: 50 },
  };
}

function caseNamed(start: string) {
  const found = kvStoreConformanceCases.find((c) => c.name.startsWith(start));
  if (found === undefined) throw new Error(`no case starting "${start}"`);
  return found;
}

describe('the conformance suite', () => {
  it('passes a correct store, every case', async () => {
    const results = await runKvStoreConformance(harnessOf(SharedMapStore));
    expect(results.filter((r) => r.status !== 'passed')).toEqual([]);
    expect(results.length).toBe(kvStoreConformanceCases.length);
  });

  it.each([
    ['a store that keeps the caller’s array', NoCopyInStore, 'copies values in'],
    ['a store that hands out its own array', NoCopyOutStore, 'copies values out'],
    ['a store that throws at the caller', SyncThrowStore, 'refuses invalid names'],
    ['a store that rejects with a plain Error', UntypedErrorStore, 'refuses invalid names'],
    ['a store that reorders concurrent writes', ReorderingStore, 'writes issued together to one key'],
    ['a store whose list matches by prefix', LeakyListStore, 'keeps namespace pairs apart'],
    ['a store that tears values while replacing them', TearingStore, 'replacing a value is atomic'],
    ['a store that confuses the empty primary namespace with "_"', EmptyNamespaceStore, 'keeps namespace pairs apart'],
  ] as const)('fails %s', async (_what, Store, caseStart) => {
    await expect(runConformanceCase(harnessOf(Store), caseNamed(caseStart))).rejects.toThrow(ConformanceFailure);
  });

  it('fails the model test on a store that reorders concurrent writes', async () => {
    await expect(runConformanceCase(harnessOf(ReorderingStore), caseNamed('behaves like a map'))).rejects.toThrow(/Property failed/);
  });
});

describe('the crash scenario', () => {
  const open = async (location: string): Promise<KVStore> => new RenameStore(location);

  it('catches a store that overwrites values in place (torn values after the kill)', async () => {
    // Whether one kill lands inside a rewrite is chance; over a few rounds of large values it is certain enough.
    const location = mkdtempSync(join(base, 'ln-kv-crash-'));
    await expect(
      runCrashScenario({
        storeModule: fileURLToPath(new URL('./broken/in-place-store.ts', import.meta.url)),
        location,
        open: async (l) => new InPlaceStore(l),
        rounds: 4,
        valueBytes: 1 << 20,
        acksBeforeKill: 10,
      }),
    ).rejects.toThrow(/torn|after the crash/);
  }, 60_000);

  it('catches a store that acknowledges writes before making them', async () => {
    const location = mkdtempSync(join(base, 'ln-kv-crash-'));
    await expect(
      runCrashScenario({
        storeModule: fileURLToPath(new URL('./broken/early-ack-store.ts', import.meta.url)),
        location,
        open,
        rounds: 1,
      }),
    ).rejects.toThrow(/is (absent|seq \d+) after the crash, but its last acknowledged operation/);
  }, 60_000);

  it('passes the small rename-based store it builds on (so the failure above is the early acknowledgement)', async () => {
    const location = mkdtempSync(join(base, 'ln-kv-crash-'));
    const rounds = await runCrashScenario({ storeModule: fileURLToPath(new URL('./broken/rename-store.ts', import.meta.url)), location, open, rounds: 1 });
    expect(rounds[0]!.inFlight).toBeGreaterThan(0);
  }, 60_000);
});
