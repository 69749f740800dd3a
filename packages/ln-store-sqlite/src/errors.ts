import { LnError } from 'ln-types';

/**
 * Why a SQLite store operation failed:
 * - `open_failed`: the database file cannot be opened or set up (path, permissions, WAL refused);
 * - `not_a_database`: the file is not a SQLite database or is corrupt;
 * - `busy`: another connection held the lock longer than the busy timeout;
 * - `disk_full`: the write did not fit;
 * - `io`: any other failure of the database (I/O error, read-only file...);
 * - `closed`: the store was closed.
 */
export type SqliteStoreErrorCode = 'open_failed' | 'not_a_database' | 'busy' | 'disk_full' | 'io' | 'closed';

/** The typed error of {@link SqliteStore}; the driver's error is its `cause`. */
export class SqliteStoreError extends LnError<SqliteStoreErrorCode> {}

/** Maps a better-sqlite3 error (its `code` is SQLite's extended result code name) to a typed one. */
export function sqliteError(e: unknown, doing: string, fallback: SqliteStoreErrorCode = 'io'): SqliteStoreError {
  if (e instanceof SqliteStoreError) return e;
  const code = typeof (e as { code?: unknown })?.code === 'string' ? (e as { code: string }).code : '';
  const kind: SqliteStoreErrorCode =
    code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')
      ? 'busy'
      : code === 'SQLITE_FULL'
        ? 'disk_full'
        : code.startsWith('SQLITE_NOTADB') || code.startsWith('SQLITE_CORRUPT')
          ? 'not_a_database'
          : fallback;
  const message = e instanceof Error ? e.message : String(e);
  return new SqliteStoreError(kind, `SQLite store: ${doing} failed${code === '' ? '' : ` (${code})`}: ${message}`, { cause: e });
}
