import { LnError } from 'ln-types';

/**
 * Why a PostgreSQL store operation failed:
 * - `connection`: the server could not be reached, refused the login, went
 *   away or timed out. A write that fails this way may or may not have been
 *   committed: read the key back (or write it again) before relying on it;
 * - `query`: the server refused a statement (permissions, a foreign table of
 *   the same name, resources);
 * - `not_durable`: the connection commits asynchronously (`synchronous_commit = off`),
 *   so a resolved write would not be durable;
 * - `invalid_table_name`: the table name is not a plain identifier;
 * - `closed`: the store was closed.
 */
export type PostgresStoreErrorCode = 'connection' | 'query' | 'not_durable' | 'invalid_table_name' | 'closed';

/** The typed error of {@link PostgresStore}; the driver's error is its `cause`. */
export class PostgresStoreError extends LnError<PostgresStoreErrorCode> {}

// Node socket errors that mean the server is unreachable or the link broke.
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'ENOENT', 'EACCES']);

/** True when `e` (from node-postgres) is about the connection rather than a statement. */
export function isConnectionFailure(e: unknown): boolean {
  const code = typeof (e as { code?: unknown })?.code === 'string' ? (e as { code: string }).code : '';
  if (NETWORK_CODES.has(code)) return true;
  // SQLSTATE 08 (connection exception), 28 (authorization), 3D000 (no such
  // database), 53300 (too many connections), 57P01-57P03 (shutdown, crash
  // recovery, cannot connect now).
  if (/^(08|28)/.test(code) || code === '3D000' || code === '53300' || /^57P0[1-3]$/.test(code)) return true;
  // node-postgres reports these without a code.
  const message = e instanceof Error ? e.message : '';
  return /Connection terminated|timeout expired|connection timeout|Client has encountered a connection error|Cannot use a pool after calling end/i.test(message);
}

/** Maps a node-postgres failure to a typed error. */
export function postgresError(e: unknown, doing: string): PostgresStoreError {
  if (e instanceof PostgresStoreError) return e;
  const code = typeof (e as { code?: unknown })?.code === 'string' ? ` (${(e as { code: string }).code})` : '';
  const message = e instanceof Error ? e.message : String(e);
  return new PostgresStoreError(isConnectionFailure(e) ? 'connection' : 'query', `PostgreSQL store: ${doing} failed${code}: ${message}`, { cause: e });
}
