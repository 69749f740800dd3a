import { build, type Message } from 'esbuild';
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
