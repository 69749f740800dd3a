// Finds the module specifiers a TypeScript/JavaScript source imports: static
// imports and re-exports (type-only ones included), side-effect imports,
// dynamic import() and require() with a string literal.

const PATTERNS = [
  /\b(?:import|export)\s+(?:type\s+)?(?:[\w*${}\s,]+?)\s+from\s*['"]([^'"]+)['"]/g,
  /\bimport\s*['"]([^'"]+)['"]/g,
  /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
];

/** Removes comments so commented-out imports are not counted (strings are kept). */
function stripComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, ' ')).replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

export interface FoundImport {
  readonly specifier: string;
  readonly line: number;
}

export function findImports(source: string): FoundImport[] {
  const text = stripComments(source);
  const found: FoundImport[] = [];
  for (const pattern of PATTERNS) {
    pattern.lastIndex = 0;
    for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
      const at = m.index + m[0].lastIndexOf(m[1]!);
      found.push({ specifier: m[1]!, line: text.slice(0, at).split('\n').length });
    }
  }
  return found.sort((a, b) => a.line - b.line);
}

/** The package a bare specifier names (`ln-peer/net` -> `ln-peer`, `@a/b/c` -> `@a/b`); undefined for relative paths. */
export function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/')) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}
