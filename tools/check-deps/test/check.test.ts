import { describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkWorkspace, formatViolation } from '../src/check.js';
import { findImports, packageOf } from '../src/imports.js';

interface FixturePackage {
  tier?: string;
  dependencies?: string[];
  devDependencies?: string[];
  src?: Record<string, string>;
}

/** Writes a throwaway workspace of fixture packages and returns its root. */
function workspace(packages: Record<string, FixturePackage>): string {
  const root = mkdtempSync(join(tmpdir(), 'check-deps-'));
  for (const [name, p] of Object.entries(packages)) {
    const dir = join(root, 'packages', name);
    mkdirSync(join(dir, 'src'), { recursive: true });
    const deps = (list: string[] = []) => Object.fromEntries(list.map((d) => [d, 'workspace:*']));
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({ name, ...(p.tier === undefined ? {} : { lnTier: p.tier }), dependencies: deps(p.dependencies), devDependencies: deps(p.devDependencies) }),
    );
    for (const [file, text] of Object.entries(p.src ?? {})) writeFileSync(join(dir, 'src', file), text);
  }
  return root;
}

const base = {
  'ln-types': { tier: 'vocabulary' },
  'ln-wire': { tier: 'vocabulary', dependencies: ['ln-types'], src: { 'index.ts': "import { toHex } from 'ln-types';\n" } },
  'ln-peer-api': { tier: 'contract', dependencies: ['ln-wire'], src: { 'index.ts': "import type { Msg } from 'ln-wire';\n" } },
  'ln-gossip': { tier: 'component', dependencies: ['ln-peer-api'], src: { 'index.ts': "import type { H } from 'ln-peer-api';\n" } },
  'ln-peer': { tier: 'component', dependencies: ['ln-peer-api'] },
  'ln-node': { tier: 'assembly', dependencies: ['ln-peer', 'ln-gossip'], src: { 'index.ts': "import 'ln-peer';\nimport 'ln-gossip';\n" } },
  'ln-bench': { tier: 'tool' },
} satisfies Record<string, FixturePackage>;

describe('check-deps', () => {
  it('passes a workspace that keeps the rule', () => {
    expect(checkWorkspace(workspace(base))).toEqual([]);
  });

  it('passes the real workspace', () => {
    const root = fileURLToPath(new URL('../../..', import.meta.url));
    expect(checkWorkspace(root).map(formatViolation)).toEqual([]);
  });

  it('refuses a component importing a component, naming file, import and rule', () => {
    const v = checkWorkspace(
      workspace({
        ...base,
        'ln-gossip': { tier: 'component', dependencies: ['ln-peer-api', 'ln-peer'], src: { 'sync.ts': "// gossip sync\nimport { PeerManager } from 'ln-peer';\n" } },
      }),
    );
    expect(v.map(formatViolation)).toEqual([
      'packages/ln-gossip/package.json: "ln-peer": ln-gossip (component) -> ln-peer (component): a component never imports another component; go through a contract package',
      'packages/ln-gossip/src/sync.ts:2: "ln-peer": ln-gossip (component) -> ln-peer (component): a component never imports another component; go through a contract package',
    ]);
  });

  it.each([
    ['import type', "import type { PeerManager } from 'ln-peer/types';"],
    ['dynamic import', "const m = await import('ln-peer');"],
    ['re-export', "export { PeerManager } from 'ln-peer';"],
    ['export star', "export * from 'ln-peer';"],
    ['side-effect import', "import 'ln-peer';"],
    ['require', "const m = require('ln-peer');"],
    ['multi-line import', "import {\n  A,\n  B,\n} from 'ln-peer';"],
  ])('catches a %s in src/ even without a package.json dependency', (_kind, line) => {
    const v = checkWorkspace(workspace({ ...base, 'ln-gossip': { tier: 'component', dependencies: ['ln-peer-api'], src: { 'a.ts': line } } }));
    expect(v.some((x) => x.message.includes('a component never imports another component'))).toBe(true);
    expect(v.some((x) => x.message.includes('without declaring it'))).toBe(true);
  });

  it('ignores commented-out imports', () => {
    const v = checkWorkspace(
      workspace({ ...base, 'ln-gossip': { tier: 'component', dependencies: ['ln-peer-api'], src: { 'a.ts': "// import 'ln-peer';\n/* import 'ln-peer'; */\n" } } }),
    );
    expect(v).toEqual([]);
  });

  it('refuses a contract importing a component', () => {
    const v = checkWorkspace(workspace({ ...base, 'ln-peer-api': { tier: 'contract', dependencies: ['ln-peer'], src: { 'i.ts': "import 'ln-peer';" } } }));
    expect(v.map((x) => x.message)).toContain('ln-peer-api (contract) -> ln-peer (component): a contract imports only tier 0 (vocabulary and contracts)');
  });

  it('refuses tier 0 importing tier 1 and vocabulary importing a contract', () => {
    const v = checkWorkspace(
      workspace({ ...base, 'ln-wire': { tier: 'vocabulary', dependencies: ['ln-types', 'ln-gossip', 'ln-peer-api'], src: { 'i.ts': "import 'ln-gossip';" } } }),
    );
    const messages = v.map((x) => x.message);
    expect(messages).toContain('ln-wire (vocabulary) -> ln-gossip (component): vocabulary packages import only other vocabulary packages');
    expect(messages).toContain('ln-wire (vocabulary) -> ln-peer-api (contract): vocabulary packages import only other vocabulary packages');
  });

  it('refuses a runtime dependency on a tool but allows it in devDependencies', () => {
    expect(checkWorkspace(workspace({ ...base, 'ln-peer': { tier: 'component', devDependencies: ['ln-bench', 'ln-gossip'] } }))).toEqual([]);
    const v = checkWorkspace(workspace({ ...base, 'ln-peer': { tier: 'component', dependencies: ['ln-bench'] } }));
    expect(v.map((x) => x.message)).toEqual(['ln-peer (component) -> ln-bench (tool): tool packages are development-only (devDependencies, tests and benchmarks)']);
  });

  it('refuses a package without a tier', () => {
    const v = checkWorkspace(workspace({ ...base, 'ln-mystery': {} }));
    expect(v.map(formatViolation)).toEqual([
      'packages/ln-mystery/package.json: "ln-mystery": missing or unknown "lnTier" (one of vocabulary, contract, component, assembly, tool)',
    ]);
  });

  it('finds imports and their lines', () => {
    expect(findImports("import a from 'x';\nimport type { B } from \"y/z\";\nexport * as c from '@s/p/q';\nawait import('d');")).toEqual([
      { specifier: 'x', line: 1 },
      { specifier: 'y/z', line: 2 },
      { specifier: '@s/p/q', line: 3 },
      { specifier: 'd', line: 4 },
    ]);
    expect(packageOf('ln-peer/net')).toBe('ln-peer');
    expect(packageOf('@noble/curves/secp256k1.js')).toBe('@noble/curves');
    expect(packageOf('./x.js')).toBeUndefined();
  });
});
