import { build, type Message } from 'esbuild';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface BundleResult {
  readonly ok: boolean;
  readonly minifiedBytes: number;
  readonly gzipBytes: number;
  /** Why the bundle failed: each names the importing file and the import. */
  readonly problems: string[];
}

const NODE_BUILTINS = new Set([
  'assert', 'buffer', 'child_process', 'cluster', 'crypto', 'dgram', 'dns', 'events', 'fs', 'http', 'http2', 'https', 'module',
  'net', 'os', 'path', 'perf_hooks', 'process', 'querystring', 'readline', 'stream', 'string_decoder', 'timers', 'tls', 'tty',
  'url', 'util', 'v8', 'vm', 'worker_threads', 'zlib',
]);

/** npm packages that only work under Node (some ship a browser stub that throws at run time). */
const NODE_ONLY_PACKAGES = new Set(['ws', 'fastify', 'better-sqlite3', 'bindings', 'node-gyp-build', 'fsevents', 'chokidar']);

/** The package name of a bare import specifier (`@scope/name/sub` -> `@scope/name`). */
function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/** The manifest of `name` as Node would find it from `fromDir`, or undefined. */
function findManifest(name: string, fromDir: string): { manifest: Record<string, unknown>; dir: string } | undefined {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name, 'package.json');
    if (existsSync(candidate)) return { manifest: JSON.parse(readFileSync(candidate, 'utf8')) as Record<string, unknown>, dir: dirname(candidate) };
    if (dirname(dir) === dir) return undefined;
  }
}

/** Why a dependency cannot run in a browser, or undefined if nothing says so. */
export function nodeOnlyReason(name: string, fromDir: string): string | undefined {
  if (NODE_ONLY_PACKAGES.has(name)) return 'a Node-only package';
  const found = findManifest(name, fromDir);
  if (found === undefined) return undefined;
  const { manifest, dir } = found;
  if (manifest.lnNodeOnly === true) return 'a package marked Node-only (lnNodeOnly)';
  if (manifest.gypfile === true || existsSync(join(dir, 'binding.gyp'))) return 'a native addon';
  return undefined;
}

function describe(m: Message): string {
  const where = m.location === null ? '' : `${m.location.file}:${m.location.line}: `;
  return `${where}${m.text}`;
}

/**
 * Bundles `entrySource` (an ES module that imports the packages to measure)
 * for the browser: minified, tree-shaken, every dependency included. Any
 * import of a Node built-in (with or without the `node:` prefix) fails it.
 */
export async function bundleForBrowser(entrySource: string, resolveDir: string): Promise<BundleResult> {
  const problems: string[] = [];
  try {
    const result = await build({
      stdin: { contents: entrySource, resolveDir, loader: 'ts' },
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      // Workspace packages resolve to their TypeScript sources: no build needed, same code.
      conditions: ['source'],
      write: false,
      logLevel: 'silent',
      plugins: [
        {
          name: 'refuse-node-builtins',
          setup(b) {
            b.onResolve({ filter: /^(node:|[a-z_]+$)/ }, (args) => {
              const bare = args.path.replace(/^node:/, '').split('/')[0]!;
              if (args.path.startsWith('node:') || NODE_BUILTINS.has(bare)) {
                problems.push(`${args.importer || '<entry>'} imports ${args.path} (a Node built-in)`);
                return { path: args.path, external: true };
              }
              return undefined;
            });
          },
        },
        {
          // A Node-only dependency may bundle without error (a browser stub, a
          // fallback) and fail only at run time: refuse it here by what it is.
          name: 'refuse-node-only-packages',
          setup(b) {
            b.onResolve({ filter: /^(@[^/]+\/)?[^./][^:]*$/ }, (args) => {
              const name = packageName(args.path);
              if (NODE_BUILTINS.has(name)) return undefined;
              const reason = nodeOnlyReason(name, args.resolveDir);
              if (reason === undefined) return undefined;
              problems.push(`${args.importer || '<entry>'} imports ${args.path} (${reason})`);
              return { path: args.path, external: true };
            });
          },
        },
      ],
    });
    const code = result.outputFiles[0]!.contents;
    return { ok: problems.length === 0, minifiedBytes: code.length, gzipBytes: gzipSync(code, { level: 9 }).length, problems };
  } catch (e) {
    const errors = (e as { errors?: Message[] }).errors;
    problems.push(...(errors === undefined ? [String(e)] : errors.map(describe)));
    return { ok: false, minifiedBytes: 0, gzipBytes: 0, problems };
  }
}
