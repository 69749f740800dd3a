import { describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleForBrowser } from '../src/bundle.js';
import { browserPackages, checkBrowser } from '../src/check.js';

function workspace(packages: Record<string, { tier: string; nodeOnly?: boolean; source: string }>): string {
  const root = mkdtempSync(join(tmpdir(), 'browser-check-'));
  for (const [name, p] of Object.entries(packages)) {
    mkdirSync(join(root, 'packages', name, 'src'), { recursive: true });
    writeFileSync(join(root, 'packages', name, 'package.json'), JSON.stringify({ name, lnTier: p.tier, ...(p.nodeOnly ? { lnNodeOnly: true } : {}) }));
    writeFileSync(join(root, 'packages', name, 'src', 'index.ts'), p.source);
  }
  return root;
}

describe('browser check', () => {
  it('passes a package without Node built-ins and reports its size', async () => {
    const root = workspace({ 'ln-a': { tier: 'vocabulary', source: 'export const a = (x: number): number => x * 2;\n' } });
    const report = await checkBrowser(root);
    expect(report.problems).toEqual([]);
    expect(report.sizes).toHaveLength(1);
    expect(report.sizes[0]!.gzipBytes).toBeGreaterThan(0);
  });

  it.each([
    ["import { readFileSync } from 'node:fs'; export const f = readFileSync;"],
    ["import * as net from 'net'; export const n = net;"],
    ["export const load = () => import('node:crypto');"],
  ])('refuses a Node built-in: %s', async (source) => {
    const root = workspace({ 'ln-bad': { tier: 'component', source } });
    const report = await checkBrowser(root);
    expect(report.problems.join('\n')).toMatch(/ln-bad: .*(Node built-in)/);
  });

  it.each([
    ['ws', {}, /a Node-only package/],
    ['ln-server-thing', { lnNodeOnly: true }, /lnNodeOnly/],
    ['some-addon', { gypfile: true }, /a native addon/],
  ])('refuses a Node-only dependency even when it would bundle: %s', async (dep, manifest, why) => {
    const root = workspace({ 'ln-bad': { tier: 'component', source: `import * as d from '${dep}'; export const x = d;` } });
    mkdirSync(join(root, 'node_modules', dep), { recursive: true });
    writeFileSync(join(root, 'node_modules', dep, 'package.json'), JSON.stringify({ name: dep, main: 'index.js', ...manifest }));
    writeFileSync(join(root, 'node_modules', dep, 'index.js'), 'module.exports = {};');
    const report = await checkBrowser(root);
    expect(report.problems.join('\n')).toMatch(new RegExp(`ln-bad: .*imports ${dep}`));
    expect(report.problems.join('\n')).toMatch(why);
  });

  it('lets an ordinary npm dependency through', async () => {
    const root = workspace({ 'ln-ok': { tier: 'component', source: "import * as d from 'plain-lib'; export const x = d;" } });
    mkdirSync(join(root, 'node_modules', 'plain-lib'), { recursive: true });
    writeFileSync(join(root, 'node_modules', 'plain-lib', 'package.json'), JSON.stringify({ name: 'plain-lib', main: 'index.js' }));
    writeFileSync(join(root, 'node_modules', 'plain-lib', 'index.js'), 'module.exports = { a: 1 };');
    expect((await checkBrowser(root)).problems).toEqual([]);
  });

  it('exempts assemblies, tools and packages marked Node-only', () => {
    const root = workspace({
      'ln-a': { tier: 'vocabulary', source: '' },
      'ln-node': { tier: 'assembly', source: "import 'node:fs';" },
      'ln-store': { tier: 'component', nodeOnly: true, source: "import 'node:fs';" },
    });
    expect(browserPackages(root)).toEqual(['ln-a']);
  });

  it('bundles the real workspace packages cleanly', async () => {
    const root = fileURLToPath(new URL('../../..', import.meta.url));
    const report = await checkBrowser(root);
    expect(report.problems).toEqual([]);
    expect(report.sizes.map((s) => s.name)).toEqual(expect.arrayContaining(['ln-types', 'ln-crypto', 'ln-wire']));
  }, 120_000);

  it('reports unresolvable imports as problems rather than crashing', async () => {
    const result = await bundleForBrowser("import 'definitely-not-a-package-xyz';", tmpdir());
    expect(result.ok).toBe(false);
    expect(result.problems.join()).toMatch(/definitely-not-a-package-xyz/);
  });
});
