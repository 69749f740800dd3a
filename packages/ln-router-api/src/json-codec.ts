import { fromHex, isLnError, toHex } from 'ln-types';
import { RouteError } from './router.js';

/** A JSON value (what `JSON.stringify` writes and `JSON.parse` gives back). */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * Turns a plain-data type into JSON and back. bigint becomes a decimal
 * string, bytes a lowercase hex string; decoding checks every field and
 * throws RouteError `invalid_json` naming the bad path.
 */
export interface Codec<T> {
  encode(value: T): Json;
  decode(json: unknown, path?: string): T;
}

function fail(path: string, what: string): never {
  throw new RouteError('invalid_json', `${path || 'value'}: expected ${what}`);
}

const U64_MAX = (1n << 64n) - 1n;

/** A u64 as a decimal string. */
export const bigintCodec: Codec<bigint> = {
  encode: (v) => v.toString(10),
  decode(json, path = '') {
    if (typeof json !== 'string' || !/^\d{1,20}$/.test(json)) fail(path, 'a decimal u64 string');
    const v = BigInt(json);
    if (v > U64_MAX) fail(path, 'a decimal u64 string');
    return v;
  },
};

/** A safe non-negative integer. */
export const uintCodec: Codec<number> = {
  encode: (v) => v,
  decode(json, path = '') {
    if (typeof json !== 'number' || !Number.isSafeInteger(json) || json < 0) fail(path, 'a non-negative integer');
    return json;
  },
};

/** A boolean. */
export const booleanCodec: Codec<boolean> = {
  encode: (v) => v,
  decode(json, path = '') {
    if (typeof json !== 'boolean') fail(path, 'a boolean');
    return json;
  },
};

/** Bytes as hex. */
export const bytesCodec: Codec<Uint8Array> = {
  encode: (v) => toHex(v),
  decode(json, path = '') {
    if (typeof json !== 'string') fail(path, 'a hex string');
    try {
      return fromHex(json);
    } catch (e) {
      if (isLnError(e)) fail(path, 'a hex string');
      throw e;
    }
  },
};

/** A codec for a string literal (a union tag). */
export function literalCodec<L extends string>(literal: L): Codec<L> {
  return {
    encode: (v) => v,
    decode(json, path = '') {
      if (json !== literal) fail(path, JSON.stringify(literal));
      return literal;
    },
  };
}

/** A codec that also checks a decoded value (e.g. the node id format) and brands it. */
export function refine<T, U extends T>(base: Codec<T>, check: (v: T) => U, what: string): Codec<U> {
  return {
    encode: (v) => base.encode(v),
    decode(json, path = '') {
      const v = base.decode(json, path);
      try {
        return check(v);
      } catch (e) {
        if (isLnError(e)) fail(path, what);
        throw e;
      }
    },
  };
}

/** An array of one codec. */
export function arrayCodec<T>(item: Codec<T>, maxLength = 100_000): Codec<readonly T[]> {
  return {
    encode: (v) => v.map((x) => item.encode(x)),
    decode(json, path = '') {
      if (!Array.isArray(json) || json.length > maxLength) fail(path, `an array of at most ${maxLength}`);
      return json.map((x, i) => item.decode(x, `${path}[${i}]`));
    },
  };
}

type Fields<T> = { [K in keyof T]-?: Codec<Exclude<T[K], undefined>> };

/**
 * An object codec. `optional` lists the keys that may be absent (kept absent,
 * never set to undefined, as exactOptionalPropertyTypes wants).
 */
export function objectCodec<T extends object>(fields: Fields<T>, optional: readonly (keyof T)[] = []): Codec<T> {
  const keys = Object.keys(fields) as (keyof T & string)[];
  return {
    encode(value) {
      const out: { [key: string]: Json } = {};
      for (const k of keys) {
        const v = value[k];
        if (v === undefined) continue;
        out[k] = (fields[k] as Codec<unknown>).encode(v);
      }
      return out;
    },
    decode(json, path = '') {
      if (typeof json !== 'object' || json === null || Array.isArray(json)) fail(path, 'an object');
      const src = json as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const k of keys) {
        const v = src[k];
        if (v === undefined) {
          if (optional.includes(k)) continue;
          fail(`${path}.${k}`, 'a value');
        }
        out[k] = (fields[k] as Codec<unknown>).decode(v, `${path}.${k}`);
      }
      return out as T;
    },
  };
}

/** A tagged union on the field `kind`. */
export function unionCodec<T extends { kind: string }>(variants: { [K in T['kind']]: Codec<Extract<T, { kind: K }>> }): Codec<T> {
  return {
    encode: (v) => (variants[v.kind as T['kind']] as Codec<T>).encode(v),
    decode(json, path = '') {
      const kind = (json as { kind?: unknown } | null)?.kind;
      if (typeof kind !== 'string' || !Object.hasOwn(variants, kind)) fail(`${path}.kind`, 'a known kind');
      return (variants[kind as T['kind']] as Codec<T>).decode(json, path);
    },
  };
}
