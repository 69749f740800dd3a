// Shared jest configuration: native ESM (our packages and noble are ESM-only),
// TypeScript compiled by @swc/jest (fast, no type-check: `pnpm typecheck` does that),
// workspace packages resolved to their TypeScript sources through the "source"
// export condition so tests never run against a stale dist/.
import { fileURLToPath } from 'node:url';

const swcTransform = [
  fileURLToPath(import.meta.resolve('@swc/jest')),
  {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'es6' },
    sourceMaps: 'inline',
  },
];

/** @param {string} packageDir absolute path of the package (its jest rootDir) */
export function jestConfig(packageDir, overrides = {}) {
  return {
    rootDir: packageDir,
    testEnvironment: 'node',
    testEnvironmentOptions: { customExportConditions: ['source', 'node', 'node-addons'] },
    extensionsToTreatAsEsm: ['.ts'],
    moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
    transform: { '^.+\\.ts$': swcTransform },
    testMatch: ['<rootDir>/test/**/*.test.ts'],
    testTimeout: 60_000,
    ...overrides,
  };
}
