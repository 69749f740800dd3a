import { afterAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore, SqliteStoreError } from '../src/index.js';

// Every directory this file makes lives under one temporary directory, removed at the end.
const base = mkdtempSync(join(tmpdir(), 'ln-store-sqlite-test-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

const dir = () => mkdtempSync(join(base, 'ln-store-sqlite-'));

describe('SqliteStore errors', () => {
  it('refuses a path it cannot open, a file that is not a database and a table name that is not an identifier', () => {
    expect(() => new SqliteStore(join(dir(), 'missing', 'dir', 'kv.sqlite'))).toThrow(expect.objectContaining({ code: 'open_failed' }));
    const garbage = join(dir(), 'garbage.sqlite');
    writeFileSync(garbage, new Uint8Array(4096).fill(0x41));
    expect(() => new SqliteStore(garbage)).toThrow(SqliteStoreError);
    expect(() => new SqliteStore(garbage)).toThrow(expect.objectContaining({ code: 'not_a_database' }));
    expect(() => new SqliteStore(join(dir(), 'kv.sqlite'), { table: 'kv"; DROP TABLE x; --' })).toThrow(expect.objectContaining({ code: 'open_failed' }));
  });

  it('rejects with "busy" while another connection holds the write lock, and works once it is released', async () => {
    const path = join(dir(), 'kv.sqlite');
    const store = new SqliteStore(path, { busyTimeoutMs: 0 });
    await store.write('ns', '', 'k', Uint8Array.of(1));
    const other = new Database(path);
    other.exec('BEGIN IMMEDIATE');
    const a = store.write('ns', '', 'k', Uint8Array.of(2));
    const b = store.write('ns', '', 'k2', Uint8Array.of(3));
    await expect(a).rejects.toMatchObject({ code: 'busy' });
    await expect(b).rejects.toBeInstanceOf(SqliteStoreError);
    // Readers are not blocked by a writer in WAL mode.
    expect(await store.read('ns', '', 'k')).toEqual(Uint8Array.of(1));
    other.exec('ROLLBACK');
    other.close();
    await store.write('ns', '', 'k', Uint8Array.of(4));
    expect(await store.read('ns', '', 'k')).toEqual(Uint8Array.of(4));
    await store.close();
  });

  it('commits what is pending on close, then rejects every call with "closed"', async () => {
    const path = join(dir(), 'kv.sqlite');
    const store = new SqliteStore(path);
    const pending = store.write('ns', '', 'k', Uint8Array.of(5));
    await store.close();
    await pending;
    await expect(store.read('ns', '', 'k')).rejects.toMatchObject({ code: 'closed' });
    await expect(store.write('ns', '', 'k', Uint8Array.of(1))).rejects.toMatchObject({ code: 'closed' });
    await expect(store.remove('ns', '', 'k')).rejects.toMatchObject({ code: 'closed' });
    await expect(store.list('ns', '')).rejects.toMatchObject({ code: 'closed' });
    await store.close();
    const again = new SqliteStore(path);
    expect(await again.read('ns', '', 'k')).toEqual(Uint8Array.of(5));
    await again.close();
  });

  it('keeps the database in WAL mode', async () => {
    const path = join(dir(), 'kv.sqlite');
    const store = new SqliteStore(path);
    await store.write('ns', '', 'k', Uint8Array.of(1));
    const raw = new Database(path, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
    await store.close();
  });
});
