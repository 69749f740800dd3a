// Launching Debian's chromium through playwright-core (no browser download).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM = process.env.LN_CHROMIUM ?? '/usr/bin/chromium';

/** True only when the run explicitly opts out of browser tests. */
export const skipBrowser = process.env.LN_SKIP_BROWSER === '1';

/** A headless chromium with a fresh profile (--user-data-dir); `close` also removes the profile. */
export async function launchChromium(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`chromium not found at ${CHROMIUM}: install Debian's chromium package (apt-get install -y chromium) or set LN_SKIP_BROWSER=1 to skip browser tests`);
  }
  const profile = mkdtempSync(join(tmpdir(), 'ln-browser-demo-'));
  // playwright passes the profile to chromium as --user-data-dir itself.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1200, height: 800 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
