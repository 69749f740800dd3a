// IndexedDbStore in headless chromium (strict and relaxed durability) against
// FilesystemStore in Node on the same disk, in the same run: the browser's
// durable write path next to the default Node store. Needs /usr/bin/chromium
// (LN_SKIP_BROWSER=1 skips).
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { quick } from 'ln-bench';
import { FilesystemStore } from 'ln-store';
import { kvStoreWorkloads } from 'ln-kv-store-conformance';
import { measureKvStore, measurementOf, reportKvStore } from 'ln-kv-store-conformance/node';
import type { StoreTestPage } from '../test/browser/page.js';
import { CHROMIUM, skipBrowser, startChromium } from '../test/browser/chromium.js';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';

if (skipBrowser || !existsSync(CHROMIUM)) {
  console.log(`ln-store-indexeddb bench: no chromium at ${CHROMIUM} (or LN_SKIP_BROWSER=1); nothing measured`);
} else {
  const profile = mkdtempSync(join(tmpdir(), 'ln-store-indexeddb-bench-'));
  const chrome = await startChromium(profile);
  try {
    const page = await chrome.openPage();
    const timing = quick ? { runs: 3, minRunMs: 100, warmupMs: 50 } : { runs: 5, minRunMs: 400, warmupMs: 200 };
    const fsDir = mkdtempSync(join(tmpdir(), 'ln-store-idb-bench-'));
    const reference = { name: 'FilesystemStore (Node)', figures: await measureKvStore(new FilesystemStore(fsDir)) };
    rmSync(fsDir, { recursive: true, force: true });
    for (const durability of ['strict', 'relaxed'] as const) {
      const rates = await page.evaluate(([d, t]) => (globalThis as unknown as { lnStoreTest: StoreTestPage }).lnStoreTest.bench(d, t), [durability, timing] as const);
      const figures = new Map(kvStoreWorkloads().map((w) => [w.name, measurementOf(rates[w.name]!, w.perCall)] as const));
      reportKvStore('ln-store-indexeddb', `IndexedDbStore in chromium (durability ${durability})`, figures, reference);
    }
  } finally {
    await chrome.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
