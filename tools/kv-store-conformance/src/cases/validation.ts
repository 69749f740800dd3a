import { TypesError, KV_MAX_NAME_LENGTH } from 'ln-types';
import { check, checkBytes, checkKeys, checkRejects } from '../assert.js';
import type { ConformanceCase } from '../case.js';

// Names the contract refuses: characters outside [A-Za-z0-9_-] (path
// separators, dots, spaces, non-ASCII, control characters), names over 120
// characters, an empty key, a secondary namespace without a primary one.
const long = 'x'.repeat(KV_MAX_NAME_LENGTH + 1);
const BAD_KEYS: readonly (readonly [string, string, string])[] = [
  ['../etc', '', 'k'],
  ['ns', '', 'a/b'],
  ['ns', '', '..'],
  ['ns', '', '.hidden'],
  ['ns', '', 'a b'],
  ['ns', '', 'é'],
  ['ns', '', 'a\u0000b'],
  ['ns', '', 'k\n'],
  ['ns', '', 'a\\b'],
  ['ns', 'a/b', 'k'],
  ['ns', '.', 'k'],
  ['', 'x', 'k'],
  ['ns', '', ''],
  ['', '', ''],
  ['ns', '', long],
  [long, '', 'k'],
  ['ns', long, 'k'],
];
const BAD_NAMESPACES: readonly (readonly [string, string])[] = [
  ['', 'x'],
  ['a/b', ''],
  ['ns', '..'],
  [long, ''],
  ['ns', long],
  ['ns ', ''],
];

/** A name at the limit that uses every allowed character. */
function limitName(seed: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';
  let out = '';
  for (let i = 0; i < KV_MAX_NAME_LENGTH; i++) out += alphabet[(i + seed) % alphabet.length];
  return out;
}

export const validationCases: ConformanceCase[] = [
  {
    name: 'refuses invalid names on every method with a TypesError "invalid_kv_key" through the promise, and stores nothing',
    async run(scope) {
      const store = await scope.create();
      const value = Uint8Array.of(1);
      for (const [p, s, k] of BAD_KEYS) {
        const what = `(${JSON.stringify(p)}, ${JSON.stringify(s)}, ${JSON.stringify(k.length > 20 ? k.slice(0, 8) + '…' : k)})`;
        await checkRejects(() => store.write(p, s, k, value), 'invalid_kv_key', `write${what}`);
        await checkRejects(() => store.read(p, s, k), 'invalid_kv_key', `read${what}`);
        await checkRejects(() => store.remove(p, s, k), 'invalid_kv_key', `remove${what}`);
        await checkRejects(() => store.remove(p, s, k, true), 'invalid_kv_key', `lazy remove${what}`);
      }
      for (const [p, s] of BAD_NAMESPACES) {
        await checkRejects(() => store.list(p, s), 'invalid_kv_key', `list(${JSON.stringify(p.slice(0, 20))}, ${JSON.stringify(s.slice(0, 20))})`);
      }
      // The error is ln-types' own class, so callers can branch on it.
      let reason: unknown;
      await store.write('ns', '', 'a/b', value).catch((e: unknown) => (reason = e));
      check(reason instanceof TypesError, `the refusal is a TypesError (got ${String(reason)})`);
      checkKeys(await store.list('', ''), [], 'nothing stored in the primary namespace');
      checkKeys(await store.list('ns', ''), [], 'nothing stored in "ns"');
    },
  },
  {
    name: 'accepts names at the limits: 120 characters, every allowed character, one-character names',
    async run(scope) {
      const store = await scope.create();
      const p = limitName(0);
      const s = limitName(7);
      const k = limitName(30);
      await store.write(p, s, k, Uint8Array.of(1));
      await store.write(p, '', k, Uint8Array.of(2));
      await store.write('-', '_', '-', Uint8Array.of(3));
      await store.write('', '', '_', Uint8Array.of(4));
      await store.write('', '', '0', Uint8Array.of(5));
      checkBytes(await store.read(p, s, k), Uint8Array.of(1), 'the longest names');
      checkBytes(await store.read(p, '', k), Uint8Array.of(2), 'a long key in a long primary namespace');
      checkBytes(await store.read('-', '_', '-'), Uint8Array.of(3), 'one-character names');
      checkKeys(await store.list(p, s), [k], 'list with the longest names');
      checkKeys(await store.list('', ''), ['_', '0'], 'list of one-character keys');
      await store.remove(p, s, k);
      checkKeys(await store.list(p, s), [], 'list after removing the longest key');
    },
  },
];
