import { WireError } from 'ln-wire';
import { OnionError, type OnionErrorCode } from './errors.js';

/** Runs a decoder, turning ln-wire's WireError into an OnionError of `code`. */
export function asOnionError<T>(code: OnionErrorCode, what: string, fn: () => T): T {
  try {
    return fn();
  } catch (cause) {
    if (cause instanceof WireError) throw new OnionError(code, `${what}: ${cause.message}`, { cause });
    throw cause;
  }
}
