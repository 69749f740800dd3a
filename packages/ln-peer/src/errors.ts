import { LnError } from 'ln-types';

/** Why the PeerManager refused a call. Peer misbehaviour is never thrown: it disconnects that peer. */
export type PeerErrorCode =
  /** An inbound connection over the limit of inbound peers without channels. */
  | 'too_many_peers'
  /** A descriptor that is already registered. */
  | 'duplicate_descriptor'
  /** An option is malformed. */
  | 'invalid_option';

/** The typed error of PeerManager calls. */
export class PeerError extends LnError<PeerErrorCode> {}
