import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { isAllowed, parseTarget } from '../src/index.js';

describe('targets', () => {
  it('parse from the path or the query', () => {
    expect(parseTarget('/127.0.0.1:9735')).toEqual({ host: '127.0.0.1', port: 9735 });
    expect(parseTarget('/?target=node.example.com:9736')).toEqual({ host: 'node.example.com', port: 9736 });
    expect(parseTarget('/[::1]:9735')).toEqual({ host: '::1', port: 9735 });
    expect(parseTarget('/%5B::1%5D:9735')).toEqual({ host: '::1', port: 9735 });
  });

  it.each(['/', '/host', '/host:0', '/host:65536', '/host:-1', '/a b:1', '/:9735', '/host:9735/x', '/' + 'a'.repeat(300) + ':1'])('refuse %j', (url) => {
    expect(parseTarget(url)).toBeUndefined();
  });

  it('never throw on any URL', () => {
    fc.assert(fc.property(fc.string(), (s) => void parseTarget(s)));
  });

  it('allow port 9735 by default, or what the list or function says', () => {
    expect(isAllowed(undefined, { host: 'x', port: 9735 })).toBe(true);
    expect(isAllowed(undefined, { host: 'x', port: 22 })).toBe(false);
    expect(isAllowed(['127.0.0.1:9000'], { host: '127.0.0.1', port: 9000 })).toBe(true);
    expect(isAllowed(['127.0.0.1:9000'], { host: '127.0.0.2', port: 9000 })).toBe(false);
    expect(isAllowed(['*:9000'], { host: 'any', port: 9000 })).toBe(true);
    expect(isAllowed(['[::1]:9735'], { host: '::1', port: 9735 })).toBe(true);
    expect(isAllowed((t) => t.host === 'ok', { host: 'ok', port: 1 })).toBe(true);
  });
});
