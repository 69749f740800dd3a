// `pnpm check:browser`: every browser-capable package bundles for the browser
// without Node built-ins, and the budgets hold. Prints one JSON figure line per
// package size (the bench harness format) and writes them to
// browser-sizes.json for `pnpm bench` to include in bench-results.json.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkBrowser } from './check.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const report = await checkBrowser(root);
const figures = [
  ...report.sizes.map((s) => ({ package: s.name, name: 'browser bundle min+gz', value: s.gzipBytes, unit: 'bytes', n: 1, median: s.gzipBytes, min: s.gzipBytes, max: s.gzipBytes })),
  ...report.budgets.map((b) => ({ package: 'budget', name: `${b.budget.name} min+gz (limit ${b.budget.maxGzipBytes})`, value: b.gzipBytes, unit: 'bytes', n: 1, median: b.gzipBytes, min: b.gzipBytes, max: b.gzipBytes })),
];
for (const f of figures) console.log(JSON.stringify(f));
writeFileSync(join(root, 'browser-sizes.json'), JSON.stringify(figures, null, 2) + '\n');
if (report.problems.length > 0) {
  console.error(`browser check: ${report.problems.length} problem(s)`);
  for (const p of report.problems) console.error('  ' + p);
  process.exit(1);
}
console.log(`browser check: ok (${report.sizes.length} packages)`);
