import { LnError } from 'ln-types';

/** Why the gossip layer failed an operation (not a refused message: see {@link RefusalReason}). */
export type GossipErrorCode =
  /** A serialized graph is malformed, truncated or of an unknown version. */
  | 'bad_serialization'
  /** The worker pool failed (a worker crashed or was closed). */
  | 'verifier_failed'
  /** A rapid gossip sync snapshot is more than two weeks old: applying it would date dead gossip as recent. */
  | 'stale_snapshot'
  /** An argument is out of range. */
  | 'invalid_argument';

/** The typed error of ln-gossip. */
export class GossipError extends LnError<GossipErrorCode> {}
