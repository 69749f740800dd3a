import { LnError } from 'ln-types';

export type RgsErrorCode =
  /** Not an RGS snapshot of version 1 or 2 (wrong prefix or version), or an encoding version other than 1 or 2. */
  | 'unknown_version'
  /** The data ended early. */
  | 'truncated'
  /**
   * A value is out of range: a node index past the list, a short channel id
   * overflow, a non-minimal BigSize, a feature default index past the list,
   * an address that does not fit its slot, a node id prefix other than 2 or 3.
   */
  | 'invalid_value'
  /** Bytes after the last update. */
  | 'trailing_bytes'
  /** An incremental update for a channel the encoder's reference snapshot does not have. */
  | 'missing_reference';

export class RgsError extends LnError<RgsErrorCode> {}
