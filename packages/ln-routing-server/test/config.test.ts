import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toHex } from 'ln-types';
import { ConfigError, DEFAULT_CONFIG, envName, loadConfig, parsePeer, resolveConfig } from '../src/config.js';

const id = '02' + '11'.repeat(32);

describe('configuration', () => {
  it('parses peers', () => {
    const p = parsePeer(`${id}@127.0.0.1:9735`);
    expect({ ...p, nodeId: toHex(p.nodeId) }).toEqual({ nodeId: id, host: '127.0.0.1', port: 9735 });
    expect(parsePeer(`${id}@[::1]:9736`).host).toBe('::1');
    for (const bad of ['', id, `${id}@host`, `${id}@host:0`, `${id}@host:70000`, `04${'11'.repeat(32)}@h:1`]) expect(() => parsePeer(bad)).toThrow(ConfigError);
  });

  it('layers defaults, file, environment and flags', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    const file = join(dir, 'config.json');
    writeFileSync(file, JSON.stringify({ httpPort: 9000, network: 'regtest', peers: [`${id}@h:1`] }));
    const c = loadConfig({ file, env: { [envName('httpPort')]: '9100', LN_ROUTING_VERIFY_WORKERS: '0' }, flags: { logLevel: 'debug' } });
    expect(c.httpPort).toBe(9100);
    expect(c.network).toBe('regtest');
    expect(c.verifyWorkers).toBe(0);
    expect(c.logLevel).toBe('debug');
    expect(c.peers).toHaveLength(1);
    expect(c.dataDir).toBe(DEFAULT_CONFIG.dataDir);
    expect(envName('persistIntervalSeconds')).toBe('LN_ROUTING_PERSIST_INTERVAL_SECONDS');
  });

  it('refuses bad values with a clear message', () => {
    expect(() => resolveConfig({ httpPort: 'abc' })).toThrow('httpPort must be an integer');
    expect(() => resolveConfig({ network: 'moon' })).toThrow('network must be one of');
    expect(() => resolveConfig({ nope: 1 } as never)).toThrow('unknown setting "nope"');
    expect(() => loadConfig({ file: '/does/not/exist.json' })).toThrow(ConfigError);
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    writeFileSync(join(dir, 'bad.json'), '{');
    expect(() => loadConfig({ file: join(dir, 'bad.json') })).toThrow('not valid JSON');
  });
});
