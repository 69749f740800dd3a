import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BitcoindRpcClient } from '../src/index.js';
import { bitcoindCookiePath, readBitcoindCookie } from '../src/node/index.js';
import { TestChain } from './helpers/chain.js';
import { FakeServer } from './helpers/fake-server.js';

let dir: string;
let server: FakeServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ln-chain-source-cookie-'));
  server = await FakeServer.start(new TestChain(), { auth: { user: '__cookie__', password: 'a1b2c3d4e5f6' } });
});

afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('cookie authentication (ln-chain-source/node)', () => {
  it('reads the cookie file and authenticates with it', async () => {
    const path = join(dir, '.cookie');
    writeFileSync(path, '__cookie__:a1b2c3d4e5f6\n');
    const rpc = new BitcoindRpcClient({ url: server.url, auth: await readBitcoindCookie(path) });
    expect((await rpc.getBestBlock()).height).toBe(0);
  });

  it('a stale cookie is refused with `auth`; a missing or malformed file too', async () => {
    const path = join(dir, 'old');
    writeFileSync(path, '__cookie__:0000');
    const rpc = new BitcoindRpcClient({ url: server.url, auth: await readBitcoindCookie(path) });
    await expect(rpc.getBestBlock()).rejects.toMatchObject({ code: 'auth', status: 401 });
    await expect(readBitcoindCookie(join(dir, 'missing'))).rejects.toMatchObject({ code: 'auth' });
    writeFileSync(join(dir, 'bad'), 'no colon here');
    await expect(readBitcoindCookie(join(dir, 'bad'))).rejects.toMatchObject({ code: 'auth' });
  });

  it('knows where bitcoind puts it', () => {
    expect(bitcoindCookiePath('regtest', '/data')).toBe('/data/regtest/.cookie');
    expect(bitcoindCookiePath('bitcoin', '/data')).toBe('/data/.cookie');
    expect(bitcoindCookiePath('testnet', '/data')).toBe('/data/testnet3/.cookie');
  });
});
