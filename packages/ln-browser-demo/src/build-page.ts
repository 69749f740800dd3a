import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

/** The bundled page script and its size. */
export interface PageBundle {
  readonly js: Uint8Array;
}

/**
 * Bundles the page (src/page/main.ts and everything it imports: ln-peer,
 * ln-gossip, ln-router, noble) for browsers with esbuild, minified. Workspace
 * packages are taken from their TypeScript sources (the `source` export
 * condition), so no prior build is needed.
 */
export async function buildPage(): Promise<PageBundle> {
  // Works from src/ and from dist/: both sit one level below the package root.
  const entry = fileURLToPath(new URL('../src/page/main.ts', import.meta.url));
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['source'],
    minify: true,
    write: false,
    logLevel: 'silent',
  });
  return { js: result.outputFiles[0]!.contents };
}
