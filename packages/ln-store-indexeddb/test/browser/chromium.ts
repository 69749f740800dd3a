// Debian's chromium for the IndexedDB tests: started here (not by
// playwright) so the test owns its process group and can SIGKILL the browser
// mid-write, then reached over CDP with playwright-core. The page is served
// through request interception at http://ln-store.test/ (a real origin, so
// IndexedDB works; no server, no port).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.LN_CHROMIUM ?? '/usr/bin/chromium';
/** True only when the run explicitly opts out of browser tests. */
export const skipBrowser = process.env.LN_SKIP_BROWSER === '1';
export const ORIGIN = 'http://ln-store.test';

let bundled: Promise<string> | undefined;
/** The test page's script: page.ts with the store and the suite, for browsers. */
export function pageScript(): Promise<string> {
  bundled ??= build({
    entryPoints: [fileURLToPath(new URL('./page.ts', import.meta.url))],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['source'],
    write: false,
    logLevel: 'silent',
  }).then((r) => r.outputFiles[0]!.text);
  return bundled;
}

/** A running chromium with its own profile directory. */
export interface RunningChromium {
  readonly browser: Browser;
  readonly context: BrowserContext;
  /** Opens the test page and waits until its script ran. */
  openPage(): Promise<Page>;
  /** Kills the whole browser (every process of its group) with SIGKILL and waits for it. */
  kill(): Promise<void>;
  /** Closes the browser normally. */
  close(): Promise<void>;
}

/** Starts chromium on `profile` (kept across starts: that is where IndexedDB lives). */
export async function startChromium(profile: string): Promise<RunningChromium> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`chromium not found at ${CHROMIUM}: install Debian's chromium package (apt-get install -y chromium) or set LN_SKIP_BROWSER=1 to skip browser tests`);
  }
  const child: ChildProcess = spawn(
    CHROMIUM,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--remote-debugging-port=0',
      `--user-data-dir=${profile}`,
      'about:blank',
    ],
    { detached: true, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const endpoint = await new Promise<string>((resolve, reject) => {
    let err = '';
    const timer = setTimeout(() => reject(new Error(`chromium did not open its DevTools port in 60 s:\n${err}`)), 60_000);
    child.stderr!.setEncoding('utf8').on('data', (d: string) => {
      err += d;
      const m = /DevTools listening on (ws:\/\/\S+)/.exec(err);
      if (m !== null) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    void exited.then(() => reject(new Error(`chromium exited at start:\n${err}`)));
  });
  const browser = await chromium.connectOverCDP(endpoint);
  const context = browser.contexts()[0]!;
  const script = await pageScript();
  await context.route(`${ORIGIN}/**`, (route) => {
    const path = new URL(route.request().url()).pathname;
    if (path === '/page.js') return route.fulfill({ contentType: 'text/javascript', body: script });
    return route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>loading</title><script type="module" src="/page.js"></script>' });
  });
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // already gone
    }
  };
  return {
    browser,
    context,
    async openPage() {
      const page = await context.newPage();
      await page.goto(`${ORIGIN}/`);
      await page.waitForFunction(() => document.title === 'ready', undefined, { timeout: 30_000 });
      return page;
    },
    async kill() {
      killGroup('SIGKILL');
      await exited;
    },
    async close() {
      await browser.close().catch(() => {});
      killGroup('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000).unref())]);
      killGroup('SIGKILL');
      await exited;
    },
  };
}
