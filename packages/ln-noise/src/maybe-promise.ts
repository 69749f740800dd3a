/** A value now, or later when an asynchronous step (a remote signer's ECDH) is involved. */
export type MaybePromise<T> = T | Promise<T>;

/** True for promises and other thenables. */
export function isPromise<T>(value: MaybePromise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/**
 * Applies `next` to `value` synchronously when it is already there, so the
 * common case (a local key) never pays for a microtask; chains otherwise.
 */
export function andThen<T, R>(value: MaybePromise<T>, next: (v: T) => R): MaybePromise<R> {
  return isPromise(value) ? value.then(next) : next(value);
}
