import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kvStoreConformanceCases, CrashLog, type CaseResult, type KeyState } from 'ln-kv-store-conformance';
import type { StoreTestPage } from './browser/page.js';
import { skipBrowser, startChromium, type RunningChromium } from './browser/chromium.js';

// Chromium missing is a failure, not a skip, unless LN_SKIP_BROWSER=1 says so.
const suite = skipBrowser ? describe.skip : describe;

suite('IndexedDbStore in headless chromium: the conformance suite', () => {
  let profile: string | undefined;
  let chrome: RunningChromium | undefined;
  let results: CaseResult[] = [];

  beforeAll(async () => {
    profile = mkdtempSync(join(tmpdir(), 'ln-store-indexeddb-'));
    chrome = await startChromium(profile);
    const page = await chrome.openPage();
    results = await page.evaluate(() => (globalThis as unknown as { lnStoreTest: StoreTestPage }).lnStoreTest.conformance());
  }, 150_000);

  afterAll(async () => {
    await chrome?.close();
    if (profile !== undefined) rmSync(profile, { recursive: true, force: true });
  });

  for (const testCase of kvStoreConformanceCases) {
    it(testCase.name, () => {
      const result = results.find((r) => r.name === testCase.name);
      if (result?.status === 'failed') throw new Error(result.detail);
      expect(result?.status).toBe('passed');
    });
  }
});

suite('IndexedDbStore in headless chromium: the browser killed with SIGKILL mid-write', () => {
  let profile = '';
  afterAll(() => {
    if (profile !== '') rmSync(profile, { recursive: true, force: true });
  });

  it('keeps every write whose promise resolved and tears no value, over at least two kills', async () => {
    profile = mkdtempSync(join(tmpdir(), 'ln-store-indexeddb-crash-'));
    let states: [number, KeyState][] = [];
    let nextSeq = 1;
    let killsMidWrite = 0;
    // At least two rounds, and more (up to four) until a kill has landed
    // while an operation was in flight: whether one is depends on timing.
    for (let round = 1; round <= 4 && (round <= 2 || killsMidWrite === 0); round++) {
      const log = new CrashLog();
      const lines: string[] = [];
      const writer = await startChromium(profile);
      try {
        const page = await writer.openPage();
        let issued = () => {};
        // Once 40 operations are acknowledged, the kill follows the next one
        // the page is about to issue, by the time its transaction commits.
        const enough = new Promise<void>((resolve) => (issued = () => log.acked >= 40 && resolve()));
        await page.exposeFunction('lnEmit', (line: string) => {
          if (line.startsWith('E ')) throw new Error(`the crash writer failed: ${line}`);
          lines.push(line);
          log.line(line);
          if (line.startsWith('I ')) issued();
        });
        await page.evaluate((seq) => (globalThis as unknown as { lnStoreTest: StoreTestPage }).lnStoreTest.startCrashWriter(seq), nextSeq);
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([enough, new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`only ${log.acked} writes acknowledged in 60 s`)), 60_000)))]);
        clearTimeout(timer);
        await new Promise((r) => setTimeout(r, 2 + Math.floor(Math.random() * 4)));
      } finally {
        await writer.kill();
      }
      if (log.inFlight > 0) killsMidWrite++;
      const checker = await startChromium(profile);
      try {
        const page = await checker.openPage();
        const found = await page.evaluate(
          ([l, s]) => (globalThis as unknown as { lnStoreTest: StoreTestPage }).lnStoreTest.checkCrash(l, s),
          [lines, states] as const,
        );
        expect(found.keys).toBeGreaterThan(0);
        states = found.states;
      } finally {
        await checker.close();
      }
      nextSeq = log.maxSeq + 1;
    }
    expect(killsMidWrite).toBeGreaterThan(0);
  }, 180_000);
});
