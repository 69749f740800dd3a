import { LdkNodeError } from './errors.js';

/**
 * LDK's `Result_*` objects are never thrown: each call returns an object whose
 * subclass says which way it went (`Result_XZ_OK` with `res`, `Result_XZ_Err` with
 * `err`). Checking with `instanceof` on the OK subclass is the only reliable test;
 * `is_ok()` exists but does not narrow the type.
 */
export function expectOk<T extends object>(result: unknown, okClass: { readonly prototype: T }, what: string, errorEnum?: object): T {
  // `instanceof` by hand: the Result classes' constructors are protected, so they do not type as constructors.
  if (typeof result === 'object' && result !== null && Object.prototype.isPrototypeOf.call(okClass.prototype, result)) return result as T;
  const err = (result as { err?: unknown } | null)?.err;
  const named = typeof err === 'number' && errorEnum !== undefined ? (errorEnum as Record<number, string>)[err] : undefined;
  throw new LdkNodeError('ldk_refused', `${what}: ${named ?? describeLdkError(err)}`);
}

/** A readable description of an LDK error value (APIError, enums, failure classes). */
export function describeLdkError(err: unknown): string {
  if (err === undefined || err === null) return 'LDK returned an error without detail';
  if (typeof err === 'string') return err;
  if (typeof err === 'number') return `LDK error code ${err}`;
  if (typeof err !== 'object') return String(err);
  const name = err.constructor.name;
  const detail: string[] = [];
  for (const [key, value] of Object.entries(err)) {
    if (key === 'ptr' || key === 'ptrs_to') continue;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') detail.push(`${key}=${String(value)}`);
    else if (value !== null && typeof value === 'object' && 'err' in value && typeof value.err === 'string') detail.push(`${key}=${value.err}`);
  }
  return detail.length === 0 ? name : `${name} (${detail.join(', ')})`;
}

/**
 * True for an absent optional object: the bindings give `null` or, for an
 * optional field of a struct, a wrapper around a null pointer.
 */
export function isNullObject(o: object | null | undefined): boolean {
  return o === null || o === undefined || (o as unknown as { ptr: bigint }).ptr === 0n;
}

/**
 * Corrects a u128 read back from the bindings. lightningdevkit 0.1.0 writes
 * u128 arguments little-endian (as LDK's C `LDKU128.le_bytes`) but decodes u128
 * results big-endian, so every `user_channel_id` LDK returns comes back
 * byte-reversed. Reversing the 16 bytes gives the value that was passed in.
 */
export function fixU128(value: bigint): bigint {
  let out = 0n;
  let v = value;
  for (let i = 0; i < 16; i++) {
    out = (out << 8n) | (v & 0xffn);
    v >>= 8n;
  }
  return out;
}
