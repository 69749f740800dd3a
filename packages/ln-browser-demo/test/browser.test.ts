import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { startDemoNetwork, type DemoNetwork } from '../demo/network.js';
import type { DemoState } from '../src/page/main.js';
import { launchChromium, skipBrowser } from './chromium.js';

const CHANNELS = 400;
const SCREENSHOTS = join(import.meta.dirname, '..', 'screenshots');

// Chromium missing is a failure, not a skip, unless LN_SKIP_BROWSER=1 says so.
const suite = skipBrowser ? describe.skip : describe;

suite('the demo page in headless chromium', () => {
  let network: DemoNetwork;
  let chrome: Awaited<ReturnType<typeof launchChromium>>;
  let browser: BrowserContext;

  beforeAll(async () => {
    network = await startDemoNetwork({ channels: CHANNELS });
    chrome = await launchChromium();
    browser = chrome.context;
  }, 120_000);

  afterAll(async () => {
    await chrome?.close();
    await network?.close();
  });

  async function openAndWait(mode: 'p2p' | 'rgs'): Promise<{ page: Page; state: DemoState; errors: string[] }> {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${network.server.url}?mode=${mode}`);
    await page.waitForFunction(() => {
      const s = (globalThis as { lnDemo?: DemoState }).lnDemo;
      return s !== undefined && (s.phase === 'done' || s.phase === 'error');
    }, undefined, { timeout: 150_000, polling: 200 });
    const state = await page.evaluate(() => {
      const s = (globalThis as unknown as { lnDemo: DemoState }).lnDemo;
      // bigints do not cross evaluate(): send the numbers the test checks as strings.
      return JSON.parse(JSON.stringify(s, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))) as DemoState;
    });
    return { page, state, errors };
  }

  it('syncs the graph over BOLT 8 through the proxy, finds a route and draws it', async () => {
    const { page, state, errors } = await openAndWait('p2p');
    expect(errors).toEqual([]);
    expect(state.error).toBeUndefined();
    expect(state.phase).toBe('done');
    expect(state.mode).toBe('p2p');
    expect(state.channels).toBe(network.channels);
    expect(await page.textContent('#channels')).toBe(String(network.channels));
    expect(Number(await page.textContent('#nodes'))).toBeGreaterThan(100);
    expect(await page.$eval('#progress', (p) => [(p as HTMLProgressElement).value, (p as HTMLProgressElement).max])).toEqual([network.channels, network.channels]);
    // The route: at least two hops, drawn as SVG nodes (payer + one per hop) and table rows.
    const hops = state.route!.hops.length;
    expect(hops).toBeGreaterThanOrEqual(2);
    expect(await page.locator('#route-svg .route-node').count()).toBe(hops + 1);
    expect(await page.locator('#hops tr.hop').count()).toBe(hops);
    expect(await page.textContent('#route-summary')).toContain(`${hops} hops`);
    // P2P sync brings node_announcements: hops carry the generated aliases.
    expect(state.route!.hops.every((h) => typeof h.alias === 'string' && h.alias.length > 0)).toBe(true);
    expect(await page.textContent('#hops')).toContain(state.route!.hops[0]!.alias!);
    // The hop amounts compound the fees: each hop forwards the next one's amount plus its fee.
    const amounts = state.route!.hops.map((h) => BigInt(h.amountMsat as unknown as string));
    for (let i = 1; i < amounts.length; i++) expect(amounts[i - 1]! >= amounts[i]!).toBe(true);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'p2p.png'), fullPage: true });
    await page.close();
  }, 180_000);

  it('loads the graph from an RGS snapshot of the routing server instead, and routes on it', async () => {
    const { page, state, errors } = await openAndWait('rgs');
    expect(errors).toEqual([]);
    expect(state.error).toBeUndefined();
    expect(state.phase).toBe('done');
    expect(state.mode).toBe('rgs');
    expect(state.channels).toBe(network.channels);
    expect(state.route!.hops.length).toBeGreaterThanOrEqual(2);
    expect(await page.locator('#hops tr.hop').count()).toBe(state.route!.hops.length);
    expect(await page.textContent('#status')).toContain('loaded from RGS');
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'rgs.png'), fullPage: true });
    await page.close();
  }, 60_000);
});
