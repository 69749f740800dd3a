import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { findImports, packageOf } from './imports.js';
import { ALLOWED, TIERS, ruleText, type Tier } from './tiers.js';

export interface Violation {
  /** Path relative to the workspace root (a package.json or a source file). */
  readonly file: string;
  readonly line?: number;
  /** The dependency or import specifier at fault. */
  readonly target: string;
  readonly message: string;
}

interface WorkspacePackage {
  readonly name: string;
  readonly dir: string;
  readonly tier: Tier | undefined;
  readonly dependencies: Record<string, string>;
  readonly devDependencies: Record<string, string>;
  readonly peerDependencies: Record<string, string>;
}

const SOURCE_FILE = /\.(?:[cm]?[jt]sx?)$/;

function readPackages(root: string): WorkspacePackage[] {
  const out: WorkspacePackage[] = [];
  for (const group of ['packages', 'tools']) {
    const base = join(root, group);
    if (!existsSync(base)) continue;
    for (const name of readdirSync(base).sort()) {
      const file = join(base, name, 'package.json');
      if (!existsSync(file)) continue;
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
      const tier = pkg.lnTier as string | undefined;
      out.push({
        name: String(pkg.name),
        dir: join(base, name),
        tier: TIERS.includes(tier as Tier) ? (tier as Tier) : undefined,
        dependencies: (pkg.dependencies ?? {}) as Record<string, string>,
        devDependencies: (pkg.devDependencies ?? {}) as Record<string, string>,
        peerDependencies: (pkg.peerDependencies ?? {}) as Record<string, string>,
      });
    }
  }
  return out;
}

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (SOURCE_FILE.test(entry)) out.push(path);
  }
  return out;
}

/**
 * Checks every workspace package under `root` (packages/* and tools/*):
 * its tier is declared, its runtime dependencies respect the tier rule, and
 * every workspace package its src/ imports is an allowed, declared runtime dependency.
 */
export function checkWorkspace(root: string): Violation[] {
  const packages = readPackages(root);
  const byName = new Map(packages.map((p) => [p.name, p]));
  const violations: Violation[] = [];

  for (const pkg of packages) {
    const manifest = relative(root, join(pkg.dir, 'package.json'));
    if (pkg.tier === undefined) {
      violations.push({ file: manifest, target: pkg.name, message: `missing or unknown "lnTier" (one of ${TIERS.join(', ')})` });
      continue;
    }
    const from = pkg.tier;
    const edge = (file: string, target: string, line?: number) => {
      const dep = byName.get(target);
      if (dep?.tier === undefined) return;
      if (!ALLOWED[from].includes(dep.tier)) {
        violations.push({
          file,
          target,
          ...(line === undefined ? {} : { line }),
          message: `${pkg.name} (${from}) -> ${target} (${dep.tier}): ${ruleText(from, dep.tier)}`,
        });
      }
    };
    for (const target of [...Object.keys(pkg.dependencies), ...Object.keys(pkg.peerDependencies)]) edge(manifest, target);

    for (const file of sourceFiles(join(pkg.dir, 'src'))) {
      const rel = relative(root, file);
      for (const { specifier, line } of findImports(readFileSync(file, 'utf8'))) {
        const target = packageOf(specifier);
        if (target === undefined || target === pkg.name || !byName.has(target)) continue;
        edge(rel, specifier.startsWith(target) ? target : specifier, line);
        if (!(target in pkg.dependencies) && !(target in pkg.peerDependencies)) {
          violations.push({
            file: rel,
            line,
            target: specifier,
            message: `${pkg.name} imports ${target} in src/ without declaring it in "dependencies"`,
          });
        }
      }
    }
  }
  return violations;
}

export function formatViolation(v: Violation): string {
  return `${v.file}${v.line === undefined ? '' : `:${v.line}`}: ${JSON.stringify(v.target)}: ${v.message}`;
}
