import { LnError } from 'ln-types';

/**
 * Why an IndexedDB store operation failed:
 * - `unavailable`: no IndexedDB here, or the database cannot be opened
 *   (private browsing modes, a page without an origin, a newer version of the database);
 * - `quota`: the browser refused the write for lack of space;
 * - `transaction_failed`: the transaction aborted for another reason (its writes are not stored);
 * - `corrupt_value`: the stored value is not bytes (something else wrote to this database);
 * - `closed`: the store was closed, or another tab upgraded or deleted the database.
 */
export type IndexedDbStoreErrorCode = 'unavailable' | 'quota' | 'transaction_failed' | 'corrupt_value' | 'closed';

/** The typed error of {@link IndexedDbStore}; the browser's DOMException is its `cause`. */
export class IndexedDbStoreError extends LnError<IndexedDbStoreErrorCode> {}

/** Maps a DOMException (or anything thrown by IndexedDB) to a typed error. */
export function indexedDbError(e: unknown, doing: string): IndexedDbStoreError {
  if (e instanceof IndexedDbStoreError) return e;
  const name = (e as { name?: unknown } | null)?.name;
  const code: IndexedDbStoreErrorCode = name === 'QuotaExceededError' ? 'quota' : name === 'InvalidStateError' ? 'closed' : 'transaction_failed';
  const message = (e as { message?: unknown } | null)?.message;
  return new IndexedDbStoreError(code, `IndexedDB store: ${doing} failed${typeof name === 'string' ? ` (${name})` : ''}${typeof message === 'string' && message !== '' ? `: ${message}` : ''}`, {
    cause: e,
  });
}
