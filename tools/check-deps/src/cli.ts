// `pnpm check:deps`: exits 1 and lists every violation of the dependency rule.
import { fileURLToPath } from 'node:url';
import { checkWorkspace, formatViolation } from './check.js';

const root = process.argv[2] ?? fileURLToPath(new URL('../../..', import.meta.url));
const violations = checkWorkspace(root);
if (violations.length > 0) {
  console.error(`dependency rule: ${violations.length} violation(s)`);
  for (const v of violations) console.error('  ' + formatViolation(v));
  process.exit(1);
}
console.log('dependency rule: ok');
