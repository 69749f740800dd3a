// Assertions with no test framework behind them, so the same cases run under
// jest in Node and inside a browser page. A failed check throws
// ConformanceFailure with a message that names what was expected.
import { isLnError, toHex } from 'ln-types';

/** A conformance check that did not hold. */
export class ConformanceFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConformanceFailure';
  }
}

/** Fails with `message` unless `condition` holds. */
export function check(condition: boolean, message: string): asserts condition {
  if (!condition) throw new ConformanceFailure(message);
}

function describeBytes(value: Uint8Array | undefined): string {
  if (value === undefined) return 'undefined';
  const head = toHex(value.subarray(0, 16));
  return `${value.length} bytes (${head}${value.length > 16 ? '…' : ''})`;
}

/** Same bytes (and both present), or both undefined. */
export function checkBytes(actual: Uint8Array | undefined, expected: Uint8Array | undefined, what: string): void {
  if (expected === undefined || actual === undefined) {
    check(actual === expected, `${what}: expected ${describeBytes(expected)}, got ${describeBytes(actual)}`);
    return;
  }
  check(actual instanceof Uint8Array, `${what}: expected a Uint8Array, got ${Object.prototype.toString.call(actual)}`);
  if (actual.length !== expected.length) {
    throw new ConformanceFailure(`${what}: expected ${describeBytes(expected)}, got ${describeBytes(actual)}`);
  }
  for (let i = 0; i < actual.length; i++) {
    if (actual[i] !== expected[i]) {
      throw new ConformanceFailure(`${what}: byte ${i} is ${actual[i]}, expected ${expected[i]} (${describeBytes(actual)} vs ${describeBytes(expected)})`);
    }
  }
}

/** The same strings in any order. */
export function checkKeys(actual: readonly string[], expected: readonly string[], what: string): void {
  check(Array.isArray(actual), `${what}: list() must give an array, got ${typeof actual}`);
  const a = [...actual].sort();
  const e = [...expected].sort();
  const same = a.length === e.length && a.every((k, i) => k === e[i]);
  if (!same) {
    const show = (keys: string[]) => (keys.length > 8 ? `${keys.slice(0, 8).join(', ')}, … (${keys.length})` : keys.join(', '));
    throw new ConformanceFailure(`${what}: expected keys [${show(e)}], got [${show(a)}]`);
  }
}

/**
 * The call gives a rejected promise (never a synchronous throw, which would
 * escape a caller's `.catch`) whose reason is an LnError with `code`.
 */
export async function checkRejects(call: () => Promise<unknown>, code: string, what: string): Promise<void> {
  let promise: Promise<unknown>;
  try {
    promise = call();
  } catch (e) {
    throw new ConformanceFailure(`${what}: threw synchronously (${String(e)}); a KVStore method reports errors through its promise`);
  }
  check(promise instanceof Promise || (typeof promise === 'object' && promise !== null && 'then' in promise), `${what}: did not return a promise`);
  let reason: unknown;
  try {
    await promise;
  } catch (e) {
    reason = e;
  }
  check(reason !== undefined, `${what}: resolved, expected a rejection with code ${code}`);
  check(isLnError(reason, code), `${what}: rejected with ${String(reason)}, expected an LnError with code ${code}`);
}
