import { LnError } from 'ln-types';

export type RgsErrorCode =
  /** Not an RGS v1 snapshot (wrong prefix or version). */
  | 'unknown_version'
  /** The data ended early. */
  | 'truncated'
  /** A value is out of range: a node index past the list, a short channel id overflow, a non-minimal BigSize. */
  | 'invalid_value'
  /** Bytes after the last update. */
  | 'trailing_bytes'
  /** An incremental update for a channel the encoder's reference snapshot does not have. */
  | 'missing_reference';

export class RgsError extends LnError<RgsErrorCode> {}
