// Growable typed-array columns: the graph's storage. One array per field keeps
// lookups to one index (no per-entry objects) and makes save/load a copy.

type TypedArray = Uint8Array | Uint16Array | Uint32Array | Int32Array | Float64Array | BigUint64Array;
type TypedArrayCtor<T extends TypedArray> = { new (n: number): T };

/** Returns `a` grown to at least `n` entries (copying), or `a` itself when large enough. */
export function grow<T extends TypedArray>(a: T, n: number, ctor: TypedArrayCtor<T>): T {
  if (a.length >= n) return a;
  let cap = Math.max(16, a.length * 2);
  while (cap < n) cap *= 2;
  const next = new ctor(cap);
  (next as Uint8Array).set(a as Uint8Array);
  return next;
}
