// The demo page in headless chromium: time until it is interactive with the
// graph from an RGS snapshot (navigation to a drawn route), the P2P sync time,
// and the router's time in the browser vs in Node on the same pairs.
import { NetworkGraph, applyRgsSnapshot } from 'ln-gossip';
import { median, quick, reportMeasurement, reportValue, timeRuns, type Measurement } from 'ln-bench';
import { chainHash, fromHex } from 'ln-types';
import type { Page } from 'playwright-core';
import { startDemoNetwork } from '../demo/network.js';
import { buildPage, seededPairs, timeRoutes, type Pair } from '../src/index.js';
import type { DemoState } from '../src/page/main.js';
import { launchChromium } from '../test/chromium.js';

const PKG = 'ln-browser-demo';
const PAIRS = quick ? 50 : 200;

function fromTimes(ms: number[]): Measurement {
  return { opsPerSec: ms, median: median(ms), min: Math.min(...ms), max: Math.max(...ms), n: ms.length };
}

async function openUntilDone(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForFunction(() => {
    const s = (globalThis as { lnDemo?: DemoState }).lnDemo;
    return s !== undefined && (s.phase === 'done' || s.phase === 'error');
  }, undefined, { timeout: 150_000, polling: 20 });
  const error = await page.evaluate(() => (globalThis as unknown as { lnDemo: DemoState }).lnDemo.error);
  if (error !== undefined) throw new Error(`page: ${error}`);
}

// BROWSER_BENCH_CHANNELS=n measures an n-channel graph (50808: the whole mainnet topology).
// Above 2,000 channels the P2P measurement is skipped: noble in the page checks ~650 signatures/s.
const channels = process.env.BROWSER_BENCH_CHANNELS === undefined ? undefined : Number(process.env.BROWSER_BENCH_CHANNELS);
const network = await startDemoNetwork(channels === undefined ? {} : { channels });
const chrome = await launchChromium();
try {
  const { js } = await buildPage();
  reportValue(PKG, 'page bundle (minified, not gzipped)', js.length, 'bytes');

  const rgsUrl = `${network.server.url}?mode=rgs`;
  const warm = await chrome.context.newPage();
  await openUntilDone(warm, rgsUrl); // fills the HTTP cache and compiles once
  await warm.close();
  const interactive = await timeRuns(async () => {
    const page = await chrome.context.newPage();
    await openUntilDone(page, rgsUrl);
    await page.close();
  }, quick ? 3 : 7);
  reportMeasurement(PKG, `page interactive with the graph from RGS (${network.channels} channels: navigate, fetch, apply, route, draw)`, interactive, 'ms');

  if (network.channels <= 2000) {
    const p2p = await timeRuns(async () => {
      const page = await chrome.context.newPage();
      await openUntilDone(page, `${network.server.url}?mode=p2p`);
      await page.close();
    }, 1);
    reportMeasurement(PKG, `page interactive after P2P sync over BOLT 8 (${network.channels} channels, noble verification)`, p2p, 'ms');
  }

  // Route time on the same pairs: the browser's graph came from the same RGS snapshot as Node's.
  const snapshot = new Uint8Array(await (await fetch(new URL(network.server.config.rgsPath, network.server.url))).arrayBuffer());
  const graph = new NetworkGraph(chainHash(fromHex(network.server.config.chainHash)));
  applyRgsSnapshot(graph, snapshot, { now: network.server.config.clockSeconds });
  const pairs = seededPairs(graph, PAIRS);
  const REPEATS = quick ? 5 : 11;
  // Per-pair mean of each repeat of the whole batch (one clock read around the loop).
  const perPair = (r: { totalMs: number }) => r.totalMs / pairs.length;
  timeRoutes(graph, pairs, () => performance.now()); // warm-up
  const nodeRuns = Array.from({ length: REPEATS }, () => timeRoutes(graph, pairs, () => performance.now()));

  const page = await chrome.context.newPage();
  await openUntilDone(page, rgsUrl);
  const run = (p: readonly Pair[]) => page.evaluate((q) => (globalThis as unknown as { lnDemo: Required<DemoState> }).lnDemo.timeRoutes(q), p);
  await run(pairs); // warm-up
  const browserRuns = [];
  for (let i = 0; i < REPEATS; i++) browserRuns.push(await run(pairs));
  await page.close();
  const found = nodeRuns[0]!.found;
  if (browserRuns.some((r) => r.found !== found)) throw new Error(`routes found differ: browser ${browserRuns.map((r) => r.found)}, Node ${found}`);
  reportMeasurement(PKG, `route in the browser, mean per pair (${pairs.length} pairs, ${found} routed, median of ${REPEATS} batches)`, fromTimes(browserRuns.map(perPair)), 'ms', {
    name: 'the same pairs in Node',
    measurement: fromTimes(nodeRuns.map(perPair)),
    higherIsBetter: false,
  });
} finally {
  await chrome.close();
  await network.close();
}
