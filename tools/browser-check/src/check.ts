import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUDGETS, type Budget } from './budgets.js';
import { bundleForBrowser } from './bundle.js';

/** Tiers whose packages must run in browsers unless they say `"lnNodeOnly": true`. */
const BROWSER_TIERS = new Set(['vocabulary', 'contract', 'component']);

export interface PackageSize {
  readonly name: string;
  readonly minifiedBytes: number;
  readonly gzipBytes: number;
}

export interface BrowserCheckReport {
  readonly sizes: PackageSize[];
  readonly budgets: { budget: Budget; gzipBytes: number; ok: boolean }[];
  readonly problems: string[];
}

/** The packages that must bundle for browsers (their main entry; Node-only subpaths are exempt). */
export function browserPackages(root: string): string[] {
  const dir = join(root, 'packages');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .filter((name) => {
      const file = join(dir, name, 'package.json');
      if (!existsSync(file)) return false;
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { lnTier?: string; lnNodeOnly?: boolean };
      return BROWSER_TIERS.has(pkg.lnTier ?? '') && pkg.lnNodeOnly !== true;
    });
}

/**
 * Bundles each browser-capable package alone (everything it exports, so the
 * size is the package's full weight with its dependencies) and each budget's
 * packages together, from their sources (dependencies resolve from each
 * package's own node_modules, workspace ones to their sources too).
 */
export async function checkBrowser(root: string): Promise<BrowserCheckReport> {
  const names = browserPackages(root);
  const sizes: PackageSize[] = [];
  const problems: string[] = [];
  const entryOf = (name: string) => JSON.stringify(join(root, 'packages', name, 'src', 'index.ts'));
  for (const name of names) {
    const result = await bundleForBrowser(`export * from ${entryOf(name)};`, root);
    problems.push(...result.problems.map((p) => `${name}: ${p}`));
    sizes.push({ name, minifiedBytes: result.minifiedBytes, gzipBytes: result.gzipBytes });
  }
  const budgets: BrowserCheckReport['budgets'] = [];
  for (const budget of BUDGETS) {
    if (!budget.packages.every((p) => names.includes(p))) continue;
    const entry = budget.packages.map((p, i) => `export * as p${i} from ${entryOf(p)};`).join('\n');
    const result = await bundleForBrowser(entry, root);
    const ok = result.ok && result.gzipBytes <= budget.maxGzipBytes;
    if (!ok) problems.push(`budget ${budget.name}: ${result.gzipBytes} bytes gzipped, limit ${budget.maxGzipBytes}`);
    budgets.push({ budget, gzipBytes: result.gzipBytes, ok });
  }
  return { sizes, budgets, problems };
}
