// `pnpm check:readme`: every ```ts block in packages/*/README.md (and in the
// READMEs of tools/* that have such blocks) is an example a user can paste;
// each runs here (through tsx, from inside its package so its imports resolve
// like a user's would) and must exit 0 within 60 s. Every package needs one.
// A block whose first line is `// not runnable: <reason>` is skipped.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const only = process.argv[2];
const BLOCK = /```ts\n([\s\S]*?)```/g;
let failures = 0;
let ran = 0;
const places = [
  ...readdirSync(join(root, 'packages')).map((name) => ({ name, dir: join(root, 'packages', name), required: true })),
  ...readdirSync(join(root, 'tools')).map((name) => ({ name: `tools/${name}`, dir: join(root, 'tools', name), required: false })),
].sort((a, b) => a.name.localeCompare(b.name));
for (const { name, dir, required } of places) {
  if (only !== undefined && name !== only) continue;
  const readme = join(dir, 'README.md');
  if (!existsSync(readme)) {
    if (!required) continue;
    console.error(`${name}: no README.md`);
    failures++;
    continue;
  }
  const blocks = [...readFileSync(readme, 'utf8').matchAll(BLOCK)].map((m) => m[1]!);
  if (blocks.length === 0 && required) {
    console.error(`${name}: README has no \`\`\`ts example`);
    failures++;
  }
  blocks.forEach((code, i) => {
    if (code.startsWith('// not runnable:')) return;
    const file = join(dir, `.readme-example-${i}.mts`);
    writeFileSync(file, code);
    const started = performance.now();
    const run = spawnSync(process.execPath, ['--import', 'tsx', file], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    rmSync(file, { force: true });
    ran++;
    const ms = Math.round(performance.now() - started);
    if (run.status !== 0) {
      failures++;
      console.error(`${name}: README example ${i + 1} failed (status ${run.status}, ${ms} ms)\n${(run.stderr || run.stdout).split('\n').slice(0, 15).join('\n')}`);
    } else console.log(`${name}: README example ${i + 1} ok (${ms} ms)`);
  });
}
console.log(`readme examples: ${ran - failures} ok, ${failures} failed`);
process.exit(failures > 0 ? 1 : 0);
