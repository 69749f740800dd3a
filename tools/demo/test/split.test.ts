// End to end: the three-process split (gossip source, routing server, wallet)
// on loopback with a smaller generated graph. The demo exits non-zero unless
// the wallet got routes and its local RGS routes equal the server's.
import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

describe('split demo', () => {
  it('syncs over BOLT 8, serves routes over HTTP and the same routes from an RGS snapshot', () => {
    const script = fileURLToPath(new URL('../split/run.mjs', import.meta.url));
    const run = spawnSync(process.execPath, [script], { env: { ...process.env, DEMO_CHANNELS: '600' }, encoding: 'utf8', timeout: 150_000 });
    const out = run.stdout.replace(/\r/g, '\n');
    expect(out).toMatch(/routing server synced 600 channels/);
    expect(out).toMatch(/same as the server's: (\d+)\/\1/);
    expect(out).toMatch(/routes via server\s+[1-9]\d*\/\d+ found/);
    expect(run.status).toBe(0);
  }, 160_000);
});
