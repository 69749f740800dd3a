import { LnError } from 'ln-types';

/** Why bytes from a peer were refused. */
export type WireErrorCode =
  /** The input ended before a field did. */
  | 'truncated'
  /** A BigSize, truncated integer or TLV length was not minimally encoded. */
  | 'non_minimal'
  /** TLV types were not strictly increasing. */
  | 'tlv_order'
  /** An even TLV type this namespace does not know (the BOLT 1 "it's OK to be odd" rule). */
  | 'tlv_unknown_even'
  /** A known field's bytes do not form a valid value (wrong length, out of range, leftover bytes). */
  | 'invalid_value'
  /** A message or field exceeds its size limit (65535 bytes for a message). */
  | 'too_large'
  /** Bytes left after a value that must end the input. */
  | 'trailing_bytes';

/** The typed error of every decoder and encoder in ln-wire. */
export class WireError extends LnError<WireErrorCode> {}
