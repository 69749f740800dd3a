/**
 * The base class of every typed error the toolkit throws or returns.
 *
 * Each package defines its own subclasses (`WireError`, `NoiseError`, ...) with a
 * `code` from a closed string union, so callers can branch on `err.code` without
 * parsing messages, and on `instanceof LnError` to tell our failures from bugs.
 */
export class LnError<Code extends string = string> extends Error {
  /** A stable machine-readable reason, e.g. `"truncated"` or `"bad_signature"`. */
  readonly code: Code;

  constructor(code: Code, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    // Subclasses get their own name without repeating it in every constructor.
    this.name = new.target.name;
  }
}

/** Type guard for any toolkit error, optionally of one code. */
export function isLnError(value: unknown, code?: string): value is LnError {
  return value instanceof LnError && (code === undefined || value.code === code);
}

/** Error codes of the helpers in this package. */
export type TypesErrorCode =
  | 'invalid_hex'
  | 'invalid_length'
  | 'invalid_short_channel_id'
  | 'invalid_amount'
  | 'invalid_node_id'
  | 'invalid_kv_key'
  | 'invalid_outpoint';

/** Thrown by the parsers and constructors of ln-types on malformed input. */
export class TypesError extends LnError<TypesErrorCode> {}
